/**
 * Async threads and Atomics.waitAsync in the explorer (issue 16): an async futex lock passes and
 * its seeded bug deadlocks with the waitAsync in the message; a thread in Atomics.wait and one
 * awaiting Atomics.waitAsync share one waiter list; the resolution synchronizes with the notify
 * under js; a timed waitAsync takes both answers; notify wakes waitAsync promises oldest first;
 * promises that wait on nothing, detached throws and async setups are reported. Final states are
 * held against the brute-force enumeration of every interleaving.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explore } from '../../../explore/index.js';
import { exploreAllForTesting } from '../../../explore/explore.js';

const file = fileURLToPath(new URL('../../fixtures/explore/asyncThreads.ts', import.meta.url));

describe('explore: async threads and Atomics.waitAsync', () => {
  it('an async futex lock keeps the counter exact; with the sync one beside it too', async () => {
    for (const name of ['asyncFutexOk', 'mixedFutex']) {
      const r = await explore(file, { export: name });
      expect(r.verdict, `${name}: ${r.violation?.message ?? r.reason ?? ''}`).toBe('pass');
      expect(r.stats.executions, name).toBeGreaterThan(1);
    }
  });

  it('an async unlock that skips the notify deadlocks: the waiter awaits Atomics.waitAsync, and the token replays it', async () => {
    const r = await explore(file, { export: 'asyncFutexNoNotify' });
    expect(r.verdict).toBe('fail');
    expect(r.violation?.kind).toBe('deadlock');
    expect(r.violation?.message).toMatch(/awaits Atomics\.waitAsync at test\/fixtures\/explore\/asyncThreads\.ts:\d+:\d+/);
    expect(r.violation?.trace.some((s) => /Atomics\.waitAsync\(Int32\[0\], 1\) → a promise/.test(s.what))).toBe(true);
    const again = await explore(file, { export: 'asyncFutexNoNotify', replay: r.violation?.replay ?? '' });
    expect(again.violation?.kind).toBe('deadlock');
    expect(again.violation?.trace.map((s) => s.what)).toEqual(r.violation?.trace.map((s) => s.what));
  });

  it('the brute force over every interleaving reaches the final states DPOR does', async () => {
    for (const name of ['asyncFutexOk', 'mixedFutex', 'timedWait', 'publish']) {
      const a = await exploreAllForTesting(file, 200, name);
      expect([...a.dporFinals].sort(), name).toEqual([...a.finals].sort());
      expect(a.dporSleepBlocked, name).toBe(0);
      expect(a.dporExecutions, name).toBeLessThanOrEqual(a.executions);
    }
  });

  it('a timed waitAsync is resolved "ok" by the notify or times out; never the sync answer once it waits', async () => {
    const a = await exploreAllForTesting(file, 200, 'timedWait');
    const results = [...a.dporFinals].map((k) => JSON.parse(k.slice(k.indexOf('|') + 1)) as unknown[]).map((r) => r[1]);
    expect(new Set(results)).toEqual(new Set(['ok', 'timed-out', 'sync not-equal']));
  });

  it('under js the resolution synchronizes with the notify (no race); reading without waiting is a race', async () => {
    const ok = await explore(file, { export: 'publish', model: 'js' });
    expect(ok.verdict, ok.violation?.message).toBe('pass');
    const racy = await explore(file, { export: 'publishNoWait', model: 'js' });
    expect(racy.verdict).toBe('fail');
    expect(racy.violation?.kind).toBe('race');
    const sc = await explore(file, { export: 'publishNoWait' });
    expect(sc.violation?.kind).toBe('check');
  });

  it('notify wakes waitAsync promises oldest first, and a thread runs its resolutions in the order they were queued', async () => {
    const r = await explore(file, { export: 'fifo' });
    expect(r.verdict, r.violation?.message).toBe('pass');
  });

  it('a promise waiting on nothing the explorer models is a deadlock that says so', async () => {
    const r = await explore(file, { export: 'awaitsNothing' });
    expect(r.violation?.kind).toBe('deadlock');
    expect(r.violation?.message).toMatch(/promise waits on nothing the explorer models/);
  });

  it('a detached async call that throws is the thread\'s error; an async setup is refused', async () => {
    const d = await explore(file, { export: 'detachedThrow' });
    expect(d.verdict).toBe('fail');
    expect(d.violation?.kind).toBe('error');
    expect(d.violation?.message).toMatch(/boom after the await/);
    const s = await explore(file, { export: 'asyncSetup' });
    expect(s.verdict).toBe('fail');
    expect(s.violation?.message).toMatch(/only threads may be async/);
  });
});
