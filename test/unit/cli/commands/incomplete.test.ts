/**
 * `check` output when the answer is not complete (issue 12): no herd Ok/No/Observation lines on a
 * partial search, and a skipped livelock check or the default store-buffer bound reached is
 * inconclusive (exit 3) in every format, said in each.
 */
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../../cli/commands/check.js';
import { DEEP_SB, SPIN } from '../../../support/incompletePrograms.js';
import { fakeIo } from '../fakeIo.js';

const SB = `test SB
shared x = 0;
shared y = 0;
thread P0 { store.plain(x, 1); r0 = load.plain(y); }
thread P1 { store.plain(y, 1); r0 = load.plain(x); }
exists (P0:r0 = 0 /\\ P1:r0 = 0)
`;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ files: { 'sb.mw': SB, 'deep.mw': DEEP_SB, 'spin.mw': SPIN }, writable: true });
  const code = await checkCommand.run(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('a partial search decides nothing', () => {
  it('text: no States/Ok/No/Witnesses/Observation lines, the condition is "not decided"', async () => {
    const r = await run(['sb.mw', '--model', 'sc', '--max-states', '2']);
    expect(r.code).toBe(3);
    const lines = r.out.split('\n');
    for (const herd of ['Ok', 'No', 'Witnesses']) expect(lines).not.toContain(herd);
    expect(r.out).not.toMatch(/^(States \d|Observation )/m);
    expect(r.out).toMatch(/^Outcomes found before the search stopped: \d+ \(partial\)$/m);
    expect(r.out).toContain('Condition exists (P0:r0=0 /\\ P1:r0=0): not decided (the search is incomplete)');
    expect(r.out).toMatch(/^Model sc \(bfs\): inconclusive — the states budget ran out; results are partial$/m);
  });

  it('--model all: the condition column reads ? and the outcome count is a lower bound', async () => {
    // the stateful models (under ra and rc11 the graph engine finds SB's race within two executions)
    const r = await run(['sb.mw', '--model', 'all', '--engine', 'state', '--max-states', '2']);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^sc +inconclusive \(states\) +\? +≥\d+ /m);
  });
});

describe('an unchecked part is inconclusive in every format', () => {
  const cases: [string, string[], RegExp][] = [
    ['the default buffer bound', ['deep.mw', '--model', 'tso'], /store buffer reached the default bound \(4 entries\)/],
    ['a skipped livelock check', ['spin.mw', '--model', 'sc', '--max-memory', '0.3'], /livelock detection skipped: the edge list did not fit the memory budget/],
  ];
  for (const [what, argv, said] of cases) {
    it(`${what}: exit 3 in text, json, junit and github, and the summary says why`, async () => {
      const text = await run(argv);
      expect(text.code).toBe(3);
      expect(text.out).toMatch(/: inconclusive — /);
      expect(text.out).toMatch(said);
      const json = await run([...argv, '--format', 'json']);
      expect(json.code).toBe(3);
      expect(JSON.parse(json.out)).toMatchObject({ verdict: 'inconclusive' });
      const junit = await run([...argv, '--format', 'junit']);
      expect(junit.code).toBe(3);
      expect(junit.out).toMatch(/<skipped message="[^"]*"/);
      expect(junit.out).toMatch(said);
      expect(junit.out).not.toContain('<failure');
      const github = await run([...argv, '--format', 'github']);
      expect(github.code).toBe(3);
      expect(github.out).toMatch(/^::warning [^\n]*title=memweave inconclusive/m);
      expect(github.out).toMatch(said);
      const io = fakeIo({ files: { 'deep.mw': DEEP_SB, 'spin.mw': SPIN }, writable: true });
      expect(await checkCommand.run([...argv, '--summary', 'sum.md'], io)).toBe(3);
      const md = io.written.get('sum.md') ?? '';
      expect(md).toContain('inconclusive');
      expect(md).toMatch(said);
    });
  }

  it('the bound given explicitly is the question asked: answered, with a note', async () => {
    const r = await run(['deep.mw', '--model', 'tso', '--buffer-bound', '4']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('note: a store buffer reached its bound (--buffer-bound)');
  });
});

describe('CI formats say what a partial or cut search leaves out', () => {
  const ASSERT = 'test a\nshared x = 0;\nthread P0 { store.sc(x, 1); }\nthread P1 { r = load.sc(x); assert(r == 0); }\nforall (x = 1)\n';

  it('JUnit and the summary: condition ? on a partial search; executions cut by an assert counted', async () => {
    const io = fakeIo({ files: { 'sb.mw': SB, 'a.mw': ASSERT }, writable: true });
    expect(await checkCommand.run(['sb.mw', '--max-states', '2', '--format', 'junit', '--summary', 's.md'], io)).toBe(3);
    expect(io.out).toContain('<property name="condition" value="?"/>');
    expect(io.written.get('s.md') ?? '').toMatch(/\| sc \| ⚠️ inconclusive \(states\) \| \? \|/);
    const cut = fakeIo({ files: { 'a.mw': ASSERT }, writable: true });
    expect(await checkCommand.run(['a.mw', '--no-por', '--format', 'junit', '--summary', 's.md'], cut)).toBe(1);
    expect(cut.out).toContain('<property name="cut" value="1"/>');
    expect(cut.written.get('s.md') ?? '').toMatch(/\| 1 \(\+1 cut\) \|/);
  });
});
