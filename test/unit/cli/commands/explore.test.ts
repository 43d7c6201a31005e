/**
 * `memweave explore FILE.ts` (issue 16: a CLI for checking real TypeScript): the exit codes a CI
 * gate reads, the model option, JSON, and bad input.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../cli/main.js';
import { fakeIo } from '../fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const BROKEN = 'test/fixtures/explore/brokenSync.ts';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ diskRoot: ROOT });
  const code = await main(['explore', ...argv], io);
  return { code, out: io.out, err: io.err };
}

describe('memweave explore', () => {
  it('a test-and-set lock with a plain unlock: passes under sc (exit 0), a race under js (exit 1) with the trace in its source', async () => {
    const sc = await run([BROKEN, '--export', 'tasPlainUnlockLock']);
    expect(sc.code, sc.out + sc.err).toBe(0);
    const js = await run([BROKEN, '--export', 'tasPlainUnlockLock', '--model', 'js']);
    expect(js.code).toBe(1);
    expect(js.out).toContain('violation (race): data race');
    expect(js.out).toMatch(/brokenSync\.ts:94:\d+ +while \(Atomics\.compareExchange\(v, 0, 0, 1\) !== 0\);/);
    expect(js.out).toMatch(/mx1\.2\./);
  });

  it('--format json is the result; a bound that stops the search is inconclusive (exit 3)', async () => {
    const r = await run([BROKEN, '--export', 'unlockedCounter', '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { verdict: string; violation: { kind: string } };
    expect(j).toMatchObject({ verdict: 'fail', violation: { kind: 'check' } });
    const bounded = await run(['test/fixtures/explore/syncPrimitives.ts', '--export', 'mutex', '--max-executions', '1']);
    expect(bounded.code).toBe(3);
  });

  it('bad input: not a module, no such export, a bad number: exit 2 with why', async () => {
    expect((await run(['examples/sb.mw'])).code).toBe(2);
    const noExport = await run([BROKEN, '--export', 'nope']);
    expect(noExport.code).toBe(2);
    expect(noExport.err).toContain("no export 'nope'");
    expect((await run([BROKEN, '--max-executions', '0'])).code).toBe(2);
    expect((await run([BROKEN, '--model', 'tso'])).code).toBe(2);
  });
});
