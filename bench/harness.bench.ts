/**
 * Worker harness throughput: memweave's batched harness against the naive harness of
 * bench/naiveHarness.ts (one rendezvous with the main thread per iteration, one location pair),
 * on SB with plain and with sc accesses, side by side in one run. Prints iterations per second,
 * the ratio, and the rate at which SB's relaxed outcome (both registers 0) appears.
 * Target (issue 4): ≥ 4× the naive rate, and no lower relaxed-outcome rate.
 */
import { compileSource } from '../model/frontend.js';
import type { IrProgram } from '../model/ir.js';
import { runOnWorkers } from '../impl/harness.js';
import { runNaive } from './naiveHarness.js';

const SB = (mode: 'plain' | 'sc'): string => `test SB_${mode}
shared x = 0;
shared y = 0;
thread P0 { store.${mode}(x, 1); r0 = load.${mode}(y); }
thread P1 { store.${mode}(y, 1); r0 = load.${mode}(x); }
exists (P0:r0 = 0 /\\ P1:r0 = 0)
`;

function ir(text: string): IrProgram {
  const r = compileSource('sb.mw', text);
  if (r.ir === null) throw new Error('internal: bench program does not compile');
  return r.ir;
}

function relaxedRate(h: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const n of h.values()) total += n;
  return total === 0 ? 0 : (h.get('[0,0]') ?? 0) / total;
}

/** Run the harness benchmark and print a table. */
export async function benchHarness(): Promise<void> {
  const iterations = Number(process.env['MEMWEAVE_BENCH_ITERATIONS'] ?? 400_000);
  const naiveIterations = Math.max(1_000, Math.floor(iterations / 20));
  console.log('\n== worker harness: memweave vs naive (SB) ==');
  console.log(`memweave: ${iterations} iterations; naive: ${naiveIterations} iterations (one rendezvous each)`);
  console.log('test       harness    iterations/s   relaxed(0,0) rate   ratio vs naive');
  for (const mode of ['plain', 'sc'] as const) {
    const p = ir(SB(mode));
    const naive = await runNaive(p, naiveIterations);
    const naiveRate = naiveIterations / (naive.ms / 1000);
    const ours = await runOnWorkers(p, { iterations, seed: 1 });
    const oursRate = ours.iterations / (ours.ms / 1000);
    const row = (name: string, rate: number, rel: number, ratio: string): string =>
      `SB ${mode.padEnd(6)} ${name.padEnd(10)} ${Math.round(rate).toString().padStart(12)}   ${(rel * 100).toFixed(3).padStart(9)} %         ${ratio}`;
    console.log(row('naive', naiveRate, relaxedRate(naive.histogram), '1.00'));
    console.log(row('memweave', oursRate, relaxedRate(ours.histogram), (oursRate / naiveRate).toFixed(2)));
  }
}
