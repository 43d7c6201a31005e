/**
 * The bench runner (`npm run bench`, i.e. `node dist/bench/run.js [NAME…]`): calls every
 * registered bench in turn, or only those named on the command line. A bench module exports one
 * `async function` that measures and prints; it never asserts times. To add a bench, append a
 * line to BENCHES.
 */
import { benchExplore } from './explore.bench.js';
import { benchGraph } from './graph.bench.js';
import { benchHarness } from './harness.bench.js';
import { benchParallel } from './parallel.bench.js';
import { benchRumur } from './rumur.bench.js';
import { benchShard } from './shard.bench.js';
import { benchSpin } from './spin.bench.js';
import { benchSync } from './sync.bench.js';
import { benchVisited } from './visited.bench.js';

/** One registered bench. */
export interface Bench {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/** Every bench, in the order `npm run bench` runs them (append new ones here). */
export const BENCHES: Bench[] = [
  { name: 'harness', run: benchHarness },
  { name: 'sync', run: benchSync },
  { name: 'spin', run: benchSpin },
  { name: 'rumur', run: benchRumur },
  { name: 'graph', run: benchGraph },
  { name: 'explore', run: benchExplore },
  { name: 'parallel', run: benchParallel },
  { name: 'shard', run: benchShard },
  { name: 'visited', run: benchVisited },
];

/** Run the benches named in `names` (all when empty). */
export async function runBenches(names: readonly string[]): Promise<number> {
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown bench ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
    return 2;
  }
  for (const b of BENCHES) {
    if (names.length > 0 && !names.includes(b.name)) continue;
    console.log(`\n### bench: ${b.name}`);
    await b.run();
  }
  return 0;
}

runBenches(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
