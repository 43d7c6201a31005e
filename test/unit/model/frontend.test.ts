/** compileSource: routing by file type, parse → lower gating, defines, and never throwing. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileSource } from '../../../model/frontend.js';
import { validateIr } from '../../../model/irValidate.js';
import { arbMutatedSource, arbTokenSoup } from '../../arbitraries/mutate.js';
import { assertSeeded, seedFromEnv } from '../../arbitraries/irProgram.js';

/** fc.assert with the pinned seed, printed on failure. */
const check = <T>(prop: fc.IProperty<T>, numRuns: number): void => assertSeeded(prop, SEED, numRuns);

const SEED = seedFromEnv(99);

const MP = `test MP "message passing"
shared data = 0;
shared flag = 0;
param V = 42;
thread P0 {
  store.plain(data, V);
  store.rel(flag, 1);
}
thread P1 {
  await (load.acq(flag) == 1);
  r = load.plain(data);
}
forall (P1:r = V)
`;

describe('compileSource', () => {
  it('compiles a .mw program to IR with no diagnostics', () => {
    const out = compileSource('examples/mp.mw', MP);
    expect(out.diagnostics).toEqual([]);
    expect(out.file.name).toBe('examples/mp.mw');
    expect(out.ast?.name).toBe('MP');
    expect(out.ir).not.toBeNull();
    expect(validateIr(out.ir!)).toEqual([]);
    expect(out.ir!.threads.map((t) => t.name)).toEqual(['P0', 'P1']);
    expect(out.ir!.condition?.text).toBe('forall (P1:r=V)');
    expect(out.ir!.condition?.cond).toMatchObject({ right: { kind: 'const', value: 42 } });
  });

  it('passes defines to lowering, and reports U502 for an unknown one', () => {
    const out = compileSource('mp.mw', MP, { defines: { V: 7 } });
    expect(out.ir?.params).toEqual({ V: 7 });
    expect(out.ir?.threads[0]!.code[0]).toMatchObject({ kind: 'store', value: { kind: 'const', value: 7 } });
    const bad = compileSource('mp.mw', MP, { defines: { W: 1 } });
    expect(bad.ir).toBeNull();
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['U502']);
  });

  it('does not lower when parsing fails: parse diagnostics only, AST kept, no IR', () => {
    const out = compileSource('bad.mw', 'thread P0 {\n  r = ;\n  q = undefined_name;\n}');
    expect(out.ir).toBeNull();
    expect(out.ast).not.toBeNull();
    expect(out.diagnostics.length).toBeGreaterThan(0);
    expect(out.diagnostics.every((d) => /^[EP]/.test(d.code))).toBe(true);
    expect(out.diagnostics[0]!.span.line).toBe(2);
  });

  it('reports lowering errors with the file name', () => {
    const out = compileSource('names.mw', 'shared x;\nthread P0 { r = x; }');
    expect(out.ir).toBeNull();
    expect(out.diagnostics.map((d) => [d.code, d.file, d.span.line, d.span.col])).toEqual([['N208', 'names.mw', 2, 17]]);
  });

  it('routes .litmus files to the herd importer', () => {
    const sb = 'X86 SB\n"Fre PodWR Fre PodWR"\n{ x=0; y=0; }\n P0          | P1          ;\n MOV [x],$1  | MOV [y],$1  ;\n MOV EAX,[y] | MOV EAX,[x] ;\nexists (0:EAX=0 /\\ 1:EAX=0)\n';
    const out = compileSource('x86/SB.litmus', sb);
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(out.ir).not.toBeNull();
    expect(validateIr(out.ir!)).toEqual([]);
    expect(out.ir!.threads).toHaveLength(2);
    expect(out.ir!.observables).toHaveLength(2);
    // the same text as .mw is not valid .mw
    expect(compileSource('SB.mw', sb).ir).toBeNull();
  });

  it('never throws; no IR always comes with an error; any IR validates (property)', () => {
    const valid = fc.constantFrom(MP, 'shared x;\nthread P0 { for k in 0..3 { store.sc(x, k); } }\nthread T[i in 0..2] { r = load.sc(x); }\nexists (T[1]:r = 2)\n');
    const input = fc.oneof(arbMutatedSource(valid), arbTokenSoup, fc.string({ maxLength: 200 }));
    check(fc.property(input, fc.constantFrom('f.mw', 'f.litmus'), (text, name) => {
      const out = compileSource(name, text);
      if (out.ir === null) expect(out.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      else expect(validateIr(out.ir)).toEqual([]);
    }), 400);
  });
});
