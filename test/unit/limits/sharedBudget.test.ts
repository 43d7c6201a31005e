/**
 * Issue 13, "Budgets": `--max-memory` is one budget for the whole command, not one per search.
 * What a command keeps after a search — the answer's outcomes and traces, a report's pictures,
 * stepper rows and page — is charged (cli/budgets.ts SpaceBudget), so the next search gets only
 * what is left. Before, `check --model sc --model tso` and `report` gave every model the whole
 * budget while the earlier answers stayed in memory, and the report's page was never charged.
 *
 * The program: W stores x = 1..10, R loads x six times: C(16, 6) = 8,008 distinct outcomes under
 * sc (the sc search peaks at about 16.2 MiB, of which the kept outcomes are about 15 MiB; the tso
 * search alone peaks at about 17.1 MiB). At 24 MiB either search fits alone, both do not.
 */
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../cli/commands/check.js';
import { reportCommand } from '../../../cli/commands/report.js';
import { fakeIo } from '../cli/fakeIo.js';

function manyOutcomes(k: number, m: number): string {
  const w = Array.from({ length: k }, (_, i) => `  store.plain(x, ${i + 1});`).join('\n');
  const r = Array.from({ length: m }, (_, i) => `  r${i} = load.plain(x);`).join('\n');
  return `test many\nshared x = 0;\nthread W {\n${w}\n}\nthread R {\n${r}\n}\n`;
}

const PROGRAM = manyOutcomes(10, 6);

interface JsonResult {
  readonly model: string;
  readonly verdict: string;
  readonly budgetExhausted: string | null;
  readonly outcomes: readonly unknown[];
}

async function checkJson(mib: number): Promise<{ code: number; results: JsonResult[] }> {
  const io = fakeIo({ files: { 'p.mw': PROGRAM } });
  const code = await checkCommand.run(['p.mw', '--model', 'sc', '--model', 'tso', '--format', 'json', '--max-memory', String(mib)], io);
  return { code, results: (JSON.parse(io.out) as { results: JsonResult[] }).results };
}

describe('one --max-memory budget for the whole command (issue 13)', () => {
  it('check: the second model gets what the first answer leaves (24 MiB: tso runs out; 48 MiB: both finish)', async () => {
    const small = await checkJson(24);
    expect(small.results.map((r) => [r.model, r.verdict, r.budgetExhausted, r.outcomes.length])).toEqual([
      ['sc', 'pass', null, 8008],
      ['tso', 'inconclusive', 'memory', expect.any(Number)],
    ]);
    expect(small.code).toBe(3);
    // the same command with room for both answers: tso completes (its store buffers reach --buffer-bound, which it reports)
    const large = await checkJson(48);
    expect(large.results.map((r) => [r.model, r.budgetExhausted, r.outcomes.length])).toEqual([
      ['sc', null, 8008],
      ['tso', 'buffer-bound', 8008],
    ]);
  }, 60_000);

  it('report: the models share the budget, and the page shows the model that ran out', async () => {
    const io = fakeIo({ files: { 'p.mw': PROGRAM } });
    const code = await reportCommand.run(['p.mw', '--model', 'sc', '--model', 'tso', '--max-memory', '24', '--max-pictures', '0', '-o', 'out.html'], io);
    expect(code, io.err).toBe(0);
    const html = io.written.get('out.html') ?? '';
    expect(html).toMatch(/<td>tso<\/td><td class="[^"]*">inconclusive \(memory\)<\/td>/);
    expect(html).toMatch(/<td>sc<\/td><td class="[^"]*">pass<\/td>/);
  }, 60_000);

  it('report: the page is charged: a source too large for what is left writes nothing, exit 3', async () => {
    // 1 MB of comment: the page charges the source at 48 bytes a character (escaped, four copies, two bytes)
    const big = `${PROGRAM}// ${'a'.repeat(1_000_000)}\n`;
    const io = fakeIo({ files: { 'big.mw': big } });
    const code = await reportCommand.run(['big.mw', '--model', 'sc', '--max-memory', '32', '--max-pictures', '0', '-o', 'out.html'], io);
    expect(code).toBe(3);
    expect(io.err).toMatch(/the memory budget \(--max-memory, 32 MiB\) has no room for the page: nothing written/);
    expect(io.written.has('out.html')).toBe(false);
    // with room for it, the same page is written
    const roomy = fakeIo({ files: { 'big.mw': big } });
    expect(await reportCommand.run(['big.mw', '--model', 'sc', '--max-memory', '96', '--max-pictures', '0', '-o', 'out.html'], roomy), roomy.err).toBe(0);
    expect(roomy.written.get('out.html')?.length ?? 0).toBeGreaterThan(1_000_000);
  }, 60_000);

  it('report: the stepper is charged before it is built: no room, a note on the page and no stepper', async () => {
    // 60 threads, one store each: the check peaks at about 1.3 MiB; the stepper's 402 rows are charged at
    // 1,536 + 96 × 60 bytes each plus each row's state over 60 locations (about 7.8 MiB in all): at 2 MiB the check fits and the stepper does not
    // (the last thread's assert fails, so the stepper shows its counterexample, re-executed from its token)
    const wide = ['test wide', ...Array.from({ length: 60 }, (_, i) => `shared x${i} = 0;`), ...Array.from({ length: 60 }, (_, i) => `thread P${i} { store.plain(x${i}, 1);${i === 59 ? ' assert(1 == 0, "the end");' : ''} }`)].join('\n');
    const io = fakeIo({ files: { 'w.mw': wide } });
    expect(await reportCommand.run(['w.mw', '--model', 'sc', '--max-memory', '2', '--max-pictures', '0', '-o', 'out.html'], io), io.err).toBe(0);
    const html = io.written.get('out.html') ?? '';
    expect(html).toMatch(/<td>sc<\/td><td class="[^"]*">fail<\/td>/);
    expect(html).toContain('the memory budget (--max-memory) had no room for the execution to step through');
    expect(html).toContain('No execution to show.');
    // with room, the same report steps through an execution (the stepper's rows with their
    // 60-location states are charged at about 7.8 MiB, so 16 MiB leaves room for the page too)
    const roomy = fakeIo({ files: { 'w.mw': wide } });
    expect(await reportCommand.run(['w.mw', '--model', 'sc', '--max-memory', '16', '--max-pictures', '0', '-o', 'out.html'], roomy), roomy.err).toBe(0);
    expect(roomy.written.get('out.html')).not.toContain('No execution to show.');
    expect(roomy.written.get('out.html')).toContain('Counterexample (assert) under sc');
  }, 60_000);

  it('check --help says what the budget covers and how it ends', () => {
    const help = checkCommand.usage.replace(/\s+/g, ' ');
    expect(help).toContain('--max-memory MB one memory budget for the whole invocation (default 4096)');
    for (const part of ['visited set', 'frontier', 'livelock edges', 'store buffers', 'graph stack', 'outcomes', 'traces', 'the answers kept for the output']) expect(help).toContain(part);
    expect(help).toContain('inconclusive (exit 3), budgetExhausted "memory"');
  });
});
