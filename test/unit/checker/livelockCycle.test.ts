/**
 * Livelock traces end with the cycle, marked where it starts (SPIN's "START OF CYCLE"), and a
 * replay prints the same rows (issue 12).
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { replay } from '../../../checker/replay.js';
import { compileOrThrow } from '../../support/programs.js';

const SPIN = `test spin
shared x = 0;
shared go = 0;
thread P0 { while (load.sc(go) == 0) { r = load.sc(x); store.sc(x, 1 - r); } }
`;

describe('livelock traces', () => {
  it('end with a marked cycle that a replay reproduces', () => {
    const p = compileOrThrow('spin.mw', SPIN);
    const r = check(p, { model: 'sc' });
    const v = r.violations.find((x) => x.kind === 'livelock');
    expect(v).toBeDefined();
    const at = v!.trace.findIndex((s) => s.action === 'cycle');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(v!.trace[at]?.text).toBe('START OF CYCLE: the steps below repeat forever');
    const cycle = v!.trace.slice(at + 1);
    // the loop reads go, reads x, flips it, twice around (x = 0 → 1 → 0) before a state repeats
    expect(cycle.map((s) => s.effect).filter((e) => e.startsWith('write'))).toEqual(['write x = 1', 'write x = 0']);
    expect(cycle.every((s) => s.action === 'instr')).toBe(true);
    const rep = replay(p, { model: 'sc' }, v!.replay);
    expect(rep.ok && rep.observed).toBe('livelock');
    if (rep.ok) expect(rep.trace).toEqual(v!.trace);
  });
});
