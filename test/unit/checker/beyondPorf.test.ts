/**
 * The executions the graph explorer does not build, enumerated by checker/beyondPorf.ts (po ∪ rf
 * cycles, RMWs racing with plain writes), as `check --model js --engine graph` answers with them:
 * pinned counts, a violation only such an execution shows (and its replay), the documented
 * exclusion of values out of thin air, and budgets that leave the answer inconclusive, never a
 * pass. The sum with the explorer's executions is held to the brute-force oracle in jsOracle.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { replayGraph } from '../../../checker/graphCheck.js';
import { exploreBeyondPorfSliced, prepareBeyondPorf } from '../../../checker/beyondPorf.js';
import { runToEnd } from '../../../checker/sliced.js';
import { GRAPH_MODELS } from '../../../model/memory/graph/index.js';
import { compileOrThrow } from '../../support/programs.js';

const LB = `test LB "load buffering"
shared x = 0;
shared y = 0;
thread P0 {
  r0 = load.plain(x);
  store.plain(y, 1);
}
thread P1 {
  r0 = load.plain(y);
  store.plain(x, 1);
}
exists (P0:r0=1 /\\ P1:r0=1)
`;

// P0's assertion fails only when both reads see the other's later write
const LB_ASSERT = `test LBassert "an assertion only a po ∪ rf cycle breaks"
shared x = 0;
shared y = 0;
shared z = 0;
thread P0 {
  r0 = load.plain(x);
  store.plain(y, 1);
  r1 = load.sc(z);
  assert (r0 == 0 || r1 == 0);
}
thread P1 {
  r0 = load.plain(y);
  store.sc(z, r0);
  store.plain(x, 1);
}
`;

// LB with data dependencies: the axioms allow any value out of thin air (examples/js/VERDICTS.md)
const THIN_AIR = `test OOTA "values out of thin air"
shared x = 0;
shared y = 0;
thread P0 {
  r0 = load.plain(x);
  store.plain(y, r0);
}
thread P1 {
  r0 = load.plain(y);
  store.plain(x, r0);
}
exists (P0:r0=42 /\\ P1:r0=42)
`;

// three threads in a ring of load buffering, two values each: enough candidates for a pause
const THREE = `test LB3 "three-thread load buffering"
shared x = 0;
shared y = 0;
shared z = 0;
thread P0 {
  r0 = load.plain(x);
  store.plain(y, 1);
  store.plain(y, 2);
  r1 = load.plain(z);
}
thread P1 {
  r0 = load.plain(y);
  store.plain(z, 1);
  store.plain(z, 2);
  r1 = load.plain(x);
}
thread P2 {
  r0 = load.plain(z);
  store.plain(x, 1);
  store.plain(x, 2);
  r1 = load.plain(y);
}
`;

const js = (src: string, extra: { readonly maxStates?: number } = {}) => check(compileOrThrow('t.mw', src), { model: 'js', engine: 'graph', ...extra });

describe('executions beyond po ∪ rf under js', () => {
  it('LB with plain accesses: four executions, the weak one enumerated, the condition decided', () => {
    const r = js(LB);
    expect(r.budgetExhausted).toBeNull();
    expect(r.stats.executions).toBe(4);
    expect(r.stats.beyondPorf?.executions).toBe(1);
    expect(r.condition?.validated).toBe(true);
    expect(r.outcomes.map((o) => `${o.values['P0:r0']}${o.values['P1:r0']}`).sort()).toEqual(['00', '01', '10', '11']);
  });

  it('the same program under sc has no such execution (the explorer alone, nothing enumerated)', () => {
    const r = check(compileOrThrow('t.mw', LB), { model: 'sc', engine: 'graph' });
    expect(r.stats.executions).toBe(3);
    expect(r.stats.beyondPorf).toBeUndefined();
    expect(r.condition?.validated).toBe(false);
  });

  it('a violation only a cyclic execution shows fails the check, says why its trace is no interleaving, and replays', () => {
    const r = js(LB_ASSERT);
    expect(r.verdict).toBe('fail');
    const v = r.violations.find((x) => x.kind === 'assert');
    expect(v?.message).toMatch(/po ∪ rf has a cycle/);
    const replay = replayGraph(compileOrThrow('t.mw', LB_ASSERT), v?.replay ?? '');
    expect(replay.ok && replay.replay.observed).toBe('assert');
    expect(replay.ok && replay.replay.finalState['P0:r0']).toBe(1);
  });

  it('a tampered value in a cyclic token is refused, not replayed as another execution', () => {
    const v = js(LB_ASSERT).violations.find((x) => x.kind === 'assert');
    const token = v?.replay ?? '';
    const p = compileOrThrow('t.mw', LB_ASSERT);
    // the same token with its last value changed (2 → 4: the value 1 → 2, which no write wrote)
    const [head, model, data] = token.split('.');
    const bytes = Buffer.from(data ?? '', 'base64url');
    bytes[bytes.length - 1] = 4;
    const bad = replayGraph(p, `${head}.${model}.${bytes.toString('base64url')}`);
    expect(bad.ok).toBe(false);
  });

  it('values out of thin air are not built: only 0, which the initial values give (documented in docs/js-memory-model.md)', () => {
    const r = js(THIN_AIR);
    expect(r.budgetExhausted).toBeNull();
    expect(new Set(r.outcomes.map((o) => o.values['P0:r0']))).toEqual(new Set([0]));
    // both reads may read the other's write of 0: one execution with a cycle among the four
    expect(r.stats.executions).toBe(4);
    expect(r.stats.beyondPorf?.executions).toBe(1);
    expect(r.condition?.validated).toBe(false);
  });

  it('an enumeration cut by the state budget leaves the answer inconclusive, saying so', () => {
    const r = js(LB, { maxStates: 1 });
    expect(r.verdict).not.toBe('pass');
    expect(r.budgetExhausted === 'states' || r.budgetExhausted === 'unexplored').toBe(true);
  });

  it('a program with more candidates than the budget is refused before any is judged, saying so', () => {
    const p = compileOrThrow('t.mw', LB);
    const model = GRAPH_MODELS.get('js');
    if (model === undefined) throw new Error('no js graph model');
    const plan = prepareBeyondPorf(p, model, 32);
    if (plan.kind !== 'ready') throw new Error(plan.why);
    const whole = runToEnd(exploreBeyondPorfSliced(p, plan, { model, unroll: 32 }));
    expect(whole.kind).toBe('complete');
    if (whole.kind === 'refused') return;
    expect(whole.candidates).toBeGreaterThan(2);
    const small = runToEnd(exploreBeyondPorfSliced(p, plan, { model, unroll: 32, maxCandidates: 2 }));
    expect(small.kind === 'refused' && small.why).toMatch(/more than 2 candidate executions/);
    // through check: 8 × --max-states is the budget, and the answer is inconclusive, with the reason
    const r = js(LB_ASSERT.replace('assert (r0 == 0 || r1 == 0);', ''), { maxStates: 1 });
    expect(r.verdict).not.toBe('pass');
  });

  it('an enumeration stopped by the caller is interrupted, never a pass', () => {
    const p = compileOrThrow('t.mw', THREE);
    const model = GRAPH_MODELS.get('js');
    if (model === undefined) throw new Error('no js graph model');
    const plan = prepareBeyondPorf(p, model, 32);
    if (plan.kind !== 'ready') throw new Error(plan.why);
    const gen = exploreBeyondPorfSliced(p, plan, { model, unroll: 32 });
    let step = gen.next(false);
    let pauses = 0;
    while (step.done !== true) {
      pauses++;
      step = gen.next(true);
    }
    expect(pauses).toBe(1);
    expect(step.value.kind === 'cut' && step.value.budget).toBe('interrupted');
  });

  it('a program the enumeration does not take (wait/notify) stays inconclusive, with the reason', () => {
    const src = `test LBwait "load buffering beside a notify"
shared x = 0;
shared y = 0;
thread P0 {
  r0 = load.plain(x);
  store.plain(y, 1);
  r1 = notify(x, 1);
}
thread P1 {
  r0 = load.plain(y);
  store.plain(x, 1);
}
`;
    const r = js(src);
    expect(r.verdict).not.toBe('pass');
    expect(r.budgetExhausted).toBe('unexplored');
    expect(r.stats.unexplored).toMatch(/does not enumerate such executions here \(the program uses wait\/notify\)/);
  });
});
