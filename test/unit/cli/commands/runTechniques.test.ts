/**
 * `run`'s harness technique options and `run --tune` (issue 20): the options reach the harness
 * (the report's Harness line, the rerun command), bad values are usage errors, and `--tune`
 * prints a `run` command line that runs, whose setting is one of the rows it tried.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../../cli/main.js';
import { liveWorkers, terminateAllWorkers } from '../../../../impl/harness.js';
import { fakeIo } from '../fakeIo.js';

const ROOT = new URL('../../../../', import.meta.url).pathname;

afterEach(async () => {
  expect(await terminateAllWorkers()).toBe(0);
  expect(liveWorkers()).toBe(0);
});

/** Split a command line the way a POSIX shell would for the words `shellQuote` writes. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)) out.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] ?? ''));
  return out;
}

describe('run: harness techniques', () => {
  it('the options reach the harness: stride and batch in the report, every option in the rerun command', async () => {
    const io = fakeIo({ diskRoot: ROOT });
    const code = await main(['run', 'examples/litmus/SB.mw', '-n', '6000', '--sync', 'spin', '--padding', 'packed', '--shuffle', '--delay', '9', '--stride', '40', '--permute', '--batch', '1000', '--time-limit', '30'], io);
    expect(code).toBe(0);
    expect(io.out).toMatch(/^Harness stride 40 words, batches of 1000, \d+ batches with permuted threads$/m);
    // one barrier mode and one layout: the presi line has one value each, counting every iteration
    expect(io.out).toMatch(/^Targets by barrier: spin \d+\/6000; by layout: packed \d+\/6000$/m);
    expect(io.err).toMatch(/rerun: memweave run examples\/litmus\/SB\.mw --seed 1 --iterations 6000 --sync spin --padding packed --shuffle --delay 9 --stride 40 --permute --batch 1000/);
  });

  it('--sync none runs', async () => {
    const io = fakeIo({ diskRoot: ROOT });
    const code = await main(['run', 'examples/litmus/MP.mw', '-n', '5000', '--sync', 'none', '--format', 'json', '--time-limit', '30'], io);
    expect(code).toBe(0);
    const j = JSON.parse(io.out) as { iterations: number; stop: string };
    expect(j).toMatchObject({ iterations: 5000, stop: 'done' });
  });

  it('bad technique values are usage errors (exit 2), never a stack trace', async () => {
    for (const args of [['--sync', 'fast'], ['--padding', 'wide'], ['--stride', '0'], ['--delay', '-1'], ['--batch', 'x'], ['--tune-time', '2'], ['--tune', '--tune-time', '0']]) {
      const io = fakeIo({ diskRoot: ROOT });
      const code = await main(['run', 'examples/litmus/SB.mw', ...args], io);
      expect(code, args.join(' ')).toBe(2);
      expect(io.err, args.join(' ')).toMatch(/--(sync|padding|stride|delay|batch|tune-time)/);
      expect(io.err).not.toMatch(/\n\s+at /);
    }
  });

  it('run --help documents every technique option and --tune', async () => {
    const io = fakeIo({ diskRoot: ROOT });
    expect(await main(['run', '--help'], io)).toBe(0);
    for (const o of ['--sync MODE', '--padding P', '--shuffle', '--delay N', '--stride N', '--permute', '--batch N', '--tune ', '--tune-time']) expect(io.out + io.err).toContain(o);
  });
});

describe('run --tune', () => {
  it('prints the rows it tried and a run command that runs; the command\'s setting is one of the rows', async () => {
    const io = fakeIo({ diskRoot: ROOT });
    const code = await main(['run', 'examples/litmus/SB.mw', '--tune', '--tune-time', '2'], io);
    expect(code).toBe(0);
    expect(io.out).toMatch(/^Tune SB: \d+ settings in [\d.]+ s; target: outcomes satisfying exists/m);
    expect(io.out).toMatch(/^per parameter \(litmus7 presi\)/m);
    const line = /^run: (memweave run .*)$/m.exec(io.out)?.[1];
    expect(line).toBeDefined();
    const argv = words(line ?? '').slice(1);
    expect(argv.slice(0, 2)).toEqual(['run', 'examples/litmus/SB.mw']);
    const opt = (name: string): string | undefined => argv[argv.indexOf(name) + 1];
    const flag = (name: string): string => (argv.includes(name) ? 'yes' : 'no');
    // the row of the chosen setting, as the table prints it
    const row = `${(opt('--sync') ?? '').padEnd(7)} ${(opt('--padding') ?? '').padEnd(6)} ${flag('--shuffle').padEnd(7)} ${(opt('--delay') ?? '').padStart(5)} ${(opt('--stride') ?? '').padStart(6)} ${flag('--permute').padEnd(7)}`;
    const best = io.out.split('\n').filter((l) => l.endsWith('<- best'));
    expect(best).toHaveLength(1);
    expect(best[0]?.startsWith(row), `${row} | ${best[0] ?? ''}`).toBe(true);
    // the printed command runs
    const run = fakeIo({ diskRoot: ROOT });
    expect(await main([...argv.slice(0), '-n', '3000', '--time-limit', '30'], run)).toBe(0);
    expect(run.out).toMatch(/^Iterations 3000/m);
  });

  it('--tune --format json carries the rows, the best and the command', async () => {
    const io = fakeIo({ diskRoot: ROOT });
    expect(await main(['run', 'examples/litmus/MP.mw', '--tune', '--tune-time', '1', '--format', 'json'], io)).toBe(0);
    const j = JSON.parse(io.out) as { tune: { rows: { setting: unknown }[]; best: { setting: unknown } | null; command: string } };
    expect(j.tune.rows.length).toBeGreaterThanOrEqual(12);
    expect(j.tune.best).not.toBeNull();
    expect(j.tune.rows.map((r) => JSON.stringify(r.setting))).toContain(JSON.stringify(j.tune.best?.setting));
    expect(j.tune.command).toMatch(/^memweave run examples\/litmus\/MP\.mw --sync /);
  });
});
