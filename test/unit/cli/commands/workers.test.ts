/**
 * `check --workers N` (issue 18 step 1): the option's usage errors, the same JSON verdict,
 * outcomes and violation kinds as the sequential search with the same exit code (and equal state
 * counts with --no-por), the exit code 3 of a budget, and the graph engine on the workers (its
 * tree's shards, checker/graphShards.ts). Every pool `check` starts is closed before it returns.
 */
import { describe, expect, it } from 'vitest';
import { checkCommand, withStartFindings } from '../../../../cli/commands/check.js';
import type { CheckResult } from '../../../../checker/api.js';
import { liveParallelWorkers } from '../../../../cli/parallelCheck.js';
import { busyElsewhere, idleCores } from '../../../../cli/cores.js';
import { fakeIo } from '../fakeIo.js';

const SB = `test SB
shared x = 0;
shared y = 0;
thread P0 { store.plain(x, 1); r0 = load.plain(y); }
thread P1 { store.plain(y, 1); r0 = load.plain(x); }
exists (P0:r0 = 0 /\\ P1:r0 = 0)
`;

// a test-then-set lock that is never released: a mutual-exclusion violation, a deadlock and a failed condition
const BAD = `test bad
shared l = 0;
shared c = 0;
thread T[i in 0..2] {
  await (load.sc(l) == 0);
  store.sc(l, 1);
  critical { r = load.plain(c); store.plain(c, r + 1); }
}
forall (c = 2)
`;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ files: { 'sb.mw': SB, 'bad.mw': BAD } });
  const code = await checkCommand.run(argv, io);
  return { code, out: io.out, err: io.err };
}

interface Json {
  verdict: string;
  budgetExhausted: string | null;
  outcomes: unknown[];
  violations: { kind: string }[];
  stats: { statesStored: number };
}

function summary(out: string, counts: boolean): unknown {
  const j = JSON.parse(out) as Json;
  return { verdict: j.verdict, budgetExhausted: j.budgetExhausted, outcomes: counts ? j.outcomes : (j.outcomes as { values: unknown }[]).map((o) => o.values), kinds: j.violations.map((v) => v.kind), ...(counts ? { states: j.stats.statesStored } : {}) };
}

describe('check --workers', () => {
  it('refuses a malformed count, too many workers, and --hash-compact', async () => {
    for (const bad of ['0', 'two', '1.5']) {
      const r = await run(['sb.mw', '--workers', bad]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/error\[U505\]: memweave check: --workers expects a positive integer/);
    }
    for (const big of ['65', '9007199254740993']) {
      const many = await run(['sb.mw', '--workers', big]);
      expect(many.code).toBe(2);
      // the value as given, never rounded
      expect(many.err).toContain(`--workers expects at most 64, got '${big}'`);
    }
    const hc = await run(['sb.mw', '--workers', '2', '--hash-compact']);
    expect(hc.code).toBe(2);
    expect(hc.err).toMatch(/--hash-compact/);
  });

  it.each([
    ['sb.mw', 'tso'],
    ['bad.mw', 'sc'],
    ['bad.mw', 'pso'],
  ])('%s under %s: the same answer and exit code as one thread', async (file, model) => {
    for (const extra of [[], ['--no-por']]) {
      const seq = await run([file, '-m', model, '--format', 'json', ...extra]);
      const par = await run([file, '-m', model, '--format', 'json', '--workers', '2', ...extra]);
      expect(par.code).toBe(seq.code);
      expect(summary(par.out, extra.length > 0)).toEqual(summary(seq.out, extra.length > 0));
    }
    expect(liveParallelWorkers()).toBe(0);
  });

  it('several files and models share one pool, answer as one thread does, and leave no worker running', async () => {
    const argv = ['sb.mw', 'bad.mw', '-m', 'sc,tso,pso', '--format', 'json', '--no-por'];
    const seq = await run(argv);
    const par = await run([...argv, '--workers', '2']);
    expect(par.code).toBe(seq.code);
    const files = (out: string): unknown => (JSON.parse(out) as { files: { results: Json[] }[] }).files.map((f) => f.results.map((r) => summary(JSON.stringify(r), true)));
    expect(files(par.out)).toEqual(files(seq.out));
    expect(liveParallelWorkers()).toBe(0);
  });

  it('a budget that runs out is inconclusive, exit 3', async () => {
    const r = await run(['bad.mw', '-m', 'pso', '--format', 'json', '--workers', '2', '--max-states', '3']);
    expect(r.code).toBe(3);
    expect((JSON.parse(r.out) as Json).budgetExhausted).toBe('states');
  });

  it("a counterexample's trace is reserved from the memory budget on the workers as on one thread: no room, inconclusive", async () => {
    // 5,000 steps to the failed assert: some 8 MB of trace rows (resultCost.ts), beyond a 4 MiB budget, within 64 MiB
    const io = fakeIo({ files: { 'long.mw': `test long\nshared x = 0;\nthread P0 {\n  r0 = 0;\n  while (r0 != 5000) { store.plain(x, r0); r0 = r0 + 1; }\n  assert(r0 == 0, "the end");\n}\n` } });
    const answer = async (argv: string[]): Promise<{ code: number; verdict: string; budget: string | null; kinds: string[] }> => {
      io.out = '';
      const code = await checkCommand.run(['long.mw', '--dfs', '--format', 'json', ...argv], io);
      const j = JSON.parse(io.out) as Json;
      return { code, verdict: (j as { verdict: string }).verdict, budget: j.budgetExhausted, kinds: j.violations.map((v) => v.kind) };
    };
    for (const workers of ['1', '2']) {
      expect(await answer(['--workers', workers, '--max-memory', '4'])).toEqual({ code: 3, verdict: 'inconclusive', budget: 'memory', kinds: [] });
      expect(await answer(['--workers', workers, '--max-memory', '64'])).toEqual({ code: 1, verdict: 'fail', budget: null, kinds: ['assert'] });
    }
    expect(liveParallelWorkers()).toBe(0);
  });

  it('the graph engine runs on the workers too, shard by shard: the same JSON answer and exit code', async () => {
    for (const [file, model] of [['sb.mw', 'ra'], ['bad.mw', 'rc11'], ['sb.mw', 'sc']] as const) {
      const one = await run([file, '-m', model, '--engine', 'graph', '--format', 'json']);
      const two = await run([file, '-m', model, '--engine', 'graph', '--format', 'json', '--workers', '2']);
      expect(two.code).toBe(one.code);
      expect(summary(two.out, true)).toEqual(summary(one.out, true));
      const j = JSON.parse(two.out) as { stats: { engine: string; executions: number }; condition: unknown };
      expect(j.stats.engine).toBe('graph');
      expect(j.stats.executions).toBe((JSON.parse(one.out) as { stats: { executions: number } }).stats.executions);
      expect(j.condition).toEqual((JSON.parse(one.out) as { condition: unknown }).condition);
    }
    expect(liveParallelWorkers()).toBe(0);
  });
});

