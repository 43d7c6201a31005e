/**
 * End-to-end: .mw text → compileSource → check under the real machines. State counts are pinned
 * so that a change in exploration (or in the semantics' state encoding) is seen.
 */
import { describe, expect, it } from 'vitest';
import type { IrProgram } from '../../../model/ir.js';
import { check } from '../../../checker/check.js';
import { replay } from '../../../checker/replay.js';
import type { CheckOptions, CheckResult } from '../../../checker/api.js';
import { compileOrThrow } from '../../support/programs.js';

const compile = (text: string, defines: Record<string, number> = {}): IrProgram => compileOrThrow('t.mw', text, defines);

/** Every violation's token replays to the same trace and final state. */
function assertReplays(program: IrProgram, options: CheckOptions, r: CheckResult): void {
  for (const v of r.violations) {
    const rr = replay(program, options, v.replay);
    if (!rr.ok) throw new Error(rr.error);
    expect(rr.trace).toEqual(v.trace);
    expect(rr.finalState).toEqual(v.finalState);
    expect(rr.kind).toBe(v.kind);
    if (v.kind !== 'livelock') expect(rr.observed).toBe(v.kind);
  }
}

/** Reductions off: the counts pinned with it are those of the plain exploration (checker/symmetry.ts and por.ts change only counts, never answers: see reductions.test.ts). */
const UNREDUCED = { symmetry: false, por: false, deadRegisters: false } as const;

const SB = `
test SB
shared x = 0;
shared y = 0;
thread P0 { store.plain(x, 1); r0 = load.plain(y); }
thread P1 { store.plain(y, 1); r0 = load.plain(x); }
exists (P0:r0 = 0 /\\ P1:r0 = 0)
`;

const LOST_WAKEUP = `
test lost_wakeup
shared ready = 0;
shared cv = 0;
thread Waiter {
  r = load.sc(ready);
  if (r == 0) { w = wait(cv, 0); }
}
thread Notifier {
  store.sc(ready, 1);
  woken = notify(cv);
}
`;

const NO_LOCK = `
test nolock
shared counter = 0;
thread T[i in 0..2] {
  critical {
    c = load.sc(counter);
    store.sc(counter, c + 1);
  }
}
forall (counter = 2)
`;

const SPIN = `
test spin
shared go = 0;
shared done = 0;
thread A {
  r = load.sc(go);
  while (r == 0) { r = load.sc(go); }
}
thread B {
  store.sc(done, 1);
}
`;

