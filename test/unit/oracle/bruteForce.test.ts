/**
 * Tests of the brute-force oracle itself (test/oracle/bruteForce.ts) on hand-built classic litmus
 * tests with published outcome sets, on the semantics of single instructions, and on the program
 * generator (test/arbitraries/irProgram.ts). Expected sets come from the literature, not from runs:
 *  - SB, SB+mfence, SB with xchg, SB with forwarding (n6-like), IRIW, 2+2W: Owens, Sarkar,
 *    Sewell, "A better x86 memory model: x86-TSO" (TPHOLs 2009) and Sewell et al., "x86-TSO"
 *    (CACM 53(7), 2010), examples 8-1 … 8-10 of the Intel SDM they formalise.
 *  - MP, LB, 2+2W: herd7's catalogue (herdtools7 litmus/x86: MP, LB, 2+2W are forbidden on x86).
 *  - PSO: SPARC V9 Architecture Manual, appendix D (PSO lets stores to different locations reach
 *    memory out of order, so MP and 2+2W become observable; loads stay in order, so LB does not).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BareInstr } from '../../arbitraries/irProgram.js';
import { arbIrProgram, arbScOnlyProgram, buildIrProgram, seedFromEnv } from '../../arbitraries/irProgram.js';
import { bruteForce, outcomeKey, outcomeKeyOfRecord } from '../../oracle/bruteForce.js';
import type { IrExpr, Mode, RmwOp } from '../../../model/ir.js';
import { validateIr } from '../../../model/irValidate.js';

const SEED = seedFromEnv(20240607);
console.log(`[oracle tests] fast-check seed ${SEED} (override with MEMWEAVE_SEED)`);

// ---------------------------------------------------------------- tiny instruction builders

const c = (value: number): IrExpr => ({ kind: 'const', value });
const r = (reg: number): IrExpr => ({ kind: 'reg', reg });
const bin = (op: '==' | '!=' | '+' | '/', left: IrExpr, right: IrExpr): IrExpr => ({ kind: 'binary', op, left, right });
const at = (loc: number, index: IrExpr = c(0)) => ({ loc, index });
const ld = (dst: number, loc: number, mode: Mode = 'plain'): BareInstr => ({ kind: 'load', dst, addr: at(loc), mode });
const st = (loc: number, value: number | IrExpr, mode: Mode = 'plain'): BareInstr => ({ kind: 'store', addr: at(loc), value: typeof value === 'number' ? c(value) : value, mode });
const rmw = (op: RmwOp, dst: number, loc: number, value: number, expected: number | null = null, mode: Mode = 'sc'): BareInstr => ({
  kind: 'rmw', op, dst, addr: at(loc), expected: expected === null ? null : c(expected), value: c(value), mode,
});
const fence = (mode: Mode): BareInstr => ({ kind: 'fence', mode });

/** Two or more threads over scalars named by `locs`. */
function prog(locs: string[], threads: { registers: number; code: BareInstr[] }[]) {
  return buildIrProgram({ locations: locs.map((name) => ({ name })), threads });
}

/** Outcome keys of the given value rows. */
const keys = (...rows: number[][]): Set<string> => new Set(rows.map(outcomeKey));

const MODELS = ['sc', 'tso', 'pso'] as const;

// ---------------------------------------------------------------- classics

