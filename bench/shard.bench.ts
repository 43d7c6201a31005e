/**
 * The shard-and-merge route (issue 18): graph-engine programs run whole, then as 2 and as 4
 * prefix shards one after another (`check --shard I/N`'s explorer). Prints each shard's time and
 * executions, the imbalance (the largest shard's time over the whole run's; an ideal split is
 * 1/N), and checks that the shards' executions and outcome counts sum to the whole run's (a
 * wrong merge is an error, not a number). Then the same checks, and a larger one, on 1 and 2
 * threads stealing work from each other (`check --workers N`: checker/graphSteal.ts), beside the
 * sequential check, with the stack entries that changed threads. It never asserts times.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { exploreGraphs, type GraphExploration } from '../checker/graphExplorer.js';
import { compileSource } from '../model/frontend.js';
import type { IrProgram } from '../model/ir.js';
import { GRAPH_MODELS } from '../model/memory/graph/index.js';
import { checkGraph } from '../checker/graphCheck.js';
import type { ModelName } from '../checker/api.js';
import { checkGraphParallel, ParallelPool } from '../cli/parallelCheck.js';

function compile(file: string, defines: Readonly<Record<string, number>>): IrProgram {
  const c = compileSource(file, readFileSync(file, 'utf8'), { defines });
  if (c.ir === null) throw new Error(`${file} does not compile`);
  return c.ir;
}

function outcomes(r: GraphExploration): Map<string, number> {
  const m = new Map<string, number>();
  for (const row of r.outcomes.rows()) m.set(row.tuple.join(','), row.count);
  return m;
}

const CASES: readonly { file: string; model: string; defines: Record<string, number> }[] = [
  { file: 'examples/graph/coa.mw', model: 'rc11', defines: { N: 4 } },
  { file: 'examples/graph/lastzero.mw', model: 'rc11', defines: { N: 10 } },
];

/** The thread rows' cases: the shard cases and lastzero(13), a tree narrow at the top that the prefix shards gave mostly to one shard. */
const THREAD_CASES: readonly { file: string; model: string; defines: Record<string, number> }[] = [...CASES, { file: 'examples/graph/lastzero.mw', model: 'rc11', defines: { N: 13 } }];

/** Whole, 2 and 4 shards of each case; then the threads' rows (`check --workers N`). */
export async function benchShard(): Promise<void> {
  benchShardsInTurn();
  await benchThreads();
}

/** `checkGraphParallel` on a pool started beforehand (its start-up, 70–100 ms, is not the search's), against the sequential check, in one run. */
async function benchThreads(): Promise<void> {
  console.log('\n-- the graph engine on threads stealing work (check --workers N): wall ms, speed-up over the sequential check, entries stolen --');
  for (const c of THREAD_CASES) {
    const program = compile(c.file, c.defines);
    const options = { model: c.model as ModelName, engine: 'graph' as const };
    checkGraph(program, options); // warm-up
    const t0 = performance.now();
    const whole = checkGraph(program, options);
    const wholeMs = performance.now() - t0;
    const row: string[] = [`sequential ${wholeMs.toFixed(0)} ms`];
    for (const workers of [1, 2]) {
      const pool = new ParallelPool(workers);
      try {
        await checkGraphParallel(program, options, workers, pool); // warm-up: each worker loads the checker
        const t = performance.now();
        const r = await checkGraphParallel(program, options, workers, pool);
        const ms = performance.now() - t;
        if (r.stats.executions !== whole.stats.executions || r.verdict !== whole.verdict) throw new Error(`${c.file}: ${workers} threads gave ${r.stats.executions} executions (${r.verdict}), one ${whole.stats.executions} (${whole.verdict}) (a bug in the merge)`);
        row.push(`${workers} thread${workers === 1 ? '' : 's'} ${ms.toFixed(0)} ms (${(wholeMs / ms).toFixed(2)}×, ${r.stats.graphSteals ?? 0} stolen)`);
      } finally {
        await pool.close();
      }
    }
    console.log(`${c.file} ${JSON.stringify(c.defines)} under ${c.model}, ${whole.stats.executions ?? 0} executions: ${row.join(', ')}`);
  }
}

function benchShardsInTurn(): void {
  for (const c of CASES) {
    const model = GRAPH_MODELS.get(c.model);
    if (model === undefined) throw new Error(`no graph model ${c.model}`);
    const program = compile(c.file, c.defines);
    exploreGraphs(program, { model }); // a warm-up run, so that the whole run is not timed cold
    const t0 = performance.now();
    const whole = exploreGraphs(program, { model });
    const wholeMs = performance.now() - t0;
    console.log(`${c.file} ${JSON.stringify(c.defines)} under ${c.model}: whole ${whole.executions} executions in ${wholeMs.toFixed(0)} ms`);
    for (const count of [2, 4]) {
      const times: number[] = [];
      const execs: number[] = [];
      const merged = new Map<string, number>();
      for (let index = 0; index < count; index++) {
        const t = performance.now();
        const r = exploreGraphs(program, { model, shard: { index, count } });
        times.push(performance.now() - t);
        execs.push(r.executions);
        for (const [k, n] of outcomes(r)) merged.set(k, (merged.get(k) ?? 0) + n);
      }
      const sum = execs.reduce((a, b) => a + b, 0);
      const same = sum === whole.executions && merged.size === outcomes(whole).size && [...outcomes(whole)].every(([k, n]) => merged.get(k) === n);
      if (!same) throw new Error(`${c.file}: ${count} shards merge to ${sum} executions, whole run ${whole.executions} (a bug in the prefix partition)`);
      const max = Math.max(...times);
      console.log(`  ${count} shards: ${times.map((t, i) => `#${i} ${t.toFixed(0)} ms / ${execs[i]}`).join(', ')}; max/whole ${(max / wholeMs).toFixed(2)} (ideal ${(1 / count).toFixed(2)}); merged = whole: ${sum} executions, ${merged.size} outcomes`);
    }
  }
}