describe('end to end: SB', () => {
  const p = compile(SB);
  it('sc: 3 outcomes, condition No, pass', () => {
    const r = check(p, { model: 'sc', ...UNREDUCED });
    expect(check(p, { model: 'sc' }).stats).toMatchObject({ statesStored: 12, por: 'on', symmetry: 'n/a' });
    expect(r.verdict).toBe('pass');
    expect(r.outcomes.map((o) => o.values)).toEqual([
      { 'P0:r0': 0, 'P1:r0': 1 },
      { 'P0:r0': 1, 'P1:r0': 0 },
      { 'P0:r0': 1, 'P1:r0': 1 },
    ]);
    expect(r.condition).toMatchObject({ kind: 'exists', validated: false, positive: 0, negative: 3, observation: 'Never' });
    expect(r.stats).toMatchObject({ statesStored: 13, transitions: 14, maxDepth: 4, finalStates: 3, livelockCheck: 'checked' });
  });
  it('tso: 4 outcomes, condition Ok', () => {
    const r = check(p, { model: 'tso', ...UNREDUCED });
    expect(check(p, { model: 'tso' }).stats.statesStored).toBe(23);
    expect(r.verdict).toBe('pass');
    expect(r.outcomes.length).toBe(4);
    expect(r.outcomes[0]).toEqual({ values: { 'P0:r0': 0, 'P1:r0': 0 }, satisfies: true, finalStates: 1 });
    expect(r.condition).toMatchObject({ validated: true, positive: 1, negative: 3, observation: 'Sometimes' });
    expect(r.stats).toMatchObject({ statesStored: 34, transitions: 58, maxDepth: 6, finalStates: 4 });
  });
  it('bfs and dfs agree on complete searches', () => {
    for (const model of ['sc', 'tso', 'pso'] as const) {
      const b = check(p, { model });
      const d = check(p, { model, strategy: 'dfs' });
      expect(d.outcomes).toEqual(b.outcomes);
      expect(d.stats.statesStored).toBe(b.stats.statesStored);
      expect(d.stats.transitions).toBe(b.stats.transitions);
    }
  });
  it('js on the stateful engine: plain accesses race, and only the SC outcomes are explored', () => {
    const r = check(p, { model: 'js', engine: 'state' });
    expect(r.violations.map((v) => v.kind)).toEqual(['race']);
    expect(r.outcomes.length).toBe(3);
    assertReplays(p, { model: 'js', engine: 'state' }, r);
  });
  it('js by default: the race sends SB to the js model itself, which allows both zeros (Watt et al., PLDI 2020)', () => {
    const r = check(p, { model: 'js' });
    expect(r.stats.jsRoute).toBe('racy');
    expect(r.stats.engine).toBe('graph');
    expect(r.violations.map((v) => v.kind)).toEqual(['race']);
    expect(r.outcomes.length).toBe(4);
    expect(r.condition?.validated).toBe(true);
  });
  it('budgets: maxStates makes tso inconclusive', () => {
    const r = check(p, { model: 'tso', maxStates: 5 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.budgetExhausted).toBe('states');
    expect(r.stats.statesStored).toBe(5);
  });
});

describe('end to end: violations', () => {
  it('lost wakeup: deadlock with the interleaving', () => {
    const p = compile(LOST_WAKEUP);
    for (const model of ['sc', 'tso'] as const) {
      const r = check(p, { model });
      expect(r.verdict).toBe('fail');
      expect(r.violations.map((v) => v.kind)).toEqual(['deadlock']);
      const v = r.violations[0]!;
      expect(v.message).toMatch(/^deadlock: /);
      expect(v.message).toMatch(/Waiter: blocked in wait on cv/);
      expect(v.message).toMatch(/Notifier: finished/);
      // the notify comes before the wait
      const texts = v.trace.map((s) => s.text);
      expect(texts.indexOf('woken = notify(cv)')).toBeLessThan(texts.indexOf('w = wait(cv, 0)'));
      expect(v.trace[v.trace.length - 1]!.threadName).toBe('Waiter');
      expect(r.stats.statesStored).toBe(10);
      expect(check(p, { model, ...UNREDUCED }).stats.statesStored).toBe(17);
      assertReplays(p, { model }, r);
    }
  });

  it('a critical region without a lock: mutex violation', () => {
    const p = compile(NO_LOCK);
    const r = check(p, { model: 'sc' });
    // the execution goes on past the violation (a region observes, it never cuts), so the lost
    // update is reached and the forall fails, as it does without the region
    expect(r.violations.map((v) => v.kind)).toEqual(['mutex', 'condition']);
    const m = r.violations[0]!;
    expect(m.message).toMatch(/^mutual exclusion violated in T\[1\]/);
    expect(m.trace.map((s) => s.threadName)).toEqual(['T[0]', 'T[1]']);
    expect(r.condition).toMatchObject({ kind: 'forall', validated: false });
    assertReplays(p, { model: 'sc' }, r);
  });

  it('assert failures and run-time errors', () => {
    const p = compile(`
test bad
shared x = 0;
thread P0 { r = load.sc(x); assert(r == 1, "x should be set"); }
thread P1 { store.sc(x, 1); }
thread P2 { s = load.sc(x); t = 10 / s; }
`);
    const r = check(p, { model: 'sc' });
    expect(r.violations.map((v) => v.kind)).toEqual(['assert', 'runtime']);
    expect(r.violations[0]!.message).toMatch(/^assertion failed in P0 at t\.mw:4: /);
    expect(r.violations[0]!.trace.length).toBe(2);
    expect(r.violations[1]!.trace.length).toBe(2);
    assertReplays(p, { model: 'sc' }, r);
  });

  it('livelock: a thread spinning on a flag nobody sets', () => {
    const p = compile(SPIN);
    const r = check(p, { model: 'sc' });
    expect(r.violations.map((v) => v.kind)).toEqual(['livelock']);
    expect(r.violations[0]!.message).toMatch(/^livelock: no continuation from here ever finishes: thread A spins forever/);
    // the livelocked state is the initial one (no steps lead there); then A's spin, with the cycle marked (issue 12)
    const trace = r.violations[0]!.trace;
    const at = trace.findIndex((s) => s.action === 'cycle');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(trace.filter((s) => s.action !== 'cycle').every((s) => s.threadName === 'A' && s.action === 'instr')).toBe(true);
    expect(trace.length).toBeGreaterThan(at + 1);
    assertReplays(p, { model: 'sc' }, r);
    // when the flag is set, the spin ends: no livelock
    const fixed = compile(SPIN.replace('store.sc(done, 1);', 'store.sc(go, 1);'));
    expect(check(fixed, { model: 'sc' }).violations).toEqual([]);
  });

  it('replay rejects a token for another program or with a bad index', () => {
    const p = compile(LOST_WAKEUP);
    const r = check(p, { model: 'sc' });
    const token = r.violations[0]!.replay;
    const other = replay(compile(SB), { model: 'sc' }, token);
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.error).toMatch(/different program/);
    const garbage = replay(p, { model: 'sc' }, 'mw1.sc.%%%');
    expect(garbage.ok).toBe(false);
  });
});