describe('bruteForce on classic litmus tests', () => {
  // observables: P0:r0, P1:r0, x, y
  const sb = (store: (loc: number) => BareInstr, mid: BareInstr[] = []) =>
    prog(['x', 'y'], [
      { registers: 1, code: [store(0), ...mid, ld(0, 1)] },
      { registers: 1, code: [store(1), ...mid, ld(0, 0)] },
    ]);
  const scSb = keys([0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 1, 1]);
  const weakSb = keys([0, 0, 1, 1], [0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 1, 1]);

  it('SB: both loads may miss both stores under TSO and PSO, never under SC', () => {
    const p = sb((l) => st(l, 1));
    expect(bruteForce(p, 'sc').outcomes).toEqual(scSb);
    expect(bruteForce(p, 'tso').outcomes).toEqual(weakSb);
    expect(bruteForce(p, 'pso').outcomes).toEqual(weakSb);
  });

  it('SB+mfence (fence.sc between store and load) is forbidden in every model', () => {
    const p = sb((l) => st(l, 1), [fence('sc')]);
    for (const m of MODELS) expect(bruteForce(p, m).outcomes).toEqual(scSb);
  });

  it('SB with sc stores is forbidden in every model', () => {
    const p = sb((l) => st(l, 1, 'sc'));
    for (const m of MODELS) expect(bruteForce(p, m).outcomes).toEqual(scSb);
  });

  it('SB with xchg as the stores (locked RMW) is forbidden in every model', () => {
    const p = sb((l) => rmw('exchange', -1, l, 1));
    for (const m of MODELS) expect(bruteForce(p, m).outcomes).toEqual(scSb);
  });

  it('SB with rel stores and acq loads is still allowed under TSO (no StoreLoad order)', () => {
    const p = prog(['x', 'y'], [
      { registers: 1, code: [st(0, 1, 'rel'), ld(0, 1, 'acq')] },
      { registers: 1, code: [st(1, 1, 'rel'), ld(0, 0, 'acq')] },
    ]);
    expect(bruteForce(p, 'tso').outcomes).toEqual(weakSb);
  });

  it('SB with store forwarding: each thread sees its own store early (x86-TSO n6-like)', () => {
    // P0: x=1; r0=x; r1=y   P1: y=1; r0=y; r1=x — observables P0:r0 P0:r1 P1:r0 P1:r1 x y
    const p = prog(['x', 'y'], [
      { registers: 2, code: [st(0, 1), ld(0, 0), ld(1, 1)] },
      { registers: 2, code: [st(1, 1), ld(0, 1), ld(1, 0)] },
    ]);
    const both = outcomeKey([1, 0, 1, 0, 1, 1]);
    expect(bruteForce(p, 'sc').outcomes.has(both)).toBe(false);
    expect(bruteForce(p, 'tso').outcomes.has(both)).toBe(true);
    expect(bruteForce(p, 'pso').outcomes.has(both)).toBe(true);
    // a thread always reads its own store
    for (const m of MODELS) for (const k of bruteForce(p, m).outcomes) expect((JSON.parse(k) as number[])[0]).toBe(1);
  });

  // observables: P1:r0, P1:r1, x, y (P0 has no registers)
  const mp = (mid: BareInstr[], secondMode: Mode = 'plain') =>
    prog(['x', 'y'], [
      { registers: 0, code: [st(0, 1), ...mid, st(1, 1, secondMode)] },
      { registers: 2, code: [ld(0, 1), ld(1, 0)] },
    ]);
  const scMp = keys([0, 0, 1, 1], [0, 1, 1, 1], [1, 1, 1, 1]);
  const psoMp = keys([0, 0, 1, 1], [0, 1, 1, 1], [1, 1, 1, 1], [1, 0, 1, 1]);

  it('MP: forbidden under SC and TSO, allowed under PSO', () => {
    const p = mp([]);
    expect(bruteForce(p, 'sc').outcomes).toEqual(scMp);
    expect(bruteForce(p, 'tso').outcomes).toEqual(scMp);
    expect(bruteForce(p, 'pso').outcomes).toEqual(psoMp);
  });

  it('MP under PSO: a rel store, fence.rel, fence.acq_rel or fence.sc restores order; fence.acq does not', () => {
    expect(bruteForce(mp([], 'rel'), 'pso').outcomes).toEqual(scMp);
    expect(bruteForce(mp([fence('rel')]), 'pso').outcomes).toEqual(scMp);
    expect(bruteForce(mp([fence('acq_rel')]), 'pso').outcomes).toEqual(scMp);
    expect(bruteForce(mp([fence('sc')]), 'pso').outcomes).toEqual(scMp);
    expect(bruteForce(mp([fence('acq')]), 'pso').outcomes).toEqual(psoMp);
  });

  it('LB: forbidden in every model (loads are never delayed past later stores)', () => {
    // P0: r0=x; y=1   P1: r0=y; x=1 — observables P0:r0 P1:r0 x y
    const p = prog(['x', 'y'], [
      { registers: 1, code: [ld(0, 0), st(1, 1)] },
      { registers: 1, code: [ld(0, 1), st(0, 1)] },
    ]);
    for (const m of MODELS) expect(bruteForce(p, m).outcomes).toEqual(keys([0, 0, 1, 1], [0, 1, 1, 1], [1, 0, 1, 1]));
  });

  it('2+2W: final x=1 ∧ y=1 forbidden under SC and TSO, allowed under PSO', () => {
    // P0: x=1; y=2   P1: y=1; x=2 — observables x y
    const p = prog(['x', 'y'], [
      { registers: 0, code: [st(0, 1), st(1, 2)] },
      { registers: 0, code: [st(1, 1), st(0, 2)] },
    ]);
    const strong = keys([1, 2], [2, 1], [2, 2]);
    expect(bruteForce(p, 'sc').outcomes).toEqual(strong);
    expect(bruteForce(p, 'tso').outcomes).toEqual(strong);
    expect(bruteForce(p, 'pso').outcomes).toEqual(keys([1, 1], [1, 2], [2, 1], [2, 2]));
  });

  it('IRIW: readers never disagree on the order of independent writes (store buffers are multi-copy atomic)', () => {
    // observables P2:r0 P2:r1 P3:r0 P3:r1 x y
    const p = prog(['x', 'y'], [
      { registers: 0, code: [st(0, 1)] },
      { registers: 0, code: [st(1, 1)] },
      { registers: 2, code: [ld(0, 0), ld(1, 1)] },
      { registers: 2, code: [ld(0, 1), ld(1, 0)] },
    ]);
    const sc = bruteForce(p, 'sc').outcomes;
    expect(sc.has(outcomeKey([1, 0, 1, 0, 1, 1]))).toBe(false);
    expect(sc.size).toBe(15); // 16 reader combinations minus the forbidden one
    expect(bruteForce(p, 'tso').outcomes).toEqual(sc);
    expect(bruteForce(p, 'pso').outcomes).toEqual(sc);
  });
});

