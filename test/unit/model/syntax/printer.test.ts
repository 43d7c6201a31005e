/** Printer tests: canonical text for each construct, and the print/parse round trip over random ASTs. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Program } from '../../../../model/syntax/ast.js';
import { parseMw } from '../../../../model/syntax/parser.js';
import {
  printCond,
  printCondTerm,
  printExpr,
  printFinalCondition,
  printMemOp,
  printProgram,
  printStmt,
  printStmtHead,
  printString,
} from '../../../../model/syntax/printer.js';
import { SourceFile } from '../../../../model/syntax/source.js';
import { arbProgram, stripSpans } from '../../../arbitraries/ast.js';
import * as b from '../../../support/astBuilders.js';

const SEED = Number(process.env['MEMWEAVE_SEED'] ?? 20240611);
const NUM_RUNS = 600;

function parse(text: string): ReturnType<typeof parseMw> {
  return parseMw(new SourceFile('rt.mw', text));
}

describe('printExpr', () => {
  const x = b.nm('x');
  const y = b.nm('y');
  const z = b.nm('z');
  it('uses the fewest parentheses C precedence allows', () => {
    expect(printExpr(b.bin('+', x, b.bin('*', y, z)))).toBe('x + y * z');
    expect(printExpr(b.bin('*', b.bin('+', x, y), z))).toBe('(x + y) * z');
    expect(printExpr(b.bin('-', b.bin('-', x, y), z))).toBe('x - y - z');
    expect(printExpr(b.bin('-', x, b.bin('-', y, z)))).toBe('x - (y - z)');
    expect(printExpr(b.bin('||', b.bin('&&', x, y), z))).toBe('x && y || z');
    expect(printExpr(b.bin('&', b.bin('==', x, y), z))).toBe('x == y & z');
    expect(printExpr(b.bin('==', x, b.bin('&', y, z)))).toBe('x == (y & z)');
  });
  it('prints unary operators, parenthesising a double minus', () => {
    expect(printExpr(b.un('-', x))).toBe('-x');
    expect(printExpr(b.un('!', b.bin('<', x, y)))).toBe('!(x < y)');
    expect(printExpr(b.un('-', b.un('-', x)))).toBe('-(-x)');
    expect(printExpr(b.un('~', b.un('!', x)))).toBe('~!x');
    expect(printExpr(b.bin('-', x, b.un('-', b.int(1))))).toBe('x - -1');
  });
  it('prints integers in decimal, negative ones with a minus', () => {
    expect(printExpr(b.int(0x7fffffff))).toBe('2147483647');
    expect(printExpr(b.int(-2147483648))).toBe('-2147483648');
    expect(printExpr(b.bin('*', b.int(-3), x))).toBe('-3 * x');
  });
  it('prints loads inside expressions', () => {
    expect(printExpr(b.bin('==', b.mem(b.load('acq', b.loc('a', b.int(2)))), x))).toBe('load.acq(a[2]) == x');
  });
});

describe('printMemOp', () => {
  const x = b.loc('x');
  it('prints every operation kind', () => {
    expect(printMemOp(b.load('plain', x))).toBe('load.plain(x)');
    expect(printMemOp(b.store('rel', x, b.int(1)))).toBe('store.rel(x, 1)');
    expect(printMemOp(b.rmw('fetch_add', 'sc', x, b.int(1)))).toBe('fetch_add.sc(x, 1)');
    expect(printMemOp(b.rmw('cmpxchg', 'acq_rel', b.loc('a', b.nm('i')), b.int(1), b.int(0)))).toBe('cmpxchg.acq_rel(a[i], 0, 1)');
    expect(printMemOp(b.fence('sc'))).toBe('fence.sc()');
    expect(printMemOp(b.wait(x, b.int(0)))).toBe('wait(x, 0)');
    expect(printMemOp(b.wait(x, b.int(0), b.int(100)))).toBe('wait(x, 0, 100)');
    expect(printMemOp(b.notify(x))).toBe('notify(x)');
    expect(printMemOp(b.notify(x, b.int(1)))).toBe('notify(x, 1)');
  });
});

describe('printStmt and printStmtHead', () => {
  it('indents blocks by two spaces and prints else-if chains flat', () => {
    const s = b.ifS(b.nm('c'), [b.skip()], [b.ifS(b.nm('d'), [b.label('L'), b.goto('L')], [])]);
    expect(printStmt(s)).toBe('if (c) {\n  skip;\n} else if (d) {\n  L:\n  goto L;\n} else {}');
    expect(printStmt(b.whileS(b.int(1), [b.assign('r', b.int(2))]), 1)).toBe('  while (1) {\n    r = 2;\n  }');
  });
  it('renders one-line heads for trace origins', () => {
    expect(printStmtHead(b.ifS(b.nm('c'), [b.skip()]))).toBe('if (c)');
    expect(printStmtHead(b.critical('m', [b.skip()]))).toBe('critical m');
    expect(printStmtHead(b.critical(null, []))).toBe('critical');
    expect(printStmtHead(b.forS('k', b.int(0), b.nm('K'), []))).toBe('for k in 0..K');
    expect(printStmtHead(b.assign('r0', b.mem(b.load('sc', b.loc('x')))))).toBe('r0 = load.sc(x)');
    expect(printStmtHead(b.assertS(b.nm('ok'), 'say "hi"'))).toBe('assert (ok, "say \\"hi\\"")');
  });
});

describe('conditions', () => {
  const p0 = b.eq(b.regT('P0', 'r0'), b.intT(0));
  const p1 = b.eq(b.regT('P1', 'r0'), b.intT(0));
  it('prints herd syntax', () => {
    expect(printFinalCondition(b.finalC('exists', b.andC(p0, p1)))).toBe('exists (P0:r0=0 /\\ P1:r0=0)');
    expect(printFinalCondition(b.finalC('not exists', p0))).toBe('~exists (P0:r0=0)');
    expect(printCondTerm(b.regT('T', 'r', 1))).toBe('T[1]:r');
    expect(printCondTerm(b.regT(0, 'r0'))).toBe('0:r0');
    expect(printCondTerm(b.locT('a', 2))).toBe('a[2]');
    expect(printCondTerm(b.intT(-1))).toBe('-1');
  });
  it('uses the fewest parentheses: ~ > /\\ > \\/ > =>', () => {
    const or = { kind: 'or', left: p0, right: p1, span: p0.span } as const;
    const not = { kind: 'not', operand: or, span: p0.span } as const;
    expect(printCond(b.andC(or, p0))).toBe('(P0:r0=0 \\/ P1:r0=0) /\\ P0:r0=0');
    expect(printCond({ kind: 'or', left: b.andC(p0, p1), right: p0, span: p0.span })).toBe('P0:r0=0 /\\ P1:r0=0 \\/ P0:r0=0');
    expect(printCond(not)).toBe('~(P0:r0=0 \\/ P1:r0=0)');
    expect(printCond({ kind: 'not', operand: p0, span: p0.span })).toBe('~P0:r0=0');
    const imp = { kind: 'implies', left: p0, right: p1, span: p0.span } as const;
    expect(printCond({ kind: 'implies', left: p0, right: imp, span: p0.span })).toBe('P0:r0=0 => P0:r0=0 => P1:r0=0');
    expect(printCond({ kind: 'implies', left: imp, right: p0, span: p0.span })).toBe('(P0:r0=0 => P1:r0=0) => P0:r0=0');
  });
});

describe('printProgram', () => {
  it('prints the spec example canonically', () => {
    const text = 'test SB "Store buffering"\nsource "Shasha & Snir 1988"\nshared x = 0;\nshared y = 0;\nthread P0 {\n  store.plain(x, 1);\n  r0 = load.plain(y);\n}\nthread P1 {\n  store.plain(y, 1);\n  r0 = load.plain(x);\n}\nexists (P0:r0=0 /\\ P1:r0=0)\n';
    const { program, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(printProgram(program)).toBe(text);
  });
  it('quotes test names that are not plain identifiers and escapes strings', () => {
    const p: Program = b.program({ name: '2+2W', description: 'a "quoted"\\ line\nnext' });
    expect(printProgram(p)).toBe('test "2+2W" "a \\"quoted\\"\\\\ line\\nnext"\n');
    expect(printProgram(b.program({ name: 'exists' }))).toBe('test "exists"\n');
    expect(printProgram(b.program({ description: 'only' }))).toBe('description "only"\n');
    expect(printString('tab\there')).toBe('"tab\\there"');
  });
  it('prints metadata other than source as comments', () => {
    const p = b.program({ metadata: [{ key: 'Cycle', value: 'Rfe Fre' }, { key: 'source', value: 'herd' }] });
    expect(printProgram(p)).toBe('// Cycle: Rfe Fre\nsource "herd"\n');
  });
});

describe('round trip (seeded property)', () => {
  it(`parse(print(p)) equals p without spans, and printing is stable (seed ${SEED})`, () => {
    const prop = fc.property(arbProgram, (p) => {
      const text = printProgram(p);
      const { program, diagnostics } = parse(text);
      expect(diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`)).toEqual([]);
      expect(stripSpans(program)).toEqual(stripSpans(p));
      expect(printProgram(program)).toBe(text);
    });
    try {
      fc.assert(prop, { seed: SEED, numRuns: NUM_RUNS });
    } catch (e) {
      console.error(`round trip failed; rerun with MEMWEAVE_SEED=${SEED}`);
      throw e;
    }
  });
});
