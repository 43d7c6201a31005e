/**
 * `check --measure-reductions` when a reduction is wrong: the checker is replaced by one whose
 * run without dead-register reset reports one outcome fewer. The command must say that this is a
 * bug in memweave and exit 70, after printing what it measured.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CheckFn, CheckOptions, CheckResult } from '../../../checker/api.js';
import { checkCommand } from '../../../cli/commands/check.js';
import { EXIT } from '../../../cli/types.js';
import { fakeIo } from './fakeIo.js';

import type { AsyncCheckOptions } from '../../../checker/check.js';

vi.mock('../../../checker/check.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../checker/check.js')>();
  const wrong = (r: CheckResult, options: CheckOptions<string>): CheckResult => (options.deadRegisters === false && options.symmetry !== false ? { ...r, outcomes: r.outcomes.slice(1) } : r);
  const check: CheckFn = (program, options) => wrong(real.check(program, options), options);
  // the command runs its checks through checkAsync (interruptible): the same wrong answer there
  const checkAsync = async (program: Parameters<CheckFn>[0], options: CheckOptions & AsyncCheckOptions): Promise<CheckResult> => wrong(await real.checkAsync(program, options), options);
  return { ...real, check, checkAsync };
});

describe('check --measure-reductions with a reduction that changes the answer', () => {
  it('reports a bug in memweave and exits 70', async () => {
    const io = fakeIo({ diskRoot: join(import.meta.dirname, '..', '..', '..') });
    const code = await checkCommand.run(['examples/sb.mw', '--model', 'tso', '--measure-reductions'], io);
    expect(code).toBe(EXIT.internal);
    expect(io.out).toContain('Reductions measured (tso; ');
    expect(io.err).toMatch(/internal error: the reductions changed the answer on examples\/sb\.mw: without dead registers gives /);
    expect(io.err).toContain('this is a bug in memweave');
  });

  it('(without --measure-reductions the same command trusts the all-on run)', async () => {
    const io = fakeIo({ diskRoot: join(import.meta.dirname, '..', '..', '..') });
    expect(await checkCommand.run(['examples/sb.mw', '--model', 'tso'], io)).toBe(EXIT.ok);
  });
});
