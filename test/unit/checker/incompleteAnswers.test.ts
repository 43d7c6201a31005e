/**
 * What a check answers when part of it could not be done, and what a critical region changes:
 * a critical region observes (a mutual-exclusion violation is reported, the execution goes on,
 * the reachable outcomes are those without the region); executions cut by an assert are counted;
 * a skipped livelock check or a store buffer at the default bound is inconclusive, never a pass.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { replay } from '../../../checker/replay.js';
import { compileOrThrow } from '../../support/programs.js';
import { DEEP_SB, SPIN } from '../../support/incompletePrograms.js';

const body = (region: boolean): string => `test crit
shared counter = 0;
thread T[i in 0..2] {
  ${region ? 'critical {' : ''}
    c = load.sc(counter);
    store.sc(counter, c + 1);
  ${region ? '}' : ''}
}
forall (counter = 2)
`;

describe('a critical region does not change what is reachable', () => {
  for (const model of ['sc', 'tso', 'pso', 'js'] as const) {
    it(`${model}: the same outcomes and condition with and without the region; the violation is reported`, () => {
      const plain = check(compileOrThrow('plain.mw', body(false)), { model });
      const withRegion = check(compileOrThrow('crit.mw', body(true)), { model });
      expect(plain.outcomes.map((o) => o.values)).toEqual([{ counter: 1 }, { counter: 2 }]);
      expect(withRegion.outcomes.map((o) => o.values)).toEqual(plain.outcomes.map((o) => o.values));
      expect(withRegion.condition?.validated).toBe(false);
      expect(withRegion.verdict).toBe('fail');
      expect(withRegion.violations.map((v) => v.kind).sort()).toEqual(['condition', 'mutex']);
      expect(withRegion.stats.cutExecutions).toBe(0);
    });
  }

  it('the condition counterexample passes through the mutex violation and replays', () => {
    const p = compileOrThrow('crit.mw', body(true));
    const r = check(p, { model: 'sc' });
    const cond = r.violations.find((v) => v.kind === 'condition');
    expect(cond).toBeDefined();
    const rep = replay(p, { model: 'sc' }, cond!.replay);
    expect(rep.ok).toBe(true);
    if (rep.ok) {
      expect(rep.observed).toBe('condition');
      expect(rep.finalState['counter']).toBe(1);
    }
  });

  it('executions cut by a failed assert are counted', () => {
    const p = compileOrThrow('a.mw', `test a
shared x = 0;
thread P0 { store.sc(x, 1); }
thread P1 { r = load.sc(x); assert(r == 0); }
`);
    const r = check(p, { model: 'sc', por: false });
    expect(r.violations.map((v) => v.kind)).toEqual(['assert']);
    expect(r.outcomes.length).toBe(1);
    expect(r.stats.cutExecutions).toBe(1);
  });
});

describe('a part not checked makes the answer inconclusive', () => {
  it('the default buffer bound reached: inconclusive; the same bound asked for explicitly: answered', () => {
    const p = compileOrThrow('deep.mw', DEEP_SB);
    const byDefault = check(p, { model: 'tso' });
    expect(byDefault.stats.bufferBoundHit).toBe(true);
    expect(byDefault.verdict).toBe('inconclusive');
    expect(byDefault.budgetExhausted).toBe('buffer-bound');
    const explicit = check(p, { model: 'tso', bufferBound: 4 });
    expect(explicit.verdict).toBe('pass');
    expect(explicit.budgetExhausted).toBeNull();
    const bigger = check(p, { model: 'tso', bufferBound: 5 });
    expect(bigger.verdict).toBe('fail');
    expect(bigger.violations.map((v) => v.kind)).toEqual(['condition']);
  });

  it('a livelock check skipped for memory is inconclusive; with room it finds the livelock', () => {
    const p = compileOrThrow('spin.mw', SPIN);
    const tight = check(p, { model: 'sc', maxMemoryBytes: Math.floor(0.3 * 1024 * 1024) });
    expect(tight.stats.livelockCheck).toBe('skipped-memory');
    expect(tight.verdict).toBe('inconclusive');
    expect(tight.budgetExhausted).toBe('livelock-memory');
    const roomy = check(p, { model: 'sc' });
    expect(roomy.violations.map((v) => v.kind)).toEqual(['livelock']);
  });
});

describe('a loop that reaches --unroll on the graph engine', () => {
  it('leaves the condition undecided: budgetExhausted "unroll", inconclusive, never Ok/No from partial counts', () => {
    const p = compileOrThrow('u.mw', 'test u\nshared x = 0;\nthread T { k = 0; while (k < 100) { k = k + 1; store.sc(x, k); } }\nexists (x = 100)\n');
    const r = check(p, { model: 'rc11', unroll: 8 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.budgetExhausted).toBe('unroll');
    expect(r.stats.unrollHit).toBe(8);
    // with room for every iteration the same program is decided
    const full = check(p, { model: 'rc11', unroll: 128 });
    expect(full.budgetExhausted).toBeNull();
    expect(full.condition?.validated).toBe(true);
  });
});
