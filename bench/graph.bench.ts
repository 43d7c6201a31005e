/**
 * The execution-graph engine's throughput (issue 14): executions per second on the published
 * benchmarks — lastzero(15), fib_bench and indexer(15) — under each axiomatic model, with the
 * stateful search's time on the same programs under sc beside it (the strongest simple baseline
 * we have: the production stateful checker with every reduction on, under the same budget).
 * Published execution counts (GenMC's tests/correct/synthetic/*): lastzero(15) 147,456 (sc, rc11);
 * fib_bench 218,243 (sc) and 525,630 (rc11); indexer(15) 4,096. Prints; never asserts times.
 *
 * Budget: MEMWEAVE_BENCH_GRAPH_SECONDS per run (default 120): a run that hits it prints how far it got.
 */
import { readFileSync } from 'node:fs';
import { check } from '../checker/check.js';
import type { CheckResult, ModelName } from '../checker/api.js';
import { compileSource } from '../model/frontend.js';
import type { IrProgram } from '../model/ir.js';

const PROGRAMS: readonly { readonly label: string; readonly file: string; readonly defines: Readonly<Record<string, number>>; readonly published: Partial<Record<ModelName, number>> }[] = [
  { label: 'lastzero(15)', file: 'examples/graph/lastzero.mw', defines: { N: 15 }, published: { sc: 147_456, rc11: 147_456 } },
  { label: 'fib_bench', file: 'examples/graph/fib_bench.mw', defines: {}, published: { sc: 218_243, rc11: 525_630 } },
  { label: 'indexer(15)', file: 'examples/graph/indexer.mw', defines: { N: 15 }, published: { sc: 4096, rc11: 4096 } },
];

function compile(file: string, defines: Readonly<Record<string, number>>): IrProgram {
  const c = compileSource(file, readFileSync(file, 'utf8'), { defines });
  if (c.ir === null) throw new Error(`${file} does not compile`);
  return c.ir;
}

function run(p: IrProgram, model: ModelName, engine: 'graph' | 'state', seconds: number): { r: CheckResult; ms: number } {
  const t0 = performance.now();
  const r = check(p, { model, engine, timeLimitMs: seconds * 1000, now: () => performance.now() });
  return { r, ms: performance.now() - t0 };
}

/** The bench. */
export async function benchGraph(): Promise<void> {
  const seconds = Number(process.env['MEMWEAVE_BENCH_GRAPH_SECONDS'] ?? 120);
  console.log(`budget ${seconds} s per run; executions per second = complete executions / wall time`);
  console.log('program        model  engine  executions  published  blocked   time       exec/s     | stateful sc: states, time');
  for (const prog of PROGRAMS) {
    const p = compile(prog.file, prog.defines);
    const state = run(p, 'sc', 'state', seconds);
    const stateCell = `${state.r.stats.statesStored} states, ${(state.ms / 1000).toFixed(2)} s${state.r.verdict === 'inconclusive' ? ` (${state.r.budgetExhausted ?? 'incomplete'})` : ''}`;
    for (const model of ['sc', 'tso', 'ra', 'rc11'] as const) {
      const { r, ms } = run(p, model, 'graph', seconds);
      const ex = r.stats.executions ?? 0;
      const b = r.stats.blocked;
      const blocked = b === undefined ? 0 : b.assume + b.await + b.spin + b.bound + b.error;
      const pub = prog.published[model];
      const cells = [
        prog.label.padEnd(14),
        model.padEnd(6),
        'graph  ',
        String(ex).padStart(10),
        (pub === undefined ? '-' : String(pub)).padStart(10),
        String(blocked).padStart(8),
        `${(ms / 1000).toFixed(2)} s${r.budgetExhausted !== null ? '*' : ''}`.padStart(10),
        String(Math.round((ex * 1000) / ms)).padStart(10),
      ];
      console.log(`${cells.join(' ')}  | ${model === 'sc' ? stateCell : ''}`);
      await Promise.resolve();
    }
  }
  console.log('* the time budget ran out: executions so far');
}
