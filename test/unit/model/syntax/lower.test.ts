/** Lowering AST → IR: structure of each construct, and behaviour via the sequential IR interpreter. */
import { describe, expect, it } from 'vitest';
import { lowerProgram, baseName } from '../../../../model/syntax/lower.js';
import { parseMw } from '../../../../model/syntax/parser.js';
import { SourceFile } from '../../../../model/syntax/source.js';
import { validateIr } from '../../../../model/irValidate.js';
import type { IrInstr, IrProgram } from '../../../../model/ir.js';
import { runSingleThread, regsByName } from '../../../support/runIr.js';
import * as b from '../../../support/astBuilders.js';

/** Parse and lower .mw text; fails the test on any error and checks the IR validates. */
function lower(text: string, defines: Record<string, number> = {}, name = 'test.mw'): IrProgram {
  const file = new SourceFile(name, text);
  const parsed = parseMw(file);
  expect(parsed.diagnostics).toEqual([]);
  const r = lowerProgram(parsed.program, file, { defines });
  if (!r.ok) expect.fail(r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  expect(validateIr(r.value)).toEqual([]);
  return r.value;
}

/** Lower a single-thread program body and run it alone. */
function run(body: string, decls = ''): Record<string, number> {
  const p = lower(`${decls}\nthread P0 {\n${body}\n}\n`);
  return regsByName(p, 0);
}

const kinds = (code: readonly IrInstr[]): string[] => code.map((i) => i.kind);

const SB = `test SB "Store buffering"
source "herd7 catalogue"
shared x = 0;
shared y = 0;
thread P0 {
  store.plain(x, 1);
  r0 = load.plain(y);
}
thread P1 {
  store.plain(y, 1);
  r0 = load.plain(x);
}
exists (P0:r0 = 0 /\\ P1:r0 = 0)
`;

describe('lowerProgram: whole programs', () => {
  it('lowers SB: locations, threads, registers, condition, observables, origins', () => {
    const p = lower(SB);
    expect(p.name).toBe('SB');
    expect(p.description).toBe('Store buffering');
    expect(p.file).toBe('test.mw');
    expect(p.metadata).toEqual([{ key: 'source', value: 'herd7 catalogue' }]);
    expect(p.locations.map((l) => [l.name, l.base, l.size, l.isArray, l.init])).toEqual([['x', 0, 1, false, [0]], ['y', 1, 1, false, [0]]]);
    expect(p.memorySize).toBe(2);
    expect(p.threads.map((t) => t.name)).toEqual(['P0', 'P1']);
    const p0 = p.threads[0]!;
    expect(p0.registers).toEqual(['r0']);
    expect(p0.code).toMatchObject([
      { kind: 'store', addr: { loc: 0, index: { kind: 'const', value: 0 } }, value: { kind: 'const', value: 1 }, mode: 'plain', origin: { text: 'store.plain(x, 1)' } },
      { kind: 'load', dst: 0, addr: { loc: 1 }, mode: 'plain', origin: { text: 'r0 = load.plain(y)' } },
    ]);
    expect(p0.code[1]!.origin.span.line).toBe(7);
    expect(p.condition).toEqual({
      quantifier: 'exists',
      text: 'exists (P0:r0=0 /\\ P1:r0=0)',
      cond: { kind: 'and', left: { kind: 'cmp', op: '=', left: { kind: 'reg', thread: 0, reg: 0 }, right: { kind: 'const', value: 0 } }, right: { kind: 'cmp', op: '=', left: { kind: 'reg', thread: 1, reg: 0 }, right: { kind: 'const', value: 0 } } },
    });
    expect(p.observables.map((o) => o.name)).toEqual(['P0:r0', 'P1:r0']);
  });

  it('instantiates templates in index order, substitutes the index, and applies -D overrides', () => {
    const text = `param N = 2;
shared a[4];
thread Main { r = 1; }
thread T[i in 1..N+1] { store.sc(a[i], i * 10); }
`;
    const p = lower(text);
    expect(p.threads.map((t) => [t.name, t.template])).toEqual([['Main', null], ['T[1]', { name: 'T', index: 1 }], ['T[2]', { name: 'T', index: 2 }]]);
    expect(p.threads[2]!.code[0]).toMatchObject({ kind: 'store', addr: { loc: 0, index: { kind: 'const', value: 2 } }, value: { kind: 'const', value: 20 } });
    expect(p.params).toEqual({ N: 2 });
    const q = lower(text, { N: 3 });
    expect(q.params).toEqual({ N: 3 });
    expect(q.threads.map((t) => t.name)).toEqual(['Main', 'T[1]', 'T[2]', 'T[3]']);
  });

  it('lowers the ticket lock: for loop, await with one load, critical region, param in condition', () => {
    const p = lower(`test ticket_lock
param N = 2;
param K = 1;
param TOTAL = N * K;
shared next = 0;
shared serving = 0;
shared counter = 0;
thread T[i in 0..N] {
  for k in 0..K {
    t = fetch_add.sc(next, 1);
    await (load.sc(serving) == t);
    critical {
      c = load.plain(counter);
      store.plain(counter, c + 1);
    }
    s = load.plain(serving);
    store.sc(serving, s + 1);
  }
}
forall (counter = TOTAL)
`);
    expect(p.params).toEqual({ N: 2, K: 1, TOTAL: 2 });
    expect(p.regions).toEqual(['']);
    const t0 = p.threads[0]!;
    expect(t0.registers).toEqual(['k', 't', 'c', 's', '$t0']);
    expect(kinds(t0.code)).toEqual(['assign', 'branch', 'rmw', 'await', 'enter', 'load', 'store', 'exit', 'load', 'store', 'assign', 'jump']);
    expect(t0.code[3]).toMatchObject({ kind: 'await', dst: 4, mode: 'sc', cond: { kind: 'binary', op: '==', left: { kind: 'reg', reg: 4 }, right: { kind: 'reg', reg: 1 } }, origin: { text: 'await (load.sc(serving) == t)' } });
    expect(t0.code[1]).toMatchObject({ kind: 'branch', target: 12, origin: { text: 'for k in 0..K' } });
    expect(t0.code[4]).toMatchObject({ kind: 'enter', region: 0, origin: { text: 'critical' } });
    expect(t0.code[7]).toMatchObject({ kind: 'exit', region: 0, origin: { text: 'end critical' } });
    expect(p.condition?.cond).toEqual({ kind: 'cmp', op: '=', left: { kind: 'mem', slot: 2 }, right: { kind: 'const', value: 2 } });
    expect(p.condition?.text).toBe('forall (counter=TOTAL)');
    expect(p.observables.map((o) => o.name)).toEqual(['counter']);
    // alone, one instance takes the lock once and bumps the counter
    expect(runSingleThread(p, 0).mem).toEqual([1, 1, 1]);
  });

  it('names the program after the file when there is no test line', () => {
    expect(lower('shared x; thread P0 { skip; }', {}, 'dir/sub/my-test.mw').name).toBe('my-test');
    expect(baseName('C:\\x\\y.litmus')).toBe('y');
    expect(baseName('noext')).toBe('noext');
  });
});

describe('lowerProgram: statements compute the right values (run alone)', () => {
  it('for loops, including nested ones and an empty range', () => {
    expect(run('s = 0; for k in 0..5 { s = s + k; }')).toMatchObject({ s: 10, k: 5 });
    expect(run('s = 0; for i in 0..3 { for j in 1..3 { s = s + i * j; } }')).toMatchObject({ s: 9, i: 3, j: 3 });
    expect(run('s = 7; for k in 4..4 { s = 0; }')).toMatchObject({ s: 7, k: 4 });
    expect(run('s = 0; for k in 0..N { s = s + 2; }', 'param N = 4;')).toMatchObject({ s: 8 });
  });

  it('nested if / else if / else', () => {
    const body = (v: number): string => `v = ${v};
if (v < 0) { r = 1; } else if (v == 0) { r = 2; } else { if (v > 10) { r = 3; } else { r = 4; } }`;
    expect(run(body(-5)).r).toBe(1);
    expect(run(body(0)).r).toBe(2);
    expect(run(body(11)).r).toBe(3);
    expect(run(body(5)).r).toBe(4);
    expect(run('r = 1; if (r) { r = 5; }').r).toBe(5);
    expect(run('r = 0; if (r) { r = 5; }').r).toBe(0);
  });

  it('if with a load in the condition loads before branching', () => {
    const p = lower('shared x = 3;\nthread P0 { if (load.acq(x) == 3) { r = 1; } else { r = 2; } }');
    expect(kinds(p.threads[0]!.code)).toEqual(['load', 'branch', 'assign', 'jump', 'assign']);
    expect(p.threads[0]!.code[1]).toMatchObject({ cond: { kind: 'binary', op: '!=' }, target: 4, origin: { text: 'if (load.acq(x) == 3)' } });
    expect(regsByName(p, 0).r).toBe(1);
  });

  it('while loops with register and memory conditions', () => {
    expect(run('n = 0; while (n < 7) { n = n + 1; }').n).toBe(7);
    const p = lower('shared x = 0;\nthread P0 { while (load.sc(x) < 3) { v = load.sc(x); store.sc(x, v + 1); } r = load.sc(x); }');
    const code = p.threads[0]!.code;
    expect(code[0]).toMatchObject({ kind: 'load', dst: p.threads[0]!.registers.indexOf('$t0') });
    const back = code.find((i) => i.kind === 'jump');
    expect(back).toMatchObject({ target: 0, origin: { text: 'while (load.sc(x) < 3)' } });
    expect(regsByName(p, 0).r).toBe(3);
  });

  it('goto and labels, forward and backward, and a label at the end of a block', () => {
    expect(run('n = 0; top: n = n + 1; if (n < 4) { goto top; } goto done; n = 100; done:')).toMatchObject({ n: 4 });
    const p = lower('thread P0 { goto end; r = 1; end: }');
    expect(p.threads[0]!.code[0]).toMatchObject({ kind: 'jump', target: 2 });
    expect(regsByName(p, 0).r).toBe(0);
  });

  it('expressions: C precedence, Int32 wrap-around, division toward zero, logic', () => {
    expect(run('a = 1 + 2 * 3 - 4 / 2; b = -7 / 2; c = -7 % 2; d = 2147483647 + 1; e = (1 << 4) | 3 ^ 1; f = !0 && ~0 == -1; g = 0 || 5 > 4;'))
      .toMatchObject({ a: 5, b: -3, c: -1, d: -2147483648, e: 18, f: 1, g: 1 });
  });

  it('loads inside expressions go to $t temps, left to right, before the expression', () => {
    const p = lower('shared x = 5;\nshared a[3] = {1, 2, 3};\nthread P0 { r = load.sc(x) + load.rlx(a[1]) * 2; store.sc(a[0], load.sc(a[2]) - 1); }');
    const t = p.threads[0]!;
    expect(t.registers).toEqual(['r', '$t0', '$t1']);
    expect(t.code).toMatchObject([
      { kind: 'load', dst: 1, addr: { loc: 0 }, mode: 'sc' },
      { kind: 'load', dst: 2, addr: { loc: 1, index: { kind: 'const', value: 1 } }, mode: 'rlx' },
      { kind: 'assign', dst: 0 },
      { kind: 'load', dst: 1, addr: { loc: 1, index: { kind: 'const', value: 2 } } },
      { kind: 'store', addr: { loc: 1, index: { kind: 'const', value: 0 } }, value: { kind: 'binary', op: '-', left: { kind: 'reg', reg: 1 } } },
    ]);
    const out = runSingleThread(p, 0);
    expect(out.regs[0]).toBe(9);
    expect(out.mem).toEqual([5, 2, 2, 3]);
    // a load in an index is loaded before the load that uses it
    const q = lower('shared i = 2;\nshared a[3] = {7, 8, 9};\nthread P0 { r = load.sc(a[load.sc(i)]); }');
    expect(kinds(q.threads[0]!.code)).toEqual(['load', 'load']);
    expect(regsByName(q, 0).r).toBe(9);
  });

  it('read-modify-writes return the old value; cmpxchg writes only on a match', () => {
    const p = lower(`shared x = 5;
shared y = 1;
thread P0 {
  a = fetch_add.sc(x, 3);
  b = exchange.acq_rel(x, 20);
  c = cmpxchg.sc(x, 20, 30);
  d = cmpxchg.sc(x, 0, 99);
  fetch_or.rlx(y, 6);
  e = fetch_sub.sc(y, 2);
  f = fetch_xor.sc(y, 1);
  g = fetch_and.sc(y, 4);
}`);
    expect(p.threads[0]!.code[4]).toMatchObject({ kind: 'rmw', op: 'fetch_or', dst: -1, mode: 'rlx', expected: null });
    expect(p.threads[0]!.code[2]).toMatchObject({ kind: 'rmw', op: 'cmpxchg', expected: { kind: 'const', value: 20 }, value: { kind: 'const', value: 30 } });
    const out = runSingleThread(p, 0);
    expect(regsByName(p, 0)).toMatchObject({ a: 5, b: 8, c: 20, d: 30, e: 7, f: 5, g: 4 });
    expect(out.mem).toEqual([30, 4]);
  });

  it('wait, notify and fences', () => {
    const p = lower('shared x = 1;\nthread P0 { w = wait(x, 0); v = wait(x, 1, 10); n = notify(x); notify(x, 2); fence.sc(); w2 = wait(x, 2); ne = w2 == not_equal; }');
    const code = p.threads[0]!.code;
    expect(code[0]).toMatchObject({ kind: 'wait', dst: 0, expected: { kind: 'const', value: 0 }, timeout: null });
    expect(code[1]).toMatchObject({ kind: 'wait', timeout: { kind: 'const', value: 10 } });
    expect(code[3]).toMatchObject({ kind: 'notify', dst: -1, count: { kind: 'const', value: 2 } });
    expect(code[4]).toMatchObject({ kind: 'fence', mode: 'sc' });
    expect(regsByName(p, 0)).toMatchObject({ w: 1, v: 2, n: 0, w2: 1, ne: 1 });
  });

  it('await: no loads → block; one load → await; several loads → a spin loop', () => {
    const p = lower('shared x = 1;\nshared y = 2;\nthread P0 { r = 1; await (r == 1); await (load.sc(x) == 1); await (load.sc(x) + load.acq(y) == 3); q = 4; }');
    const code = p.threads[0]!.code;
    expect(kinds(code)).toEqual(['assign', 'block', 'await', 'load', 'load', 'branch', 'assign']);
    expect(code[1]).toMatchObject({ cond: { kind: 'binary', op: '==', left: { kind: 'reg', reg: 0 } } });
    expect(code[5]).toMatchObject({ kind: 'branch', target: 3, cond: { kind: 'binary', op: '!=' } });
    expect(regsByName(p, 0).q).toBe(4);
    expect(() => run('r = 0; await (r == 1);')).toThrow(/blocked forever/);
  });

  it('assert (default message = source text), assume, skip', () => {
    const p = lower('thread P0 { r = 2; assert (r == 2); assert (r > 0, "positive"); assume (r != 0); skip; }');
    const code = p.threads[0]!.code;
    expect(code[1]).toMatchObject({ kind: 'assert', message: 'assert (r == 2)' });
    expect(code[2]).toMatchObject({ kind: 'assert', message: 'positive' });
    expect(kinds(code)).toEqual(['assign', 'assert', 'assert', 'assume', 'skip']);
    expect(() => run('r = 1; assert (r == 2);')).toThrow(/assertion failed: assert \(r == 2\)/);
  });

  it('critical regions: numbered by first appearance, nested regions of different names', () => {
    const p = lower('thread P0 { critical m { critical { r = 1; } } }\nthread P1 { critical { skip; } critical other { skip; } }');
    expect(p.regions).toEqual(['m', '', 'other']);
    expect(p.threads[0]!.code).toMatchObject([{ kind: 'enter', region: 0 }, { kind: 'enter', region: 1 }, { kind: 'assign' }, { kind: 'exit', region: 1 }, { kind: 'exit', region: 0, origin: { text: 'end critical m' } }]);
    expect(p.threads[0]!.code[4]!.origin.span.line).toBe(1);
  });

  it('multi-line statements get one-line origin text', () => {
    const p = lower('shared x;\nthread P0 {\n  store.sc(x,\n     1 +\n   2);\n}');
    expect(p.threads[0]!.code[0]!.origin).toMatchObject({ text: 'store.sc(x, 1 + 2)', span: { line: 3, col: 3 } });
  });
});

describe('lowerProgram: conditions and observables', () => {
  it('resolves ordinals, template instances and array elements; text is herd style', () => {
    const p = lower(`shared a[2];
shared x;
thread P0 { r0 = 1; }
thread T[i in 0..2] { r = i; }
~exists (0:r0 = 1 /\\ (T[1]:r = 1 \\/ ~(a[1] = 0)) => x = 2)
`);
    expect(p.condition?.quantifier).toBe('not exists');
    expect(p.condition?.text).toBe('~exists (0:r0=1 /\\ (T[1]:r=1 \\/ ~a[1]=0) => x=2)');
    expect(p.observables).toEqual([
      { name: 'P0:r0', what: { kind: 'reg', thread: 0, reg: 0 } },
      { name: 'T[1]:r', what: { kind: 'reg', thread: 2, reg: 0 } },
      { name: 'a[1]', what: { kind: 'mem', slot: 1 } },
      { name: 'x', what: { kind: 'mem', slot: 2 } },
    ]);
  });

  it('adds filter and locations observables after the condition, deduplicated, arrays expanded', () => {
    const p = lower(`shared a[2];
shared x;
thread P0 { r0 = 1; r1 = 2; }
exists (P0:r0 = 1)
filter (x = 0 /\\ P0:r0 = 1)
locations [P0:r1; a; x]
`);
    expect(p.observables.map((o) => o.name)).toEqual(['P0:r0', 'x', 'P0:r1', 'a[0]', 'a[1]']);
    expect(p.filter).toEqual({ kind: 'and', left: { kind: 'cmp', op: '=', left: { kind: 'mem', slot: 2 }, right: { kind: 'const', value: 0 } }, right: { kind: 'cmp', op: '=', left: { kind: 'reg', thread: 0, reg: 0 }, right: { kind: 'const', value: 1 } } });
  });

  it('without a condition or locations, observes every user register then every memory word', () => {
    const p = lower('shared x;\nshared a[2];\nthread P0 { r = load.sc(x) + 1; }\nthread P1 { s = 1; q = 2; }');
    expect(p.threads[0]!.registers).toEqual(['r', '$t0']);
    expect(p.observables.map((o) => o.name)).toEqual(['P0:r', 'P1:s', 'P1:q', 'x', 'a[0]', 'a[1]']);
  });
});

describe('lowerProgram on hand-built ASTs', () => {
  it('prints origin text when the spans point nowhere', () => {
    const prog = b.program({
      shared: [b.shared('x')],
      threads: [b.thread('P0', [
        b.assign('r', b.bin('*', b.bin('+', b.mem(b.load('sc', b.loc('x'))), b.int(1)), b.int(2))),
        b.ifS(b.bin('==', b.nm('r'), b.int(2)), [b.memS(b.store('rel', b.loc('x'), b.un('-', b.nm('r'))))]),
      ])],
      condition: b.finalC('exists', b.eq(b.regT('P0', 'r'), b.intT(2))),
    });
    const r = lowerProgram(prog, new SourceFile('hand.mw', ''));
    if (!r.ok) expect.fail(JSON.stringify(r.diagnostics));
    expect(validateIr(r.value)).toEqual([]);
    expect(r.value.name).toBe('hand');
    expect(r.value.threads[0]!.code.map((i) => i.origin.text)).toEqual(['r = (load.sc(x) + 1) * 2', 'r = (load.sc(x) + 1) * 2', 'if (r == 2)', 'store.rel(x, -r)']);
    expect(r.value.condition?.text).toBe('exists (P0:r=2)');
    expect(runSingleThread(r.value, 0).mem).toEqual([-2]);
  });
});

// ---------------------------------------------------------------- properties

import fc from 'fast-check';
import { arbProgram } from '../../../arbitraries/ast.js';
import { assertSeeded, seedFromEnv } from '../../../arbitraries/irProgram.js';
import { RMW_OPS } from '../../../../model/syntax/ast.js';

const SEED = seedFromEnv(20240611);

/** fc.assert with the pinned seed, printed on failure. */
const check = <T>(prop: fc.IProperty<T>, numRuns: number): void => assertSeeded(prop, SEED, numRuns);

const LOAD_MODE = fc.constantFrom('plain', 'sc', 'acq', 'rlx');
const STORE_MODE = fc.constantFrom('plain', 'sc', 'rel', 'rlx');
const RMW_MODE = fc.constantFrom('sc', 'acq', 'rel', 'acq_rel', 'rlx');
const FENCE_MODE = fc.constantFrom('sc', 'acq', 'rel', 'acq_rel');
const REG = fc.constantFrom('r0', 'r1', 'r2');
const LOC = fc.oneof(fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 2 }).map((k) => `a[${k}]`), REG.map((r) => `a[${r} & 1]`));

