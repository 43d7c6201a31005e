/**
 * `memweave merge` (issue 18): shards of one `check --shard I/N --format json` run merge into
 * the whole run's executions, outcomes and counts, violations and exit code; the inputs it
 * refuses are U509 (exit 2) naming the file.
 */
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../../cli/commands/check.js';
import { mergeCommand } from '../../../../cli/commands/merge.js';
import { fakeIo } from '../fakeIo.js';

const READERS = `test readers
shared x = 0;
thread W { store.rlx(x, 1); store.rlx(x, 2); }
thread R[i in 0..2] { r0 = load.rlx(x); r1 = load.rlx(x); }
`;

// two unsynchronised increments under rc11: a data race on c (a violation)
const RACY = `test racy
shared c = 0;
thread T[i in 0..2] { r = load.plain(c); store.plain(c, r + 1); }
`;

// a forall that fails in some executions (P1 may read x before P0 writes it): positive and negative both
const FORALL = `test late
shared x = 0;
thread P0 { store.rlx(x, 1); }
thread P1 { r0 = load.rlx(x); }
thread P2 { r0 = load.rlx(x); }
forall (P1:r0 = 1)
`;

async function check(file: string, argv: string[]): Promise<{ code: number; out: string }> {
  const io = fakeIo({ files: { 'r.mw': READERS, 'racy.mw': RACY, 'f.mw': FORALL } });
  const code = await checkCommand.run([file, ...argv], io);
  return { code, out: io.out };
}

async function merge(files: Record<string, string>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ files });
  const code = await mergeCommand.run(argv, io);
  return { code, out: io.out, err: io.err };
}

async function shards(file: string, model: string, count: number): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`s${i}.json`] = (await check(file, ['--model', model, '--format', 'json', '--shard', `${i}/${count}`])).out;
  return files;
}

interface Outcome {
  values: Record<string, number>;
  finalStates: number;
}

const key = (os: readonly Outcome[]): string[] => os.map((o) => `${JSON.stringify(o.values)}=${o.finalStates}`).sort();

describe('memweave merge', () => {
  it('the condition is decided over every shard\'s executions, as check decides it over the whole', async () => {
    const whole = JSON.parse((await check('f.mw', ['--model', 'rc11', '--format', 'json'])).out) as { condition: { validated: string; positive: number; negative: number } };
    for (const count of [2, 3]) {
      const files = await shards('f.mw', 'rc11', count);
      const m = await merge(files, [...Object.keys(files), '--format', 'json']);
      const j = JSON.parse(m.out) as { condition: { validated: string; positive: number; negative: number; observation: string } };
      expect({ positive: j.condition.positive, negative: j.condition.negative }).toEqual({ positive: whole.condition.positive, negative: whole.condition.negative });
      expect(j.condition.validated).toBe('No');
      expect(whole.condition.validated).toBe('No');
      expect(j.condition.observation).toBe('Sometimes');
      const text = await merge(files, Object.keys(files));
      expect(text.out).toMatch(/^Condition forall \(P1:r0=1\): No \(positive \d+, negative \d+\)$/m);
      expect(text.code).toBe(1);
    }
  });

  it.each([2, 3, 4])('%i shards of readers under rc11 merge into the whole run (exit 0)', async (count) => {
    const whole = JSON.parse((await check('r.mw', ['--model', 'rc11', '--format', 'json'])).out) as { outcomes: Outcome[]; stats: { executions: number } };
    const files = await shards('r.mw', 'rc11', count);
    const r = await merge(files, [...Object.keys(files).reverse(), '--format', 'json']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out) as { verdict: string; executions: number; outcomes: Outcome[] };
    expect(m.verdict).toBe('pass');
    expect(m.executions).toBe(whole.stats.executions);
    expect(key(m.outcomes)).toEqual(key(whole.outcomes));
    const text = await merge(files, Object.keys(files));
    expect(text.out).toMatch(/pass \(merged from \d+ prefix shards\)/);
  });

  it('a violation in any shard fails the merge (exit 1) with its replay token, as check does', async () => {
    const whole = await check('racy.mw', ['--model', 'rc11', '--format', 'json']);
    expect(whole.code).toBe(1);
    const kinds = (JSON.parse(whole.out) as { violations: { kind: string }[] }).violations.map((v) => v.kind).sort();
    const files = await shards('racy.mw', 'rc11', 3);
    const r = await merge(files, [...Object.keys(files), '--format', 'json']);
    expect(r.code).toBe(1);
    const m = JSON.parse(r.out) as { verdict: string; violations: { kind: string; replay?: string }[] };
    expect(m.verdict).toBe('fail');
    expect(m.violations.map((v) => v.kind).sort()).toEqual(kinds);
    for (const v of m.violations) expect(v.replay).toMatch(/^mg1\./);
  });

  it('refuses with U509 (exit 2): a missing or duplicated index, another space, another N, not a shard, bad JSON', async () => {
    const two = await shards('r.mw', 'rc11', 2);
    const three = await shards('r.mw', 'rc11', 3);
    const ra = await shards('r.mw', 'ra', 2);
    const whole = (await check('r.mw', ['--model', 'rc11', '--format', 'json'])).out;
    const cases: [Record<string, string>, string[], RegExp][] = [
      [two, ['s0.json'], /shard 1 of 2 is missing/],
      [two, ['s0.json', 's0.json', 's1.json'], /are both shard 0/],
      [{ 'a.json': two['s0.json'] as string, 'b.json': ra['s1.json'] as string }, ['a.json', 'b.json'], /b\.json is a shard of another space/],
      [{ 'a.json': two['s0.json'] as string, 'b.json': three['s1.json'] as string }, ['a.json', 'b.json'], /b\.json is one of 3 shards/],
      [{ 'w.json': whole }, ['w.json'], /w\.json is not a memweave shard result/],
      [{ 'x.json': '{ nope' }, ['x.json'], /x\.json is not JSON/],
      [{}, ['gone.json'], /cannot read gone\.json/],
    ];
    for (const [files, argv, message] of cases) {
      const r = await merge(files, argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/error\[U509\]: memweave merge: /);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/    at /);
    }
  });
});
