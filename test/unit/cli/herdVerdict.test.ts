/**
 * `check` and `run` name a test and judge its condition with the same functions
 * (model/outcome.ts: herdTestKind, conditionVerdict): SB with sc accesses and `~exists (both
 * loads 0)` is a Forbidden test to both, validated by both when no run or final state shows it.
 */
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../cli/commands/check.js';
import { renderRun } from '../../../cli/runOnHardware.js';
import type { RunResult } from '../../../impl/harness.js';
import { conditionVerdict, herdTestKind, outcomeKey } from '../../../model/outcome.js';
import { compileOrThrow } from '../../support/programs.js';
import { fakeIo } from './fakeIo.js';

const SB_SC = `test SBsc
shared x = 0;
shared y = 0;
thread P0 { store.sc(x, 1); r0 = load.sc(y); }
thread P1 { store.sc(y, 1); r0 = load.sc(x); }
~exists (P0:r0 = 0 /\\ P1:r0 = 0)
`;

describe('the herd verdict words', () => {
  it('name the test kind of each quantifier', () => {
    expect(herdTestKind('exists')).toBe('Allowed');
    expect(herdTestKind('not exists')).toBe('Forbidden');
    expect(herdTestKind('forall')).toBe('Required');
  });

  it('validate each quantifier from the witness counts, with the Observation word', () => {
    expect(conditionVerdict('exists', 0, 3)).toEqual({ validated: false, observation: 'Never' });
    expect(conditionVerdict('exists', 1, 2)).toEqual({ validated: true, observation: 'Sometimes' });
    expect(conditionVerdict('not exists', 0, 3)).toEqual({ validated: true, observation: 'Never' });
    expect(conditionVerdict('not exists', 2, 0)).toEqual({ validated: false, observation: 'Always' });
    expect(conditionVerdict('forall', 3, 0)).toEqual({ validated: true, observation: 'Always' });
    expect(conditionVerdict('forall', 3, 1)).toEqual({ validated: false, observation: 'Sometimes' });
  });

  it('check and run agree on a ~exists test: Forbidden, and Ok when the outcome never shows', async () => {
    const io = fakeIo({ files: { 'sbsc.mw': SB_SC } });
    expect(await checkCommand.run(['sbsc.mw'], io)).toBe(0);
    const checked = io.out;
    expect(checked).toMatch(/^Test SBsc Forbidden$/m);
    expect(checked).toMatch(/^Ok$/m);

    const program = compileOrThrow('sbsc.mw', SB_SC);
    const result: RunResult = {
      test: 'SBsc', histogram: new Map([[outcomeKey([0, 1]), 5], [outcomeKey([1, 0]), 4], [outcomeKey([1, 1]), 1]]), observables: program.observables.map((o) => o.name),
      iterations: 10, requested: 10, pruned: 0, cut: 0, violations: [], stop: 'done', hang: null, failure: null, aborted: false, ms: 1, seed: 1, cores: 2, yielding: false, stallMs: 3_000,
      stride: 32, batchSize: 10, settings: [], scheduled: [], permutedBatches: 0, readLogs: null, readLogsDropped: 0, startupMs: 0, adaptive: false, exploitedBatches: 0,
    };
    const ran = renderRun(program, result, 1);
    expect(ran).toMatch(/^Test SBsc Forbidden$/m);
    expect(ran).toMatch(/^Ok$/m);
    expect(ran).toMatch(/^Observation SBsc Never 0 10$/m);
  });
});
