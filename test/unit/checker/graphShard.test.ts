// The prefix partition of the graph explorer's tree (`--shard I/N`, issue 18): for N = 1..4 the
// shards' execution counts sum to the whole run's, their outcome counts sum outcome by outcome,
// and the union of their violation kinds is the whole run's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exploreGraphs, shardSplitDepth, type GraphExploration } from '../../../checker/graphExplorer.js';
import { GRAPH_MODELS } from '../../../model/memory/graph/index.js';
import type { GraphModel } from '../../../model/memory/graph/index.js';
import type { IrProgram } from '../../../model/ir.js';
import { arbIrProgram, assertSeeded, describeProgram, seedFromEnv } from '../../arbitraries/irProgram.js';
import { compileFile } from '../../support/programs.js';

function model(name: string): GraphModel {
  const m = GRAPH_MODELS.get(name);
  if (m === undefined) throw new Error(`no graph model ${name}`);
  return m;
}

interface Summary {
  executions: number;
  blocked: number;
  outcomes: Map<string, number>;
  kinds: Set<string>;
}

function summarise(r: GraphExploration): Summary {
  const outcomes = new Map<string, number>();
  for (const row of r.outcomes.rows()) outcomes.set(`${row.tuple.join(',')}|${String(row.satisfies)}`, row.count);
  const b = r.blocked;
  return { executions: r.executions, blocked: b.assume + b.await + b.spin + b.bound + b.error, outcomes, kinds: new Set(r.findings.keys()) };
}

function merged(parts: readonly Summary[]): Summary {
  const out: Summary = { executions: 0, blocked: 0, outcomes: new Map(), kinds: new Set() };
  for (const p of parts) {
    out.executions += p.executions;
    out.blocked += p.blocked;
    for (const [k, n] of p.outcomes) out.outcomes.set(k, (out.outcomes.get(k) ?? 0) + n);
    for (const k of p.kinds) out.kinds.add(k);
  }
  return out;
}

function sortedEntries(s: Summary): unknown {
  return { executions: s.executions, blocked: s.blocked, outcomes: [...s.outcomes].sort(), kinds: [...s.kinds].sort() };
}

/** The whole run and N shards agree (the law every test here asserts); returns the shards' execution counts. */
function assertShardsAgree(program: IrProgram, m: GraphModel, count: number): number[] {
  const whole = exploreGraphs(program, { model: m });
  const parts = Array.from({ length: count }, (_, index) => exploreGraphs(program, { model: m, shard: { index, count } }));
  for (const p of parts) expect(p.budgetExhausted).toBe(whole.budgetExhausted);
  const sums = parts.map(summarise);
  expect(sortedEntries(merged(sums))).toEqual(sortedEntries(summarise(whole)));
  return sums.map((s) => s.executions);
}

describe('shardSplitDepth', () => {
  it('is 0 for one shard and grows with the count, the same on every call', () => {
    expect(shardSplitDepth(1)).toBe(0);
    expect(shardSplitDepth(2)).toBe(4);
    expect(shardSplitDepth(4)).toBe(5);
    expect(shardSplitDepth(1024)).toBe(13);
  });
});

describe('prefix shards of the graph explorer', () => {
  it.each([
    ['examples/sb.mw', 'ra', {}],
    ['examples/iriw.mw', 'sc', {}],
    ['examples/graph/peterson.mw', 'rc11', {}],
    ['examples/graph/coa.mw', 'rc11', { N: 3 }],
    ['examples/graph/lastzero.mw', 'sc', { N: 5 }],
    ['examples/graph/readers.mw', 'rc11', { N: 6 }],
  ] as const)('%s under %s: N = 1..4 shards sum to the whole', (file, m, defines) => {
    const program = compileFile(file, defines);
    for (const n of [1, 2, 3, 4]) assertShardsAgree(program, model(m), n);
  });

  it('splits a tree with room for it: readers(8) under sc, 4 shards, none of them empty', () => {
    const counts = assertShardsAgree(compileFile('examples/graph/readers.mw', { N: 8 }), model('sc'), 4);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(256);
    for (const c of counts) expect(c).toBeGreaterThan(0);
  });

  it('is deterministic: the same shard twice gives the same counts', () => {
    const program = compileFile('examples/graph/coa.mw', { N: 3 });
    const a = summarise(exploreGraphs(program, { model: model('rc11'), shard: { index: 1, count: 3 } }));
    const b = summarise(exploreGraphs(program, { model: model('rc11'), shard: { index: 1, count: 3 } }));
    expect(sortedEntries(a)).toEqual(sortedEntries(b));
  });

  it('generated programs: shards agree with the whole run under every graph model (property)', () => {
    const seed = seedFromEnv(18_018);
    const models = [...GRAPH_MODELS.keys()];
    assertSeeded(
      fc.property(arbIrProgram({ maxThreads: 3, maxInstrs: 3 }), fc.constantFrom(...models), fc.integer({ min: 1, max: 4 }), (program, m, n) => {
        try {
          assertShardsAgree(program, model(m), n);
        } catch (e) {
          throw new Error(`${m}, ${n} shards, program:\n${describeProgram(program)}\n${String(e)}`);
        }
      }),
      seed,
      60,
    );
  });
});
