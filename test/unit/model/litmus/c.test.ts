/** The C dialect: thread functions, the atomics mapping, control flow, and diagnostics. */
import { describe, expect, it } from 'vitest';
import { parse, threads, where } from './helpers.js';

/** A one-thread C test with the given body. */
function one(body: string, params = 'atomic_int* x, int *y'): string {
  return `C T\n{}\nP0(${params}) {\n${body}\n}\nexists (x=1)\n`;
}
function p0(body: string): string[] {
  const r = parse(one(body));
  expect(where(r.diagnostics.filter((d) => d.code !== 'H412'))).toEqual([]);
  return threads(r.program)['P0'] ?? [];
}
/** Diagnostics of a one-thread test; the body starts on line 4. */
function h(body: string): string[] {
  return where(parse(one(body)).diagnostics);
}

describe('C atomics', () => {
  it('memory orders map to modes', () => {
    expect(
      p0(`int a = atomic_load_explicit(x, memory_order_relaxed);
int b = atomic_load_explicit(x, memory_order_consume);
int c = atomic_load_explicit(x, memory_order_acquire);
int d = atomic_load_explicit(x, memory_order_seq_cst);
int e = atomic_load(x);
atomic_store_explicit(x, 1, memory_order_relaxed);
atomic_store_explicit(x, 2, memory_order_release);
atomic_store_explicit(x, 3, memory_order_seq_cst);
atomic_store(x, a + 1);`),
    ).toEqual(['a = load.rlx(x)', 'b = load.acq(x)', 'c = load.acq(x)', 'd = load.sc(x)', 'e = load.sc(x)', 'store.rlx(x, 1)', 'store.rel(x, 2)', 'store.sc(x, 3)', 'store.sc(x, (a + 1))']);
  });

  it('read-modify-writes, as statements and as right-hand sides', () => {
    expect(
      p0(`int r = atomic_exchange_explicit(x, 5, memory_order_acq_rel);
atomic_exchange(x, 6);
r = atomic_fetch_add_explicit(x, 1, memory_order_release);
atomic_fetch_sub_explicit(x, 1, memory_order_acquire);
atomic_fetch_or(x, 2);
atomic_fetch_and_explicit(x, 3, memory_order_relaxed);
atomic_fetch_xor_explicit(x, r, memory_order_consume);`),
    ).toEqual(['r = exchange.acq_rel(x, 5)', 'exchange.sc(x, 6)', 'r = fetch_add.rel(x, 1)', 'fetch_sub.acq(x, 1)', 'fetch_or.sc(x, 2)', 'fetch_and.rlx(x, 3)', 'fetch_xor.acq(x, r)']);
  });

  it('compare-exchange updates the expected register, as C does', () => {
    expect(p0('int e = 1;\natomic_compare_exchange_weak_explicit(x, &e, 2, memory_order_release, memory_order_relaxed);')).toEqual(['e = 1', 'e = cmpxchg.rel(x, e, 2)']);
    expect(p0('int e = 0;\nint ok2;\nok2 = atomic_compare_exchange_strong(x, &e, 1);')).toEqual(['e = 0', '__cas_e = cmpxchg.sc(x, e, 1)', 'ok2 = (__cas_e == e)', 'e = __cas_e']);
  });

  it('fences: seq_cst, acquire, release, acq_rel; relaxed is a no-op', () => {
    expect(
      p0(`atomic_thread_fence(memory_order_seq_cst);
atomic_thread_fence(memory_order_acquire);
atomic_thread_fence(memory_order_consume);
atomic_thread_fence(memory_order_release);
atomic_thread_fence(memory_order_acq_rel);
atomic_thread_fence(memory_order_relaxed);`),
    ).toEqual(['fence.sc()', 'fence.acq()', 'fence.acq()', 'fence.rel()', 'fence.acq_rel()', 'skip']);
  });

  it('plain accesses through pointer parameters', () => {
    expect(p0('*y = 1;\nint r0 = *y;\n*(y) = r0 + *x;\nr0 = (*y);')).toEqual(['store.plain(y, 1)', 'r0 = load.plain(y)', 'store.plain(y, (r0 + load.plain(x)))', 'r0 = load.plain(y)']);
  });

  it('Linux-kernel macros: accesses and barriers', () => {
    expect(
      p0(`int r0;
WRITE_ONCE(*y, 1);
smp_mb();
r0 = READ_ONCE(*x);
smp_store_release(x, 2);
r0 = smp_load_acquire(y);
smp_rmb();
smp_wmb();
smp_mb__before_atomic();
smp_mb__after_atomic();
smp_mb__after_spinlock();
atomic_set(x, 3);
r0 = atomic_read(x);
atomic_set_release(x, 4);
r0 = atomic_read_acquire(x);`),
    ).toEqual(['store.rlx(y, 1)', 'fence.sc()', 'r0 = load.rlx(x)', 'store.rel(x, 2)', 'r0 = load.acq(y)', 'fence.acq()', 'fence.rel()', 'fence.sc()', 'fence.sc()', 'fence.sc()', 'store.rlx(x, 3)', 'r0 = load.rlx(x)', 'store.rel(x, 4)', 'r0 = load.acq(x)']);
  });

  it('Linux-kernel RMWs: fully ordered between seq_cst fences, _relaxed/_acquire/_release as C11 modes', () => {
    expect(p0('int r0;\nr0 = xchg(x, 3);\nr0 = xchg_relaxed(x, 4);\ncmpxchg_acquire(y, r0, 2);\ncmpxchg(x, 0, 1);')).toEqual([
      'fence.sc()', 'r0 = exchange.sc(x, 3)', 'fence.sc()',
      'r0 = exchange.rlx(x, 4)',
      'cmpxchg.acq(y, r0, 2)',
      'fence.sc()', 'cmpxchg.sc(x, 0, 1)', 'fence.sc()',
    ]);
    expect(p0('int r0;\natomic_add(2, x);\natomic_sub(r0, x);\natomic_inc(x);\natomic_dec(x);\natomic_or(4, x);')).toEqual(['fetch_add.rlx(x, 2)', 'fetch_sub.rlx(x, r0)', 'fetch_add.rlx(x, 1)', 'fetch_sub.rlx(x, 1)', 'fetch_or.rlx(x, 4)']);
    expect(p0('int r0;\nr0 = atomic_add_return(2, x);\nr0 = atomic_dec_return_relaxed(x);\nr0 = atomic_sub_return_acquire(r0, x);')).toEqual([
      'fence.sc()', '__lk_old = fetch_add.sc(x, 2)', 'r0 = (__lk_old + 2)', 'fence.sc()',
      '__lk_old = fetch_sub.rlx(x, 1)', 'r0 = (__lk_old - 1)',
      '__lk_v = r0', '__lk_old = fetch_sub.acq(x, __lk_v)', 'r0 = (__lk_old - __lk_v)',
    ]);
    expect(p0('int r0;\nr0 = atomic_fetch_add(2, x);\nr0 = atomic_fetch_inc_release(x);\nr0 = atomic_xchg_acquire(x, 1);\nr0 = atomic_cmpxchg_relaxed(x, 1, 2);')).toEqual([
      'fence.sc()', 'r0 = fetch_add.sc(x, 2)', 'fence.sc()',
      'r0 = fetch_add.rel(x, 1)',
      'r0 = exchange.acq(x, 1)',
      'r0 = cmpxchg.rlx(x, 1, 2)',
    ]);
  });

  it("atomic_fetch_add(x, 1) is C11's (pointer first), atomic_fetch_add(1, x) Linux's", () => {
    expect(p0('int r0 = atomic_fetch_add(x, 1);')).toEqual(['r0 = fetch_add.sc(x, 1)']);
    expect(p0('int r0 = atomic_fetch_add(1, x);')).toEqual(['fence.sc()', 'r0 = fetch_add.sc(x, 1)', 'fence.sc()']);
    expect(where(parse(one('int r0 = atomic_fetch_add(x, 1);')).diagnostics)).toEqual([]);
    expect(where(parse(one('int r0 = atomic_fetch_add(1, x);')).diagnostics)).toEqual(['H412@4:10']);
  });

  it('spinlocks: an acquire compare-exchange loop, a release store, a relaxed read', () => {
    expect(p0('int r0;\nspin_lock(y);\nr0 = spin_is_locked(y);\nspin_unlock(y);\nr0 = spin_trylock(y);\nif (spin_is_locked(y)) *x = 1;')).toEqual([
      '__lk_lock = 1',
      'while (__lk_lock != 0) { __lk_lock = cmpxchg.acq(y, 0, 1) }',
      'r0 = (load.rlx(y) != 0)',
      'store.rel(y, 0)',
      '__lk_lock = cmpxchg.acq(y, 0, 1)',
      'r0 = (__lk_lock == 0)',
      'if (load.rlx(y) != 0) { store.plain(x, 1) }',
    ]);
  });

  it('atomic_add_unless: a compare-exchange loop, fully ordered when it adds', () => {
    expect(p0('int r0 = atomic_add_unless(x, 2, 5);')).toEqual([
      '__lk_old = load.rlx(x)',
      '__lk_ok = 0',
      'while ((__lk_old != 5) && (__lk_ok == 0)) { fence.sc(); __lk_seen = cmpxchg.sc(x, __lk_old, (__lk_old + 2)); if (__lk_seen == __lk_old) { __lk_ok = 1; fence.sc() } else { __lk_old = __lk_seen } }',
      'r0 = __lk_ok',
    ]);
  });

  it('H412: once per test, at the first Linux-kernel macro, whichever thread it is in', () => {
    const r = parse('C T\n{}\nP0(int *x) { *x = 1; }\nP1(int *x, int *y) {\n  int r0 = *y;\n  smp_rmb();\n  r0 = READ_ONCE(*x);\n}\nexists (1:r0=0)\n');
    expect(where(r.diagnostics)).toEqual(['H412@6:3']);
    const d = r.diagnostics[0];
    expect(d?.severity).toBe('warning');
    expect(d?.message).toContain('smp_rmb');
    expect(d?.message).toContain('not under the Linux-kernel memory model');
    expect(where(parse(one('atomic_store(x, 1);\nint r = atomic_load_explicit(x, memory_order_acquire);')).diagnostics)).toEqual([]);
  });
});

