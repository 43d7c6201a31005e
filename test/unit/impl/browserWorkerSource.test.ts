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
import { liveWorkers, runOnHost, terminateAllWorkers, type ThreadHost } from '../../../impl/protocol.js';
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
});