// ---------------------------------------------------------------- pso releases

describe('bruteForce: PSO releases are StoreStore barriers (SPARC V9 App. D: MEMBAR #StoreStore; ST)', () => {
  it('a rel store, fence.rel or fence.acq_rel does not hold back later loads: SB around it stays allowed, as under TSO', () => {
    // P0: x=1; <release>; r0=z   P1: z=1 (sc); r0=x — observables P0:r0 P1:r0 x y z
    const both = (keys: Set<string>) => [...keys].some((k) => (JSON.parse(k) as number[]).slice(0, 2).join() === '0,0');
    for (const release of [st(1, 1, 'rel'), fence('rel'), fence('acq_rel')]) {
      const p = prog(['x', 'y', 'z'], [
        { registers: 1, code: [st(0, 1), release, ld(0, 2)] },
        { registers: 1, code: [st(2, 1, 'sc'), ld(0, 0)] },
      ]);
      expect(both(bruteForce(p, 'tso').outcomes)).toBe(true);
      expect(both(bruteForce(p, 'pso').outcomes)).toBe(true);
      expect(both(bruteForce(p, 'sc').outcomes)).toBe(false);
    }
  });

  it('fence.sc still holds back later loads', () => {
    const p = prog(['x', 'z'], [
      { registers: 1, code: [st(0, 1), fence('sc'), ld(0, 1)] },
      { registers: 1, code: [st(1, 1, 'sc'), ld(0, 0)] },
    ]);
    expect(bruteForce(p, 'pso').outcomes).toEqual(keys([0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 1, 1]));
  });

  it('stores after a rel store may overtake it, but not the stores before it', () => {
    // P0: x=1; y=1 (rel); z=1   P1: r0=z; r1=y; r2=x — observables P1:r0 P1:r1 P1:r2 x y z
    const p = prog(['x', 'y', 'z'], [
      { registers: 0, code: [st(0, 1), st(1, 1, 'rel'), st(2, 1)] },
      { registers: 3, code: [ld(0, 2), ld(1, 1), ld(2, 0)] },
    ]);
    const seen = [...bruteForce(p, 'pso').outcomes].map((k) => (JSON.parse(k) as number[]).slice(0, 3).join(''));
    expect(seen).toContain('101'); // z before y
    expect(seen.filter((v) => v[0] === '1' && v[2] === '0')).toEqual([]); // never z (or y) before x
    expect(seen.filter((v) => v[1] === '1' && v[2] === '0')).toEqual([]);
  });

  it('a fence.rel orders every store before it before every store after it, in both directions of slot order', () => {
    // P0: y=1; x=1; fence.rel; w=1; z=1   P1: r0=w; r1=z; r2=x; r3=y — observables P1:r0..r3 x y z w
    const p = prog(['x', 'y', 'z', 'w'], [
      { registers: 0, code: [st(1, 1), st(0, 1), fence('rel'), st(3, 1), st(2, 1)] },
      { registers: 4, code: [ld(0, 3), ld(1, 2), ld(2, 0), ld(3, 1)] },
    ]);
    const seen = [...bruteForce(p, 'pso').outcomes].map((k) => (JSON.parse(k) as number[]).slice(0, 4).join(''));
    expect(seen).toContain('0111'); // z may pass w (no barrier between them)
    expect(seen).toContain('0010'); // and x may pass y
    expect(seen.filter((v) => (v[0] === '1' || v[1] === '1') && (v[2] === '0' || v[3] === '0'))).toEqual([]);
    // without the fence, the late stores may overtake the early ones
    const loose = prog(['x', 'y', 'z', 'w'], [
      { registers: 0, code: [st(1, 1), st(0, 1), st(3, 1), st(2, 1)] },
      { registers: 4, code: [ld(0, 3), ld(1, 2), ld(2, 0), ld(3, 1)] },
    ]);
    expect([...bruteForce(loose, 'pso').outcomes].map((k) => (JSON.parse(k) as number[]).slice(0, 4).join(''))).toContain('1100');
  });
});

