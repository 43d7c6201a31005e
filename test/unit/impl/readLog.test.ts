/**
 * Conformance beyond final states (issue 20): the harness's per-iteration read log and the
 * search for a sequentially consistent explanation of it (checker/readExplain.ts), after V8's
 * atomics-stress test. The explainer must reject logs no interleaving gives — including ones whose
 * final state is fine, because a register was overwritten — and accept every log real workers
 * produce for an all-sc program. Also the run's progress callback.
 *
 * Bounded by work (iterations) and a time limit on every run; every worker is ended after each
 * test, even one that timed out (afterEach: terminateAllWorkers).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkReadLogs, parseReadLogKey, readExplainer, readLogIneligible, readLogNeedsRaceFreedom } from '../../../checker/readExplain.js';
import { compileProgram } from '../../../impl/compile.js';
import { liveWorkers, runOnWorkers, terminateAllWorkers, type RunProgress } from '../../../impl/harness.js';
import { compileSource } from '../../../model/frontend.js';
import type { IrProgram } from '../../../model/ir.js';

function ir(text: string, name = 't.mw'): IrProgram {
  const r = compileSource(name, text);
  if (r.ir === null) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.ir;
}

const SB_SC = ir(`test sbsc
shared x;
shared y;
thread P0 { store.sc(x, 1); r0 = load.sc(y); }
thread P1 { store.sc(y, 1); r0 = load.sc(x); }
`);

// each thread's read goes into a register it then overwrites: every final state is r0 = 5, r0 = 5
const SB_HIDDEN = ir(`test sbhidden
shared x;
shared y;
thread P0 { store.sc(x, 1); r0 = load.sc(y); r0 = 5; }
thread P1 { store.sc(y, 1); r0 = load.sc(x); r0 = 5; }
`);

afterEach(async () => {
  const ended = await terminateAllWorkers();
  expect(liveWorkers()).toBe(0);
  expect(ended, 'a test left workers running').toBe(0);
});

describe('which programs have reads to explain', () => {
  it('all-sc programs without wait/notify; any other mode, or a wait, says why not', () => {
    expect(readLogIneligible(SB_SC)).toBeNull();
    expect(readLogIneligible(ir(readFileSync('examples/stress/atomics_stress.mw', 'utf8')))).toBeNull();
    const sb = ir(readFileSync('examples/sb.mw', 'utf8'));
    expect(readLogIneligible(sb)).toMatch(/P0 makes a plain access \(store\.plain\(x, 1\)\)/);
    // known race-free (SC-DRF), plain accesses are allowed; rel/acq never are
    expect(readLogIneligible(sb, true)).toBeNull();
    expect(readLogNeedsRaceFreedom(sb)).toBe(true);
    expect(readLogNeedsRaceFreedom(SB_SC)).toBe(false);
    const mp = ir(readFileSync('examples/litmus/MP+rel-acq.mw', 'utf8'));
    expect(readLogIneligible(mp, true)).toMatch(/makes a (rel|acq) access/);
    expect(readLogNeedsRaceFreedom(mp)).toBe(false);
    expect(readLogIneligible(ir('test w\nshared f;\nthread P0 { w = wait(f, 0, 1); }\nthread P1 { notify(f); }\n'))).toMatch(/P0 uses wait/);
  });
});

describe('the SC explanation of one iteration', () => {
  it('SB with sc accesses: each thread reading the other\'s write, or one of them, is explained; both reading 0 is not', () => {
    // observables: P0:r0, P1:r0, x, y (both stores always land)
    const explain = readExplainer(SB_SC);
    for (const reads of [[[1], [1]], [[0], [1]], [[1], [0]]]) {
      const outcome = [...reads.map((r) => r[0] ?? 0), 1, 1];
      expect(explain({ outcome, reads }).kind, JSON.stringify(reads)).toBe('explained');
    }
    expect(explain({ outcome: [0, 0, 1, 1], reads: [[0], [0]] }).kind).toBe('unexplained');
  });

  it('an explanation is a schedule: replaying its thread order gives the logged reads', () => {
    const r = readExplainer(SB_SC)({ outcome: [0, 1, 1, 1], reads: [[0], [1]] });
    expect(r.kind).toBe('explained');
    // P0 reads y = 0, so P0's load comes before P1's store: P0 runs both steps first
    if (r.kind === 'explained') expect(r.schedule.slice(0, 2)).toEqual([0, 0]);
  });

  it('the read log sees what the final state hides: SB whose registers are overwritten', () => {
    const explain = readExplainer(SB_HIDDEN);
    // the final outcome is the same for every execution; only the logs tell them apart
    expect(explain({ outcome: [5, 5, 1, 1], reads: [[0], [1]] }).kind).toBe('explained');
    expect(explain({ outcome: [5, 5, 1, 1], reads: [[0], [0]] }).kind).toBe('unexplained');
  });

  it('a log with a read too many, one too few, or a wrong final outcome is not explained', () => {
    const explain = readExplainer(SB_SC);
    expect(explain({ outcome: [1, 1, 1, 1], reads: [[1], [1]] }).kind).toBe('explained');
    expect(explain({ outcome: [1, 1, 1, 1], reads: [[1, 1], [1]] }).kind).toBe('unexplained');
    expect(explain({ outcome: [1, 1, 1, 1], reads: [[], [1]] }).kind).toBe('unexplained');
    expect(explain({ outcome: [0, 0, 1, 1], reads: [[1], [1]] }).kind).toBe('unexplained');
    expect(explain({ outcome: [1, 1, 0, 1], reads: [[1], [1]] }).kind).toBe('unexplained');
  });

  it('past its state budget the answer is unknown, never explained', () => {
    const stress = ir(readFileSync('examples/stress/atomics_stress.mw', 'utf8'));
    // reads that need a long search to refute: P2 reads b = 3 first, which nothing ever writes
    const entry = { outcome: [0, 0, 0, 0, 0], reads: [[0, 0, 1], [0, 1, 7], [3, 9]] };
    const full = readExplainer(stress)(entry);
    expect(full.kind).toBe('unexplained');
    expect(full.kind === 'unexplained' ? full.states : 0).toBeGreaterThan(2);
    expect(readExplainer(stress, 2)(entry).kind).toBe('unknown');
  });

  it('checkReadLogs counts entries and iterations and lists the unexplained ones with their counts', () => {
    const logs = new Map<string, number>([
      [JSON.stringify([[0, 1, 1, 1], [0], [1]]), 7],
      [JSON.stringify([[0, 0, 1, 1], [0], [0]]), 2],
    ]);
    const c = checkReadLogs(SB_SC, logs);
    expect([c.entries, c.iterations, c.unknown]).toEqual([2, 9, 0]);
    expect(c.unexplained).toEqual([{ entry: parseReadLogKey(JSON.stringify([[0, 0, 1, 1], [0], [0]])), count: 2 }]);
  });
});

describe('the harness records what each thread read', () => {
  it('compiled code logs loads, RMW old values and the value an await returns with, and counts past the cap', () => {
    const p = ir('test c\nshared x;\nthread P0 { r = load.sc(x); r = fetch_add.sc(x, 1); await (load.sc(x) == 1); r = load.sc(x); }\n');
    // registers: r and the await's own ($t0); the log's count word follows them
    const [t] = compileProgram(p, { readLog: 3 });
    expect(t?.logAt).toBe(2);
    expect(t?.registers).toBe(2 + 1 + 3);
    expect(compileProgram(p)[0]?.logAt).toBe(-1);
    // run the compiled function directly on a private buffer
    const fn = new Function(t?.source ?? '')() as (M: Int32Array, B: number, O: Int32Array, R: Int32Array, S: Int32Array, K: Int32Array) => number;
    const M = new Int32Array(new SharedArrayBuffer(64));
    const R = new Int32Array(8);
    expect(fn(M, 0, new Int32Array([0]), R, new Int32Array([0, 8, 9]), new Int32Array([0, -1, -1]))).toBe(0);
    // r, $t0, then the count (4 reads: load 0, fetch_add 0, await 1, load 1) and the first 3 values
    expect(Array.from(R.subarray(0, 6))).toEqual([1, 1, 4, 0, 0, 1]);
  });

  it('on workers, SB+sc: every logged entry matches its outcome, the counts add up, and every entry is explained', async () => {
    const r = await runOnWorkers(SB_SC, { iterations: 4_000, timeLimitMs: 60_000, readLog: 4 });
    expect(r.readLogs).not.toBeNull();
    const logs = r.readLogs ?? new Map<string, number>();
    let total = 0;
    for (const [key, n] of logs) {
      const e = parseReadLogKey(key);
      // each thread's one read is its r0
      expect(e.reads.map((x) => x[0])).toEqual(e.outcome.slice(0, 2));
      total += n;
    }
    expect(total + r.readLogsDropped).toBe([...r.histogram.values()].reduce((a, b) => a + b, 0));
    expect(r.readLogsDropped).toBe(0);
    const c = checkReadLogs(SB_SC, logs);
    expect(c.unexplained).toEqual([]);
    expect(c.unknown).toBe(0);
  });

  it('a log longer than the cap is dropped and counted, never checked as if complete', async () => {
    const p = ir('test long\nshared x;\nthread P0 { for i in 0..5 { r = load.sc(x); } }\nthread P1 { store.sc(x, 1); }\n');
    const r = await runOnWorkers(p, { iterations: 200, timeLimitMs: 60_000, readLog: 3 });
    expect(r.readLogs?.size).toBe(0);
    expect(r.readLogsDropped).toBe(r.iterations);
  });

  it('without a read log a run has none', async () => {
    const r = await runOnWorkers(SB_SC, { iterations: 100, timeLimitMs: 60_000 });
    expect(r.readLogs).toBeNull();
  });

  it('progress: called with the iterations so far, rising to the run\'s total', async () => {
    const seen: RunProgress[] = [];
    const r = await runOnWorkers(SB_SC, { iterations: 3_000, batchSize: 500, timeLimitMs: 60_000, progressEveryMs: 0, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.iterations ?? 0).toBeGreaterThanOrEqual(seen[i - 1]?.iterations ?? 0);
    expect(seen.at(-1)?.iterations).toBe(r.iterations);
    expect(seen.every((p) => p.requested === 3_000 && p.outcomes <= 4)).toBe(true);
  });
});
