/**
 * Issue 13, nesting: deep or long input to the herd importers and the printer ends in one coded,
 * positioned diagnostic (H410, the .mw parser's limit of 200 levels), never a stack overflow, on
 * every command (`parse` prints through the printer, `check` lowers and explores).
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { fakeIo } from '../cli/fakeIo.js';
import { parse, where } from '../model/litmus/helpers.js';
import { MAX_NESTING } from '../../../model/syntax/parser.js';
import { printCond, printExpr } from '../../../model/syntax/printer.js';
import type { CondExpr, Expr } from '../../../model/syntax/ast.js';

const C_BODY = (body: string, cond = 'x=1'): string => `C T\n{}\nP0(atomic_int* x) {\n${body}\n}\nexists (${cond})\n`;
const X86 = (cond: string): string => `X86 T\n{ x=0; }\n P0          ;\n MOV [x],$1  ;\nexists (${cond})\n`;

/** Every case: a name and the litmus text. */
const DEEP: readonly (readonly [string, string])[] = [
  ['500 parentheses in a C expression', C_BODY(`int r = ${'('.repeat(500)}1${')'.repeat(500)};`)],
  ['5000 parentheses in a C expression', C_BODY(`int r = ${'('.repeat(5000)}1${')'.repeat(5000)};`)],
  ['5000 parentheses around a dereferenced location', C_BODY(`int r = *${'('.repeat(5000)}x${')'.repeat(5000)};`)],
  ['5000 unary minus in C', C_BODY(`int r = ${'- '.repeat(5000)}1;`)],
  ['8000-term + chain in C', C_BODY(`int r = 1${' + 1'.repeat(8000)};`)],
  ['1000 nested blocks in C', C_BODY(`${'{'.repeat(1000)}int r = 1;${'}'.repeat(1000)}`)],
  ['1000 nested ifs in C', C_BODY(`int r = 0;${' if (r == 0)'.repeat(1000)} r = 1;`)],
  ['2000 parentheses in exists', X86(`${'('.repeat(2000)}x=1${')'.repeat(2000)}`)],
  ['8000-term /\\ chain in exists', X86(`x=1${' /\\ x=1'.repeat(8000)}`)],
  ['8000-term \\/ chain in exists', X86(`x=1${' \\/ x=1'.repeat(8000)}`)],
  ['8000-term => chain in exists', X86(`x=1${' => x=1'.repeat(8000)}`)],
  ['5000 ~ in exists', X86(`${'~'.repeat(5000)}x=1`)],
  ['5000 not in exists', X86(`${'not '.repeat(5000)}x=1`)],
];

describe('litmus nesting limit', () => {
  for (const [name, text] of DEEP) {
    it(`${name}: one H410 with a position, no crash`, () => {
      const r = parse(text);
      const deep = r.diagnostics.filter((d) => d.code === 'H410');
      expect(deep).toHaveLength(1);
      expect(deep[0]?.message).toContain(`limit is ${MAX_NESTING} levels`);
      expect(deep[0]?.span.line).toBeGreaterThan(0);
      expect(deep[0]?.span.col).toBeGreaterThan(0);
    });
  }

  for (const [name, text] of DEEP) {
    for (const cmd of ['parse', 'check', 'fmt'] as const) {
      it(`${cmd} on ${name}: exit 2 with H410, no stack trace`, async () => {
        const io = fakeIo({ files: { 't.litmus': text } });
        const code = await main([cmd, 't.litmus'], io);
        expect(code).toBe(2);
        expect(io.err).toContain('error[H410]');
        expect(io.err).not.toMatch(/RangeError|Maximum call stack|internal error/);
      });
    }
  }

  it('nesting at the limit is still accepted', () => {
    const depth = MAX_NESTING - 10;
    expect(where(parse(C_BODY(`int r = ${'('.repeat(depth)}1${')'.repeat(depth)};`)).diagnostics)).toEqual([]);
    expect(where(parse(X86(`${'('.repeat(depth)}x=1${')'.repeat(depth)}`)).diagnostics)).toEqual([]);
    expect(where(parse(X86(`x=1${' /\\ x=1'.repeat(depth)}`)).diagnostics)).toEqual([]);
    expect(where(parse(X86(`${'~'.repeat(depth)}x=1`)).diagnostics)).toEqual([]);
  });
});

describe('printer on long chains', () => {
  const span = { start: 0, end: 0, line: 0, col: 0 };
  it('prints a 100000-term left-nested + chain without recursing per term', () => {
    let e: Expr = { kind: 'int', value: 1, span };
    for (let i = 0; i < 100_000; i++) e = { kind: 'binary', op: i % 2 === 0 ? '+' : '-', left: e, right: { kind: 'name', name: 'r', span }, span };
    const out = printExpr(e);
    expect(out.startsWith('1 + r - r + r')).toBe(true);
    expect(out.length).toBe(1 + 100_000 * 4);
  });
  it('prints a 100000-term /\\ chain and keeps the parentheses a right operand needs', () => {
    const atom: CondExpr = { kind: 'cmp', op: '=', left: { kind: 'loc', name: 'x', index: null, span }, right: { kind: 'int', value: 1, span }, span };
    let c: CondExpr = atom;
    for (let i = 0; i < 100_000; i++) c = { kind: 'and', left: c, right: atom, span };
    expect(printCond(c)).toBe(Array(100_001).fill('x=1').join(' /\\ '));
    const mixed: CondExpr = { kind: 'and', left: { kind: 'or', left: atom, right: atom, span }, right: { kind: 'and', left: atom, right: atom, span }, span };
    expect(printCond(mixed)).toBe('(x=1 \\/ x=1) /\\ (x=1 /\\ x=1)');
  });
});

describe('printing stays within the nesting limit', () => {
  // Known limit: the printer parenthesises a double minus (`-(-x)`, a design choice pinned in
  // printer.test.ts), so N nested unary minuses print as 2N levels, and a program with more than
  // 100 of them prints (parse, fmt) as text the parser refuses with P101. Deep parentheses do
  // round-trip. Printing `- -x` instead would fix it; left for the printer's owner to decide.
  it.fails('150 nested unary minuses print as a program that parses again', async () => {
    const text = `test t;\nshared x = 0;\nthread P0 {\n  r = ${'- '.repeat(150)}load.sc(x);\n}\n`;
    const io = fakeIo({ files: { 'n.mw': text } });
    expect(await main(['parse', 'n.mw'], io)).toBe(0);
    const again = fakeIo({ files: { 'n.mw': io.out } });
    expect(await main(['parse', 'n.mw'], again)).toBe(0);
  });

  it('190 nested parentheses print as a program that parses again', async () => {
    const text = `test t;\nshared x = 0;\nthread P0 {\n  r = ${'('.repeat(190)}1${' + load.sc(x))'.repeat(190)};\n}\n`;
    const io = fakeIo({ files: { 'n.mw': text } });
    expect(await main(['parse', 'n.mw'], io)).toBe(0);
    const again = fakeIo({ files: { 'n.mw': io.out } });
    expect(await main(['parse', 'n.mw'], again)).toBe(0);
    expect(again.out).toBe(io.out);
  });
});
