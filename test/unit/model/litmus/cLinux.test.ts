/**
 * What the Linux-kernel macros and the compare-exchange through a pointer mean once imported:
 * each mapping is checked by a pair of programs, one that the mapping must forbid and a twin
 * without the macro (or with a weaker one) that the model allows, so a mapping that lost its
 * ordering or its atomicity fails here. Models: sc and tso (stateful engine), rc11 (graph engine).
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../../../checker/check.js';
import type { ModelName } from '../../../../checker/api.js';
import { compileOrThrow } from '../../../support/programs.js';

/** herd's Observation word, positive and negative counts, of `text` under `model`. */
function observe(text: string, model: ModelName): string {
  const r = check(compileOrThrow('t.litmus', text), { model });
  expect(r.verdict, `${model}: ${r.verdict}`).not.toBe('inconclusive');
  const c = r.condition;
  return c === null ? 'no condition' : `${c.observation} ${c.positive} ${c.negative}`;
}
/** Observation words under sc, tso and rc11. */
function words(text: string): string[] {
  return (['sc', 'tso', 'rc11'] as const).map((m) => `${m}: ${observe(text, m).split(' ')[0] ?? ''}`);
}

const counter = (lock: boolean): string => `C counter
{}
P0(spinlock_t *l, int *c) {
  ${lock ? 'spin_lock(l);' : ''}
  int r0 = READ_ONCE(*c);
  WRITE_ONCE(*c, r0 + 1);
  ${lock ? 'spin_unlock(l);' : ''}
}
P1(spinlock_t *l, int *c) {
  ${lock ? 'spin_lock(l);' : ''}
  int r0 = READ_ONCE(*c);
  WRITE_ONCE(*c, r0 + 1);
  ${lock ? 'spin_unlock(l);' : ''}
}
exists (c=1)
`;

describe('spinlocks', () => {
  it('spin_lock/spin_unlock exclude each other: no lost update; without them, one is lost', () => {
    expect(words(counter(true))).toEqual(['sc: Never', 'tso: Never', 'rc11: Never']);
    expect(words(counter(false))).toEqual(['sc: Sometimes', 'tso: Sometimes', 'rc11: Sometimes']);
  });

  it('herd counts an execution per lock order, and so does the graph engine (failed attempts block as spins)', () => {
    // two critical sections, two orders: herd7 counts 2 executions for such a test
    expect(observe(counter(true), 'rc11')).toBe('Never 0 2');
  });

  it('a lock taken twice by one thread is a livelock (herd would drop the execution instead)', () => {
    const t = 'C self\n{}\nP0(spinlock_t *l) { spin_lock(l); spin_lock(l); }\nexists (l=1)\n';
    for (const model of ['sc', 'tso', 'rc11'] as const) {
      const r = check(compileOrThrow('t.litmus', t), { model });
      expect(r.verdict, model).toBe('fail');
      expect(r.violations.map((v) => v.kind), model).toEqual(['livelock']);
    }
  });

  it('spin_trylock succeeds for one thread at most, and reports it', () => {
    const t = `C trylock
{}
P0(spinlock_t *l) { int r0 = spin_trylock(l); }
P1(spinlock_t *l) { int r0 = spin_trylock(l); }
exists (0:r0=1 /\\ 1:r0=1)
`;
    expect(words(t)).toEqual(['sc: Never', 'tso: Never', 'rc11: Never']);
    expect(words(t.replace('exists (0:r0=1 /\\ 1:r0=1)', 'exists (0:r0=0 /\\ 1:r0=0)'))).toEqual(['sc: Never', 'tso: Never', 'rc11: Never']);
    expect(words(t.replace('exists (0:r0=1 /\\ 1:r0=1)', 'exists (0:r0=1 /\\ 1:r0=0)'))).toEqual(['sc: Sometimes', 'tso: Sometimes', 'rc11: Sometimes']);
  });

  it('spin_is_locked sees the lock held inside the critical section only', () => {
    const t = `C is-locked
{}
P0(spinlock_t *l) { int r1 = spin_is_locked(l); spin_lock(l); int r2 = spin_is_locked(l); spin_unlock(l); int r3 = spin_is_locked(l); }
forall (0:r1=0 /\\ 0:r2=1 /\\ 0:r3=0)
`;
    expect(words(t)).toEqual(['sc: Always', 'tso: Always', 'rc11: Always']);
  });
});

