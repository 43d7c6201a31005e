/**
 * The explorer on real TypeScript: impl/sync's Mutex checked from its source, seeded bugs found
 * with traces into the fixture's lines, replay tokens re-running the failing schedule, escapes
 * reported, and DPOR's final states held against a brute-force enumeration of every interleaving.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explore } from '../../../explore/index.js';
import { exploreAllForTesting } from '../../../explore/explore.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/explore/${name}`, import.meta.url));
const small = fixture('smallLocks.ts');

describe('explore', () => {
  it('impl/sync Mutex keeps a plain counter increment exclusive (2 threads)', async () => {
    const r = await explore(fixture('mutexCounter.ts'));
    expect(r.verdict, JSON.stringify(r.violation)).toBe('pass');
    expect(r.stats.executions).toBeGreaterThan(1);
  });

  it('a correct futex lock passes with 2 and 3 threads', async () => {
    expect((await explore(small, { export: 'futexOk' })).verdict).toBe('pass');
    const racy = await explore(small, { export: 'racyCounter' });
    expect(racy.verdict).toBe('fail');
    expect(racy.violation?.message).toMatch(/the counter is 1, not 2/);
    expect((await explore(small, { export: 'futexOk3' })).verdict).toBe('pass');
  });

  it('an unlock that skips the notify deadlocks, and the token replays it', async () => {
    const r = await explore(small, { export: 'futexNoNotify' });
    expect(r.verdict).toBe('fail');
    expect(r.violation?.kind).toBe('deadlock');
    expect(r.violation?.message).toMatch(/waits in Atomics\.wait at test\/fixtures\/explore\/smallLocks\.ts:\d+:\d+/);
    const again = await explore(small, { export: 'futexNoNotify', replay: r.violation?.replay ?? '' });
    expect(again.verdict).toBe('fail');
    expect(again.violation?.trace).toEqual(r.violation?.trace);
  });

  it('a CAS with the wrong expected value (1, not 0) never takes the free lock: a deadlock, the trace in the source', async () => {
    const r = await explore(small, { export: 'tasWrongExpected' });
    expect(r.verdict).toBe('fail');
    expect(r.violation?.kind).toBe('deadlock');
    expect(r.violation?.trace.some((s) => /smallLocks\.ts:\d+:\d+$/.test(s.at) && s.what.startsWith('Atomics.compareExchange'))).toBe(true);
  });

  it('Math.random inside a thread is an escape with its position', async () => {
    const r = await explore(small, { export: 'usesRandom' });
    expect(r.violation?.kind).toBe('escape');
    expect(r.violation?.at).toMatch(/smallLocks\.ts:\d+:\d+/);
  });

  it('a preemption bound that cuts schedules is inconclusive, never a pass', async () => {
    const r = await explore(small, { export: 'futexOk3', maxPreemptions: 0 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.reason).toMatch(/preemption bound/);
  });

  it('DPOR reaches the same final states as every interleaving, in fewer executions', async () => {
    for (const name of ['racyCounter', 'futexOk']) {
      const a = await exploreAllForTesting(small, 200, name);
      expect([...a.dporFinals].sort(), name).toEqual([...a.finals].sort());
      expect(a.dporExecutions, name).toBeLessThanOrEqual(a.executions);
    }
  });
});
