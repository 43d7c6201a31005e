/** validateIr: valid programs pass; each kind of structural breakage is caught and named. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateIr } from '../../../model/irValidate.js';
import { lowerProgram } from '../../../model/syntax/lower.js';
import { parseMw } from '../../../model/syntax/parser.js';
import { SourceFile } from '../../../model/syntax/source.js';
import type { IrInstr, IrProgram, IrThread } from '../../../model/ir.js';
import { arbIrProgram, assertSeeded, seedFromEnv } from '../../arbitraries/irProgram.js';

/** fc.assert with the pinned seed, printed on failure. */
const check = <T>(prop: fc.IProperty<T>, numRuns: number): void => assertSeeded(prop, SEED, numRuns);

const SEED = seedFromEnv(7);

const TEXT = `test V
shared x = 0;
shared a[2] = {1, 2};
thread P0 {
  r = load.sc(x);
  if (r == 0) { store.rel(a[1], r + 1); }
  critical m { c = fetch_add.sc(x, 1); }
  w = wait(x, 5, 1);
  notify(x);
  fence.sc();
}
thread P1 { s = cmpxchg.sc(x, 0, 1); await (load.acq(x) == 1); assert (s >= 0); }
exists (P0:r = 0 /\\ a[1] = 1)
filter (P1:s = 0)
`;