// ---------------------------------------------------------------- single-instruction semantics

describe('bruteForce instruction semantics', () => {
  it('RMWs return the old value and write the documented new value', () => {
    // x starts 6; observables P0:r0..r6, x
    const p = buildIrProgram({
      locations: [{ name: 'x', init: [6] }],
      threads: [
        {
          registers: 7,
          code: [
            rmw('fetch_add', 0, 0, 3), // 6 → 9
            rmw('fetch_sub', 1, 0, 4), // 9 → 5
            rmw('fetch_and', 2, 0, 6), // 5 → 4
            rmw('fetch_or', 3, 0, 3), // 4 → 7
            rmw('fetch_xor', 4, 0, 2), // 7 → 5
            rmw('cmpxchg', 5, 0, 8, 4), // 5 ≠ 4: stays 5
            rmw('cmpxchg', 6, 0, 8, 5), // 5 = 5: → 8
          ],
        },
        { registers: 0, code: [] },
      ],
    });
    for (const m of MODELS) expect(bruteForce(p, m).outcomes).toEqual(keys([6, 9, 5, 4, 7, 5, 5, 8]));
  });

  it('concurrent fetch_add never loses an update; a load/store increment can', () => {
    const atomic = prog(['x'], [
      { registers: 0, code: [rmw('fetch_add', -1, 0, 1, null, 'rlx')] },
      { registers: 0, code: [rmw('fetch_add', -1, 0, 1, null, 'rlx')] },
    ]);
    const incr = { registers: 1, code: [ld(0, 0), st(0, bin('+', r(0), c(1)))] };
    const racy = prog(['x'], [incr, incr]);
    for (const m of MODELS) {
      expect(bruteForce(atomic, m).outcomes).toEqual(keys([2]));
      // observables P0:r0 P1:r0 x
      expect(bruteForce(racy, m).outcomes).toEqual(keys([0, 0, 1], [0, 1, 2], [1, 0, 2]));
    }
  });

  it('final states have empty buffers: a lone buffered store always reaches memory', () => {
    const p = prog(['x'], [{ registers: 0, code: [st(0, 7)] }, { registers: 0, code: [] }]);
    for (const m of MODELS) expect(bruteForce(p, m).outcomes).toEqual(keys([7]));
  });

  it('the last store to a slot wins in each thread (FIFO per slot)', () => {
    const p = prog(['x'], [{ registers: 0, code: [st(0, 1), st(0, 2)] }, { registers: 1, code: [ld(0, 0)] }]);
    // observables P1:r0 x: the reader sees 0, 1 or 2, memory ends at 2
    for (const m of MODELS) expect(bruteForce(p, m).outcomes).toEqual(keys([0, 2], [1, 2], [2, 2]));
  });

  it('forward branches and jumps: if (r0 == 1) y = 1 else y = 2', () => {
    // P0: x=1   P1: r0=x; if r0 != 1 goto 4; y=1; goto 5; y=2 — observables P1:r0 x y
    const p = prog(['x', 'y'], [
      { registers: 0, code: [st(0, 1)] },
      {
        registers: 1,
        code: [ld(0, 0), { kind: 'branch', cond: bin('!=', r(0), c(1)), target: 4 }, st(1, 1), { kind: 'jump', target: 5 }, st(1, 2)],
      },
    ]);
    for (const m of MODELS) expect(bruteForce(p, m).outcomes).toEqual(keys([0, 1, 2], [1, 1, 1]));
  });

  it('assert false records asserts and ends the branch; other branches still give outcomes', () => {
    const p = prog(['x'], [
      { registers: 0, code: [st(0, 1)] },
      { registers: 1, code: [ld(0, 0), { kind: 'assert', cond: bin('==', r(0), c(0)), message: 'saw the store' }] },
    ]);
    for (const m of MODELS) {
      const res = bruteForce(p, m);
      expect(res).toMatchObject({ asserts: true, deadlock: false, runtimeError: false });
      expect(res.outcomes).toEqual(keys([0, 1]));
    }
    const never = prog(['x'], [{ registers: 1, code: [ld(0, 0), { kind: 'assert', cond: bin('==', r(0), c(0)), message: '' }] }, { registers: 0, code: [] }]);
    expect(bruteForce(never, 'tso').asserts).toBe(false);
  });

  it('assume false discards the execution without a violation', () => {
    const p = prog(['x'], [
      { registers: 0, code: [st(0, 1)] },
      { registers: 1, code: [ld(0, 0), { kind: 'assume', cond: bin('==', r(0), c(1)) }] },
    ]);
    for (const m of MODELS) expect(bruteForce(p, m)).toEqual({ outcomes: keys([1, 1]), asserts: false, deadlock: false, runtimeError: false });
  });

  it('division by zero and an out-of-bounds index are runtime errors', () => {
    const div = prog(['x'], [
      { registers: 0, code: [st(0, 1)] },
      { registers: 2, code: [ld(0, 0), { kind: 'assign', dst: 1, value: bin('/', c(6), r(0)) }] },
    ]);
    for (const m of MODELS) {
      const res = bruteForce(div, m);
      expect(res.runtimeError).toBe(true);
      expect(res.outcomes).toEqual(keys([1, 6, 1])); // only the run that read 1 completes
    }
    const oob = buildIrProgram({
      locations: [{ name: 'a', size: 2 }],
      threads: [{ registers: 1, code: [{ kind: 'load', dst: 0, addr: at(0, c(2)), mode: 'plain' }] }, { registers: 0, code: [] }],
    });
    expect(bruteForce(oob, 'sc')).toEqual({ outcomes: new Set(), asserts: false, deadlock: false, runtimeError: true });
    const inb = buildIrProgram({
      locations: [{ name: 'a', size: 2, init: [4, 5] }],
      threads: [{ registers: 1, code: [{ kind: 'load', dst: 0, addr: at(0, c(1)), mode: 'plain' }] }, { registers: 0, code: [] }],
    });
    expect(bruteForce(inb, 'sc').outcomes).toEqual(keys([5, 4, 5]));
  });

  it('a thread blocked forever is a deadlock', () => {
    const p = prog(['x'], [{ registers: 0, code: [{ kind: 'block', cond: c(0) }] }, { registers: 0, code: [st(0, 1)] }]);
    for (const m of MODELS) expect(bruteForce(p, m)).toEqual({ outcomes: new Set(), asserts: false, deadlock: true, runtimeError: false });
  });

  it('an await (blocking load) waits for the other thread', () => {
    // P0: await (r0 = load.sc(x); r0 == 1); r1 = y   P1: y = 1; x = 1 — observables P0:r0 P0:r1 x y
    const p = prog(['x', 'y'], [
      { registers: 2, code: [{ kind: 'await', dst: 0, addr: at(0), mode: 'acq', cond: bin('==', r(0), c(1)) }, ld(1, 1)] },
      { registers: 0, code: [st(1, 1), st(0, 1)] },
    ]);
    expect(bruteForce(p, 'tso').outcomes).toEqual(keys([1, 1, 1, 1]));
    expect(bruteForce(p, 'pso').outcomes).toEqual(keys([1, 0, 1, 1], [1, 1, 1, 1]));
  });

  it('throws instead of hanging on an unbounded loop', () => {
    const p = prog(['x'], [{ registers: 1, code: [{ kind: 'assign', dst: 0, value: bin('+', r(0), c(1)) }, { kind: 'jump', target: 0 }] }, { registers: 0, code: [] }]);
    expect(() => bruteForce(p, 'sc', { maxDepth: 500 })).toThrow(/longer than 500/);
  });

  it('throws on instructions it does not model', () => {
    const p = prog(['x'], [{ registers: 1, code: [{ kind: 'notify', dst: 0, addr: at(0), count: null }] }, { registers: 0, code: [] }]);
    expect(() => bruteForce(p, 'sc')).toThrow(/not modelled/);
  });
});

