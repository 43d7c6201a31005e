/**
 * Pinned exploration counts (issue 16, step 3): for SB, MP over Atomics and a two-thread futex
 * mutex (test/fixtures/explore/litmus.ts) the executions each search runs are pinned exactly —
 * every interleaving, classic DPOR without sleep sets, optimal DPOR (what explore() runs) — so a change
 * in the exploration is seen; and the outcome sets equal what `memweave check --engine graph
 * --model sc` answers for the .mw twins (examples/sb.mw, examples/mp.mw, examples/locks/mutex.mw).
 *
 * Where the numbers come from: measured on this tree (exploreAllForTesting and explore(), seed 0);
 * the SC outcomes of SB and MP are the published ones (three each: SB's 0/0 and MP's 1/0 are
 * forbidden under SC — herd7's catalogue x86/tests/SB.litmus and MP.litmus, Sewell et al., CACM
 * 2010), and the graph engine's executions for the twins are 3, 3 and 24.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { explore } from '../../../explore/index.js';
import { exploreAllForTesting } from '../../../explore/explore.js';
import { compileOrThrow } from '../../support/programs.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const litmus = join(ROOT, 'test/fixtures/explore/litmus.ts');

/** The graph engine's outcomes (and executions) for a .mw file under sc. */
function graphOutcomes(file: string): { outcomes: string[]; executions: number } {
  const ir = compileOrThrow(file, readFileSync(join(ROOT, file), 'utf8'));
  const r = check(ir, { model: 'sc', engine: 'graph' });
  expect(r.verdict).toBe('pass');
  return { outcomes: r.outcomes.map((o) => JSON.stringify(o.values)).sort(), executions: r.stats.executions ?? -1 };
}

/** A final-state key of the explorer (memory hex | the threads' results) as the .mw outcome it names. */
type Project = (memory: Int32Array, results: readonly Record<string, number>[]) => Record<string, number>;
function outcomesOf(finals: ReadonlySet<string>, project: Project): string[] {
  const out = new Set<string>();
  for (const k of finals) {
    const bar = k.indexOf('|');
    const memory = new Int32Array(Uint8Array.from(Buffer.from(k.slice(0, bar), 'hex')).buffer);
    out.add(JSON.stringify(project(memory, JSON.parse(k.slice(bar + 1)) as Record<string, number>[])));
  }
  return [...out].sort();
}

const CASES = [
  {
    name: 'sb',
    twin: 'examples/sb.mw',
    project: ((_m, r) => ({ 'P0:r0': r[0]?.['r0'] ?? -1, 'P1:r0': r[1]?.['r0'] ?? -1 })) as Project,
    every: 6, // C(4, 2) interleavings of two 2-step threads
    noSleep: 4,
    dpor: 3, // one per Mazurkiewicz trace: optimal here
    graph: 3,
    steps: 12,
  },
  {
    name: 'mp',
    twin: 'examples/mp.mw',
    project: ((_m, r) => ({ 'P1:r0': r[1]?.['r0'] ?? -1, 'P1:r1': r[1]?.['r1'] ?? -1 })) as Project,
    every: 6,
    noSleep: 4,
    dpor: 3,
    graph: 3,
    steps: 12,
  },
  {
    name: 'mutex',
    twin: 'examples/locks/mutex.mw',
    project: ((m) => ({ counter: m[1] ?? -1 })) as Project,
    every: 316,
    noSleep: 26,
    dpor: 24,
    graph: 24,
    steps: 358,
  },
] as const;