function base(): IrProgram {
  const file = new SourceFile('v.mw', TEXT);
  const r = lowerProgram(parseMw(file).program, file);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

/** Replace instruction `pc` of thread `t`. */
function withInstr(p: IrProgram, t: number, pc: number, f: (i: IrInstr) => IrInstr): IrProgram {
  const threads = p.threads.map((th, k): IrThread => (k !== t ? th : { ...th, code: th.code.map((i, j) => (j === pc ? f(i) : i)) }));
  return { ...p, threads };
}

function find(p: IrProgram, t: number, kind: IrInstr['kind']): number {
  const pc = p.threads[t]!.code.findIndex((i) => i.kind === kind);
  expect(pc).toBeGreaterThanOrEqual(0);
  return pc;
}

describe('validateIr', () => {
  it('accepts a lowered program using every instruction kind lowering emits', () => {
    const p = base();
    expect(new Set(p.threads.flatMap((t) => t.code.map((i) => i.kind)))).toEqual(new Set(['load', 'branch', 'store', 'enter', 'rmw', 'exit', 'wait', 'notify', 'fence', 'await', 'assert']));
    expect(validateIr(p)).toEqual([]);
  });

  it('accepts generated IR programs (property)', () => {
    check(fc.property(arbIrProgram({ allowAsserts: true, allowDivision: true }), (p) => {
      expect(validateIr(p)).toEqual([]);
    }), 200);
  });

  const cases: [string, (p: IrProgram) => IrProgram, RegExp][] = [
    ['register out of range in an expression', (p) => withInstr(p, 0, find(p, 0, 'store'), (i) => ({ ...i, value: { kind: 'reg', reg: 99 } }) as IrInstr), /register 99 out of range/],
    ['dst out of range', (p) => withInstr(p, 0, find(p, 0, 'load'), (i) => ({ ...i, dst: 7 }) as IrInstr), /dst 7 out of range/],
    ['assign dst -1', (p) => withInstr(p, 0, find(p, 0, 'load'), (i) => ({ kind: 'assign', dst: -1, value: { kind: 'const', value: 0 }, origin: i.origin })), /dst -1 out of range/],
    ['location out of range', (p) => withInstr(p, 0, find(p, 0, 'load'), (i) => ({ ...i, addr: { loc: 5, index: { kind: 'const', value: 0 } } }) as IrInstr), /location 5 out of range/],
    ['branch target past the end', (p) => withInstr(p, 0, find(p, 0, 'branch'), (i) => ({ ...i, target: 1000 }) as IrInstr), /target 1000 out of range/],
    ['negative jump target', (p) => withInstr(p, 0, 0, (i) => ({ kind: 'jump', target: -1, origin: i.origin })), /target -1 out of range/],
    ['load with a release mode', (p) => withInstr(p, 0, find(p, 0, 'load'), (i) => ({ ...i, mode: 'rel' }) as IrInstr), /mode rel not allowed/],
    ['store with an acquire mode', (p) => withInstr(p, 0, find(p, 0, 'store'), (i) => ({ ...i, mode: 'acq' }) as IrInstr), /mode acq not allowed/],
    ['plain rmw', (p) => withInstr(p, 0, find(p, 0, 'rmw'), (i) => ({ ...i, mode: 'plain' }) as IrInstr), /mode plain not allowed/],
    ['rlx fence', (p) => withInstr(p, 0, find(p, 0, 'fence'), (i) => ({ ...i, mode: 'rlx' }) as IrInstr), /mode rlx not allowed/],
    ['cmpxchg without expected', (p) => withInstr(p, 1, find(p, 1, 'rmw'), (i) => ({ ...i, expected: null }) as IrInstr), /expected must be present exactly for cmpxchg/],
    ['region out of range', (p) => withInstr(p, 0, find(p, 0, 'enter'), (i) => ({ ...i, region: 3 }) as IrInstr), /region 3 out of range/],
    ['non-i32 constant', (p) => withInstr(p, 0, find(p, 0, 'store'), (i) => ({ ...i, value: { kind: 'const', value: 2 ** 31 } }) as IrInstr), /not a 32-bit integer/],
    ['unknown operator', (p) => withInstr(p, 0, find(p, 0, 'store'), (i) => ({ ...i, value: { kind: 'binary', op: '**', left: { kind: 'const', value: 1 }, right: { kind: 'const', value: 1 } } }) as unknown as IrInstr), /unknown binary operator \*\*/],
    ['inconsistent base', (p) => ({ ...p, locations: p.locations.map((l, k) => (k === 1 ? { ...l, base: 0 } : l)) }), /base 0, expected 1/],
    ['init length mismatch', (p) => ({ ...p, locations: p.locations.map((l, k) => (k === 1 ? { ...l, init: [1] } : l)) }), /init has 1 values for size 2/],
    ['scalar of size 2', (p) => ({ ...p, locations: [{ ...p.locations[0]!, size: 2, init: [0, 0] }, { ...p.locations[1]!, base: 2 }], memorySize: 4 }), /a scalar has size 2/],
    ['wrong memorySize', (p) => ({ ...p, memorySize: 9 }), /memorySize 9 does not match/],
    ['memory too large', (p) => ({ ...p, locations: [{ ...p.locations[0]!, isArray: true, size: 5000, init: new Array<number>(5000).fill(0) }], memorySize: 5000 }), /exceeds 4096/],
    ['no threads', (p) => ({ ...p, threads: [] }), /no threads/],
    ['too many threads', (p) => ({ ...p, threads: Array.from({ length: 65 }, (_, k) => ({ ...p.threads[0]!, name: `Q${k}` })) }), /65 threads exceed 64/],
    ['too many registers', (p) => ({ ...p, threads: [{ ...p.threads[0]!, registers: Array.from({ length: 300 }, (_, k) => `q${k}`) }, p.threads[1]!] }), /300 registers exceed 256/],
    ['duplicate thread names', (p) => ({ ...p, threads: [p.threads[0]!, { ...p.threads[1]!, name: 'P0' }] }), /duplicate name P0/],
    ['template name mismatch', (p) => ({ ...p, threads: [{ ...p.threads[0]!, template: { name: 'T', index: 0 } }, p.threads[1]!] }), /does not match its template T\[0\]/],
    ['unprintable program name', (p) => ({ ...p, name: 'a\nb' }), /program name .* not printable/],
    ['empty register name', (p) => ({ ...p, threads: [{ ...p.threads[0]!, registers: p.threads[0]!.registers.map((r, k) => (k === 0 ? '' : r)) }, p.threads[1]!] }), /register 0 name is not printable/],
    ['duplicate region', (p) => ({ ...p, regions: ['m', 'm'] }), /duplicated/],
    ['observable slot out of range', (p) => ({ ...p, observables: [{ name: 'zz', what: { kind: 'mem', slot: 3 } }] }), /slot 3 out of range/],
    ['observable register out of range', (p) => ({ ...p, observables: [{ name: 'P1:q', what: { kind: 'reg', thread: 1, reg: 40 } }] }), /register 40 out of range for P1/],
    ['observable listed twice', (p) => ({ ...p, observables: [...p.observables, { name: 'again', what: p.observables[0]!.what }] }), /listed twice/],
    ['condition refers to a missing thread', (p) => ({ ...p, condition: { ...p.condition!, cond: { kind: 'cmp', op: '=', left: { kind: 'reg', thread: 4, reg: 0 }, right: { kind: 'const', value: 0 } } } }), /thread 4 out of range/],
    ['filter refers to a missing slot', (p) => ({ ...p, filter: { kind: 'not', operand: { kind: 'cmp', op: '!=', left: { kind: 'mem', slot: -1 }, right: { kind: 'const', value: 0 } } } }), /slot -1 out of range/],
    ['non-i32 param', (p) => ({ ...p, params: { N: 1.5 } }), /param N = 1.5/],
  ];
  it.each(cases)('rejects: %s', (_name, mutate, expected) => {
    const errs = validateIr(mutate(base()));
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.join('\n')).toMatch(expected);
  });
});
