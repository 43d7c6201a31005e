/**
 * The worker harness on real worker_threads: observations are allowed by the model, SB with
 * plain accesses shows its relaxed outcome, hangs are caught by the watchdog, and no worker or
 * timer is left behind after a run, a failure, a hang or an abort.
 *
 * The machine may be loaded (2 cores shared with other work): tests are bounded by work and a
 * time limit, never by how many iterations a second the machine manages, and every worker a test
 * started is ended after it, even when it timed out (afterEach: terminateAllWorkers).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { liveWorkers, runOnWorkers, terminateAllWorkers, type RunResult } from '../../../impl/harness.js';
import { compileSource } from '../../../model/frontend.js';
import type { IrProgram } from '../../../model/ir.js';
import { outcomeKey, valuesFromNamed } from '../../../model/outcome.js';
import { arbScOnlyProgram, describeProgram, seedFromEnv } from '../../arbitraries/irProgram.js';

const SEED = seedFromEnv(0x5eed);

function irOf(path: string): IrProgram {
  const r = compileSource(path, readFileSync(path, 'utf8'));
  if (r.ir === null) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.ir;
}

function allowedKeys(p: IrProgram, model: 'sc' | 'tso' | 'pso'): Set<string> {
  const r = check(p, { model, bufferBound: 8 });
  expect(r.verdict === 'inconclusive').toBe(false);
  return new Set(r.outcomes.map((o) => outcomeKey(valuesFromNamed(p, o.values))));
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

function irOfText(name: string, text: string): IrProgram {
  const r = compileSource(name, text);
  if (r.ir === null) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.ir;
}

/** histogram + pruned + cut = iterations, whatever ended the run */
function expectAccounted(r: RunResult): void {
  const counted = [...r.histogram.values()].reduce((a, b) => a + b, 0);
  expect(counted + r.pruned + r.cut).toBe(r.iterations);
}

// A correct program with more threads than this machine has cores (issue 13).
const MANY = (n: number): string => `test many${n}
shared x = 0;
thread T[i in 0..${n}] {
  fetch_add.sc(x, 1);
}
forall (x=${n})
`;

// P0 raises a flag, then waits for a second flag nobody raises: spins forever on real workers.
const SPIN_FOREVER = `test spinforever
shared go = 0;
shared never = 0;
thread T[i in 0..4] {
  store.sc(go, 1);
  await (load.sc(never) == 1);
}
`;

// A slow program: thousands of sc stores per iteration (issue 20's "slow program").
const SLOW = `test slow
shared x = 0;
thread P0 { k = 0; while (k < 200000) { k = k + 1; store.sc(x, k); } }
thread P1 { r = load.sc(x); }
`;

afterEach(async () => {
  // a test that timed out leaves its run under way: end its workers so they cannot fail the next test
  const ended = await terminateAllWorkers();
  expect(liveWorkers()).toBe(0);
  expect(ended, 'a test left workers running').toBe(0);
});