// ---------------------------------------------------------------- helpers and generator

describe('outcome keys', () => {
  it('outcomeKeyOfRecord orders values by the program observables', () => {
    const p = prog(['x', 'y'], [{ registers: 1, code: [] }, { registers: 2, code: [] }]);
    expect(p.observables.map((o) => o.name)).toEqual(['P0:r0', 'P1:r0', 'P1:r1', 'x', 'y']);
    expect(outcomeKeyOfRecord(p, { y: 5, x: 4, 'P1:r1': 3, 'P1:r0': 2, 'P0:r0': 1 })).toBe(outcomeKey([1, 2, 3, 4, 5]));
    expect(() => outcomeKeyOfRecord(p, { x: 1 })).toThrow(/P0:r0/);
  });
});

describe('arbIrProgram', () => {
  it('generates programs that pass validateIr', () => {
    fc.assert(
      fc.property(arbIrProgram({ allowAsserts: true, allowDivision: true }), (p) => {
        expect(validateIr(p)).toEqual([]);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('generates loop-free programs within the requested shape', () => {
    fc.assert(
      fc.property(arbIrProgram({ maxThreads: 3, maxInstrs: 4 }), (p) => {
        expect(p.threads.length).toBeGreaterThanOrEqual(2);
        expect(p.threads.length).toBeLessThanOrEqual(3);
        expect(p.observables.length).toBe(p.threads.reduce((n, t) => n + t.registers.length, 0) + p.memorySize);
        for (const t of p.threads) {
          expect(t.code.length).toBeLessThanOrEqual(4);
          t.code.forEach((i, pc) => {
            if (i.kind === 'branch' || i.kind === 'jump') expect(i.target).toBeGreaterThan(pc);
            expect(['load', 'store', 'rmw', 'fence', 'assign', 'branch', 'jump']).toContain(i.kind);
          });
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('arbScOnlyProgram uses only sc modes', () => {
    fc.assert(
      fc.property(arbScOnlyProgram(), (p) => {
        for (const t of p.threads) for (const i of t.code) if ('mode' in i) expect(i.mode).toBe('sc');
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('bruteForce self-consistency', () => {
  it('skipping explored states does not change the result (memo vs tree walk)', () => {
    fc.assert(
      fc.property(arbIrProgram({ maxThreads: 2, maxInstrs: 3, allowAsserts: true, allowDivision: true }), fc.constantFrom(...MODELS), (p, m) => {
        expect(bruteForce(p, m, { memo: false })).toEqual(bruteForce(p, m));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('SC outcomes equal TSO and PSO outcomes when every access is sc', () => {
    fc.assert(
      fc.property(arbScOnlyProgram(), (p) => {
        const sc = bruteForce(p, 'sc');
        expect(bruteForce(p, 'tso')).toEqual(sc);
        expect(bruteForce(p, 'pso')).toEqual(sc);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
