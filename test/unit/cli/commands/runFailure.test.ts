/**
 * A run whose worker failed (threw or exited: an internal error) gives no verdict from its partial
 * histogram: `conform` exits 70 and says so instead of CONSISTENT, `report --run` writes no page.
 * The harness is replaced by one whose run fails after a few iterations (the real failure path is
 * tested in test/unit/impl/harness.test.ts with faultForTesting).
 */
import { describe, expect, it, vi } from 'vitest';
import type { RunOptions, RunResult } from '../../../../impl/harness.js';
import type { IrProgram } from '../../../../model/ir.js';
import { main } from '../../../../cli/main.js';
import { fakeIo } from '../fakeIo.js';

vi.mock('../../../../impl/harness.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../impl/harness.js')>();
  return {
    ...real,
    runOnWorkers: async (program: IrProgram, options: RunOptions): Promise<RunResult> => {
      // a real short run, then reported as a worker failure
      const r = await real.runOnWorkers(program, { ...options, iterations: 10 });
      return { ...r, stop: 'failed', failure: 'worker P1 threw: injected' };
    },
  };
});

const SB = `test sb
shared x = 0;
shared y = 0;
thread P0 { store.plain(x, 1); r0 = load.plain(y); }
thread P1 { store.plain(y, 1); r0 = load.plain(x); }
exists (P0:r0 = 0 /\\ P1:r0 = 0)
`;

describe('a failed run gives no verdict', () => {
  it('conform: exit 70, "the run failed", no CONSISTENT', async () => {
    const io = fakeIo({ files: { 'sb.mw': SB } });
    const code = await main(['conform', 'sb.mw', '--model', 'tso', '--iterations', '1000'], io);
    expect(code).toBe(70);
    expect(io.out).toMatch(/conform: the run failed after \d+ iterations: no verdict/);
    expect(io.out).not.toMatch(/CONSISTENT/);
  });
  it('conform --format json: verdict error, the failure named', async () => {
    const io = fakeIo({ files: { 'sb.mw': SB } });
    const code = await main(['conform', 'sb.mw', '--model', 'tso', '--iterations', '1000', '--format', 'json'], io);
    expect(code).toBe(70);
    const j = JSON.parse(io.out) as { verdict: string; failure: string };
    expect(j.verdict).toBe('error');
    expect(j.failure).toMatch(/injected/);
  });
  it('report --run: exit 70 and no page', async () => {
    const io = fakeIo({ files: { 'sb.mw': SB } });
    const code = await main(['report', 'sb.mw', '--run', '--model', 'tso', '--iterations', '1000', '-o', 'out.html'], io);
    expect(code).toBe(70);
    expect(io.err).toMatch(/injected/);
    expect(io.written.has('out.html')).toBe(false);
  });
});
