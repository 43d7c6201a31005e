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

  it('--format junit and github: check\'s CI formats for the merged answer, with check\'s exit codes', async () => {
    // a failing run: the violation kinds of the whole run, each a <failure> / an ::error at its source line
    const whole = await check('racy.mw', ['--model', 'rc11', '--format', 'junit']);
    const wholeGithub = await check('racy.mw', ['--model', 'rc11', '--format', 'github']);
    const failureTypes = (xml: string): string[] => [...xml.matchAll(/<failure type="([a-z]+)"/g)].map((m) => m[1] as string).sort();
    const errorTitles = (gh: string): string[] => [...gh.matchAll(/^::error file=racy\.mw,line=(\d+),col=\d+,title=memweave ([a-z]+) \(rc11\)::/gm)].map((m) => `${m[2]}@${m[1]}`).sort();
    const files = await shards('racy.mw', 'rc11', 3);
    const junit = await merge(files, [...Object.keys(files), '--format', 'junit']);
    expect(junit.code).toBe(1);
    expect(junit.code).toBe(whole.code);
    expect(junit.out).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(junit.out).toMatch(/<testcase name="racy \[rc11\]" classname="racy" file="racy\.mw"/);
    expect(failureTypes(junit.out)).toEqual(failureTypes(whole.out));
    expect(failureTypes(junit.out).length).toBeGreaterThan(0);
    // each failure carries its trace and a replay command that names the file and the model
    expect(junit.out).toMatch(/trace \(\d+ steps\):\n/);
    expect(junit.out).toMatch(/replay: memweave check racy\.mw --model rc11 --replay mg1\./);
    const github = await merge(files, [...Object.keys(files), '--format', 'github']);
    expect(github.code).toBe(1);
    expect(errorTitles(github.out)).toEqual(errorTitles(wholeGithub.out));
    expect(errorTitles(github.out).length).toBeGreaterThan(0);
    expect(github.out).toMatch(/^::notice title=memweave check::1 file, 1 model check: 0 pass, 1 fail \(\d+ violations?\), 0 inconclusive$/m);

    // a passing run: one test case, no failure, exit 0
    const pass = await shards('r.mw', 'rc11', 2);
    const pj = await merge(pass, [...Object.keys(pass), '--format', 'junit']);
    expect(pj.code).toBe(0);
    expect(pj.out).toMatch(/<testsuites name="memweave check" tests="1" failures="0" errors="0" skipped="0"/);
    const pg = await merge(pass, [...Object.keys(pass), '--format', 'github']);
    expect(pg.code).toBe(0);
    expect(pg.out).not.toMatch(/^::(error|warning)/m);
    expect(pg.out).toMatch(/0 fail \(0 violations\), 0 inconclusive$/m);

    // an inconclusive run (a shard cut short by its states budget): skipped / a warning, exit 3
    const cut: Record<string, string> = {};
    for (let i = 0; i < 2; i++) cut[`c${i}.json`] = (await check('r.mw', ['--model', 'rc11', '--format', 'json', '--shard', `${i}/2`, '--max-states', '1'])).out;
    const cj = await merge(cut, [...Object.keys(cut), '--format', 'junit']);
    expect(cj.code).toBe(3);
    expect(cj.out).toMatch(/<skipped message="the states budget ran out; results are partial"\/>/);
    const cg = await merge(cut, [...Object.keys(cut), '--format', 'github']);
    expect(cg.code).toBe(3);
    expect(cg.out).toMatch(/^::warning file=c0\.json,line=1,col=1,title=memweave inconclusive \(rc11\)::readers: the states budget ran out/m);

    // a format merge does not have is a usage error
    const bad = await merge(pass, [...Object.keys(pass), '--format', 'herd']);
    expect(bad.code).toBe(2);
  });
});