describe('end to end: pinned state counts', () => {
  const peterson = `
test peterson
param K = 1;
shared flag[2];
shared turn = 0;
shared counter = 0;
thread T[i in 0..2] {
  for k in 0..K {
    store.plain(flag[i], 1);
    store.plain(turn, 1 - i);
    await (load.plain(flag[1 - i]) == 0 || load.plain(turn) == i);
    critical {
      c = load.plain(counter);
      store.plain(counter, c + 1);
    }
    store.plain(flag[i], 0);
  }
}
forall (counter = 2)
`;
  it('peterson: passes under sc, mutex violation under tso', () => {
    const p = compile(peterson);
    const sc = check(p, { model: 'sc' });
    expect(sc.verdict).toBe('pass');
    expect(sc.stats.statesStored).toBe(88);
    expect(check(p, { model: 'sc', ...UNREDUCED }).stats.statesStored).toBe(714);
    // critical regions no longer cut executions (issue 12): the states past each mutex violation are explored
    const tso = check(p, { model: 'tso' });
    expect(tso.violations.map((v) => v.kind)).toEqual(['mutex', 'condition']);
    expect(tso.stats.statesStored).toBe(1241);
    assertReplays(p, { model: 'tso' }, tso);
    const full = check(p, { model: 'tso', ...UNREDUCED });
    expect(full.violations.map((v) => v.kind)).toEqual(['mutex', 'condition']);
    expect(full.stats.statesStored).toBe(8418);
    assertReplays(p, { model: 'tso', ...UNREDUCED }, full);
  });
});

describe('run-time errors carry their catalogued code (R601, R602) from both engines', () => {
  const OOB = `
test oob
shared a[2] = {0, 0};
thread T0 { i = 1; j = load.sc(a[i]); store.sc(a[i + j + 1], 1); }
`;
  const DIV = `
test div
shared x = 0;
thread T0 { r = load.sc(x); s = 7 / r; store.sc(x, s); }
`;
  const DIV_INDEX = `
test div_index
shared a[2] = {0, 0};
thread T0 { r = load.sc(a[0]); store.sc(a[1 / r], 1); }
`;
  const cases = [
    { text: OOB, code: 'R601', message: /index 2 out of bounds for a\[2\]/ },
    { text: DIV, code: 'R602', message: /: division by zero$/ },
    { text: DIV_INDEX, code: 'R602', message: /division by zero in an array index/ },
  ] as const;
  for (const { text, code, message } of cases) {
    for (const options of [{ model: 'sc' }, { model: 'tso' }, { model: 'sc', engine: 'graph' }, { model: 'rc11' }] as const) {
      it(`${code} ${message.source} under ${options.model}${'engine' in options ? ' (graph)' : ''}`, () => {
        const r = check(compile(text), options);
        expect(r.violations.map((v) => [v.kind, v.code])).toEqual([['runtime', code]]);
        expect(r.violations[0]?.message).toMatch(message);
      });
    }
  }
  it('other violations carry no code', () => {
    const r = check(compile('test a\nshared x = 0;\nthread T0 { r = load.sc(x); assert(r == 1); }\n'), { model: 'sc' });
    expect(r.violations.map((v) => [v.kind, v.code])).toEqual([['assert', undefined]]);
  });
});
