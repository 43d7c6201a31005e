/**
 * The harness techniques of litmus7 (issue 20): each option changes what it says — the stride
 * moves the copies, shuffled placement and permuted roles keep every iteration on its own copy
 * and its own code, `none` runs without a rendezvous, a schedule gives each setting its batches,
 * and the per-parameter ("presi") statistics add up to the run — and `tuneOnWorkers` reports
 * only settings it tried, its best among them.
 *
 * Bounded by work (iterations) and by a time limit on every run; every worker is ended after
 * each test, even one that timed out (afterEach: terminateAllWorkers).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { copyWords, effectiveStride, liveWorkers, runOnWorkers, targetOutcome, terminateAllWorkers, WorkerGang, makeLayout, STAGGER_DELAY, type HarnessSetting, type RunResult } from '../../../impl/harness.js';
import { firstStage, secondStage, tuneOnWorkers } from '../../../impl/tune.js';
import { CTRL } from '../../../impl/workerSource.js';
import { compileSource } from '../../../model/frontend.js';
import type { IrProgram } from '../../../model/ir.js';

function irOfText(name: string, text: string): IrProgram {
  const r = compileSource(name, text);
  if (r.ir === null) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.ir;
}

const SB = (): IrProgram => irOfText('SB.mw', readFileSync('examples/litmus/SB.mw', 'utf8'));

function accounted(r: RunResult): number {
  return [...r.histogram.values()].reduce((a, b) => a + b, 0) + r.pruned + r.cut;
}

afterEach(async () => {
  const ended = await terminateAllWorkers();
  expect(liveWorkers()).toBe(0);
  expect(ended, 'a test left workers running').toBe(0);
});

describe('stride', () => {
  it('the default stride is the padded copy size; a smaller one is raised to the layout\'s copy, a larger one kept', () => {
    const p = SB();
    expect(copyWords(p)).toBe(32);
    expect(effectiveStride(p, undefined)).toBe(32);
    expect(effectiveStride(p, 8)).toBe(32);
    expect(effectiveStride(p, 100)).toBe(100);
    // packed, the two words of SB's copy may sit back to back
    expect(makeLayout(p, 'packed', [0, 1]).stride).toBe(2);
    expect(effectiveStride(p, 1, 'packed')).toBe(2);
  });

  it('a batch with stride 48 puts iteration i\'s copy at word 48·i', async () => {
    const p = irOfText('w.mw', 'test w\nshared x = 0;\nthread P0 { store.plain(x, 7); }\n');
    const gang = new WorkerGang(p, 4, 0, undefined, 48);
    try {
      expect(gang.stride).toBe(48);
      const { offsets } = makeLayout(p, 'padded', [0]);
      gang.memory.fill(0, 0, gang.slots);
      gang.startBatch(4, offsets, 'none', 1, 64, 48);
      const end = Date.now() + 20_000;
      while (Atomics.load(gang.control, CTRL.done) < 1 && Date.now() < end) Atomics.wait(gang.control, CTRL.done, 0, 20);
      expect(Atomics.load(gang.control, CTRL.done)).toBe(1);
      const written: number[] = [];
      for (let w = 0; w < gang.slots; w++) if (gang.memory[w] === 7) written.push(w);
      expect(written).toEqual([0, 48, 96, 144]);
    } finally {
      await gang.close();
    }
  });

  it('a run with --stride reports it and its outcomes stay those of SB on x86-TSO', async () => {
    const p = SB();
    for (const [stride, layout] of [[100, 'padded'], [2, 'packed']] as const) {
      const r = await runOnWorkers(p, { iterations: 20_000, seed: 2, stride, layouts: [layout], timeLimitMs: 20_000 });
      expect(r.stride).toBe(stride);
      expect(accounted(r)).toBe(r.iterations);
      expect(r.iterations).toBeGreaterThan(0);
      for (const k of r.histogram.keys()) expect(['[0,0]', '[0,1]', '[1,0]', '[1,1]']).toContain(k);
    }
  });
});

describe('sync, shuffle, permute', () => {
  it('--sync none runs every iteration with no rendezvous, and the statistics say so', async () => {
    const r = await runOnWorkers(SB(), { iterations: 30_000, seed: 1, barrierModes: ['none'], timeLimitMs: 20_000 });
    expect(r.stop).toBe('done');
    expect(r.iterations).toBe(30_000);
    const barrier = r.settings.filter((s) => s.parameter === 'barrier');
    expect(barrier).toEqual([{ parameter: 'barrier', value: 'none', iterations: 30_000, targets: r.histogram.get('[0,0]') ?? 0 }]);
  });

  it('shuffled placement: every iteration reads its own copy\'s initial value, and its memory matches its registers', async () => {
    // x ends as P0's r + 1 in the same iteration's copy: collecting another copy's x would break that whenever r varies
    const p = irOfText('init.mw', 'test init\nshared x = 5;\nshared y = 9;\nthread P0 { r = load.plain(y); store.plain(x, r + 1); }\nthread P1 { store.plain(y, 1); }\nexists (P0:r=9 /\\ x=10)\n');
    const r = await runOnWorkers(p, { iterations: 20_000, seed: 4, shuffleInstances: true, barrierModes: ['spin'], timeLimitMs: 20_000 });
    expect(accounted(r)).toBe(r.iterations);
    expect(r.iterations).toBeGreaterThan(0);
    const names = r.observables;
    expect(names).toContain('P0:r');
    expect(names).toContain('x');
    for (const k of r.histogram.keys()) {
      const v = JSON.parse(k) as number[];
      const reg = v[names.indexOf('P0:r')] ?? -1;
      expect([9, 1], k).toContain(reg);
      expect(v[names.indexOf('x')], k).toBe(reg + 1);
    }
  });

  it('permuted roles: each thread\'s code still runs once per iteration, on workers that change', async () => {
    const p = irOfText('roles.mw', 'test roles\nshared a = 0;\nshared b = 0;\nshared c = 0;\nthread P0 { store.plain(a, 1); r = load.plain(b); }\nthread P1 { store.plain(b, 2); }\nthread P2 { fetch_add.sc(c, 3); }\nforall (a=1 /\\ b=2 /\\ c=3)\n');
    const r = await runOnWorkers(p, { iterations: 16_000, batchSize: 1_000, seed: 3, permute: true, timeLimitMs: 30_000 });
    expect(r.stop).toBe('done');
    expect(r.permutedBatches).toBeGreaterThan(0);
    for (const [k, n] of r.histogram) expect(targetOutcome(p, JSON.parse(k) as number[]), `${k} ×${n}`).toBe(false);
    expect(accounted(r)).toBe(16_000);
    const off = await runOnWorkers(p, { iterations: 4_000, batchSize: 1_000, seed: 3, timeLimitMs: 30_000 });
    expect(off.permutedBatches).toBe(0);
  });
});

describe('initial values and statuses (step 4 of issue 20)', () => {
  it('every iteration starts from the initial values: a stale copy from the batch before shows as 12 or more', async () => {
    // after a batch x is 12 and y 4, so a copy not reset before its iteration (every worker fills its share of the batch's
    // copies from the template first) would give a read of 12, 13 or 4; permuted roles and shuffled placement included
    const p = irOfText('initvals.mw', 'test initvals\nshared x = 10;\nshared y = 3;\nthread P0 { r0 = fetch_add.sc(x, 1); store.plain(y, 4); }\nthread P1 { r1 = fetch_add.sc(x, 1); r2 = load.plain(y); }\n');
    const r = await runOnWorkers(p, { iterations: 12_000, batchSize: 1_000, seed: 5, permute: true, shuffleInstances: true, timeLimitMs: 30_000 });
    expect(r.iterations).toBeGreaterThan(0);
    expect(accounted(r)).toBe(r.iterations);
    expect(r.cut + r.pruned).toBe(0);
    expect(r.observables).toEqual(['P0:r0', 'P1:r1', 'P1:r2', 'x', 'y']);
    for (const k of r.histogram.keys()) {
      const [r0, r1, r2, x, y] = JSON.parse(k) as number[];
      expect([r0, r1].sort(), k).toEqual([10, 11]);
      expect([3, 4], k).toContain(r2);
      expect([x, y], k).toEqual([12, 4]);
    }
  });

  it('statuses that change from batch to batch are counted as they are: cut iterations add up to the violations, and none is in the histogram', async () => {
    // P1's assert fails whenever it reads P0's store, which it almost always does (it counts to 300 first); when P0 is late
    // it does not, so a status word moves between done and assert-failed from one batch to the next (a worker writes only those
    // that change, and the main thread reads none when every thread says all its iterations ended done)
    const p = irOfText('flip.mw', 'test flip\nshared x = 0;\nthread P0 { store.sc(x, 1); }\nthread P1 { k = 0; while (k < 300) { k = k + 1; } r = load.sc(x); assert(r == 0); }\n');
    const r = await runOnWorkers(p, { iterations: 8_000, batchSize: 500, seed: 6, timeLimitMs: 30_000 });
    expect(accounted(r)).toBe(r.iterations);
    const asserts = r.violations.filter((v) => v.kind === 'assert').reduce((a, v) => a + v.count, 0);
    // (a cut iteration writes no register: counted as done, it would show a stale r in the histogram, and no cut)
    expect(r.cut).toBeGreaterThan(0);
    expect(r.cut).toBe(asserts);
    expect(r.pruned).toBe(0);
    expect(r.observables).toEqual(['P1:k', 'P1:r', 'x']);
    for (const k of r.histogram.keys()) expect(JSON.parse(k), k).toEqual([300, 0, 1]);
  });
});

describe('schedules and per-parameter statistics', () => {
  it('batch k runs setting k mod n; each setting\'s iterations and targets add up to the run\'s', async () => {
    const p = SB();
    const base: HarnessSetting = { sync: 'spin', padding: 'padded', shuffle: false, delay: 64, stride: 32, permute: false };
    const schedule: HarnessSetting[] = [base, { ...base, sync: 'none', padding: 'packed' }, { ...base, sync: 'stagger', delay: 8, shuffle: true, stride: 64 }];
    const r = await runOnWorkers(p, { iterations: 9_000, batchSize: 1_000, seed: 1, schedule, timeLimitMs: 30_000 });
    expect(r.stop).toBe('done');
    expect(r.scheduled.map((s) => s.batches)).toEqual([3, 3, 3]);
    expect(r.scheduled.map((s) => s.iterations)).toEqual([3_000, 3_000, 3_000]);
    expect(r.scheduled.map((s) => s.setting)).toEqual(schedule);
    const targets = r.histogram.get('[0,0]') ?? 0;
    expect(r.scheduled.reduce((a, s) => a + s.targets, 0)).toBe(targets);
    // the presi rows: per barrier mode and per layout, each adding up to the run
    for (const parameter of ['barrier', 'layout'] as const) {
      const rows = r.settings.filter((s) => s.parameter === parameter);
      expect(rows.reduce((a, s) => a + s.iterations, 0)).toBe(9_000);
      expect(rows.reduce((a, s) => a + s.targets, 0)).toBe(targets);
    }
    expect(r.settings.find((s) => s.parameter === 'barrier' && s.value === 'none')?.iterations).toBe(3_000);
    expect(r.stride).toBe(64);
  });

  it('without a condition there is no target; forall targets its counterexamples', () => {
    const p = irOfText('n.mw', 'test n\nshared x = 0;\nthread P0 { store.sc(x, 1); }\n');
    expect(targetOutcome(p, [1])).toBeNull();
    const q = irOfText('f.mw', 'test f\nshared x = 0;\nthread P0 { store.sc(x, 1); }\nforall (x=1)\n');
    expect(targetOutcome(q, [1])).toBe(false);
    expect(targetOutcome(q, [0])).toBe(true);
  });
});

describe('adaptive batches', () => {
  // P0 always reads 0, so every iteration shows the target: every pair has a rate once it has run
  const always = (): IrProgram => irOfText('always.mw', 'test always\nshared x = 0;\nthread P0 { r0 = load.plain(x); }\nthread P1 { store.plain(x, 0); }\nexists (P0:r0=0)\n');
  const batchesOf = (r: RunResult): number[] => r.settings.filter((s) => s.parameter === 'barrier').map((s) => s.iterations / 500);

  it('after one turn of every pair, batches go to the best pair so far; every iteration is still accounted', async () => {
    const r = await runOnWorkers(always(), { iterations: 20_000, batchSize: 500, seed: 4, timeLimitMs: 60_000 });
    expect(r.stop).toBe('done');
    expect(r.adaptive).toBe(true);
    // 40 batches, 6 pairs: after the first 7 (a warm-up, then one of each), batches try the next pair only within a tenth of the time
    expect(r.exploitedBatches).toBeGreaterThan(10);
    expect(r.exploitedBatches).toBeLessThanOrEqual(40 - 7);
    expect(accounted(r)).toBe(20_000);
    expect(r.histogram.get('[0]')).toBe(20_000);
    for (const parameter of ['barrier', 'layout'] as const) {
      const rows = r.settings.filter((x) => x.parameter === parameter);
      expect(rows.reduce((a, x) => a + x.iterations, 0)).toBe(20_000);
      expect(rows.reduce((a, x) => a + x.targets, 0)).toBe(20_000);
    }
    // every barrier mode was tried in the first turn
    expect(batchesOf(r).every((n) => n >= 1)).toBe(true);
  });

  it('off (--no-adapt), or with no target to count, the pairs take turns', async () => {
    const off = await runOnWorkers(always(), { iterations: 6_000, batchSize: 500, seed: 4, adaptive: false, timeLimitMs: 60_000 });
    expect(off.adaptive).toBe(false);
    expect(off.exploitedBatches).toBe(0);
    // 12 batches over 3 barrier modes in turn: 4 each
    expect(batchesOf(off)).toEqual([4, 4, 4]);
    const noCondition = irOfText('n.mw', 'test n\nshared x = 0;\nthread P0 { r0 = load.plain(x); }\nthread P1 { store.plain(x, 0); }\n');
    const r = await runOnWorkers(noCondition, { iterations: 6_000, batchSize: 500, seed: 4, timeLimitMs: 60_000 });
    expect(r.adaptive).toBe(false);
    expect(r.exploitedBatches).toBe(0);
    expect(batchesOf(r)).toEqual([4, 4, 4]);
  });
});

describe('tune', () => {
  it('starts staggered settings at the default delay bound and tries the others around a staggered best', () => {
    const p = SB();
    const first = firstStage(p);
    for (const s of first) expect(s.delay).toBe(STAGGER_DELAY);
    const staggered = first.find((s) => s.sync === 'stagger');
    expect(staggered).toBeDefined();
    const delays = secondStage(staggered!).filter((s) => s.delay !== STAGGER_DELAY).map((s) => s.delay);
    expect(delays.sort((a, b) => a - b)).toEqual([1, 64, 512]);
    // a best that does not stagger has no delay to vary
    const spin = first.find((s) => s.sync === 'spin');
    for (const s of secondStage(spin!)) expect(s.delay).toBe(STAGGER_DELAY);
  });

  it('reports every setting it tried, picks its best among them, and leaves no worker', async () => {
    const p = SB();
    const t = await tuneOnWorkers(p, { timeMs: 2_000, seed: 1 });
    expect(t.stoppedBy).toBeNull();
    expect(t.rows.length).toBeGreaterThanOrEqual(12);
    const first = firstStage(p);
    expect(first).toHaveLength(12);
    for (const s of first) expect(t.rows.map((r) => r.setting)).toContainEqual(s);
    expect(t.best).not.toBeNull();
    const best = t.best!;
    expect(t.rows).toContain(best);
    // the best has the highest target/s (then iterations/s) of the rows that ran
    for (const r of t.rows) if (r.iterations > 0) expect(r.targetsPerSecond <= best.targetsPerSecond).toBe(true);
    // the rows beyond the first stage are the second stage's variations of some first-stage setting
    for (const r of t.rows.slice(12)) expect(first.some((s) => secondStage(s).some((v) => JSON.stringify(v) === JSON.stringify(r.setting)))).toBe(true);
    expect(liveWorkers()).toBe(0);
  });
});
