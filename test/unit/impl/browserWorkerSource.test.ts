/**
 * The browser worker program (impl/workerSource.ts `browserWorkerSource`) under the shared
 * iteration protocol (impl/protocol.ts `runOnHost`), hosted here on worker_threads with a shim for
 * a Web Worker's `self.onmessage`: the same text the playground loads from a Blob URL runs SB to
 * the same histogram shape as the Node program, uses no eval, and every worker is ended.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { compileProgram } from '../../../impl/compile.js';
import { liveWorkers, runOnHost, terminateAllWorkers, type RunSnapshot, type ThreadHost } from '../../../impl/protocol.js';
import { browserWorkerSource } from '../../../impl/workerSource.js';
import { compileSource } from '../../../model/frontend.js';
import { outcomeKey, valuesFromNamed } from '../../../model/outcome.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** A Web Worker's `self` over worker_threads: the first message is delivered to `self.onmessage`. */
const SHIM = `const { parentPort } = require('node:worker_threads');
globalThis.self = { set onmessage(f) { if (f !== null) parentPort.once('message', (data) => f({ data })); } };
`;

const shimHost: ThreadHost = {
  cores: 2,
  start(_t, _name, init, events) {
    const w = new Worker(SHIM + browserWorkerSource(init.sources), { eval: true });
    w.unref();
    w.once('exit', (code) => events.exited(code));
    w.on('error', (err: unknown) => events.failed(err instanceof Error ? err.message : String(err)));
    w.postMessage(init);
    return { terminate: () => w.terminate() };
  },
  hold() {
    const t = setInterval(() => undefined, 1 << 30);
    return () => clearInterval(t);
  },
};

afterEach(async () => {
  await terminateAllWorkers();
  expect(liveWorkers()).toBe(0);
});

describe('the browser worker program', () => {
  const out = compileSource('SB.mw', readFileSync(join(ROOT, 'examples', 'litmus', 'SB.mw'), 'utf8'));
  const program = out.ir;

  it('holds the compiled thread code inline and needs no eval', () => {
    if (program === null) throw new Error('SB does not compile');
    const text = browserWorkerSource(compileProgram(program).map((c) => c.source));
    expect(text).not.toMatch(/new Function|\beval\(/);
    expect(text).not.toMatch(/require\(/);
    expect(text).toContain('self.onmessage');
  });

  it('runs SB through runOnHost: every outcome allowed under tso, counts sum to the iterations', async () => {
    if (program === null) throw new Error('SB does not compile');
    const r = await runOnHost(shimHost, program, { iterations: 3000, seed: 3 });
    expect(r.stop).toBe('done');
    expect(r.iterations).toBe(3000);
    expect([...r.histogram.values()].reduce((a, b) => a + b, 0)).toBe(3000);
    const allowed = new Set(check(program, { model: 'tso' }).outcomes.map((o) => outcomeKey(valuesFromNamed(program, o.values))));
    for (const key of r.histogram.keys()) expect(allowed.has(key), key).toBe(true);
    expect(liveWorkers()).toBe(0);
  });

  it('onBatch: a snapshot after every batch, its counts rising to the final histogram (the live histogram of the Run view)', async () => {
    if (program === null) throw new Error('SB does not compile');
    const seen: RunSnapshot[] = [];
    const r = await runOnHost(shimHost, program, { iterations: 3000, batchSize: 500, seed: 5, onBatch: (s) => seen.push(s) });
    expect(r.stop).toBe('done');
    // 3000 iterations in batches of 500: six snapshots, one per batch, 500 more each time
    expect(seen.map((s) => s.iterations)).toEqual([500, 1000, 1500, 2000, 2500, 3000]);
    expect(seen.map((s) => s.batches)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const s of seen) {
      expect([...s.histogram.values()].reduce((a, b) => a + b, 0) + s.pruned + s.cut).toBe(s.iterations);
      expect(s.requested).toBe(3000);
    }
    // each snapshot is its own Map, and the last one is the result's histogram
    expect(seen[0]?.histogram).not.toBe(seen[1]?.histogram);
    expect([...(seen.at(-1)?.histogram ?? new Map<string, number>()).entries()].sort()).toEqual([...r.histogram.entries()].sort());
    expect(liveWorkers()).toBe(0);
  });
});