/** Text of a well-formed expression (loads allowed). */
function wfExpr(depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(fc.integer({ min: 0, max: 5 }).map(String), REG, fc.constant('N'), fc.constant('ok'), fc.tuple(LOAD_MODE, LOC).map(([m, l]) => `load.${m}(${l})`));
  if (depth <= 0) return leaf;
  return fc.oneof(
    { weight: 2, arbitrary: leaf },
    { weight: 2, arbitrary: fc.tuple(wfExpr(depth - 1), fc.constantFrom('+', '-', '*', '==', '!=', '<', '&&', '||', '&', '^', '<<', '>>', '/', '%'), wfExpr(depth - 1)).map(([a, o, b]) => `(${a} ${o} ${b})`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('-', '!', '~'), wfExpr(depth - 1)).map(([o, a]) => `${o}(${a})`) },
  );
}

/** Text of well-formed statements (critical regions are not nested). */
function wfStmts(depth: number, inCritical: boolean): fc.Arbitrary<string> {
  const e = wfExpr(2);
  const simple = fc.oneof(
    fc.tuple(REG, e).map(([r, v]) => `${r} = ${v};`),
    fc.tuple(STORE_MODE, LOC, e).map(([m, l, v]) => `store.${m}(${l}, ${v});`),
    fc.tuple(REG, fc.constantFrom(...RMW_OPS.filter((o) => o !== 'cmpxchg')), RMW_MODE, LOC, e).map(([r, o, m, l, v]) => `${r} = ${o}.${m}(${l}, ${v});`),
    fc.tuple(REG, RMW_MODE, LOC, e, e).map(([r, m, l, a, b]) => `${r} = cmpxchg.${m}(${l}, ${a}, ${b});`),
    FENCE_MODE.map((m) => `fence.${m}();`),
    e.map((c) => `await (${c});`),
    e.map((c) => `assert (${c});`),
    e.map((c) => `assume (${c});`),
    fc.tuple(REG, e).map(([r, v]) => `${r} = wait(x, ${v});`),
    fc.constant('notify(y, 1);'),
    fc.constant('skip;'),
  );
  if (depth <= 0) return fc.array(simple, { maxLength: 3 }).map((ss) => ss.join('\n'));
  const inner = wfStmts(depth - 1, inCritical);
  const compound = fc.oneof(
    fc.tuple(e, inner, inner).map(([c, a, b]) => `if (${c}) {\n${a}\n} else {\n${b}\n}`),
    fc.tuple(e, inner).map(([c, a]) => `while (${c}) {\n${a}\n}`),
    inner.map((a) => `for k in 0..N {\n${a}\n}`),
    ...(inCritical ? [] : [wfStmts(depth - 1, true).map((a) => `critical m {\n${a}\n}`)]),
  );
  return fc.array(fc.oneof({ weight: 3, arbitrary: simple }, { weight: 1, arbitrary: compound }), { maxLength: 4 }).map((ss) => ss.join('\n'));
}

