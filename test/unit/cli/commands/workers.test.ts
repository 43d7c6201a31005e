/**
 * `check --workers N` (issue 18 step 1): the option's usage errors, the same JSON verdict,
 * outcomes and violation kinds as the sequential search with the same exit code (and equal state
 * counts with --no-por), the exit code 3 of a budget, and the graph engine on the workers (its
 * tree's shards, checker/graphShards.ts). Every pool `check` starts is closed before it returns.
 */
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../../cli/commands/check.js';
import { liveParallelWorkers } from '../../../../cli/parallelCheck.js';
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
