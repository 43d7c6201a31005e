/**
 * The IR → JavaScript compiler: generated code is built from validated IR only (hostile names and
 * strings never reach it), and each compiled thread computes what the IR means (checked against
 * the independent single-thread IR interpreter in test/support/runIr.ts on generated programs).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileProgram, InvalidIrError, RUN_STATUS } from '../../../impl/compile.js';
import { makeLayout } from '../../../impl/harness.js';
import type { IrProgram } from '../../../model/ir.js';
import { arbIrProgram, seedFromEnv } from '../../arbitraries/irProgram.js';
import { runSingleThread } from '../../support/runIr.js';
import { compileOrThrow } from '../../support/programs.js';

const SEED = seedFromEnv(0x1c0de);

const irOf = (text: string, name = 'test.mw'): IrProgram => compileOrThrow(name, text);

/** Run one compiled thread alone on fresh memory; returns status, registers and the memory words (in slot order). */
function runAlone(p: IrProgram, thread: number): { status: number; regs: number[]; mem: number[] } {
  const compiled = compileProgram(p);
  const c = compiled[thread];
  if (c === undefined) throw new Error('no thread');
  const { offsets, stride } = makeLayout(p, 'packed', p.locations.map((_, i) => i));
  const M = new Int32Array(new SharedArrayBuffer((stride + 64) * 4));
  for (let l = 0; l < p.locations.length; l++) {
    const L = p.locations[l];
    if (L === undefined) continue;
    for (let k = 0; k < L.size; k++) M[(offsets[l] ?? 0) + k] = L.init[k] ?? 0;
  }
  const R = new Int32Array(Math.max(1, c.registers));
  const S = new Int32Array([0, stride + 1, stride + 2]);
  const K = new Int32Array([0, -1, -1]);
  const fn = new Function(c.source)() as (...a: unknown[]) => number;
  const status = fn(M, 0, offsets, R, S, K);
  const mem: number[] = [];
  for (const L of p.locations) for (let k = 0; k < L.size; k++) mem.push(M[(offsets[p.locations.indexOf(L)] ?? 0) + k] ?? 0);
  return { status, regs: [...R].slice(0, c.registers), mem };
}

const HOSTILE = `test evil "\\"); process.exit(7); (\\""
source "*/ require('child_process').execSync('touch /tmp/pwned') /*"
param constructor = 1;
shared __proto__ = 0;
shared process = 0;
thread require {
  eval = load.sc(process);
  store.plain(__proto__, eval + constructor);
  assert(eval == 0, "'); globalThis.PWNED = 1; ('");
}
thread globalThis {
  Function = fetch_add.sc(process, 1);
}
exists (require:eval = 0)
`;

describe('compile: generated code comes from validated IR only', () => {
  it('hostile names and strings in the input never appear in the generated code', () => {
    const p = irOf(HOSTILE, 'evil.mw');
    const sources = compileProgram(p).map((c) => c.source);
    const forbidden = ['process', '__proto__', 'constructor', 'require', 'globalThis', 'PWNED', 'child_process', 'eval', 'Function', 'evil', 'exit'];
    for (const src of sources) {
      for (const word of forbidden) {
        // the fixed harness prelude legitimately contains none of these words either
        expect(src.includes(word), `generated code contains '${word}'`).toBe(false);
      }
    }
    const r = runAlone(p, 0);
    expect(r.status).toBe(RUN_STATUS.done);
    expect((globalThis as Record<string, unknown>)['PWNED']).toBeUndefined();
  });

  it('refuses IR that fails validation', () => {
    const p = irOf('thread P0 { r = load.sc(x); } shared x = 0;');
    const bad = { ...p, threads: [{ ...p.threads[0]!, code: [{ kind: 'jump', target: 99, origin: p.threads[0]!.code[0]!.origin }] }] } as unknown as IrProgram;
    expect(() => compileProgram(bad)).toThrow(InvalidIrError);
  });

  it('reports run-time errors and assertion failures as statuses with the failing pc', () => {
    const p = irOf(`shared a[2] = 0;
thread P0 { i = 2; r = load.plain(a[i]); }
thread P1 { z = 0; q = 5 / z; }
thread P2 { assert(1 == 2); }
thread P3 { assume(0); }
`);
    expect(runAlone(p, 0).status).toBe(RUN_STATUS.runtimeError);
    expect(runAlone(p, 1).status).toBe(RUN_STATUS.runtimeError);
    expect(runAlone(p, 2).status).toBe(RUN_STATUS.assertFailed);
    expect(runAlone(p, 3).status).toBe(RUN_STATUS.pruned);
  });

  it('compiled threads agree with the single-thread IR interpreter on generated programs', () => {
    console.log(`[compile] fast-check seed ${SEED}`);
    fc.assert(
      fc.property(arbIrProgram({ allowBranches: true }), (p) => {
        for (let t = 0; t < p.threads.length; t++) {
          const expected = runSingleThread(p, t);
          const got = runAlone(p, t);
          expect(got.status).toBe(RUN_STATUS.done);
          expect(got.regs).toEqual(expected.regs);
          expect(got.mem).toEqual(expected.mem);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('loops, wait/notify results and critical regions compile and run', () => {
    const p = irOf(`shared x = 0;
shared c = 0;
thread P0 {
  for k in 0..5 { critical { v = load.plain(c); store.plain(c, v + 1); } }
  w = wait(x, 1);
  n = notify(x);
  t = wait(x, 0, 0);
}
`);
    const r = runAlone(p, 0);
    expect(r.status).toBe(RUN_STATUS.done);
    const names = p.threads[0]!.registers;
    const reg = (n: string): number => r.regs[names.indexOf(n)] ?? -99;
    expect(reg('w')).toBe(1); // not-equal
    expect(reg('n')).toBe(0);
    expect(reg('t')).toBe(2); // timed-out
    expect(r.mem[1]).toBe(5);
  });
});
