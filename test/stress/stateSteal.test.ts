/**
 * Work stealing in the parallel stateful search (checker/parallelSearch.ts over
 * checker/stealProtocol.ts) under more threads than cores: 3 and 4 workers on 2 cores search lock
 * designs and broken designs again and again, under dfs and bfs with partial-order reduction off,
 * and every run's answer is the sequential one (verdict, outcomes, violation kinds, stored state,
 * transition and final-state counts; under bfs the counterexamples are as short), with states
 * changing threads. A states budget, a memory budget, a time limit and an interrupt that stop
 * some worker leave the run inconclusive and end every worker (the pool answers the next check; no
 * worker is left at the end). Bounded by work (small spaces, fixed repetitions); the pools are
 * closed in afterAll.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../checker/check.js';
import type { CheckOptions, CheckResult } from '../../checker/api.js';
import { checkParallel } from '../../cli/parallelCheck.js';
import { compileFile, compileOrThrow } from '../support/programs.js';
import { ENDLESS } from '../support/incompletePrograms.js';
import { poolsForFile } from '../support/pools.js';

const { poolOf, closePools } = poolsForFile();
afterAll(closePools);

const answer = (r: CheckResult, strategy: 'bfs' | 'dfs'): unknown => ({
  verdict: r.verdict,
  budget: r.budgetExhausted,
  states: r.stats.statesStored,
  transitions: r.stats.transitions,
  finalStates: r.stats.finalStates,
  outcomes: r.outcomes.map((o) => ({ values: { ...o.values }, finalStates: o.finalStates })),
  kinds: r.violations.map((v) => v.kind).sort(),
  ...(strategy === 'bfs' ? { lengths: Object.fromEntries(r.violations.filter((v) => v.kind !== 'livelock').map((v) => [v.kind, v.trace.length])) } : {}),
});

describe('the stateful search stealing work on more threads than cores', () => {
  it.each([
    ['examples/locks/ticket.mw', { N: 3, K: 2 }, 'sc'],
    ['examples/locks/bakery.mw', { N: 2, K: 1 }, 'tso'],
    ['examples/broken/tas_plain_unlock.mw', {}, 'tso'],
    ['examples/broken/two_flag_deadlock.mw', {}, 'sc'],
  ] as const)('%s %o under %s: every run of 3 and 4 workers answers as one thread, states changing threads', async (file, defines, model) => {
    const program = compileFile(file, defines);
    let steals = 0;
    for (const strategy of ['dfs', 'bfs'] as const) {
      const options: CheckOptions = { model, strategy, por: false };
      const want = answer(check(program, options), strategy);
      for (const workers of [3, 4]) {
        for (let i = 0; i < 4; i++) {
          const r = await checkParallel(program, options, workers, poolOf(workers));
          expect(answer(r, strategy), `--${strategy}, ${workers} workers, run ${i}`).toEqual(want);
          steals += r.stats.stateSteals ?? 0;
        }
      }
    }
    expect(steals).toBeGreaterThan(0);
  }, 120_000);

  it('a states budget, a memory budget, a time limit or an interrupt that stops some worker ends every worker: inconclusive, never a pass', async () => {
    const program = compileFile('examples/locks/ticket.mw', { N: 4, K: 2 });
    const endless = compileOrThrow('endless.mw', ENDLESS);
    for (const workers of [3, 4]) {
      const p = poolOf(workers);
      for (const strategy of ['dfs', 'bfs'] as const) {
        const states = await checkParallel(program, { model: 'sc', strategy, maxStates: 400 }, workers, p);
        expect({ verdict: states.verdict, budget: states.budgetExhausted }).toEqual({ verdict: 'inconclusive', budget: 'states' });
        const memory = await checkParallel(program, { model: 'sc', strategy, por: false, maxMemoryBytes: 256 * 1024 }, workers, p);
        expect({ verdict: memory.verdict, budget: memory.budgetExhausted }).toEqual({ verdict: 'inconclusive', budget: 'memory' });
        const time = await checkParallel(endless, { model: 'sc', strategy, timeLimitMs: 100, maxMemoryBytes: 128 * 1024 * 1024 }, workers, p);
        expect({ verdict: time.verdict, budget: time.budgetExhausted }).toEqual({ verdict: 'inconclusive', budget: 'time' });
        // an interrupt (the signal aborted while the workers run: the endless search cannot end before it)
        const stop = new AbortController();
        const timer = setTimeout(() => stop.abort(), 50);
        const interrupted = await checkParallel(endless, { model: 'sc', strategy, maxMemoryBytes: 128 * 1024 * 1024, signal: stop.signal }, workers, p);
        clearTimeout(timer);
        expect({ verdict: interrupted.verdict, budget: interrupted.budgetExhausted, violations: interrupted.violations }).toEqual({ verdict: 'inconclusive', budget: 'interrupted', violations: [] });
      }
      // every worker ended its stopped jobs: the pool answers a full check after them
      const full = await checkParallel(program, { model: 'sc', por: false }, workers, p);
      expect(full.stats.statesStored).toBe(check(program, { model: 'sc', por: false }).stats.statesStored);
    }
  }, 120_000);
});
