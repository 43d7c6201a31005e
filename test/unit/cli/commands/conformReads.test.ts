/**
 * `memweave conform` beyond final states (issue 20): an all-sc program's per-iteration reads are
 * checked for a sequentially consistent explanation (checker/readExplain.ts), reported in text and
 * JSON; a program with other modes says why it is not; `--no-read-check` turns it off. And the
 * progress line `run` and `conform` print on a terminal. Bounded by iterations and a time limit;
 * every test ends with no worker left.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../../cli/main.js';
import { liveWorkers, terminateAllWorkers } from '../../../../impl/harness.js';
import { fakeIo } from '../fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

afterEach(async () => {
  const ended = await terminateAllWorkers();
  expect(liveWorkers()).toBe(0);
  expect(ended, 'a test left workers running').toBe(0);
});

interface ReadsJson { checked: boolean; reason?: string; entries?: number; iterations?: number; unexplained?: unknown[]; unknown?: number; notChecked?: number }

describe('conform checks each iteration\'s reads of an all-sc program', () => {
  it('atomics_stress: every read log explained, in text', async () => {
    const io = fakeIo({ diskRoot: ROOT });
    const code = await main(['conform', 'examples/stress/atomics_stress.mw', '-n', '3000', '--time-limit', '60'], io);
    expect(code, io.err).toBe(0);
    expect(io.out).toMatch(/^reads: (\d+) of \1 distinct per-iteration read logs \(3000 iterations\) have a sequentially consistent explanation$/m);
  });

  it('atomics_stress in JSON: the entries stand for every iteration of the histogram', async () => {
    const io = fakeIo({ diskRoot: ROOT });
    const code = await main(['conform', 'examples/stress/atomics_stress.mw', '-n', '2000', '--time-limit', '60', '--format', 'json'], io);
    expect(code, io.err).toBe(0);
    const j = JSON.parse(io.out) as { reads: ReadsJson; verdict: string; iterations: number };
    expect(j.verdict).toBe('pass');
    expect(j.reads.checked).toBe(true);
    expect(j.reads.unexplained).toEqual([]);
    expect((j.reads.iterations ?? 0) + (j.reads.notChecked ?? 0)).toBe(j.iterations);
    expect(j.reads.entries).toBeGreaterThan(0);
  });

  it('a lock whose plain accesses are race-free (the ticket lock) is read-checked: SC-DRF', async () => {
    const io = fakeIo({ diskRoot: ROOT });
    expect(await main(['conform', 'examples/locks/ticket.mw', '-n', '1000', '--time-limit', '60', '--format', 'json'], io), io.err).toBe(0);
    const j = JSON.parse(io.out) as { reads: ReadsJson };
    expect(j.reads.checked).toBe(true);
    expect(j.reads.unexplained).toEqual([]);
  });

  it('a racy program with plain accesses is not read-checked, and says why; nor one with rel/acq; --no-read-check says so too', async () => {
    const io = fakeIo({ diskRoot: ROOT });
    expect(await main(['conform', 'examples/sb.mw', '-n', '500', '--model', 'tso', '--format', 'json'], io)).toBe(0);
    const j = JSON.parse(io.out) as { reads: ReadsJson };
    expect(j.reads).toEqual({ checked: false, reason: expect.stringMatching(/^the program has a data race \(data race on [xy]: .*\), so JavaScript promises its plain accesses no sequential consistency$/) as unknown });
    const ra = fakeIo({ diskRoot: ROOT });
    expect(await main(['conform', 'examples/litmus/MP+rel-acq.mw', '-n', '500', '--format', 'json'], ra)).toBe(0);
    expect((JSON.parse(ra.out) as { reads: ReadsJson }).reads.reason).toMatch(/makes a (rel|acq) access/);
    const off = fakeIo({ diskRoot: ROOT });
    expect(await main(['conform', 'examples/stress/atomics_stress.mw', '-n', '500', '--no-read-check', '--format', 'json'], off)).toBe(0);
    expect((JSON.parse(off.out) as { reads: ReadsJson }).reads).toEqual({ checked: false, reason: 'turned off (--no-read-check)' });
    const text = fakeIo({ diskRoot: ROOT });
    expect(await main(['conform', 'examples/stress/atomics_stress.mw', '-n', '500', '--no-read-check'], text)).toBe(0);
    expect(text.out).not.toMatch(/^reads:/m);
  });
});

describe('progress on a terminal', () => {
  it('run prints a progress line to stderr when it is a terminal, and erases it before the report', async () => {
    // a slow program: each iteration spins through 20,000 sc stores, so the run outlasts a second
    const slow = 'test slow\nshared x;\nthread P0 { k = 0; while (k < 20000) { k = k + 1; store.sc(x, k); } }\nthread P1 { r = load.sc(x); }\n';
    const io = fakeIo({ files: { 'slow.mw': slow }, isTTY: true });
    const code = await main(['run', 'slow.mw', '-n', '100000', '--time-limit', '2.5'], io);
    expect(code, io.err).toBe(0);
    expect(io.err).toMatch(/\r\x1b\[K\[run\] \d+\/100000 iterations \(\d+\/s\), \d+ outcomes? so far, \d+\.\d s/);
    // the last progress write is the erase, before the rerun line
    expect(io.err).toMatch(/\r\x1b\[Krerun: /);
  });

  it('no progress line when stderr is not a terminal', async () => {
    const io = fakeIo({ diskRoot: ROOT });
    expect(await main(['run', 'examples/sb.mw', '-n', '2000'], io)).toBe(0);
    expect(io.err).not.toMatch(/\[run\]/);
  });
});

describe('an unexplained read log, as conform reports it', () => {
  it('names each thread\'s reads and the final outcome, with its count', async () => {
    const { renderReads } = await import('../../../../cli/commands/conform.js');
    const { checkReadLogs } = await import('../../../../checker/readExplain.js');
    const { compileSource } = await import('../../../../model/frontend.js');
    const p = compileSource('sbsc.mw', 'test sbsc\nshared x;\nshared y;\nthread P0 { store.sc(x, 1); r0 = load.sc(y); }\nthread P1 { store.sc(y, 1); r0 = load.sc(x); }\n').ir;
    if (p === null) throw new Error('does not compile');
    const c = checkReadLogs(p, new Map([[JSON.stringify([[0, 0, 1, 1], [0], [0]]), 3], [JSON.stringify([[1, 1, 1, 1], [1], [1]]), 5]]));
    const text = renderReads(p, c, 0);
    expect(text).toBe([
      'reads: FAIL — 1 per-iteration read log has no sequentially consistent explanation, which every iteration of this program must have (its accesses are sc, or plain and data-race-free):',
      '  P0 read 0; P1 read 0; final P0:r0=0; P1:r0=0; x=1; y=1;  seen 3 times',
      '',
    ].join('\n'));
  });
});
