/**
 * `check --shard I/N` (issue 18, the graph engine's prefix partition): the flag's usage errors
 * (U505), the refusal of js's two-engine route, and the JSON shard block: the same space for every
 * shard of one run, a different one for another model, and execution counts and outcome counts
 * that sum to the whole run's. On the stateful search a shard is a swarm member: the whole space
 * in its own order under hash compaction (swarm.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../../cli/commands/check.js';
import { parseShard } from '../../../../cli/shard.js';
import { fakeIo } from '../fakeIo.js';

const READERS = `test readers
shared x = 0;
thread W { store.rlx(x, 1); store.rlx(x, 2); }
thread R[i in 0..2] { r0 = load.rlx(x); r1 = load.rlx(x); }
`;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ files: { 'r.mw': READERS } });
  const code = await checkCommand.run(argv, io);
  return { code, out: io.out, err: io.err };
}

interface Json {
  verdict: string;
  outcomes: { values: unknown; finalStates: number }[];
  stats: { executions?: number; statesStored: number };
  shard?: { index: number; count: number; method: string; space: string };
}

describe('parseShard', () => {
  it('takes I/N with 0 <= I < N <= 1024 and refuses the rest with a message', () => {
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShard('1023/1024')).toEqual({ index: 1023, count: 1024 });
    expect(parseShard('2/2')).toMatch(/0 <= I < N/);
    expect(parseShard('0/0')).toMatch(/N from 1 to 1024/);
    expect(parseShard('0/1025')).toMatch(/N from 1 to 1024/);
    for (const bad of ['1', '-1/2', 'a/b', '1/2/3', '']) expect(parseShard(bad)).toMatch(/expects I\/N/);
  });
});

describe('check --shard', () => {
  it('refuses bad values and the stateful search with U505 (exit 2)', async () => {
    for (const bad of ['2/2', 'x', '0/2000']) {
      const r = await run(['r.mw', '--model', 'rc11', '--shard', bad]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/error\[U505\]: memweave check: --shard expects/);
    }
    // js's SC-DRF route (and all) runs both engines: the user says which partition
    for (const model of ['js', 'all']) {
      const routed = await run(['r.mw', '--model', model, '--shard', '0/2']);
      expect(routed.code).toBe(2);
      expect(routed.err).toMatch(/--shard with --model js or all needs --engine: graph .* or state/);
    }
    const workers = await run(['r.mw', '--model', 'rc11', '--shard', '0/2', '--workers', '2']);
    expect(workers.code).toBe(2);
  });

  it('JSON: a shard block with one space per run; executions and outcome counts sum to the whole', async () => {
    const whole = JSON.parse((await run(['r.mw', '--model', 'rc11', '--format', 'json'])).out) as Json;
    expect(whole.shard).toBeUndefined();
    for (const count of [2, 3, 4]) {
      const parts: Json[] = [];
      for (let index = 0; index < count; index++) {
        const r = await run(['r.mw', '--model', 'rc11', '--format', 'json', '--shard', `${index}/${count}`]);
        expect(r.code).toBe(0);
        parts.push(JSON.parse(r.out) as Json);
      }
      const spaces = new Set(parts.map((p) => p.shard?.space));
      expect(spaces.size).toBe(1);
      expect([...spaces][0]).toMatch(/^[0-9a-f]{64}$/);
      expect(parts.map((p) => [p.shard?.index, p.shard?.count, p.shard?.method])).toEqual(parts.map((_, i) => [i, count, 'prefix']));
      const sum = (js: readonly Json[]): number => js.reduce((a, j) => a + (j.stats.executions ?? j.stats.statesStored), 0);
      expect(sum(parts)).toBe(sum([whole]));
      const counts = new Map<string, number>();
      for (const p of parts) for (const o of p.outcomes) counts.set(JSON.stringify(o.values), (counts.get(JSON.stringify(o.values)) ?? 0) + o.finalStates);
      expect([...counts].sort()).toEqual(whole.outcomes.map((o) => [JSON.stringify(o.values), o.finalStates] as const).sort());
    }
    const ra = JSON.parse((await run(['r.mw', '--model', 'ra', '--format', 'json', '--shard', '0/2'])).out) as Json;
    const rc = JSON.parse((await run(['r.mw', '--model', 'rc11', '--format', 'json', '--shard', '0/2'])).out) as Json;
    expect(ra.shard?.space).not.toBe(rc.shard?.space);
  });
});
