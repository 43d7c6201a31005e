/**
 * Choosing models and budgets (issue 12): `--model sc,tso` and repeated `--model` both check
 * several models; `--time-limit` is one budget for the whole invocation; a mistyped option gets a
 * "did you mean".
 */
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../../cli/commands/check.js';
import { TimeBudget } from '../../../../cli/budgets.js';
import { SPIN } from '../../../support/incompletePrograms.js';
import { fakeIo, type FakeIo } from '../fakeIo.js';

const SB = `test SB
shared x = 0;
shared y = 0;
thread P0 { store.plain(x, 1); r0 = load.plain(y); }
thread P1 { store.plain(y, 1); r0 = load.plain(x); }
exists (P0:r0 = 0 /\\ P1:r0 = 0)
`;

async function run(argv: string[], tweak?: (io: FakeIo) => void): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ files: { 'sb.mw': SB, 'spin.mw': SPIN } });
  tweak?.(io);
  const code = await checkCommand.run(argv, io);
  return { code, out: io.out, err: io.err };
}

const modelsOf = (out: string): string[] => (JSON.parse(out) as { results: { model: string }[] }).results.map((r) => r.model);

describe('several models', () => {
  it('--model sc,tso and --model sc --model tso check both, in the order given', async () => {
    const comma = await run(['sb.mw', '--model', 'sc,tso', '--format', 'json']);
    expect(comma.code).toBe(0);
    expect(modelsOf(comma.out)).toEqual(['sc', 'tso']);
    const repeated = await run(['sb.mw', '--model', 'tso', '--model', 'sc', '--format', 'json']);
    expect(modelsOf(repeated.out)).toEqual(['tso', 'sc']);
    const text = await run(['sb.mw', '-m', 'sc,tso']);
    expect(text.out).toMatch(/^model +verdict/m);
    expect(text.out).toMatch(/^tso +pass +Ok +4 /m);
  });

  it('a bad model in a list is refused with the list of models', async () => {
    const r = await run(['sb.mw', '--model', 'sc,x86']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("invalid value 'x86' for --model; expected one of: sc, tso, pso, js, ra, rc11, js2017, all");
  });

  it('a mistyped option, option value or subcommand gets a did-you-mean', async () => {
    const r = await run(['sb.mw', '--max-state', '3']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown option '--max-state'; did you mean '--max-states'?");
    const f = await run(['sb.mw', '--format', 'jsno']);
    expect(f.err).toContain("invalid value 'jsno' for --format; did you mean 'json'? expected one of: text, json, junit, github");
    const { litmusCommand } = await import('../../../../cli/commands/litmus.js');
    const io = fakeIo();
    expect(await litmusCommand.run(['lst'], io)).toBe(2);
    expect(io.err).toContain("unknown subcommand 'lst'; did you mean 'list'? expected one of: list, show, table");
  });
});

describe('--time-limit is one budget for the whole invocation', () => {
  it('TimeBudget gives what is left, never less than 0, and nothing without a limit', () => {
    let t = 100;
    const b = new TimeBudget(() => t, 50);
    expect(b.options()).toEqual({ timeLimitMs: 50 });
    t = 130;
    expect(b.options()).toEqual({ timeLimitMs: 20 });
    t = 500;
    expect(b.options()).toEqual({ timeLimitMs: 0 });
    expect(new TimeBudget(() => t, null).options()).toEqual({});
  });

  it('the second model gets what the first left: it stops, where alone it would finish', async () => {
    // a clock that advances 1 ms per read; the spin program's search reads it every 256 expansions
    const ticking = (io: FakeIo): void => {
      let t = 0;
      io.now = () => t++;
    };
    const alone = await run(['spin.mw', '--model', 'tso', '--time-limit', '0.025', '--format', 'json'], ticking);
    expect((JSON.parse(alone.out) as { budgetExhausted: string | null }).budgetExhausted).toBeNull();
    const both = await run(['spin.mw', '--model', 'sc,tso', '--time-limit', '0.025', '--format', 'json'], ticking);
    const results = (JSON.parse(both.out) as { results: { model: string; budgetExhausted: string | null }[] }).results;
    expect(results.map((r) => [r.model, r.budgetExhausted])).toEqual([
      ['sc', null],
      ['tso', 'time'],
    ]);
  });
});

describe('the progress line on a terminal', () => {
  it('shows the graph engine\'s executions so far under ra, and the stateful search\'s states under sc', async () => {
    // a clock that moves a second per read, and a terminal on stderr: progress lines, each erased before the answer
    const terminal = (io: FakeIo): void => {
      let t = 0;
      io.now = () => (t += 1000);
      io.errIsTTY = true;
    };
    const ra = await run(['spin.mw', '--model', 'ra', '--max-states', '20000'], terminal);
    expect(ra.err).toMatch(/\[ra\] executions \d+ \(\d+\/s\), graphs \d+, \d+\.\d s/);
    expect(ra.err).not.toMatch(/\[ra\] states/);
    const sc = await run(['spin.mw', '--model', 'sc'], terminal);
    expect(sc.err).toMatch(/\[sc\] states \d+ \(\d+\/s\), frontier \d+, memory [\d.]+ (B|KiB|MiB), \d+\.\d s/);
  });
});

describe('report and graph take the budgets of check; report folds long traces', () => {
  const LONG = `test long
shared x = 0;
thread P0 {
  for k in 0..300 { store.sc(x, k); }
  r = load.sc(x);
  assert(r == 0);
}
`;

  it('a 1,500-step counterexample is folded on the page: the first and last 200 steps, the rest counted', async () => {
    const { reportCommand, REPORT_MAX_STEPS } = await import('../../../../cli/commands/report.js');
    const io = fakeIo({ files: { 'long.mw': LONG } });
    expect(await reportCommand.run(['long.mw', '--model', 'sc', '-o', 'out.html'], io)).toBe(0);
    const html = io.written.get('out.html') ?? '';
    const total = /\((\d+) steps\)\. Replay:/.exec(html)?.[1];
    expect(Number(total)).toBeGreaterThan(REPORT_MAX_STEPS);
    expect(html).toContain(`… ${Number(total) - REPORT_MAX_STEPS} steps folded …`);
    const rows = html.match(/<tr><td>\d+<\/td>/g) ?? [];
    expect(rows.length).toBe(REPORT_MAX_STEPS);
    expect(rows.at(-1)).toBe(`<tr><td>${total}</td>`);
  });

  it('a long execution is folded while it is re-executed: the kept steps are those of the full run', async () => {
    const { executeChoices, executeChoicesFolded } = await import('../../../../checker/execution.js');
    const { check } = await import('../../../../checker/check.js');
    const { decodeReplayToken } = await import('../../../../checker/replay.js');
    const { compileOrThrow } = await import('../../../support/programs.js');
    const p = compileOrThrow('long.mw', LONG);
    const v = check(p, { model: 'sc' }).violations[0]!;
    const d = decodeReplayToken(v.replay);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const full = executeChoices(p, { model: 'sc' }, d.token.choices)!;
    const folded = executeChoicesFolded(p, { model: 'sc' }, d.token.choices, 10, 5)!;
    expect(folded.folded).toEqual({ after: 10, count: full.steps.length - 15 });
    expect(folded.execution.steps).toEqual([...full.steps.slice(0, 10), ...full.steps.slice(-5)]);
    expect(folded.execution.finalState).toEqual(full.finalState);
    expect(folded.execution.choices).toEqual(full.choices);
    const short = executeChoicesFolded(p, { model: 'sc' }, d.token.choices.slice(0, 12), 10, 5)!;
    expect(short.folded).toBeNull();
    expect(short.execution.steps.length).toBe(12);
  });

  it('report --time-limit is one budget for every check of the page', async () => {
    const { reportCommand } = await import('../../../../cli/commands/report.js');
    const io = fakeIo({ files: { 'spin.mw': SPIN } });
    let t = 0;
    io.now = () => t++;
    expect(await reportCommand.run(['spin.mw', '--model', 'sc', '--model', 'tso', '--time-limit', '0.025', '-o', 'out.html'], io)).toBe(0);
    const html = io.written.get('out.html') ?? '';
    expect(html).toMatch(/<td>tso<\/td><td class="[^"]*">inconclusive \(time\)<\/td>/);
    expect(html).not.toMatch(/<td>sc<\/td><td class="[^"]*">inconclusive/);
  });

  it('report: a partial search shows ? for the condition, not Ok/No', async () => {
    const { reportCommand } = await import('../../../../cli/commands/report.js');
    const io = fakeIo({ files: { 'sb.mw': SB } });
    expect(await reportCommand.run(['sb.mw', '--model', 'sc', '--max-states', '2', '-o', 'out.html'], io)).toBe(0);
    expect(io.written.get('out.html') ?? '').toMatch(/<td>sc<\/td><td class="warn">inconclusive \(states\)<\/td><td>\?<\/td><td>\?<\/td>/);
  });

  it('graph takes --time-limit and --max-memory (a malformed one is a usage error)', async () => {
    const { graphCommand } = await import('../../../../cli/commands/graph.js');
    const io = fakeIo({ files: { 'sb.mw': SB } });
    expect(await graphCommand.run(['sb.mw', '--time-limit', 'soon'], io)).toBe(2);
    expect(io.err).toContain("--time-limit expects a positive number, got 'soon'");
    const ok = fakeIo({ files: { 'sb.mw': SB } });
    expect(await graphCommand.run(['sb.mw', '--model', 'tso', '--time-limit', '30', '--max-memory', '64'], ok)).toBe(0);
    expect(ok.out).toContain('digraph execution');
  });
});
