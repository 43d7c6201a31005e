/** Names, scopes and static checks: every diagnostic code lowering emits, with its line:col. */
import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../../../model/syntax/lower.js';
import { parseMw } from '../../../../model/syntax/parser.js';
import { SourceFile } from '../../../../model/syntax/source.js';
import { evalConst, newSink, modeAllowed, ALLOWED_MODES } from '../../../../model/syntax/resolve.js';
import { MODES } from '../../../../model/syntax/ast.js';
import type { Diagnostic } from '../../../../model/diagnostics/diagnostic.js';
import * as b from '../../../support/astBuilders.js';

function lowerText(text: string, defines: Record<string, number> = {}): { ok: boolean; diagnostics: readonly Diagnostic[] } {
  const file = new SourceFile('t.mw', text);
  const parsed = parseMw(file);
  expect(parsed.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return lowerProgram(parsed.program, file, { defines });
}

/** "CODE line:col" of every diagnostic, in report order. */
function codes(text: string, defines: Record<string, number> = {}): string[] {
  const r = lowerText(text, defines);
  return r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`);
}

function messages(text: string): string[] {
  return lowerText(text).diagnostics.map((d) => d.message);
}

describe('names (N2xx)', () => {
  it('N201: reading an unknown name; a param used before it is declared', () => {
    expect(codes('thread P0 {\n  r = q + 1;\n}')).toEqual(['N201 2:7']);
    expect(codes('param A = B;\nparam B = 1;\nthread P0 { skip; }')).toEqual(['N201 1:11']);
    expect(codes('thread P0 { store.sc(nowhere, 1); }')).toEqual(['N201 1:22']);
  });

  it('registers are the names assigned anywhere in the thread (reading one before its assignment is fine)', () => {
    expect(codes('thread P0 { r = s; s = 1; }')).toEqual([]);
    // …but not names assigned only in another thread
    expect(codes('thread P0 { s = 1; }\nthread P1 { r = s; }')).toEqual(['N201 2:17']);
  });

  it('N202: duplicate declarations (params, shared, threads, constants, template variables)', () => {
    expect(codes('shared x;\nshared x;\nthread P0 { skip; }')).toEqual(['N202 2:8']);
    expect(codes('param x = 1;\nshared x;\nthread P0 { skip; }')).toEqual(['N202 2:8']);
    expect(codes('thread P0 { skip; }\nthread P0 { skip; }')).toEqual(['N202 2:8']);
    expect(codes('shared ok;\nthread P0 { skip; }')).toEqual(['N202 1:8']);
    expect(codes('param N = 2;\nthread T[N in 0..2] { skip; }')).toEqual(['N202 2:10']);
    const r = lowerText('shared x;\nshared x;\nthread P0 { skip; }');
    expect(r.diagnostics[0]?.related?.[0]?.span.line).toBe(1);
  });

  it('N203 / N204: undefined and duplicate labels', () => {
    expect(codes('thread P0 {\n  goto nowhere;\n}')).toEqual(['N203 2:8']);
    expect(codes('thread P0 {\n  L: skip;\n  L: skip;\n}')).toEqual(['N204 3:3']);
  });

  it('N205 / N206: unknown thread or register in a condition', () => {
    const prog = 'thread P0 { r = 1; }\nthread T[i in 0..2] { s = i; }\n';
    expect(codes(`${prog}exists (P9:r = 1)`)).toEqual(['N205 3:9']);
    expect(codes(`${prog}exists (5:r = 1)`)).toEqual(['N205 3:9']);
    expect(codes(`${prog}exists (T:s = 1)`)).toEqual(['N205 3:9']);
    expect(codes(`${prog}exists (T[2]:s = 1)`)).toEqual(['N205 3:9']);
    expect(codes(`${prog}exists (P0:s = 1)`)).toEqual(['N206 3:9']);
    expect(codes(`${prog}exists (1:r = 1)`)).toEqual(['N206 3:9']);
    expect(codes(`${prog}exists (T[1]:s = 1 /\\ 0:r = 1)`)).toEqual([]);
  });

  it('N201 in a condition: a bare name that is neither a location nor a param', () => {
    expect(codes('thread P0 { r = 1; }\nexists (r = 1)')).toEqual(['N201 2:9']);
  });

  it('N207: a memory operation on something that is not a shared location', () => {
    expect(codes('param N = 1;\nthread P0 {\n  r = load.sc(N);\n}')).toEqual(['N207 3:15']);
    expect(codes('thread P0 {\n  r = 1;\n  store.sc(r, 1);\n}')).toEqual(['N207 3:12']);
  });

  it('N208: a shared location used as a register', () => {
    expect(codes('shared x;\nthread P0 {\n  r = x + 1;\n}')).toEqual(['N208 3:7']);
    expect(messages('shared x;\nthread P0 { if (x) { skip; } }')[0]).toMatch(/shared location.*load/);
  });

  it('N209: assignment to a shared location, param, constant or template index', () => {
    expect(codes('shared x;\nthread P0 {\n  x = 1;\n}')).toEqual(['N209 3:3']);
    expect(codes('param N = 1;\nthread P0 {\n  N = 1;\n}')).toEqual(['N209 3:3']);
    expect(codes('thread P0 {\n  ok = 1;\n}')).toEqual(['N209 2:3']);
    expect(codes('thread T[i in 0..2] {\n  i = 1;\n}')).toEqual(['N209 2:3']);
  });

  it('N210: a loop variable named like a global', () => {
    expect(codes('shared x;\nthread P0 {\n  for x in 0..2 { skip; }\n}')).toEqual(['N210 3:7']);
  });
});

describe('static checks (S3xx)', () => {
  it('S301: access modes per operation', () => {
    expect(codes('shared x;\nthread P0 {\n  r = load.rel(x);\n}')).toEqual(['S301 3:7']);
    expect(codes('shared x;\nthread P0 {\n  store.acq(x, 1);\n}')).toEqual(['S301 3:3']);
    expect(codes('shared x;\nthread P0 {\n  r = fetch_add.plain(x, 1);\n}')).toEqual(['S301 3:7']);
    expect(codes('thread P0 {\n  fence.rlx();\n}')).toEqual(['S301 2:3']);
    expect(codes('shared x;\nthread P0 {\n  r = load.sc(x) + load.acq_rel(x);\n}')).toEqual(['S301 3:20']);
    expect(codes('shared x;\nthread P0 { r = load.sc(x); r = load.acq(x); r = load.rlx(x); r = load.plain(x); store.rel(x, 1); fence.acq_rel(); r = cmpxchg.acq(x, 0, 1); }')).toEqual([]);
  });

  it('the mode table matches the language spec', () => {
    const table = Object.fromEntries(Object.keys(ALLOWED_MODES).map((k) => [k, MODES.filter((m) => modeAllowed(k as keyof typeof ALLOWED_MODES, m))]));
    expect(table).toEqual({ load: ['plain', 'sc', 'acq', 'rlx'], store: ['plain', 'sc', 'rel', 'rlx'], rmw: ['sc', 'rel', 'acq', 'rlx', 'acq_rel'], fence: ['sc', 'rel', 'acq', 'acq_rel'] });
  });

  it('S302: constant index out of bounds (in code, after template substitution, and in conditions)', () => {
    expect(codes('shared a[2];\nthread P0 {\n  r = load.sc(a[2]);\n}')).toEqual(['S302 3:17']);
    expect(codes('shared a[2];\nthread P0 {\n  store.sc(a[0 - 1], 1);\n}')).toEqual(['S302 3:14']);
    expect(codes('shared a[2];\nthread T[i in 0..3] {\n  store.sc(a[i], 1);\n}')).toEqual(['S302 3:14']);
    expect(codes('shared a[2];\nthread P0 { skip; }\nexists (a[5] = 0)')).toEqual(['S302 3:9']);
    // a register index is checked at run time, not here
    expect(codes('shared a[2];\nthread P0 { k = 7; r = load.sc(a[k]); }')).toEqual([]);
  });

  it('S303: scalar indexed, array unindexed', () => {
    expect(codes('shared x;\nthread P0 {\n  r = load.sc(x[0]);\n}')).toEqual(['S303 3:15']);
    expect(codes('shared a[2];\nthread P0 {\n  r = load.sc(a);\n}')).toEqual(['S303 3:15']);
    expect(codes('shared a[2];\nthread P0 { skip; }\nexists (a = 0)')).toEqual(['S303 3:9']);
    expect(codes('shared x = {1, 2};\nthread P0 { skip; }')).toEqual(['S303 1:1']);
  });

  it('S304: sizes, template ranges and for bounds must be constant', () => {
    expect(codes('shared x;\nshared a[x];\nthread P0 { skip; }')).toEqual(['S304 2:10']);
    expect(codes('thread P0 {\n  n = 3;\n  for k in 0..n { skip; }\n}')).toEqual(['S304 3:15']);
    expect(codes('shared x;\nthread T[i in 0..load.sc(x)] { skip; }')).toEqual(['S304 2:18']);
    expect(codes('param N = 3;\nshared a[N * 2 + 1];\nthread T[i in 0..N] { for k in i..N { skip; } }')).toEqual([]);
  });

  it('S305: stores, read-modify-writes, wait, notify and fences only as whole statements or right-hand sides', () => {
    expect(codes('shared x;\nthread P0 {\n  r = 1 + fetch_add.sc(x, 1);\n}')).toEqual(['S305 3:11']);
    expect(codes('shared x;\nthread P0 {\n  if (wait(x, 0) == ok) { skip; }\n}')).toEqual(['S305 3:7']);
    expect(codes('shared x;\nshared y;\nthread P0 {\n  store.sc(x, exchange.sc(y, 1));\n}')).toEqual(['S305 4:15']);
    expect(codes('shared x;\nthread P0 {\n  r = store.sc(x, 1);\n}')).toEqual(['S305 3:7']);
    expect(codes('thread P0 {\n  r = fence.sc();\n}')).toEqual(['S305 2:7']);
    expect(codes('shared x;\nthread P0 {\n  await (notify(x) == 1);\n}')).toEqual(['S305 3:10']);
  });

  it('S306 / S307: invalid sizes and ranges, too many initial values', () => {
    expect(codes('shared a[0];\nthread P0 { skip; }')).toEqual(['S306 1:10']);
    expect(codes('thread T[i in 3..1] { skip; }')).toEqual(['S306 1:15']);
    expect(codes('shared a[2] = {1, 2, 3};\nthread P0 { skip; }')).toEqual(['S307 1:22']);
  });

  it('S308: nested critical regions of the same name', () => {
    expect(codes('thread P0 {\n  critical m {\n    critical m { skip; }\n  }\n}')).toEqual(['S308 3:14']);
    expect(codes('thread P0 {\n  critical {\n    if (1) { critical { skip; } }\n  }\n}')).toEqual(['S308 3:14']);
  });

  it('S309: goto into or out of a critical region; within one region is fine', () => {
    expect(codes('thread P0 {\n  goto inside;\n  critical { inside: skip; }\n}')).toEqual(['S309 2:3']);
    expect(codes('thread P0 {\n  critical {\n    goto out;\n  }\n  out: skip;\n}')).toEqual(['S309 3:5']);
    // a goto within one region is fine (the loop never leaves it, so its exit is unreachable: S311)
    expect(codes('thread P0 { critical { L: skip; goto L; } }')).toEqual(['S311 1:41']);
    expect(messages('thread P0 {\n  goto inside;\n  critical { inside: skip; }\n}')[0]).toMatch(/into/);
  });

  it('S310: division by zero in a constant expression (not in ordinary code)', () => {
    expect(codes('param N = 1 / 0;\nthread P0 { skip; }')).toEqual(['S310 1:11']);
    expect(codes('shared a[4 % 0];\nthread P0 { skip; }')).toEqual(['S310 1:10']);
    expect(codes('thread P0 { r = 1 / 0; }')).toEqual([]);
  });

  it('S312 / S313: too many threads or words; no threads at all', () => {
    // at the template range that makes the threads (issue 12: it pointed at 1:1, often a comment)
    expect(codes('thread T[i in 0..65] { skip; }')).toEqual(['S312 1:15']);
    expect(codes('shared a[4000];\nshared b[97];\nthread P0 { skip; }')).toEqual(['S312 1:1']);
    expect(codes('shared a[5000];\nthread P0 { skip; }')).toEqual(['S312 1:10']);
    expect(codes('shared x;')).toEqual(['S313 1:1']);
    expect(codes('thread T[i in 0..0] { skip; }')).toEqual(['S313 1:15']);
    const regs = Array.from({ length: 257 }, (_, k) => `r${k} = ${k};`).join(' ');
    expect(codes(`thread P0 { r = 0; }\nthread Big { ${regs} }`)).toEqual(['S312 2:8']);
    // an empty template is still checked
    expect(codes('thread P0 { skip; }\nthread T[i in 0..0] { r = q; }')).toEqual(['N201 2:27']);
  });
});

describe('params and -D (U5xx)', () => {
  it('evaluates params in order; defines override the declared expression', () => {
    const text = 'param A = 2;\nparam B = A * 3;\nparam C = 1 / 0;\nthread P0 { skip; }';
    expect(codes(text)).toEqual(['S310 3:11']);
    const r = lowerText(text, { C: 7, A: 5 });
    expect(r.ok).toBe(true);
    if (r.ok) expect((r as unknown as { value: { params: unknown } }).value.params).toEqual({ A: 5, B: 15, C: 7 });
  });

  it('U502: a define for an undeclared param is the command line’s (not the program start) and names it', () => {
    const r = lowerText('\n\nparam N = 1;\nthread P0 { skip; }', { M: 3 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['U502']);
    expect(r.diagnostics[0]?.message).toMatch(/'M'/);
    expect(r.diagnostics[0]?.file).toBe('<command line>');
    expect(r.diagnostics[0]?.span).toMatchObject({ start: 0, line: 0, col: 0 });
  });

  it('U501: a define value that is not a 32-bit integer', () => {
    expect(lowerText('param N = 1;\nthread P0 { skip; }', { N: 1.5 }).diagnostics.map((d) => d.code)).toEqual(['U501']);
  });
});

describe('all errors are reported, not just the first', () => {
  it('reports errors from several threads and the condition at once', () => {
    expect(codes('shared x;\nthread P0 {\n  r = q;\n  x = 1;\n}\nthread P1 {\n  store.acq(x, 1);\n}\nexists (P2:r = 0)')).toEqual(['N209 4:3', 'N201 3:7', 'S301 7:3', 'N205 9:9']);
  });

  it('reports a template body error once, not once per instance', () => {
    expect(codes('thread T[i in 0..4] { r = q; }')).toHaveLength(1);
  });
});

describe('error nodes and constant evaluation (hand-built ASTs)', () => {
  it('error nodes left by a parser produce errors, never an IR', () => {
    const prog = b.program({
      threads: [b.thread('P0', [{ kind: 'error', span: b.at(2, 3) }, b.assign('r', { kind: 'error', span: b.at(3, 7) })])],
      condition: b.finalC('exists', { kind: 'error', span: b.at(5, 9) }),
    });
    const r = lowerProgram(prog, new SourceFile('h.mw', ''));
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual(['P103 2:3', 'P102 3:7', 'P109 5:9']);
  });

  it('P106: an rmw whose operands do not match its operation', () => {
    const prog = b.program({
      shared: [b.shared('x')],
      threads: [b.thread('P0', [b.assign('r', b.mem(b.rmw('cmpxchg', 'sc', b.loc('x'), b.int(1), null, b.at(4, 7)))), b.memS(b.rmw('fetch_add', 'sc', b.loc('x'), b.int(1), b.int(2), b.at(5, 3)))])],
    });
    const r = lowerProgram(prog, new SourceFile('h.mw', ''));
    expect(r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual(['P106 4:7', 'P106 5:3']);
  });

  it('evalConst: i32 arithmetic, and the reason a name is not constant', () => {
    const sink = newSink('f');
    const look = (n: string) => (n === 'N' ? 4 : n === 'r' ? ('register' as const) : n === 'x' ? ('shared' as const) : null);
    expect(evalConst(b.bin('*', b.nm('N'), b.int(0x40000000)), look, sink, 'e')).toBe(0);
    expect(evalConst(b.un('-', b.bin('<<', b.int(1), b.int(31))), look, sink, 'e')).toBe(-2147483648);
    expect(sink.list).toEqual([]);
    expect(evalConst(b.bin('+', b.nm('r', b.at(1, 1)), b.nm('x', b.at(1, 5))), look, sink, 'e')).toBeNull();
    expect(sink.list.map((d) => [d.code, d.message])).toEqual([['S304', "e must be a compile-time constant, but 'r' is a register"], ['S304', "e must be a compile-time constant, but 'x' is a shared location"]]);
  });
});
