/**
 * `check --measure-reductions` (cli/measureReductions.ts): every row is the run it names (its
 * states equal those of `check` with the same switches), bounds are marked when a budget stops a
 * run, the JSON carries the runs, misuse is a usage error, and runs that disagree are reported
 * as a bug (measureReductions with a check that lies).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckFn, CheckResult } from '../../../checker/api.js';
import { check } from '../../../checker/check.js';
import { checkCommand } from '../../../cli/commands/check.js';
import { measureReductions, REDUCTION_CONFIGS, renderReductionTable } from '../../../cli/measureReductions.js';
import { compileSource } from '../../../model/frontend.js';
import { EXIT } from '../../../cli/types.js';
import { fakeIo } from './fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const TICKET = ['examples/locks/ticket.mw', '-D', 'N=3', '-D', 'K=2'];

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ diskRoot: ROOT });
  const code = await checkCommand.run(argv, io);
  return { code, out: io.out, err: io.err };
}

/** States stored by `check --format json` with some switches. */
async function states(extra: string[]): Promise<number> {
  const r = await run([...TICKET, '--format', 'json', ...extra]);
  expect(r.code, r.err).toBe(EXIT.ok);
  return (JSON.parse(r.out) as { stats: { statesStored: number } }).stats.statesStored;
}

describe('check --measure-reductions', () => {
  it('each row is the run it names, and the factor is its states over the all-on run', async () => {
    const r = await run([...TICKET, '--measure-reductions', '--format', 'json']);
    expect(r.code, r.err).toBe(EXIT.ok);
    const runs = (JSON.parse(r.out) as { reductionRuns: { configuration: string; verdict: string; statesStored: number; factor: number }[] }).reductionRuns;
    expect(runs.map((x) => x.configuration)).toEqual(REDUCTION_CONFIGS.map((c) => c.label));
    const expected = [
      await states([]),
      await states(['--no-symmetry']),
      await states(['--no-por']),
      await states(['--no-dead-registers']),
      await states(['--no-symmetry', '--no-por', '--no-dead-registers']),
    ];
    expect(runs.map((x) => x.statesStored)).toEqual(expected);
    expect(runs.every((x) => x.verdict === 'pass')).toBe(true);
    expect(runs.map((x) => x.factor)).toEqual(expected.map((n) => n / (expected[0] ?? 1)));
    // every reduction saves something on the ticket lock
    expect(Math.min(...expected.slice(1))).toBeGreaterThan(expected[0] ?? Infinity);
  });

  it('prints the table after the result, exit code that of the all-on run', async () => {
    const r = await run([...TICKET, '--measure-reductions']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/Reductions measured \(sc; each run with the same budgets\):\n {2}configuration +verdict +states stored +time +states vs all on\n {2}all on +pass +\d+ +[\d.]+ ms +1\.00×\n/);
    expect(r.out).toMatch(/\n {2}all off +pass +\d+ +[\d.]+ ms +\d+×\n/);
  });

  it('a run stopped by a budget is a lower bound (≥); with the all-on run stopped too, no factor', async () => {
    const r = await run(['examples/locks/bakery.mw', '-D', 'N=2', '-D', 'K=2', '--measure-reductions', '--max-states', '2000']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/ {2}all off +inconclusive \(states\) +≥ 2000 +[\d.]+ ms +≥ [\d.]+×/);
    const all = await run(['examples/locks/bakery.mw', '-D', 'N=2', '-D', 'K=2', '--measure-reductions', '--max-states', '100']);
    expect(all.code).toBe(EXIT.inconclusive);
    expect(all.out).toMatch(/ {2}all on +inconclusive \(states\) +≥ 100 +[\d.]+ ms +-\n/);
  });

  it('one table per model with --model all', async () => {
    const r = await run(['examples/sb.mw', '--model', 'all', '--measure-reductions']);
    for (const m of ['sc', 'tso', 'pso', 'js']) expect(r.out).toContain(`Reductions measured (${m}; `);
  });

  it('is a usage error with a --no-* switch, with --replay, or with another format', async () => {
    for (const extra of [['--no-por'], ['--no-symmetry'], ['--no-dead-registers'], ['--format', 'junit'], ['--format', 'github'], ['--replay', 'mw1.sc.AA']]) {
      const r = await run([...TICKET, '--measure-reductions', ...extra]);
      expect(r.code, extra.join(' ')).toBe(EXIT.usage);
      expect(r.err).toContain('--measure-reductions');
    }
  });
});

describe('measureReductions', () => {
  const compiled = compileSource('sb.mw', 'test SB\nshared x = 0;\nshared y = 0;\nthread P0 { store.plain(x, 1); r0 = load.plain(y); }\nthread P1 { store.plain(y, 1); r0 = load.plain(x); }\nexists (P0:r0 = 0 /\\ P1:r0 = 0)\n');
  const p = compiled.ir;
  if (p === null) throw new Error('no IR');

  it('agreeing runs: no disagreement', () => {
    const first = check(p, { model: 'tso' });
    expect(measureReductions(check, p, { model: 'tso' }, first).disagreement).toBeNull();
  });

  it('a configuration that changes the answer is named (it would be a bug in a reduction)', () => {
    const lying: CheckFn = (prog, options) => {
      const r = check(prog, options);
      return options.deadRegisters === false && options.symmetry !== false ? ({ ...r, outcomes: r.outcomes.slice(1) } satisfies CheckResult) : r;
    };
    const first = check(p, { model: 'tso' });
    const m = measureReductions(lying, p, { model: 'tso' }, first);
    expect(m.disagreement).toMatch(/^without dead registers gives .* where all on gives /);
    expect(renderReductionTable('tso', m)).toContain('without dead registers');
  });

  it('an inconclusive run is not compared (its answer is partial)', () => {
    const first = check(p, { model: 'tso' });
    const m = measureReductions(check, p, { model: 'tso', maxStates: 3 }, first);
    expect(m.runs.slice(1).every((r) => r.verdict === 'inconclusive')).toBe(true);
    expect(m.disagreement).toBeNull();
  });
});
