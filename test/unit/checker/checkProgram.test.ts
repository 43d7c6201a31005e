/**
 * The API path (`checkProgram`, the package's `check`): what a caller hands in is validated, and a
 * bad program or option is answered with R604 diagnostics, never an internal error.
 */
import { describe, expect, it } from 'vitest';
import { check, checkProgram } from '../../../checker/check.js';
import type { CheckOptions } from '../../../checker/api.js';
import type { IrProgram } from '../../../model/ir.js';
import { compileOrThrow } from '../../support/programs.js';

const SB = compileOrThrow('sb.mw', `test SB
shared x = 0;
shared y = 0;
thread P0 { store.plain(x, 1); r0 = load.plain(y); }
thread P1 { store.plain(y, 1); r0 = load.plain(x); }
exists (P0:r0 = 0 /\\ P1:r0 = 0)
`);

/** SB with P0's first instruction jumping past the end of its code. */
const broken: IrProgram = {
  ...SB,
  threads: SB.threads.map((th, t) => (t === 0 ? { ...th, code: [{ ...(th.code[0] as IrProgram['threads'][number]['code'][number]), kind: 'jump', target: 99 } as IrProgram['threads'][number]['code'][number], ...th.code.slice(1)] } : th)),
};

describe('checkProgram', () => {
  it('answers a valid program exactly as check does', () => {
    const a = checkProgram(SB, { model: 'tso' });
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const direct = check(SB, { model: 'tso' });
    expect({ ...a.result, stats: { ...a.result.stats, ms: 0 } }).toEqual({ ...direct, stats: { ...direct.stats, ms: 0 } });
    expect(a.result.condition?.validated).toBe(true);
  });

  it('refuses hand-edited IR with R604 diagnostics naming the problem', () => {
    const a = checkProgram(broken, { model: 'sc' });
    expect(a.ok).toBe(false);
    if (a.ok) return;
    expect(a.diagnostics.length).toBeGreaterThan(0);
    expect(a.diagnostics.every((d) => d.code === 'R604' && d.severity === 'error')).toBe(true);
    expect(a.diagnostics[0]?.message).toMatch(/^invalid program IR: .*99/);
  });

  it('refuses an unknown model, a bad buffer bound and something that is not IR at all', () => {
    const bad = [
      [SB, { model: 'arm' } as unknown as CheckOptions, /unknown memory model 'arm' \(one of sc, tso, pso, js, ra, rc11, js2017\)/],
      [SB, { model: 'tso', bufferBound: 0 }, /bufferBound must be a positive integer, got 0/],
      [null as unknown as IrProgram, { model: 'sc' }, /not an IR object/],
      [{ ...SB, threads: 7 } as unknown as IrProgram, { model: 'sc' }, /IR/],
    ] as const;
    for (const [p, o, message] of bad) {
      const a = checkProgram(p, o);
      expect(a.ok).toBe(false);
      if (a.ok) continue;
      expect(a.diagnostics[0]?.code).toBe('R604');
      expect(a.diagnostics[0]?.message).toMatch(message);
    }
  });
});