const arbWellFormed: fc.Arbitrary<string> = fc.tuple(wfStmts(2, false), wfStmts(2, false), fc.boolean()).map(([a, b2, cond]) => `param N = 2;
shared x = 0;
shared y = 1;
shared a[3] = {1, 2, 3};
thread P0 {
r0 = 0; r1 = 0; r2 = 0;
${a}
}
thread T[i in 0..N] {
r0 = i; r1 = 0; r2 = 0;
${b2}
}
${cond ? 'exists (P0:r0 = 1 /\\ T[1]:r1 = 0 \\/ ~(x = 2) => a[1] = N)' : ''}
`);

describe('lowerProgram: properties', () => {
  it('well-formed programs always lower, and the IR always validates', () => {
    check(fc.property(arbWellFormed, (text) => {
      const file = new SourceFile('wf.mw', text);
      const parsed = parseMw(file);
      expect(parsed.diagnostics).toEqual([]);
      const r = lowerProgram(parsed.program, file);
      if (!r.ok) throw new Error(`${r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`).join('\n')}\n${text}`);
      expect(validateIr(r.value)).toEqual([]);
      expect(r.value.threads).toHaveLength(3);
      for (const t of r.value.threads) {
        for (const ins of t.code) expect(ins.origin.text).not.toMatch(/\n/);
      }
    }), 300);
  });

  it('arbitrary ASTs never make lowering throw; failures carry lowering codes; whatever lowers validates', () => {
    check(fc.property(arbProgram, (prog) => {
      const r = lowerProgram(prog, new SourceFile('arb.mw', ''));
      if (r.ok) {
        expect(validateIr(r.value)).toEqual([]);
      } else {
        expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        for (const d of r.diagnostics) expect(d.code).toMatch(/^(N2|S3|U5|P10[2369])/);
      }
    }), 500);
  });
});

describe('lowerProgram: empty templates', () => {
  it('an empty template yields no threads and no regions, but the program still lowers', () => {
    const p = lower('thread P0 { skip; }\nthread T[i in 2..2] { critical m { skip; } }');
    expect(p.threads.map((t) => t.name)).toEqual(['P0']);
    expect(p.regions).toEqual([]);
  });
});
