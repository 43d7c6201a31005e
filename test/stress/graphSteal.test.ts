/**
 * Work stealing in the execution-graph engine (checker/graphSteal.ts) under more threads than
 * cores: 3 and 4 workers explore trees whose entries change threads many times, again and again,
 * and every run's answer is the sequential one (executions, verdict, outcomes with their counts);
 * an execution budget or a time limit that stops some worker leaves every run inconclusive and
 * ends every worker (no run waits for work that will never come). Bounded by work (small trees,
 * fixed repetitions); the pools are closed in afterAll.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkGraph } from '../../checker/graphCheck.js';
import type { CheckResult, ModelName } from '../../checker/api.js';
import { checkGraphParallel } from '../../cli/parallelCheck.js';
import { compileFile } from '../support/programs.js';
import { poolsForFile } from '../support/pools.js';

const { poolOf, closePools } = poolsForFile();
afterAll(closePools);

const answer = (r: CheckResult): unknown => ({
  verdict: r.verdict,
  budget: r.budgetExhausted,
  executions: r.stats.executions,
  outcomes: r.outcomes.map((o) => ({ values: { ...o.values }, finalStates: o.finalStates })),
});

describe('the graph engine stealing work on more threads than cores', () => {
  it.each([
    ['examples/graph/lastzero.mw', { N: 7 }, 'rc11'],
    ['examples/graph/coa.mw', { N: 3 }, 'ra'],
    ['examples/graph/readers.mw', { N: 6 }, 'sc'],
  ] as const)('%s %o under %s: every run of 3 and 4 workers answers as one thread, entries changing threads', async (file, defines, model) => {
    const program = compileFile(file, defines);
    const options = { model: model as ModelName, engine: 'graph' as const };
    const want = answer(checkGraph(program, options));
    let steals = 0;
    for (const workers of [3, 4]) {
      for (let i = 0; i < 6; i++) {
        const r = await checkGraphParallel(program, options, workers, poolOf(workers));
        expect(answer(r), `${workers} workers, run ${i}`).toEqual(want);
        steals += r.stats.graphSteals ?? 0;
      }
    }
    expect(steals).toBeGreaterThan(0);
  }, 120_000);

  it('a budget that stops one worker with work left ends the others too: inconclusive, never a pass', async () => {
    const program = compileFile('examples/graph/lastzero.mw', { N: 8 });
    for (const workers of [3, 4]) {
      const cut = await checkGraphParallel(program, { model: 'rc11', engine: 'graph', maxStates: 9 }, workers, poolOf(workers));
      expect({ verdict: cut.verdict, budget: cut.budgetExhausted }).toEqual({ verdict: 'inconclusive', budget: 'states' });
    }
  }, 120_000);
});
