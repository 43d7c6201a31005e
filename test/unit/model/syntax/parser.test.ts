/** Parser tests: every construct parses to the expected AST, and errors are reported with codes and positions while parsing recovers. */
import { describe, expect, it } from 'vitest';
import type { Program, Stmt } from '../../../../model/syntax/ast.js';
import { MAX_NESTING, parseMw } from '../../../../model/syntax/parser.js';
import { SourceFile } from '../../../../model/syntax/source.js';
import { stripSpans } from '../../../arbitraries/ast.js';
import * as b from '../../../support/astBuilders.js';

function parse(text: string): { program: Program; diags: string[] } {
  const r = parseMw(new SourceFile('p.mw', text));
  return { program: r.program, diags: r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`) };
}
/** Parse a clean program and return it without spans. */
function clean(text: string): unknown {
  const { program, diags } = parse(text);
  expect(diags).toEqual([]);
  return stripSpans(program);
}
/** The statements of `thread P { body }` (must parse cleanly). */
function body(text: string): unknown {
  const { program, diags } = parse(`thread P { ${text} }`);
  expect(diags).toEqual([]);
  return stripSpans(program.threads[0]?.body);
}
/** An expression, via `param E = text;`. */
function expr(text: string): unknown {
  const { program, diags } = parse(`param E = ${text};`);
  expect(diags).toEqual([]);
  return stripSpans(program.params[0]?.value);
}
/** A condition, via `exists (text)`. */
function cond(text: string): unknown {
  const { program, diags } = parse(`exists (${text})`);
  expect(diags).toEqual([]);
  return stripSpans(program.condition?.expr);
}
const s = (v: unknown): unknown => stripSpans(v);

describe('top level', () => {
  it('reads the header, description and source', () => {
    const p = clean('test SB "store buffering"\nsource "herd"\nsource "again";');
    expect(p).toEqual(s(b.program({ name: 'SB', description: 'store buffering', metadata: [{ key: 'source', value: 'herd' }, { key: 'source', value: 'again' }] })));
    expect(clean('test "2+2W"; description "later wins"')).toEqual(s(b.program({ name: '2+2W', description: 'later wins' })));
    expect(clean('')).toEqual(s(b.program({})));
  });
  it('reads params and shared declarations of every shape', () => {
    const p = clean('param N = 2; shared x; shared y = 1; shared a[N]; shared c[N] = 7; shared d[3] = {1, 2,};');
    expect(p).toEqual(
      s(
        b.program({
          params: [b.param('N', b.int(2))],
          shared: [b.shared('x'), b.shared('y', null, b.int(1)), b.shared('a', b.nm('N')), b.shared('c', b.nm('N'), b.int(7)), b.shared('d', b.int(3), [b.int(1), b.int(2)])],
        }),
      ),
    );
  });
  it('reads threads and thread templates', () => {
    const p = clean('thread P0 {} thread T[i in 0..N + 1] { skip; }');
    expect(p).toEqual(s(b.program({ threads: [b.thread('P0', []), b.thread('T', [b.skip()], { variable: 'i', from: b.int(0), to: b.bin('+', b.nm('N'), b.int(1)) })] })));
  });
  it('reads every quantifier, with and without a space in ~exists', () => {
    const c = b.eq(b.locT('x'), b.intT(1));
    expect(clean('exists (x=1)')).toEqual(s(b.program({ condition: b.finalC('exists', c) })));
    expect(clean('~exists (x=1);')).toEqual(s(b.program({ condition: b.finalC('not exists', c) })));
    expect(clean('~ exists (x==1)')).toEqual(s(b.program({ condition: b.finalC('not exists', c) })));
    expect(clean('forall (x=1)')).toEqual(s(b.program({ condition: b.finalC('forall', c) })));
  });
  it('reads locations and filter', () => {
    const p = parse('locations [x; P0:r0, a[1];] filter (true)').program;
    expect(s(p.locations)).toEqual(s([b.locT('x'), b.regT('P0', 'r0'), b.locT('a', 1)]));
    expect(s(p.filter)).toEqual({ kind: 'bool', value: true });
  });
  it('defaults the name to null without a test line', () => {
    expect(parse('shared x;').program.name).toBeNull();
  });
});

describe('statements', () => {
  it('assignments, memory statements, labels, goto and skip', () => {
    expect(body('r = 1; store.sc(x, r); L: goto L; skip;')).toEqual(s([b.assign('r', b.int(1)), b.memS(b.store('sc', b.loc('x'), b.nm('r'))), b.label('L'), b.goto('L'), b.skip()]));
  });
  it('if / else if / else', () => {
    const expected: Stmt = b.ifS(b.nm('a'), [b.skip()], [b.ifS(b.nm('b'), [], [b.goto('L')])]);
    expect(body('if (a) { skip; } else if (b) {} else { goto L; }')).toEqual(s([expected]));
    expect(body('if (a) {}')).toEqual(s([b.ifS(b.nm('a'), [], null)]));
  });
  it('while, for, await, assert, assume, critical', () => {
    expect(body('while (r < 3) { r = r + 1; }')).toEqual(s([b.whileS(b.bin('<', b.nm('r'), b.int(3)), [b.assign('r', b.bin('+', b.nm('r'), b.int(1)))])]));
    expect(body('for k in 0..K {}')).toEqual(s([b.forS('k', b.int(0), b.nm('K'), [])]));
    expect(body('await (load.acq(f) == 1);')).toEqual(s([b.awaitS(b.bin('==', b.mem(b.load('acq', b.loc('f'))), b.int(1)))]));
    expect(body('assert (r == 1); assert (r, "m\\"sg");')).toEqual(s([b.assertS(b.bin('==', b.nm('r'), b.int(1))), b.assertS(b.nm('r'), 'm"sg')]));
    expect(body('assume (r);')).toEqual(s([b.assumeS(b.nm('r'))]));
    expect(body('critical { skip; } critical m {}')).toEqual(s([b.critical(null, [b.skip()]), b.critical('m', [])]));
  });
  it('a label may end a block', () => {
    expect(body('skip; done:')).toEqual(s([b.skip(), b.label('done')]));
  });
});

describe('memory operations', () => {
  it('parses each operation and mode', () => {
    expect(body('r = load.rlx(a[i + 1]);')).toEqual(s([b.assign('r', b.mem(b.load('rlx', b.loc('a', b.bin('+', b.nm('i'), b.int(1))))))]));
    expect(body('o = cmpxchg.acq_rel(x, 0, 1);')).toEqual(s([b.assign('o', b.mem(b.rmw('cmpxchg', 'acq_rel', b.loc('x'), b.int(1), b.int(0))))]));
    expect(body('fetch_xor.rel(x, 3);')).toEqual(s([b.memS(b.rmw('fetch_xor', 'rel', b.loc('x'), b.int(3)))]));
    expect(body('exchange.acq(x, 3);')).toEqual(s([b.memS(b.rmw('exchange', 'acq', b.loc('x'), b.int(3)))]));
    expect(body('fence.sc();')).toEqual(s([b.memS(b.fence('sc'))]));
    expect(body('w = wait(x, 0); w = wait(x, 0, 5);')).toEqual(s([b.assign('w', b.mem(b.wait(b.loc('x'), b.int(0)))), b.assign('w', b.mem(b.wait(b.loc('x'), b.int(0), b.int(5))))]));
    expect(body('notify(x); notify(x, 1);')).toEqual(s([b.memS(b.notify(b.loc('x'))), b.memS(b.notify(b.loc('x'), b.int(1)))]));
  });
  it('reports unknown modes (P105) and wrong operand counts (P106)', () => {
    expect(parse('thread P {\n  r = load.foo(x);\n  store.sc(x);\n  fence.sc(1);\n}').diags).toEqual(['P105 2:12', 'P106 3:3', 'P106 4:3']);
    expect(parse('thread P { r = wait(x); notify(); }').diags).toEqual(['P106 1:16', 'P106 1:25']);
    expect(parse('thread P { r = load(x); r = wait.sc(x, 0); }').diags).toEqual(['P101 1:20', 'P101 1:33']);
  });
});

describe('expressions', () => {
  it('follows C precedence and left associativity', () => {
    expect(expr('1 + 2 * 3')).toEqual(s(b.bin('+', b.int(1), b.bin('*', b.int(2), b.int(3)))));
    expect(expr('1 - 2 - 3')).toEqual(s(b.bin('-', b.bin('-', b.int(1), b.int(2)), b.int(3))));
    expect(expr('a || b && c | d ^ e & f == g < h << i + j * k')).toEqual(
      s(b.bin('||', b.nm('a'), b.bin('&&', b.nm('b'), b.bin('|', b.nm('c'), b.bin('^', b.nm('d'), b.bin('&', b.nm('e'), b.bin('==', b.nm('f'), b.bin('<', b.nm('g'), b.bin('<<', b.nm('h'), b.bin('+', b.nm('i'), b.bin('*', b.nm('j'), b.nm('k')))))))))))),
    );
    expect(expr('(1 + 2) * 3')).toEqual(s(b.bin('*', b.bin('+', b.int(1), b.int(2)), b.int(3))));
  });
  it('unary operators bind tighter than binary ones; negative numbers are unary minus', () => {
    expect(expr('-x * !y')).toEqual(s(b.bin('*', b.un('-', b.nm('x')), b.un('!', b.nm('y')))));
    expect(expr('-1')).toEqual(s(b.un('-', b.int(1))));
    expect(expr('~~0')).toEqual(s(b.un('~', b.un('~', b.int(0)))));
  });
  it('reads hex (wrapping to signed) and the one literal that needs its minus', () => {
    expect(expr('0xffffffff')).toEqual(s(b.int(-1)));
    expect(expr('-2147483648')).toEqual(s(b.int(-2147483648)));
    expect(parse('param E = 2147483648;').diags).toEqual(['E004 1:11']);
  });
  it('reports a missing expression (P102) and keeps going', () => {
    const r = parse('param A = ;\nparam B = 1 + ;\nparam C = 3;');
    expect(r.diags).toEqual(['P102 1:11', 'P102 2:15']);
    expect(s(r.program.params[2])).toEqual(s(b.param('C', b.int(3))));
    expect(r.program.params[0]?.value.kind).toBe('error');
    expect(parse('param A = true;').diags).toEqual(['P102 1:11']);
  });
});

describe('conditions', () => {
  const x1 = b.eq(b.locT('x'), b.intT(1));
  const y1 = b.eq(b.locT('y'), b.intT(1));
  const z1 = b.eq(b.locT('z'), b.intT(1));
  it('reads every kind of term', () => {
    expect(cond('P0:r0 = T[1]:r')).toEqual(s(b.eq(b.regT('P0', 'r0'), b.regT('T', 'r', 1))));
    expect(cond('0:r0 = -1')).toEqual(s(b.eq(b.regT(0, 'r0'), b.intT(-1))));
    expect(cond('[x] = a[2]')).toEqual(s(b.eq(b.locT('x'), b.locT('a', 2))));
    expect(cond('[a[2]] != N')).toEqual({ ...(s(b.eq(b.locT('a', 2), b.locT('N'))) as object), op: '!=' });
  });
  it('precedence ~ > /\\ > \\/ > =>, implication to the right', () => {
    expect(cond('x=1 \\/ y=1 /\\ z=1')).toEqual({ kind: 'or', left: s(x1), right: s(b.andC(y1, z1)) });
    expect(cond('~x=1 /\\ y=1')).toEqual(s(b.andC({ kind: 'not', operand: x1, span: x1.span }, y1)));
    expect(cond('x=1 => y=1 => z=1')).toEqual({ kind: 'implies', left: s(x1), right: { kind: 'implies', left: s(y1), right: s(z1) } });
    expect(cond('x=1 \\/ y=1 => z=1')).toEqual({ kind: 'implies', left: { kind: 'or', left: s(x1), right: s(y1) }, right: s(z1) });
    expect(cond('~(x=1 \\/ true)')).toEqual({ kind: 'not', operand: { kind: 'or', left: s(x1), right: { kind: 'bool', value: true } } });
  });
  it('reports bad terms (P109) and bad indices', () => {
    expect(parse('exists (x = )').diags).toEqual(['P109 1:13']);
    expect(parse('exists (x[N] = 1)').diags).toEqual(['P109 1:11']);
    expect(parse('exists (x[0xffffffff] = 1)').diags).toEqual(['P109 1:11']);
    expect(parse('exists (x 1)').diags).toEqual(['P101 1:11']);
  });
});

describe('error recovery', () => {
  it('reports several errors in one file, each at its line:col, and keeps the good parts', () => {
    const text = ['test T', 'shared x;', 'thread P0 {', '  r = ;', '  store.sc(x 1);', '  x + 1;', '  r = 2', '  skip;', '}', 'thread P1 { r = 3; }', 'exists (P1:r = 3)'].join('\n');
    const { program, diags } = parse(text);
    expect(diags).toEqual(['P102 4:7', 'P101 5:14', 'P101 6:5', 'P101 7:8']);
    expect(program.threads.map((t) => t.name.name)).toEqual(['P0', 'P1']);
    expect(program.threads[0]?.body.map((st) => st.kind)).toEqual(['assign', 'memstmt', 'error', 'assign', 'skip']);
    expect(s(program.threads[1])).toEqual(s(b.thread('P1', [b.assign('r', b.int(3))])));
    expect(program.condition?.quantifier).toBe('exists');
  });
  it('synchronises on top-level keywords after a bad declaration', () => {
    const { program, diags } = parse('thred P0 { r = 1; }\nparam = 3;\nshared y;\n42\nthread P1 {}');
    expect(diags).toEqual(['P104 1:1', 'P101 2:7', 'P104 4:1']);
    expect(program.shared.map((d) => d.name.name)).toEqual(['y']);
    expect(program.threads.map((d) => d.name.name)).toEqual(['P1']);
  });
  it('closes a block left open when the next thread starts', () => {
    const { program, diags } = parse('thread P0 {\n  skip;\nthread P1 { skip; }');
    expect(diags).toEqual(['P101 3:1']);
    expect(program.threads).toHaveLength(2);
  });
  it('reports duplicate headers (P107) and conditions (P108), keeping the first', () => {
    const { program, diags } = parse('test A\ntest B\nexists (x=1)\nforall (x=2)');
    expect(diags).toEqual(['P107 2:1', 'P108 4:1']);
    expect(program.name).toBe('A');
    expect(program.condition?.quantifier).toBe('exists');
  });
  it('reports a stray token where a statement should be (P103)', () => {
    expect(parse('thread P { ;\n else;\n 5; }').diags).toEqual(['P103 1:12', 'P103 2:2', 'P103 3:2']);
  });
  it('reports lexical errors among parse errors, in source order', () => {
    expect(parse('param A = 1 @;\nparam B = "x;\nparam C = ;').diags).toEqual(['E001 1:13', 'E002 2:11', 'P102 2:11', 'P102 3:11']);
  });
  it(`limits nesting to ${MAX_NESTING} levels with one diagnostic`, () => {
    const deep = parse(`param A = ${'('.repeat(MAX_NESTING + 5)}1${')'.repeat(MAX_NESTING + 5)};\nparam B = 2;`);
    expect(deep.diags).toEqual([expect.stringMatching(/^P101 1:/)]);
    expect(deep.program.params.map((p) => p.name.name)).toEqual(['A', 'B']);
    const ok = parse(`param A = ${'('.repeat(MAX_NESTING - 10)}1${')'.repeat(MAX_NESTING - 10)};`);
    expect(ok.diags).toEqual([]);
  });
});