describe('compare-exchange with the expected value in a shared location', () => {
  it('reads *y, and writes the value it found back to *y when it fails', () => {
    expect(p0('atomic_compare_exchange_strong(x, y, 2);')).toEqual(['__casptr_e = load.plain(y)', '__casptr_t = cmpxchg.sc(x, __casptr_e, 2)', 'if (__casptr_t != __casptr_e) { store.plain(y, __casptr_t) }']);
    expect(p0('int ok = atomic_compare_exchange_weak_explicit(x, y, 3, memory_order_acquire, memory_order_relaxed);')).toEqual([
      '__casptr_e = load.plain(y)',
      '__casptr_t = cmpxchg.acq(x, __casptr_e, 3)',
      'if (__casptr_t != __casptr_e) { store.plain(y, __casptr_t) }',
      'ok = (__casptr_t == __casptr_e)',
    ]);
  });

  it('is not a value inside an expression', () => {
    expect(h('int r = atomic_compare_exchange_strong(x, y, 1) + 1;')).toEqual(['H408@4:9']);
  });
});

describe('C statements', () => {
  it('declarations, assignments, increments, expressions with C precedence', () => {
    expect(p0('int a = 1, b;\nunsigned long c = a + 2 * 3 - (4 << 1);\nb = a == 1 && !c || ~a;\na++;\n--b;\nint d = -5;')).toEqual([
      'a = 1',
      'c = ((a + (2 * 3)) - (4 << 1))',
      'b = (((a == 1) && !c) || ~a)',
      'a = (a + 1)',
      'b = (b - 1)',
      'd = -5',
    ]);
  });

  it('if / else (braced or not), else-if, while, nested blocks and empty statements', () => {
    expect(p0('int r = *x;\nif (r) *y = 1;\nif (r == 1) { *y = 2; } else if (r > 1) *y = 3; else { ; }\nwhile (atomic_load(x) == 0) {}\n{ { *y = 4; } }')).toEqual([
      'r = load.plain(x)',
      'if r { store.plain(y, 1) }',
      'if (r == 1) { store.plain(y, 2) } else { if (r > 1) { store.plain(y, 3) } else {  } }',
      'while (load.sc(x) == 0) {  }',
      'store.plain(y, 4)',
    ]);
  });

  it('threads are ordered by number, whatever the order in the file', () => {
    const r = parse('C T\n{}\nP1(int *x) { *x = 2; }\nP0(int *x) { *x = 1; }\nexists (x=1)\n');
    expect(where(r.diagnostics)).toEqual([]);
    expect(threads(r.program)).toEqual({ P0: ['store.plain(x, 1)'], P1: ['store.plain(x, 2)'] });
  });

  it('comments: /* */ and //; (* is C code, but (* *) before the init block is a comment', () => {
    const r = parse('C T\n(* Result: Never *)\n{ x = 1 }\nP0(int *x) {\n  /* c */ int r0 = (*x); // done\n}\nexists (0:r0=1)\n');
    expect(where(r.diagnostics)).toEqual([]);
    expect(threads(r.program)).toEqual({ P0: ['r0 = load.plain(x)'] });
  });

  it('parameter types: volatile, _Atomic, const, spacing', () => {
    const r = parse('C T\n{}\nP0 (volatile int* a, _Atomic int *b, const int * c) { *a = *b + *c; }\nexists (a=1)\n');
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.program.shared.map((s) => s.name.name)).toEqual(['a', 'b', 'c']);
  });
});

