/**
 * Front-end hints for first locks (issue 12): S320 warns about a register written and never read
 * (a dropped cmpxchg result), and `if (r = 1)` gets a help line saying `==` compares.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../model/frontend.js';

const codes = (name: string, text: string): { code: string; message: string; help?: string | undefined; line: number }[] =>
  compileSource(name, text).diagnostics.map((d) => ({ code: d.code, message: d.message, help: d.help, line: d.span.line }));

describe('S320: a register written and never read', () => {
  const ttas = (body: string): string => `test ttas\nshared lock = 0;\nthread T[i in 0..2] {\n${body}\n  store.sc(lock, 0);\n}\nforall (lock = 0)\n`;

  it('warns once (per template) at the write of a dropped cmpxchg result', () => {
    const d = codes('t.mw', ttas('  t = 1;\n  while (t != 0) {\n    old = cmpxchg.sc(lock, 0, 1);\n  }'));
    expect(d).toEqual([{ code: 'S320', message: "register 'old' is written here and never read", help: expect.stringContaining('while (old != 0)') as unknown as string, line: 6 }]);
  });

  it('no warning when the register is read, named in the condition, or observed as an outcome', () => {
    expect(codes('t.mw', ttas('  t = cmpxchg.sc(lock, 0, 1);\n  while (t != 0) {\n    t = cmpxchg.sc(lock, 0, 1);\n  }'))).toEqual([]);
    expect(codes('c.mw', 'test c\nshared x = 0;\nthread P0 { r = load.sc(x); }\nexists (P0:r = 0)\n')).toEqual([]);
    // without a condition or locations every register is an outcome column: it is read by the outcome
    expect(codes('o.mw', 'test o\nshared x = 0;\nthread P0 { r = load.sc(x); }\n')).toEqual([]);
  });

  it('not for the status results of wait and notify, nor for imported .litmus tests', () => {
    expect(codes('w.mw', 'test w\nshared x = 0;\nthread P0 { w = wait(x, 1); n = notify(x); }\nforall (x = 0)\n')).toEqual([]);
    const litmus = 'X86 T\n"t"\n{ x=0; y=0; }\n P0          | P1          ;\n MOV [x],$1  | MOV [y],$1  ;\n MOV EAX,[y] | MOV EAX,[x] ;\n MOV EBX,[x] | MOV EBX,[y] ;\nexists (0:EAX=0 /\\ 1:EAX=0)\n';
    expect(compileSource('t.litmus', litmus).ir).not.toBeNull();
    expect(codes('t.litmus', litmus).filter((x) => x.code === 'S320')).toEqual([]);
  });
});

describe('if (r = 1)', () => {
  it('the P101 error says that = assigns and == compares', () => {
    const d = codes('a.mw', 'test a\nshared x = 0;\nthread P0 {\n  r = load.sc(x);\n  if (r = 1) { skip; }\n}\n');
    expect(d[0]).toMatchObject({ code: 'P101', message: "expected ')', found '='", line: 5 });
    expect(d[0]?.help).toBe("'=' assigns; a condition compares with '==', e.g. (r == 1)");
    // one error: the parser recovers past the bad condition
    expect(d.length).toBe(1);
  });
});

describe('-D diagnostics point at the -D or at what it sets', () => {
  const src = '// a comment first\ntest t\nparam N = 2;\nshared x = 0;\nthread T[i in 0..N] { store.sc(x, 1); }\n';
  const at = (defines: Record<string, number>) => compileSource('d.mw', src, { defines }).diagnostics.map((d) => ({ code: d.code, file: d.file, line: d.span.line, col: d.span.col }));

  it('an undeclared param (U502) is the command line’s, not line 1 of the file', () => {
    expect(at({ M: 3 })).toEqual([{ code: 'U502', file: '<command line>', line: 0, col: 0 }]);
  });

  it('too many threads (S312) and none (S313) point at the template range the param sets', () => {
    expect(at({ N: 100 })).toEqual([{ code: 'S312', file: 'd.mw', line: 5, col: 15 }]);
    expect(at({ N: 0 })).toEqual([{ code: 'S313', file: 'd.mw', line: 5, col: 15 }]);
  });
});
