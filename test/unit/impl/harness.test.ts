/**
 * The worker harness on real worker_threads: observations are allowed by the model, SB with
 * plain accesses shows its relaxed outcome, hangs are caught by the watchdog, and no worker or
 * timer is left behind after a run, a failure, a hang or an abort.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { liveWorkers, runOnWorkers } from '../../../impl/harness.js';
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

afterEach(() => {
  expect(liveWorkers()).toBe(0);
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
      const r = await runOnWorkers(p, { iterations: 4_000, batchSize: 1_000, seed: 7 });
      expect(r.hang, f).toBeNull();
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
    expect(r.iterations).toBeGreaterThan(0);
    expect(r.iterations).toBeLessThan(50_000_000);
    expect(liveWorkers()).toBe(0);
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
    const r = await runOnWorkers(fe.ir!, { iterations: 4_000, batchSize: 500, seed: 2, barrierModes: ['spin'] });
    const mutex = r.violations.filter((v) => v.kind === 'mutex');
    expect(mutex.length).toBeGreaterThan(0);
    expect(mutex[0]?.location).toMatch(/^broken\.mw:6$/);
    // a region observes: every iteration still ends and counts (histogram + discarded + cut = iterations)
    const counted = [...r.histogram.values()].reduce((a, b) => a + b, 0);
    expect(r.cut).toBe(0);
    expect(counted + r.pruned + r.cut).toBe(r.iterations);
    expect(r.iterations).toBe(4_000);
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
});
