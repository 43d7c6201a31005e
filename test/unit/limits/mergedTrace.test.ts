/**
 * Issue 13, "Budgets": a counterexample trace is inside `--max-memory` under statement merging
 * too. The search reserves one row per stored step when it finds a violation
 * (statefulSearch.ts reserveTraces), but with merging a stored step stands for up to
 * 1 + MERGE_CAP rows (each merged local instruction is its own row): the loop below stores
 * 20,000 states on its path and its trace has 80,003 rows (store, assign, branch, jump per turn).
 * Before, the trace was built whole past its reservation (peak 33.8 MB reported at
 * --max-memory 64 while 80,003 rows at 1,632 bytes are 130 MB); now every row past the
 * reservation is reserved before it is built, and a trace with no room leaves the answer
 * inconclusive for memory (a verdict never comes without its trace).
 */
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../cli/commands/check.js';
import { traceRowBytes } from '../../../checker/resultCost.js';
import { fakeIo } from '../cli/fakeIo.js';

const N = 20_000;
const PROGRAM = `test longtrace\nshared x = 0;\nthread P0 {\n  r0 = 0;\n  while (r0 != ${N}) {\n    store.plain(x, r0);\n    r0 = r0 + 1;\n  }\n  assert(r0 == 0, "end of a long run");\n}\n`;

interface Json {
  readonly verdict: string;
  readonly budgetExhausted: string | null;
  readonly violations: readonly { readonly trace: readonly unknown[] }[];
  readonly stats: { readonly peakBytes: number };
}

async function check(extra: readonly string[]): Promise<Json> {
  const io = fakeIo({ files: { 'p.mw': PROGRAM } });
  await checkCommand.run(['p.mw', '--model', 'sc', '--dfs', '--format', 'json', ...extra], io);
  return JSON.parse(io.out) as Json;
}

describe('a merged counterexample trace is reserved row by row (issue 13)', () => {
  it('no room for its 80,003 rows at 64 MiB: inconclusive (memory), no violation without its trace', async () => {
    const r = await check(['--max-memory', '64']);
    expect([r.verdict, r.budgetExhausted, r.violations.length]).toEqual(['inconclusive', 'memory', 0]);
    expect(r.stats.peakBytes).toBeLessThanOrEqual(64 * 2 ** 20);
  }, 60_000);

  it('with room (160 MiB) the trace is built, and its rows are counted in the peak', async () => {
    const r = await check(['--max-memory', '160']);
    expect(r.verdict).toBe('fail');
    const rows = r.violations[0]?.trace.length ?? 0;
    expect(rows).toBe(4 * N + 3);
    expect(r.stats.peakBytes).toBeGreaterThanOrEqual(rows * traceRowBytes(1));
    expect(r.stats.peakBytes).toBeLessThanOrEqual(160 * 2 ** 20);
  }, 60_000);

  it('without merging (--no-por) the path is the trace: 80,003 stored steps, reserved when found', async () => {
    const r = await check(['--max-memory', '64', '--no-por']);
    // 80,003 rows need 130 MB: no room at 64 MiB either way
    expect([r.verdict, r.budgetExhausted]).toEqual(['inconclusive', 'memory']);
  }, 60_000);
});