// a ticket lock: some 2,000 states under sc with --no-por, a few hundred executions under rc11
const TICKET = `test ticket
shared next = 0;
shared serving = 0;
shared c = 0;
thread T[i in 0..3] {
  for k in 0..2 {
    t = fetch_add.sc(next, 1);
    await (load.sc(serving) == t);
    critical { r = load.plain(c); store.plain(c, r + 1); }
    s = load.plain(serving);
    store.sc(serving, s + 1);
  }
}
forall (c = 6)
`;

/** `check` as the process runs it without --workers: `cores` cores, the one-thread start lowered to `probe`. */
async function runAuto(argv: string[], cores: number, probe = { states: 50, executions: 5 }, isTTY = false): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ files: { 'sb.mw': SB, 'bad.mw': BAD, 'ticket.mw': TICKET }, isTTY });
  io.cores = () => cores;
  io.autoProbe = probe;
  const code = await checkCommand.run(argv, io);
  return { code, out: io.out, err: io.err };
}

interface AutoJson extends Json {
  stats: { statesStored: number; executions?: number; threads?: number; oneThreadStart?: { ms: number; stored: number }; ms: number };
}

describe('check without --workers: one thread first, then every core', () => {
  it('takes the cores the load leaves idle, at least one', () => {
    expect([idleCores(2, 0), idleCores(2, 0.4), idleCores(2, 0.6), idleCores(2, 5), idleCores(8, 2.3), idleCores(1, 0), idleCores(4, -1)]).toEqual([2, 2, 1, 1, 6, 1, 4]);
    // the machine as it is now: a count of threads, never negative
    const busy = busyElsewhere();
    expect(Number.isFinite(busy) && busy >= 0).toBe(true);
    expect(idleCores()).toBeGreaterThanOrEqual(1);
  });

  it('a search that outgrows its start moves to the cores and answers as one thread does', async () => {
    for (const model of ['sc', 'tso']) {
      const one = await runAuto(['ticket.mw', '-m', model, '--no-por', '--format', 'json', '--workers', '1'], 2);
      const auto = await runAuto(['ticket.mw', '-m', model, '--no-por', '--format', 'json'], 2);
      expect(auto.code).toBe(one.code);
      expect(summary(auto.out, true)).toEqual(summary(one.out, true));
      const j = JSON.parse(auto.out) as AutoJson;
      expect(j.stats.statesStored).toBeGreaterThan(50);
      expect(j.stats.threads).toBe(2);
      expect(j.stats.oneThreadStart?.stored).toBe(50);
      expect(j.stats.ms).toBeGreaterThanOrEqual(j.stats.oneThreadStart?.ms ?? Infinity);
      expect((JSON.parse(one.out) as AutoJson).stats.threads).toBeUndefined();
    }
    const text = await runAuto(['ticket.mw'], 2, undefined, true);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/ms on 2 threads \(\d+ ms of it a start on one thread, stopped at 50 states\)/);
    // on a terminal, the progress line says why the search starts again
    expect(text.err).toContain('[sc] past 50 states on one thread: starting again on 2 threads (--workers 1 keeps one)');
    expect(liveParallelWorkers()).toBe(0);
  });

  it("a violation the start on one thread found stays in the answer when the threads stop before finding it", async () => {
    // a real start's answer: the ticket lock's bad twin fails mutual exclusion and the final condition early
    const start = await runAuto(['bad.mw', '--format', 'json', '--workers', '1'], 1);
    expect(start.code).toBe(1);
    const found = JSON.parse(start.out) as { violations: { kind: string }[] };
    expect(found.violations.length).toBeGreaterThan(0);
    const startResult = { verdict: 'fail', violations: found.violations } as unknown as CheckResult;
    // the threads stopped (a time limit) before they found anything: the start's findings are kept, in kind order
    const threads = { verdict: 'inconclusive', budgetExhausted: 'time', violations: [] } as unknown as CheckResult;
    const merged = withStartFindings(threads, startResult);
    expect(merged.verdict).toBe('fail');
    expect(merged.budgetExhausted).toBe('time');
    expect(merged.violations.map((v) => v.kind)).toEqual(found.violations.map((v) => v.kind));
    // the threads found a kind themselves: theirs is kept, the start adds only what they lack
    const mine = { ...found.violations[0], message: 'the threads\' own' };
    const some = { verdict: 'fail', budgetExhausted: 'time', violations: [mine] } as unknown as CheckResult;
    const both = withStartFindings(some, startResult);
    expect(both.violations.map((v) => v.kind)).toEqual(found.violations.map((v) => v.kind));
    expect(both.violations.find((v) => v.kind === mine.kind)?.message).toBe("the threads' own");
    // nothing missing: the threads' answer as it is
    expect(withStartFindings(startResult, threads)).toBe(startResult);
  });

  it('the graph engine too: the same executions and outcomes', async () => {
    const one = await runAuto(['ticket.mw', '-m', 'rc11', '--format', 'json', '--workers', '1'], 2);
    const auto = await runAuto(['ticket.mw', '-m', 'rc11', '--format', 'json'], 2);
    expect(auto.code).toBe(one.code);
    expect(summary(auto.out, true)).toEqual(summary(one.out, true));
    const j = JSON.parse(auto.out) as AutoJson;
    expect(j.stats.executions).toBe((JSON.parse(one.out) as AutoJson).stats.executions);
    expect(j.stats.executions).toBeGreaterThan(5);
    expect(j.stats.threads).toBe(2);
    expect(j.stats.oneThreadStart?.stored).toBe(5);
    expect(liveParallelWorkers()).toBe(0);
  });

  it('a search within its start, one core, or a check the threads do not serve stays on one thread', async () => {
    const cases: [string[], number][] = [
      [['sb.mw', '--format', 'json'], 2],
      [['ticket.mw', '--format', 'json'], 1],
      [['ticket.mw', '--format', 'json', '--hash-compact'], 2],
      [['ticket.mw', '--format', 'json', '--shard', '0/2', '--engine', 'state'], 2],
      [['ticket.mw', '-m', 'js', '--format', 'json'], 2],
      // a memory budget under 512 MiB: the threads' own heaps would take too much of it
      [['ticket.mw', '--format', 'json', '--max-memory', '256'], 2],
    ];
    for (const [argv, cores] of cases) {
      const r = await runAuto(argv, cores);
      expect(r.err).toBe('');
      expect((JSON.parse(r.out) as AutoJson).stats.threads, argv.join(' ')).toBeUndefined();
    }
    // the start's budget is the probe's, not the check's: a small check finishes within it, as ever
    const small = await runAuto(['ticket.mw', '--format', 'json'], 2, { states: 1_000_000, executions: 1_000_000 });
    expect((JSON.parse(small.out) as AutoJson).stats.threads).toBeUndefined();
    expect(liveParallelWorkers()).toBe(0);
  });

  it("the user's --max-states is the check's budget: below the start's it ends there, above it the threads keep to it", async () => {
    const below = await runAuto(['ticket.mw', '--no-por', '--format', 'json', '--max-states', '30'], 2);
    expect(below.code).toBe(3);
    const b = JSON.parse(below.out) as AutoJson;
    expect(b.budgetExhausted).toBe('states');
    expect(b.stats.threads).toBeUndefined();
    expect(b.stats.statesStored).toBe(30);
    const above = await runAuto(['ticket.mw', '--no-por', '--format', 'json', '--max-states', '400'], 2);
    expect(above.code).toBe(3);
    const a = JSON.parse(above.out) as AutoJson;
    expect(a.budgetExhausted).toBe('states');
    expect(a.stats.threads).toBe(2);
    // a worker stops once the shared count, read after its own insert, is past the budget, and the
    // other may store one more before it sees the stop: at most one state per worker over
    expect(a.stats.statesStored).toBeGreaterThan(400);
    expect(a.stats.statesStored).toBeLessThanOrEqual(400 + 2);
    expect(liveParallelWorkers()).toBe(0);
  });
});