describe('barriers', () => {
  const mp = (w: string, r: string): string => `C MP
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); ${w} WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r1 = READ_ONCE(*y); ${r} int r2 = READ_ONCE(*x); }
exists (1:r1=1 /\\ 1:r2=0)
`;
  it('smp_wmb + smp_rmb (release + acquire fences) forbid MP under rc11; either alone does not', () => {
    expect(observe(mp('smp_wmb();', 'smp_rmb();'), 'rc11')).toMatch(/^Never/);
    expect(observe(mp('smp_wmb();', ''), 'rc11')).toMatch(/^Sometimes/);
    expect(observe(mp('', 'smp_rmb();'), 'rc11')).toMatch(/^Sometimes/);
  });

  const sb = (op0: string, op1: string): string => `C SB
{}
P0(int *x, int *y) { int r9 = ${op0}; int r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r9 = ${op1}; int r0 = READ_ONCE(*x); }
exists (0:r0=0 /\\ 1:r0=0)
`;
  it('a fully ordered RMW is a full barrier (SB forbidden under rc11); its _relaxed form is not', () => {
    expect(observe(sb('xchg(x, 1)', 'xchg(y, 1)'), 'rc11')).toMatch(/^Never/);
    expect(observe(sb('atomic_add_return(1, x)', 'atomic_inc_return(y)'), 'rc11')).toMatch(/^Never/);
    expect(observe(sb('xchg_relaxed(x, 1)', 'xchg_relaxed(y, 1)'), 'rc11')).toMatch(/^Sometimes/);
    expect(observe(sb('atomic_fetch_add_release(1, x)', 'atomic_fetch_add_acquire(1, y)'), 'rc11')).toMatch(/^Sometimes/);
    // under tso every RMW is a locked instruction, a full barrier already
    expect(observe(sb('xchg_relaxed(x, 1)', 'xchg_relaxed(y, 1)'), 'tso')).toMatch(/^Never/);
  });
});

describe('atomic_t operations', () => {
  it('_return gives the new value, fetch_ the old one', () => {
    const t = `C ret
{ atomic_t v = 5; }
P0(atomic_t *v) { int r0 = atomic_add_return(2, v); int r1 = atomic_fetch_sub(3, v); int r2 = atomic_dec_return(v); int r3 = atomic_read(v); }
forall (0:r0=7 /\\ 0:r1=7 /\\ 0:r2=3 /\\ 0:r3=3 /\\ v=3)
`;
    expect(words(t)).toEqual(['sc: Always', 'tso: Always', 'rc11: Always']);
  });

  it('atomic_add_unless adds unless the value is u, and says whether it added (herd C17 shape)', () => {
    const t = `C add-unless
{}
P0(atomic_t *x) { int r0 = atomic_add_unless(x, 10, 0); int r1 = atomic_add_unless(x, 10, 10); int r2 = atomic_inc_not_zero(x); }
forall (0:r0=0 /\\ 0:r1=1 /\\ 0:r2=1 /\\ x=11)
`;
    expect(words(t)).toEqual(['sc: Always', 'tso: Always', 'rc11: Always']);
  });

  it('two racing atomic_add_unless(x, 1, 1) from 0: exactly one adds', () => {
    const t = (cond: string): string => `C add-unless-race
{}
P0(atomic_t *x) { int r0 = atomic_add_unless(x, 1, 1); }
P1(atomic_t *x) { int r0 = atomic_add_unless(x, 1, 1); }
${cond}
`;
    expect(words(t('exists (0:r0=1 /\\ 1:r0=1)'))).toEqual(['sc: Never', 'tso: Never', 'rc11: Never']);
    expect(words(t('exists (0:r0=0 /\\ 1:r0=0)'))).toEqual(['sc: Never', 'tso: Never', 'rc11: Never']);
    expect(words(t('forall (x=1)'))).toEqual(['sc: Always', 'tso: Always', 'rc11: Always']);
  });
});

describe('compare-exchange through a pointer (herd C16 shape)', () => {
  const c16 = `C cas-ptr
{}
P0(atomic_int *y) { atomic_store_explicit(y, 1, memory_order_relaxed); }
P1(atomic_int *y, int *z) { atomic_compare_exchange_strong(y, z, 2); }
exists (z=1)
`;
  it('the failed read is written back to *z', () => {
    expect(words(c16)).toEqual(['sc: Sometimes', 'tso: Sometimes', 'rc11: Sometimes']);
    expect(words(c16.replace('exists (z=1)', 'exists (z=1 /\\ y=2)'))).toEqual(['sc: Never', 'tso: Never', 'rc11: Never']);
  });
  it('the expected value is read from *z', () => {
    const t = `C cas-ptr2
{ z = 1; }
P0(atomic_int *y, int *z) { int b = atomic_compare_exchange_strong(y, z, 2); }
forall (0:b=0 /\\ z=0 /\\ y=0)
`;
    expect(words(t)).toEqual(['sc: Always', 'tso: Always', 'rc11: Always']);
  });
});
