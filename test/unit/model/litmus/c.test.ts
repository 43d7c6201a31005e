/** The C dialect: thread functions, the atomics mapping, control flow, and diagnostics. */
import { describe, expect, it } from 'vitest';
import { parse, threads, where } from './helpers.js';

/** A one-thread C test with the given body. */
function one(body: string, params = 'atomic_int* x, int *y'): string {
  return `C T\n{}\nP0(${params}) {\n${body}\n}\nexists (x=1)\n`;
}
function p0(body: string): string[] {
  const r = parse(one(body));
  expect(where(r.diagnostics)).toEqual([]);
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

  it('Linux-kernel macros', () => {
    expect(
      p0(`int r0;
WRITE_ONCE(*y, 1);
smp_mb();
r0 = READ_ONCE(*x);
smp_store_release(x, 2);
r0 = smp_load_acquire(y);
r0 = xchg(x, 3);
r0 = xchg_relaxed(x, 4);
r0 = cmpxchg(x, 0, 1);
cmpxchg_acquire(y, r0, 2);`),
    ).toEqual(['store.rlx(y, 1)', 'fence.sc()', 'r0 = load.rlx(x)', 'store.rel(x, 2)', 'r0 = load.acq(y)', 'r0 = exchange.sc(x, 3)', 'r0 = exchange.rlx(x, 4)', 'r0 = cmpxchg.sc(x, 0, 1)', 'cmpxchg.acq(y, r0, 2)']);
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
    expect(h('spin_lock(x);')).toEqual(['H408@4:1']);
    expect(h('smp_wmb();')).toEqual(['H408@4:1']);
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
    expect(h('atomic_compare_exchange_strong(x, y, 1);')).toEqual(['H406@4:35']);
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