describe('pinned exploration counts, and the outcomes of the .mw twins', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.every} interleavings, ${c.noSleep} classic DPOR executions without sleep sets, ${c.dpor} optimal; the outcomes of ${c.twin}`, async () => {
      const all = await exploreAllForTesting(litmus, 400, c.name);
      expect(all.executions).toBe(c.every);
      expect(all.withoutSleepSets.executions).toBe(c.noSleep);
      expect(all.dporExecutions).toBe(c.dpor);
      // each search reaches the same final states
      expect([...all.dporFinals].sort()).toEqual([...all.finals].sort());
      expect([...all.withoutSleepSets.finals].sort()).toEqual([...all.finals].sort());

      const r = await explore(litmus, { export: c.name });
      expect(r.verdict).toBe('pass');
      expect(r.stats.executions).toBe(c.dpor);
      expect(r.stats.steps).toBe(c.steps);
      expect(r.stats.sleepBlocked).toBe(0);

      const g = graphOutcomes(c.twin);
      expect(g.executions).toBe(c.graph);
      expect(outcomesOf(all.finals, c.project)).toEqual(g.outcomes);
    });
  }

  it("spin collapse (explore()'s default) misses no outcome: DPOR with it reaches the brute force's final states", async () => {
    const small = join(ROOT, 'test/fixtures/explore/smallLocks.ts');
    for (const [file, name] of [[litmus, 'sb'], [litmus, 'mp'], [litmus, 'mutex'], [litmus, 'rereadTwice'], [small, 'futexOk'], [small, 'racyCounter']] as const) {
      const all = await exploreAllForTesting(file, 400, name, 10_000);
      expect([...all.dporFinals].sort(), name).toEqual([...all.finals].sort());
    }
  });

  it('two straight-line reads of one element see a write between them (once missed by spin collapse)', async () => {
    const r = await explore(litmus, { export: 'rereadTwice' });
    expect(r.verdict).toBe('fail');
    expect(r.violation?.message).toBe('the second read saw the write the first missed');
    expect(r.violation?.trace.map((s) => `T${s.thread} ${s.what}`)).toEqual(['T0 Atomics.load(Int32[1]) → 0', 'T1 Atomics.store(Int32[1], 1)', 'T0 Atomics.load(Int32[1]) → 1']);
  });

  it('threeWriters (3 threads): 90 interleavings, 42 classic DPOR executions without sleep sets, 36 optimal', async () => {
    const all = await exploreAllForTesting(litmus, 400, 'threeWriters');
    expect([all.executions, all.withoutSleepSets.executions, all.dporExecutions, all.dporSleepBlocked, all.dporTraces]).toEqual([90, 42, 36, 0, 36]);
    expect([all.classic.executions, all.classic.sleepBlocked, all.classic.traces]).toEqual([36, 0, 36]);
    expect([...all.dporFinals].sort()).toEqual([...all.finals].sort());
  });

  it('no Mazurkiewicz trace is explored twice: complete DPOR executions are distinct traces, and none is sleep-blocked', async () => {
    const small = join(ROOT, 'test/fixtures/explore/smallLocks.ts');
    for (const [file, name, threads] of [[litmus, 'sb', 2], [litmus, 'mp', 2], [litmus, 'mutex', 2], [litmus, 'rereadTwice', 2], [litmus, 'threeWriters', 3], [small, 'futexOk', 2], [small, 'racyCounter', 2]] as const) {
      const d = await exploreAllForTesting(file, 10_000, name, 10_000, false);
      expect(d.dporTraces, name).toBe(d.dporExecutions - d.dporSleepBlocked);
      expect(d.dporSleepBlocked, name).toBe(0);
      // the classic search reaches the same traces; with 2 threads it too wastes none
      expect(d.classic.traces, name).toBe(d.dporTraces);
      if (threads === 2) expect(d.classic.sleepBlocked, name).toBe(0);
    }
  });

  // Optimal DPOR (explore/optimal.ts, wakeup trees) on the 3-thread Latch check: one execution
  // per Mazurkiewicz trace, none sleep-blocked. The classic search (Flanagan–Godefroid + sleep
  // sets) runs 107 executions there, 3 of them sleep-blocked, for the same 104 traces; before its
  // fix (a race whose thread slept at the reversal point added nothing, explore/dpor.ts
  // addInitial) it ran 96, 3 sleep-blocked, and reached only 93 of the 104 traces. Once with 3
  // callers: 360 executions = 360 traces; classic 374, 14 sleep-blocked (373 and 13 before the fix).
  it('with 3 threads optimal DPOR wastes no execution: latch3 runs 104 executions, 0 sleep-blocked, 104 traces (classic: 107, 3, 104); once3 360, 0, 360 (classic: 374, 14, 360)', async () => {
    const d = await exploreAllForTesting(join(ROOT, 'test/fixtures/explore/syncPrimitives.ts'), 10_000, 'latch3', 10_000, false);
    expect([d.dporExecutions, d.dporSleepBlocked, d.dporTraces]).toEqual([104, 0, 104]);
    expect([d.classic.executions, d.classic.sleepBlocked, d.classic.traces]).toEqual([107, 3, 104]);
    expect([...d.classic.finals].sort()).toEqual([...d.dporFinals].sort());
    const o = await exploreAllForTesting(join(ROOT, 'test/fixtures/explore/syncPrimitives.ts'), 10_000, 'once3', 10_000, false);
    expect([o.dporExecutions, o.dporSleepBlocked, o.dporTraces, o.classic.executions, o.classic.sleepBlocked, o.classic.traces]).toEqual([360, 0, 360, 374, 14, 360]);
  });

  it('the SC outcomes are the published ones: SB never 0/0, MP never flag-without-data', async () => {
    const sb = outcomesOf((await exploreAllForTesting(litmus, 400, 'sb')).dporFinals, CASES[0].project);
    expect(sb).toEqual(['{"P0:r0":0,"P1:r0":1}', '{"P0:r0":1,"P1:r0":0}', '{"P0:r0":1,"P1:r0":1}']);
    const mp = outcomesOf((await exploreAllForTesting(litmus, 400, 'mp')).dporFinals, CASES[1].project);
    expect(mp).toEqual(['{"P1:r0":0,"P1:r1":0}', '{"P1:r0":0,"P1:r1":1}', '{"P1:r0":1,"P1:r1":1}']);
  });
});