describe('harness on real workers', () => {
  it('SB with plain accesses shows the relaxed outcome that sc forbids', async () => {
    const p = irOf('examples/sb.mw');
    const r = await runOnWorkers(p, { iterations: 60_000, seed: 1 });
    const relaxed = outcomeKey([0, 0]);
    expect(p.observables.map((o) => o.name)).toEqual(['P0:r0', 'P1:r0']);
    expect(r.histogram.get(relaxed) ?? 0).toBeGreaterThan(0);
    expect(allowedKeys(p, 'sc').has(relaxed)).toBe(false);
    for (const k of r.histogram.keys()) expect(allowedKeys(p, 'tso').has(k)).toBe(true);
  });

  it('every litmus catalogue test: observations on this machine stay inside the tso outcome set', async () => {
    const dir = 'examples/litmus';
    const files = readdirSync(dir).filter((f) => f.endsWith('.mw'));
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const f of files) {
      const p = irOf(join(dir, f));
      const allowed = allowedKeys(p, 'tso');
      // bounded by time as well as work: on a busy machine a file gets 1 s, and what was seen is checked
      const r = await runOnWorkers(p, { iterations: 4_000, batchSize: 1_000, seed: 7, timeLimitMs: 1_000 });
      expect(r.hang, f).toBeNull();
      expect(['done', 'time'], f).toContain(r.stop);
      expectAccounted(r);
      for (const [k, n] of r.histogram) {
        expect(allowed.has(k), `${f}: observed ${k} (${n} times) is outside the tso outcome set`).toBe(true);
      }
    }
  });

  it('differential: generated sc-only programs never show an outcome the sc model forbids', async () => {
    console.log(`[harness] fast-check seed ${SEED}`);
    let multi = 0;
    await fc.assert(
      fc.asyncProperty(arbScOnlyProgram({ maxThreads: 2, maxInstrs: 4 }), async (p) => {
        const allowed = allowedKeys(p, 'sc');
        const r = await runOnWorkers(p, { iterations: 3_000, batchSize: 1_000, seed: 3 });
        if (r.histogram.size > 1) multi++;
        for (const [k, n] of r.histogram) {
          if (!allowed.has(k)) throw new Error(`observed ${k} (${n}×) not allowed under sc:\n${describeProgram(p)}`);
        }
      }),
      { seed: SEED, numRuns: 20 },
    );
    // enough iterations that programs with several outcomes show more than one
    expect(multi).toBeGreaterThan(0);
  });

  it('a lost wakeup hangs on workers: the watchdog reports it and terminates every worker', async () => {
    const before = timers();
    const p = irOf('examples/locks/lost_wakeup.mw');
    const r = await runOnWorkers(p, { iterations: 200_000, batchSize: 1_000, stallMs: 400, seed: 1 });
    expect(r.hang).not.toBeNull();
    expect(r.hang?.threads.length).toBe(p.threads.length);
    expect(liveWorkers()).toBe(0);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('abort (SIGINT in the CLI) terminates every worker and returns what was seen', async () => {
    const p = irOf('examples/sb.mw');
    const ac = new AbortController();
    const pending = runOnWorkers(p, { iterations: 50_000_000, seed: 1, signal: ac.signal });
    setTimeout(() => ac.abort(), 150);
    const r = await pending;
    expect(r.aborted).toBe(true);
    expect(r.iterations).toBeLessThan(50_000_000);
    expect(liveWorkers()).toBe(0);
  });

  it('a time limit ends the run early with a partial histogram', async () => {
    const p = irOf('examples/sb.mw');
    const r = await runOnWorkers(p, { iterations: 50_000_000, batchSize: 1_000, timeLimitMs: 300, seed: 1 });
    expect(r.stop).toBe('time');
    expect(r.hang).toBeNull();
    // how many iterations 300 ms hold depends on the machine's load (0 when two busy loops share its 2 cores)
    expect(r.iterations).toBeLessThan(50_000_000);
    expect(r.requested).toBe(50_000_000);
    expectAccounted(r);
    expect(liveWorkers()).toBe(0);
  });

  it('a time limit on a slow program is not a hang: the iterations of the batch under way are kept (issue 20)', async () => {
    const p = irOfText('slow.mw', SLOW);
    const r = await runOnWorkers(p, { iterations: 100_000, timeLimitMs: 2_000, seed: 1 });
    expect(r.stop).toBe('time');
    expect(r.hang).toBeNull();
    // a batch of 2,000 iterations takes about 10 s: before, the whole batch was thrown away ("Iterations 0", a "hang");
    // an iteration takes about 5 ms on a quiet machine, so 2 s leave a wide margin for a loaded one
    expect(r.iterations).toBeGreaterThan(0);
    expect(r.iterations).toBeLessThan(2_000);
    expectAccounted(r);
    // the limit plus a grace (generous here: the machine may be loaded; docs/hardware.md gives the measured figure)
    expect(r.ms).toBeLessThan(2_000 + 3_000);
  });

  it('abort keeps the iterations every thread finished in the batch under way', async () => {
    const p = irOfText('slow.mw', SLOW);
    const ac = new AbortController();
    const pending = runOnWorkers(p, { iterations: 100_000, seed: 1, signal: ac.signal });
    await until(30_000, () => liveWorkers() === 2);
    await new Promise((r) => setTimeout(r, 1_000));
    ac.abort();
    const r = await pending;
    expect(r.stop).toBe('aborted');
    expect(r.iterations).toBeGreaterThanOrEqual(0);
    expectAccounted(r);
  });

  it('mutual exclusion violations on workers are reported with their position', async () => {
    const src = `test broken
shared c = 0;
shared l = 0;
thread T[i in 0..2] {
  for k in 0..200 {
    critical { v = load.plain(c); store.plain(c, v + 1); }
  }
}
`;
    const fe = compileSource('broken.mw', src);
    expect(fe.ir).not.toBeNull();
    // a violation needs the two threads running at once: on a loaded machine that can take many
    // iterations, so the run is long and bounded by time (what it saw is kept when the limit ends it)
    const r = await runOnWorkers(fe.ir!, { iterations: 40_000, batchSize: 500, seed: 2, barrierModes: ['spin'], timeLimitMs: 20_000 });
    const mutex = r.violations.filter((v) => v.kind === 'mutex');
    expect(mutex.length).toBeGreaterThan(0);
    expect(mutex[0]?.location).toMatch(/^broken\.mw:6$/);
    // a region observes: every iteration still ends and counts (histogram + discarded + cut = iterations)
    const counted = [...r.histogram.values()].reduce((a, b) => a + b, 0);
    expect(r.cut).toBe(0);
    expect(counted + r.pruned + r.cut).toBe(r.iterations);
    expect(r.stop === 'done' ? r.iterations : 40_000).toBe(40_000);
    expect(['done', 'time']).toContain(r.stop);
  });

  it('iterations cut by a failed assert are counted, so the histogram adds up', async () => {
    const fe = compileSource('cut.mw', `test cut
shared x = 0;
thread P0 { store.sc(x, 1); }
thread P1 { r = load.sc(x); assert(r == 7); }
`);
    expect(fe.ir).not.toBeNull();
    const r = await runOnWorkers(fe.ir!, { iterations: 400, batchSize: 200, seed: 3, barrierModes: ['spin'] });
    const counted = [...r.histogram.values()].reduce((a, b) => a + b, 0);
    expect(r.cut).toBe(400);
    expect(counted).toBe(0);
    expect(counted + r.pruned + r.cut).toBe(r.iterations);
  });

  it('more threads than cores: a 32-thread correct program completes its iterations and is not hung (issue 13)', async () => {
    const p = irOfText('many32.mw', MANY(32));
    // bounded by work (2,000 iterations); the time limit only keeps a regression from running for minutes
    const r = await runOnWorkers(p, { iterations: 2_000, seed: 1, cores: 2, timeLimitMs: 90_000, stallMs: 10_000 });
    expect(r.yielding).toBe(true);
    expect(r.hang).toBeNull();
    expect(r.stop).toBe('done');
    expect(r.iterations).toBe(2_000);
    expect([...r.histogram]).toEqual([['[32]', 2_000]]);
  });

  it('more threads than cores, spinning forever with no time limit: the watchdog reports a hang naming each await', async () => {
    const p = irOfText('spinforever.mw', SPIN_FOREVER.replace('0..4', '0..32'));
    const r = await runOnWorkers(p, { iterations: 1_000_000, seed: 1, cores: 2, stallMs: 1_000 });
    expect(r.stop).toBe('hang');
    expect(r.hang?.threads.length).toBe(32);
    // the blocking position is the await (line 6), not the thread's first instruction
    expect(r.hang?.threads.every((t) => t.position === 'spinforever.mw:6 await (load.sc(never) == 1)' || t.position.startsWith('in the rendezvous') || t.position.startsWith('finished'))).toBe(true);
    expect(r.hang?.threads.some((t) => t.position.includes('await'))).toBe(true);
    expect(r.hang?.message).toMatch(/no thread made progress for 1000 ms/);
    expect(r.iterations).toBe(0);
    // stallMs after the last progress, plus worker start-up of 32 workers on a busy machine
    expect(r.ms).toBeLessThan(30_000);
  });

  it('a program that spins forever is hung with no time limit, within about stallMs', async () => {
    const p = irOfText('spinforever.mw', SPIN_FOREVER);
    const r = await runOnWorkers(p, { iterations: 1_000_000, seed: 1, stallMs: 500 });
    expect(r.stop).toBe('hang');
    expect(r.hang?.threads.some((t) => t.position === 'spinforever.mw:6 await (load.sc(never) == 1)')).toBe(true);
    expect(r.ms).toBeLessThan(500 + 10_000);
  });

  it('the progress slot a blocking point writes is not a location of any iteration', async () => {
    // P0's await (pc 1) records its position; that store once landed in an iteration copy's a[3]
    const p = irOfText('slot.mw', `test slot
shared a[8];
shared f = 0;
thread P0 { store.sc(f, 1); await (load.sc(f) == 1); }
thread P1 { r = load.sc(a[3]); }
forall (a[3]=0)
`);
    const r = await runOnWorkers(p, { iterations: 4_000, batchSize: 1_000, seed: 1, shuffle: false, layouts: ['packed'], timeLimitMs: 30_000 });
    expect(r.iterations).toBeGreaterThan(0);
    const idx = p.observables.findIndex((o) => o.name === 'a[3]');
    expect(idx).toBeGreaterThanOrEqual(0);
    for (const k of r.histogram.keys()) expect((JSON.parse(k) as number[])[idx], k).toBe(0);
  });

  describe('injected faults end the run with a clear message, no worker left, within the limit', () => {
    it('a worker that throws: the run fails at once and names the thread', async () => {
      const p = irOf('examples/sb.mw');
      const r = await runOnWorkers(p, { iterations: 1_000_000, seed: 1, stallMs: 60_000, timeLimitMs: 60_000, faultForTesting: { thread: 1, kind: 'throws' } });
      expect(r.stop).toBe('failed');
      expect(r.failure).toMatch(/the worker of thread P1 failed: injected fault/);
      expect(r.hang).toBeNull();
      expect(liveWorkers()).toBe(0);
      // neither the watchdog (60 s) nor the time limit (60 s) ended it
      expect(r.ms).toBeLessThan(30_000);
    });

    it('a worker that never arrives: the watchdog reports it as never started', async () => {
      const p = irOf('examples/sb.mw');
      const r = await runOnWorkers(p, { iterations: 1_000_000, seed: 1, stallMs: 500, faultForTesting: { thread: 0, kind: 'never-arrives' } });
      expect(r.stop).toBe('hang');
      expect(r.hang?.threads[0]?.position).toMatch(/never started/);
      expect(liveWorkers()).toBe(0);
      expect(r.ms).toBeLessThan(500 + 10_000);
    });

    it('a worker that never arrives under a time limit shorter than the watchdog: ends at the limit, nothing seen', async () => {
      const p = irOf('examples/sb.mw');
      const r = await runOnWorkers(p, { iterations: 1_000_000, seed: 1, stallMs: 60_000, timeLimitMs: 500, faultForTesting: { thread: 1, kind: 'never-arrives' } });
      expect(r.stop).toBe('time');
      expect(r.iterations).toBe(0);
      expect(liveWorkers()).toBe(0);
      expect(r.ms).toBeLessThan(500 + 3_000);
    });
  });

  it('terminateAllWorkers ends a run still under way (what afterEach does after a timeout)', async () => {
    const p = irOfText('spinforever.mw', SPIN_FOREVER);
    const pending = runOnWorkers(p, { iterations: 1_000_000, seed: 1, stallMs: 600_000 });
    await until(30_000, () => liveWorkers() === 4);
    expect(await terminateAllWorkers()).toBe(4);
    const r = await pending;
    expect(r.stop).toBe('failed');
    expect(r.failure).toMatch(/terminateAllWorkers/);
    expect(liveWorkers()).toBe(0);
  });
});

/** Poll `ok` every 20 ms until it holds or `ms` pass (then throw). */
async function until(ms: number, ok: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
