/**
 * Reusable laws for tests: each takes what it checks and fails with a readable message.
 */
import { expect } from 'vitest';
import type { CheckOptions, CheckResult } from '../../checker/api.js';
import { replayAny as replay } from '../../checker/check.js';
import type { IrProgram } from '../../model/ir.js';

/** Every violation's replay token reproduces the same trace (step texts and effects) and final state. */
export function assertReplayRoundTrip(program: IrProgram, options: CheckOptions, result: CheckResult): void {
  for (const v of result.violations) {
    const r = replay(program, options, v.replay);
    expect(r.ok, `replay of ${v.kind} token ${v.replay} failed: ${r.ok ? '' : r.error}`).toBe(true);
    if (!r.ok) continue;
    expect(r.finalState, `${v.kind}: replayed final state`).toEqual(v.finalState);
    expect(
      r.trace.map((s) => `${s.threadName}|${s.text}|${s.effect}`),
      `${v.kind}: replayed trace`,
    ).toEqual(v.trace.map((s) => `${s.threadName}|${s.text}|${s.effect}`));
  }
}
