/**
 * `memweave/testing`'s `toHold()` on explore() answers (issue 16, in-test use as loom users expect):
 * a broken design fails with the trace table (positions and source lines of the user's file), the
 * replay token, the explore(…) call that replays it and the command that re-runs the test; a
 * correct design passes; an inconclusive exploration fails, saying which bound cut it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memweaveMatchers, type MemweaveMatchers } from '../../../cli/testing.js';
import { explore } from '../../../explore/index.js';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends MemweaveMatchers<T> {}
}
expect.extend(memweaveMatchers);

const small = fileURLToPath(new URL('../../fixtures/explore/smallLocks.ts', import.meta.url));

function failureOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the assertion to fail');
}

describe('toHold on explore()', () => {
  it('passes on a correct lock', async () => {
    expect(await explore(small, { export: 'futexOk' })).toHold();
  });

  it('fails on a racy counter with the trace table, the token, the replay call and the rerun command', async () => {
    const r = await explore(small, { export: 'racyCounter' });
    const message = failureOf(() => expect(r).toHold());
    expect(message).toMatch(/^expected the exploration to hold\n\ntest\/fixtures\/explore\/smallLocks\.ts \(export racyCounter\): fail after \d+ executions/);
    expect(message).toContain('violation (check): the counter is 1, not 2: an increment was lost');
    expect(message).toMatch(/trace \(4 steps\):\n {4}# +thread +operation +at +source\n/);
    // every row names the fixture's line and quotes it
    expect(message).toMatch(/ 1 +T0 +read Int32\[1\] → 0 +test\/fixtures\/explore\/smallLocks\.ts:\d+:\d+ +v\[COUNTER\] = \(v\[COUNTER\] \?\? 0\) \+ 1;/);
    expect(message).toMatch(/write Int32\[1\] = 1 +test\/fixtures\/explore\/smallLocks\.ts:\d+:\d+ +v\[COUNTER\]/);
    const token = /replay token: (mx1\.2\.[0-9a-z]+)/.exec(message)?.[1];
    expect(token).toBe(r.violation?.replay);
    expect(message).toContain(`replay: explore("test/fixtures/explore/smallLocks.ts", { export: "racyCounter", replay: "${token ?? ''}" })`);
    expect(message).toMatch(/rerun: npx vitest run test\/unit\/explore\/matcher\.test\.ts -t "fails on a racy counter/);
    // the printed call replays the same schedule
    const again = await explore(small, { export: 'racyCounter', replay: token ?? '' });
    expect(again.violation?.trace).toEqual(r.violation?.trace);
    expect(r).not.toHold();
  });

  it('fails on a deadlock, naming where the thread waits', async () => {
    const r = await explore(small, { export: 'futexNoNotify' });
    expect(() => expect(r).toHold()).toThrow(/violation \(deadlock\): no thread can move: thread \d waits in Atomics\.wait at test\/fixtures\/explore\/smallLocks\.ts:\d+:\d+[\s\S]*Atomics\.wait\(v, STATE, 1\)/);
  });

  it('an inconclusive exploration does not hold, and says which bound cut it', async () => {
    const r = await explore(small, { export: 'futexOk3', maxPreemptions: 0 });
    expect(r.verdict).toBe('inconclusive');
    expect(() => expect(r).toHold()).toThrow(/futexOk3\): inconclusive after \d+ executions?[\s\S]*inconclusive: the preemption bound \(0\) left schedules unexplored/);
  });

  it('a scenario that cannot load does not hold, and says why', async () => {
    const r = await explore(small, { export: 'noSuchExport' });
    expect(() => expect(r).toHold()).toThrow(/inconclusive: the scenario module failed to load: .*noSuchExport/);
  });
});