describe('C diagnostics', () => {
  it('H408: unsupported constructs, with recovery at the next statement', () => {
    expect(h('for (;;) {}\n*y = 1;')).toEqual(['H408@4:1']);
    expect(h('int *p;')).toEqual(['H408@4:5']);
    expect(h('rcu_read_lock();')).toEqual(['H408@4:1']);
    expect(h('synchronize_rcu();')).toEqual(['H408@4:1']);
    expect(h('int r = smp_wmb();')).toEqual(['H408@4:9', 'H412@4:9']);
    expect(h('int r = spin_lock(x);')).toEqual(['H408@4:9', 'H412@4:9']);
    expect(h('int r = atomic_inc(x);')).toEqual(['H408@4:9', 'H412@4:9']);
    expect(h('if (atomic_add_return(1, x)) {}')).toEqual(['H408@4:5', 'H412@4:5']);
    expect(h('int r = (int)*x;')).toEqual(['H408@4:9']);
    expect(h('int r = 1;\nr += 1;')).toEqual(['H408@5:3']);
    expect(h('int r = atomic_fetch_add(x, 1) + 1;')).toEqual(['H408@4:9']);
    expect(h('if (atomic_fetch_add(x, 1)) {}')).toEqual(['H408@4:5']);
    expect(h('int r = 0;\nif (atomic_compare_exchange_strong(x, &r, 1)) {}')).toEqual(['H408@5:5']);
    expect(h('int r = atomic_store(x, 1);')).toEqual(['H408@4:9']);
    expect(h('*y = 1\nint r = 2;')).toEqual(['H408@5:1']);
    expect(h('return;\n*y = 1;')).toEqual(['H408@4:1']);
    const r = parse(one('FOO;\n*y = 1;'));
    expect(where(r.diagnostics)).toEqual(['H408@4:1']);
    expect(threads(r.program)).toEqual({ P0: ['<error>', 'store.plain(y, 1)'] });
  });

  it('H409: unknown or invalid memory orders', () => {
    expect(h('int r = atomic_load_explicit(x, memory_order_release);')).toEqual(['H409@4:33']);
    expect(h('atomic_store_explicit(x, 1, memory_order_acquire);')).toEqual(['H409@4:29']);
    expect(h('atomic_store_explicit(x, 1, memory_order_bogus);')).toEqual(['H409@4:29']);
    expect(h('atomic_thread_fence(1);')).toEqual(['H409@4:21']);
    expect(h('int r = memory_order_relaxed;')).toEqual(['H409@4:9']);
    expect(h('int e = 0;\natomic_compare_exchange_strong_explicit(x, &e, 1, memory_order_seq_cst, memory_order_release);')).toEqual(['H409@5:73']);
  });

  it('H406: pointers and addresses', () => {
    expect(h('int r = x;')).toEqual(['H406@4:9']);
    expect(h('int r = atomic_load(&x);')).toEqual(['H406@4:21']);
    expect(h('int r = 0;\nint s = *r;')).toEqual(['H406@5:10']);
    expect(h('atomic_compare_exchange_strong(x, 5, 1);')).toEqual(['H406@4:35']);
    expect(h('int r = 0;\natomic_compare_exchange_strong(x, r, 1);')).toEqual(['H406@5:35']);
    expect(h('x = 1;')).toEqual(['H406@4:1']);
    expect(h('int r = NULL;')).toEqual(['H406@4:9']);
    expect(where(parse(one('*x = 1;', 'int x')).diagnostics)).toEqual(['H406@3:4']);
    expect(where(parse(one('*x = 1;', 'int **x')).diagnostics)).toEqual(['H406@3:4']);
  });

  it('H404: thread numbering', () => {
    expect(where(parse('C T\n{}\nP0(int *x) { *x = 1; }\nP2(int *x) { *x = 2; }\nexists (x=1)\n').diagnostics)).toEqual(['H404@4:1']);
    expect(where(parse('C T\n{}\nP0(int *x) { *x = 1; }\nP0(int *x) { *x = 2; }\nexists (x=1)\n').diagnostics)).toEqual(['H404@4:1']);
    expect(where(parse('C T\n{}\nexists (x=1)\n').diagnostics)).toEqual(['H404@2:3']);
  });

  it('H408: text that is not a thread function', () => {
    const r = parse('C T\n{}\nint g;\nP0(int *x) { *x = 1; }\nexists (x=1)\n');
    expect(where(r.diagnostics)).toEqual(['H408@3:1']);
    expect(threads(r.program)).toEqual({ P0: ['store.plain(x, 1)'] });
  });
});
