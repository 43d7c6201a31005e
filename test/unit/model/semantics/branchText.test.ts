/**
 * Branch steps in traces read at the source level (issue 12): the lowering branches on the
 * negated condition, and the trace used to report the IR's view ("branch not taken" for an `if`
 * whose condition held).
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../../../checker/check.js';
import { compileOrThrow } from '../../../support/programs.js';

/** The effects of the branch rows of the assert counterexample (statement merging off, so every row is there). */
function branchEffects(body: string): string[] {
  const p = compileOrThrow('b.mw', `test b\nshared x = 0;\nthread P0 {\n${body}\n  assert(0 == 1);\n}\n`);
  const r = check(p, { model: 'sc', por: false });
  const v = r.violations.find((x) => x.kind === 'assert');
  expect(v).toBeDefined();
  return v!.trace.filter((s) => /^(if|while|for|await) /.test(s.text) && s.effect !== '' && !/^\w+ = \d+$/.test(s.effect)).map((s) => s.effect);
}

describe('branch wording in traces', () => {
  it('if without else: the condition true enters, false skips', () => {
    expect(branchEffects('  r = load.sc(x);\n  if (r == 0) { skip; }')).toEqual(['r == 0 is true: enter the then-branch']);
    expect(branchEffects('  r = load.sc(x);\n  if (r != 0) { skip; }')).toEqual(['r != 0 is false: skip the then-branch']);
  });

  it('if with else: false takes the else-branch', () => {
    expect(branchEffects('  old = exchange.sc(x, 1);\n  if (old != 0) { skip; } else { skip; }')).toEqual(['old != 0 is false: take the else-branch']);
    expect(branchEffects('  old = exchange.sc(x, 1);\n  if (old == 0) { skip; } else { skip; }')).toEqual(['old == 0 is true: enter the then-branch']);
  });

  it('while and for loops', () => {
    expect(branchEffects('  r = 0;\n  while (r < 1) { r = r + 1; }')).toEqual(['r < 1 is true: run the loop body', 'r < 1 is false: leave the loop']);
    expect(branchEffects('  for k in 0..1 { skip; }')).toEqual(['k < 1: run the loop body', 'k reached 1: leave the loop']);
  });
});
