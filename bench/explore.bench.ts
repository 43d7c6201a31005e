/**
 * The explorer's throughput (issue 16): executions, scheduling points and worker round trips per
 * second on the mutex checks — impl/sync's Mutex from its source (test/fixtures/explore/
 * mutexCounter.ts), the same algorithm without the library's spin and owner bookkeeping (mutex3 in
 * test/fixtures/explore/litmus.ts), the CondVar check and the 3-thread Latch and Once checks —
 * each under both DPOR searches side by side (optimal: wakeup trees, explore/optimal.ts, the
 * default; classic: Flanagan–Godefroid with sleep sets, explore/dpor.ts), with the `.mw` twin
 * checked by the graph engine under sc beside them (examples/locks/mutex.mw). Prints; never
 * asserts times.
 *
 * Each exploration runs REPEATS times (MEMWEAVE_BENCH_EXPLORE_REPEATS, default 3); the table shows
 * the median wall time, start-up (transform and worker spawn) included.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { check } from '../checker/check.js';
import { SEARCH_ALGORITHMS } from '../explore/dpor.js';
import { explore, type ExploreResult } from '../explore/index.js';
import { compileSource } from '../model/frontend.js';

const ROOT = new URL('../../', import.meta.url);
const path = (p: string): string => fileURLToPath(new URL(p, ROOT));

const CASES: readonly { readonly label: string; readonly file: string; readonly export: string }[] = [
  { label: 'impl/sync Mutex, 2 threads', file: 'test/fixtures/explore/mutexCounter.ts', export: 'default' },
  { label: 'mutex3 over Atomics, 2 thr', file: 'test/fixtures/explore/litmus.ts', export: 'mutex' },
  { label: 'impl/sync CondVar+Mutex', file: 'test/fixtures/explore/syncPrimitives.ts', export: 'condVar' },
  { label: 'impl/sync Latch, 3 threads', file: 'test/fixtures/explore/syncPrimitives.ts', export: 'latch3' },
  { label: 'impl/sync Once, 3 threads', file: 'test/fixtures/explore/syncPrimitives.ts', export: 'once3' },
  { label: 'Mutex, 2 lockAsync threads', file: 'test/fixtures/explore/syncPrimitives.ts', export: 'mutexAsync2' },
  { label: 'CondVar async consumer', file: 'test/fixtures/explore/syncPrimitives.ts', export: 'condVarAsync' },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** The bench. */
export async function benchExplore(): Promise<void> {
  const repeats = Math.max(1, Number(process.env['MEMWEAVE_BENCH_EXPLORE_REPEATS'] ?? 3));
  console.log(`median of ${repeats} runs; rates = count / wall time (start-up included)`);
  console.log('check                        search   verdict  executions  blocked   steps  round trips    time     exec/s   steps/s   trips/s');
  for (const c of CASES) {
    for (const algorithm of SEARCH_ALGORITHMS) {
      const times: number[] = [];
      let last: ExploreResult | null = null;
      for (let i = 0; i < repeats; i++) {
        const t0 = performance.now();
        last = await explore(path(c.file), { export: c.export, algorithm });
        times.push(performance.now() - t0);
      }
      if (last === null) continue;
      const ms = median(times);
      const s = last.stats;
      const rate = (n: number): string => String(Math.round((n * 1000) / ms)).padStart(9);
      console.log(
        `${c.label.padEnd(28)} ${algorithm.padEnd(8)} ${last.verdict.padEnd(8)} ${String(s.executions).padStart(10)} ${String(s.sleepBlocked).padStart(8)} ${String(s.steps).padStart(7)} ${String(s.roundTrips).padStart(12)} ${`${(ms / 1000).toFixed(2)} s`.padStart(8)} ${rate(s.executions)} ${rate(s.steps)} ${rate(s.roundTrips)}`,
      );
    }
  }
  const file = 'examples/locks/mutex.mw';
  const compiled = compileSource(file, readFileSync(path(file), 'utf8'));
  if (compiled.ir === null) throw new Error(`${file} does not compile`);
  const times: number[] = [];
  let executions = 0;
  let verdict = '';
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const r = check(compiled.ir, { model: 'sc', engine: 'graph' });
    times.push(performance.now() - t0);
    executions = r.stats.executions ?? 0;
    verdict = r.verdict;
  }
  const ms = median(times);
  console.log(`${'twin: mutex.mw, graph sc'.padEnd(28)} ${'-'.padEnd(8)} ${verdict.padEnd(8)} ${String(executions).padStart(10)} ${'-'.padStart(8)} ${'-'.padStart(7)} ${'-'.padStart(12)} ${`${(ms / 1000).toFixed(3)} s`.padStart(8)} ${String(Math.round((executions * 1000) / Math.max(ms, 0.001))).padStart(9)}`);
}
