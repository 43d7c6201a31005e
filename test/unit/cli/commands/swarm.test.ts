/**
 * `check --shard I/N` on the stateful search (issue 18): member I of a swarm (SPIN's) — the whole
 * space, depth first under hash compaction, in an order seeded by I (CheckOptions.swarmSeed) —
 * and `memweave merge` of such members: complete members agree with the whole search on
 * verdict and outcomes; under a budget the members reach different parts of the space; the
 * merged answer is fail with any member's violation, pass (an approximation) with one complete
 * member, inconclusive (exit 3) when none completed.
 */
import { describe, expect, it } from 'vitest';
import { checkProgram } from '../../../../checker/check.js';
import { checkCommand } from '../../../../cli/commands/check.js';
import { mergeCommand } from '../../../../cli/commands/merge.js';
import { compileSource } from '../../../../model/frontend.js';
import { fakeIo } from '../fakeIo.js';

// three threads each incrementing an unsynchronised counter twice: a space of a few thousand states
const TICKETS = `test counters
shared c = 0;
thread T[i in 0..3] {
  for k in 0..2 { r = load.plain(c); store.plain(c, r + 1); }
}
`;

// an assert that fails when P1 reads after P0's store
const BAD = `test bad
shared x = 0;
thread P0 { store.sc(x, 1); }
thread P1 { r = load.sc(x); assert(r == 0); }
`;

async function check(argv: string[]): Promise<{ code: number; out: string }> {
  const io = fakeIo({ files: { 'c.mw': TICKETS, 'bad.mw': BAD } });
  const code = await checkCommand.run(argv, io);
  return { code, out: io.out };
}

async function merge(files: Record<string, string>, argv: string[]): Promise<{ code: number; out: string }> {
  const io = fakeIo({ files });
  const code = await mergeCommand.run(argv, io);
  return { code, out: io.out };
}

interface Json {
  verdict: string;
  budgetExhausted: string | null;
  strategy: string;
  outcomes: { values: Record<string, number> }[];
  stats: { statesStored: number; hashCompact?: unknown };
  shard: { index: number; count: number; method: string; space: string };
}

const outcomeSet = (j: Json): string[] => j.outcomes.map((o) => JSON.stringify(o.values)).sort();

describe('swarm members (check --shard I/N on the stateful search)', () => {
  it('each complete member gives the whole search\'s verdict and outcomes, depth first under hash compaction, one space', async () => {
    const whole = JSON.parse((await check(['c.mw', '--model', 'tso', '--format', 'json'])).out) as Json;
    const spaces = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const j = JSON.parse((await check(['c.mw', '--model', 'tso', '--format', 'json', '--shard', `${i}/4`])).out) as Json;
      expect(j.verdict).toBe(whole.verdict);
      expect(outcomeSet(j)).toEqual(outcomeSet(whole));
      expect(j.strategy).toBe('dfs');
      expect(j.stats.hashCompact).toBeDefined();
      expect(j.shard).toMatchObject({ index: i, count: 4, method: 'swarm' });
      spaces.add(j.shard.space);
    }
    expect(spaces.size).toBe(1);
  });

  it('seeds order the search differently: under one budget the members store different outcomes', () => {
    const fe = compileSource('c.mw', TICKETS);
    if (fe.ir === null) throw new Error('does not compile');
    const program = fe.ir;
    const seen = new Set<string>();
    for (let seed = 0; seed < 6; seed++) {
      const r = checkProgram(program, { model: 'sc', strategy: 'dfs', hashCompact: true, swarmSeed: seed, maxStates: 400 });
      if (!r.ok) throw new Error('refused');
      expect(r.result.budgetExhausted).toBe('states');
      seen.add(r.result.outcomes.map((o) => JSON.stringify(o.values)).sort().join('|') + `#${r.result.stats.maxDepth}`);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('merge: complete members make a pass labelled an approximation; all cut short, inconclusive; a violation fails', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3; i++) files[`s${i}.json`] = (await check(['c.mw', '--model', 'sc', '--format', 'json', '--shard', `${i}/3`])).out;
    const m = await merge(files, Object.keys(files));
    expect(m.code).toBe(0);
    expect(m.out).toMatch(/^Test counters under sc: pass \(a swarm of 3 differently ordered searches under hash compaction: an approximation\)$/m);
    const cut: Record<string, string> = {};
    for (let i = 0; i < 3; i++) cut[`s${i}.json`] = (await check(['c.mw', '--model', 'sc', '--format', 'json', '--shard', `${i}/3`, '--max-states', '20'])).out;
    const c = await merge(cut, Object.keys(cut));
    expect(c.code).toBe(3);
    expect(c.out).toMatch(/: inconclusive \(a swarm/);
    // one complete member among cut ones: the swarm's answer is complete
    const mixed = { ...cut, 's1.json': files['s1.json'] ?? '' };
    expect((await merge(mixed, Object.keys(mixed))).code).toBe(0);
    const bad: Record<string, string> = {};
    for (let i = 0; i < 2; i++) bad[`b${i}.json`] = (await check(['bad.mw', '--model', 'sc', '--format', 'json', '--shard', `${i}/2`])).out;
    const b = await merge(bad, Object.keys(bad));
    expect(b.code).toBe(1);
    expect(b.out).toMatch(/^violation: assert/m);
  });
});
