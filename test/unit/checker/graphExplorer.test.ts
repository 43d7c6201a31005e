/**
 * The execution-graph explorer (checker/graphExplorer.ts): published execution counts of GenMC's
 * and Nidhugg's benchmarks, pinned with their sources; agreement with the brute-force oracle
 * (test/oracle/graphOracle.ts) on generated programs — the same complete executions, each found
 * once — under sc, tso, ra and rc11; and the laws between the models.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exploreGraphs, GRAPHS_PER_EXECUTION_BUDGET } from '../../../checker/graphExplorer.js';
import { compileSource } from '../../../model/frontend.js';
import { check } from '../../../checker/check.js';
import { GRAPH_MODELS } from '../../../model/memory/graph/index.js';
import type { GraphModel } from '../../../model/memory/graph/index.js';
import type { IrProgram } from '../../../model/ir.js';
import { outcomeKey } from '../../../model/outcome.js';
import { arbIrProgram, assertSeeded, describeProgram, seedFromEnv } from '../../arbitraries/irProgram.js';
import { graphOracle } from '../../oracle/graphOracle.js';
import { compileFile } from '../../support/programs.js';

function model(name: string): GraphModel {
  const m = GRAPH_MODELS.get(name);
  if (m === undefined) throw new Error(`no graph model ${name}`);
  return m;
}

function executions(file: string, modelName: string, defines: Record<string, number> = {}): number {
  const r = exploreGraphs(compileFile(file, defines), { model: model(modelName) });
  expect(r.budgetExhausted).toBeNull();
  expect(r.blocked.bound).toBe(0);
  return r.executions;
}

describe('published execution counts', () => {
  // GenMC's regression suite (tests/correct/synthetic/*/expected.{sc,rc11}.mo.in) and
  // Abdulla, Aronis, Jonsson, Sagonas, "Optimal dynamic partial order reduction", POPL 2014, §9.
  it.each([
    ['examples/sb.mw', 'sc', 3],
    ['examples/sb.mw', 'ra', 4],
    ['examples/mp.mw', 'sc', 3],
    ['examples/lb.mw', 'sc', 3],
    ['examples/2+2w.mw', 'sc', 3],
    ['examples/2+2w.mw', 'ra', 4],
    ['examples/iriw.mw', 'sc', 15],
    ['examples/graph/peterson.mw', 'sc', 4],
    ['examples/graph/peterson.mw', 'rc11', 22],
  ])('%s under %s: %i executions', (file, m, n) => {
    expect(executions(file, m)).toBe(n);
  });

  it.each([
    [1, 4, 4],
    [2, 15, 16],
    [3, 130, 144],
    [4, 2028, 2304],
  ])('CoA N=%i: %i under sc, %i under rc11 (GenMC tests/correct/synthetic/CoA)', (N, sc, rc11) => {
    expect(executions('examples/graph/coa.mw', 'sc', { N })).toBe(sc);
    expect(executions('examples/graph/coa.mw', 'rc11', { N })).toBe(rc11);
  });

  it.each([
    [5, 64],
    [10, 3328],
  ])('lastzero(%i): (N+3)·2^(N-2) = %i under sc and rc11', (N, n) => {
    expect(executions('examples/graph/lastzero.mw', 'sc', { N })).toBe(n);
    expect(executions('examples/graph/lastzero.mw', 'rc11', { N })).toBe(n);
  });

  it.each([
    [2, 4],
    [8, 256],
  ])('readers(%i): 2^N = %i', (N, n) => {
    expect(executions('examples/graph/readers.mw', 'sc', { N })).toBe(n);
    expect(executions('examples/graph/readers.mw', 'rc11', { N })).toBe(n);
  });

  it('indexer(12): 8 executions (GenMC tests/correct/synthetic/indexer)', () => {
    expect(executions('examples/graph/indexer.mw', 'sc', { N: 12 })).toBe(8);
  });

  it('fib_bench: 218,243 executions under sc (GenMC tests/correct/synthetic/fib_bench)', () => {
    expect(executions('examples/graph/fib_bench.mw', 'sc')).toBe(218_243);
  });

  it('filesystem(16): 8 executions (Flanagan & Godefroid, POPL 2005; GenMC tests/correct/lapor/filesystem)', () => {
    expect(executions('examples/graph/filesystem.mw', 'sc', { N: 16 })).toBe(8);
  });
});

// The larger published counts: seconds each on a quiet machine (2026-12-02: CoA N=5 2 s, indexer(15)
// 13 s, filesystem(19) 9 s, lastzero(15) 13 s, fib_bench under rc11 27 s), bounded by their work
// (the counts), with room for a loaded machine
describe('the larger published execution counts', () => {
  it('CoA N=5: 49,776 under sc and 57,600 under rc11 (GenMC tests/correct/synthetic/CoA)', () => {
    expect(executions('examples/graph/coa.mw', 'sc', { N: 5 })).toBe(49_776);
    expect(executions('examples/graph/coa.mw', 'rc11', { N: 5 })).toBe(57_600);
  }, 300_000);
  it('indexer(15): 4,096 (GenMC tests/correct/synthetic/indexer)', () => {
    expect(executions('examples/graph/indexer.mw', 'sc', { N: 15 })).toBe(4096);
  }, 300_000);
  it('filesystem(19): 64 (GenMC tests/correct/lapor/filesystem)', () => {
    expect(executions('examples/graph/filesystem.mw', 'sc', { N: 19 })).toBe(64);
  }, 300_000);
  it('lastzero(15): (15+3)·2^13 = 147,456 under sc (Abdulla et al., POPL 2014; GenMC tests/correct/synthetic/lastzero)', () => {
    expect(executions('examples/graph/lastzero.mw', 'sc', { N: 15 })).toBe(147_456);
  }, 300_000);
  it('fib_bench: 525,630 under rc11 (GenMC tests/correct/synthetic/fib_bench, expected.rc11.mo.in)', () => {
    expect(executions('examples/graph/fib_bench.mw', 'rc11')).toBe(525_630);
  }, 600_000);
});

describe('budgets', () => {
  it('a time limit (on the injected clock) or an execution budget stops the search: inconclusive, partial outcomes kept', () => {
    const p = compileFile('examples/graph/fib_bench.mw');
    let clock = 0;
    const timed = check(p, { model: 'rc11', timeLimitMs: 500, now: () => clock++ });
    expect(timed.verdict).toBe('inconclusive');
    expect(timed.budgetExhausted).toBe('time');
    expect(timed.stats.executions).toBeGreaterThan(0);
    expect(timed.stats.executions).toBeLessThan(525_630);
    const counted = check(p, { model: 'sc', engine: 'graph', maxStates: 1000 });
    expect(counted.budgetExhausted).toBe('states');
    expect(counted.stats.executions).toBe(1000);
  });

  it('an execution budget N also bounds the graphs judged to GRAPHS_PER_EXECUTION_BUDGET × N (the work, when few graphs end)', () => {
    // the command fuzz's find: indexer with every value hashed to one slot, so 12 threads probe the
    // same slots until the unroll bound, and graph after graph is judged before any execution ends
    // (6.3 s for --max-states 10 before the cap)
    const text = `test collide
param N = 12;
shared table[128] = 0;
thread T[tid in 0..N] {
  for i in 0..4 {
    w = i * 11 + tid;
    h = 7;
    probe:
    old = cmpxchg.rlx(table[h], 0, w);
    if (old != 0) { h = (h + 1) % 128; goto probe; }
  }
}
`;
    const fe = compileSource('collide.mw', text);
    if (fe.ir === null) throw new Error(fe.diagnostics.map((d) => d.message).join('; '));
    const ra = GRAPH_MODELS.get('ra') as GraphModel;
    const capped = exploreGraphs(fe.ir, { model: ra, maxExecutions: 10 });
    expect(capped.budgetExhausted).toBe('executions');
    const b = capped.blocked;
    // the graphs, not the executions, ran out
    expect(capped.executions + b.assume + b.await + b.spin + b.bound + b.error).toBeLessThan(10);
    expect(capped.graphs).toBeGreaterThanOrEqual(GRAPHS_PER_EXECUTION_BUDGET * 10);
    expect(capped.graphs).toBeLessThan(GRAPHS_PER_EXECUTION_BUDGET * 10 + 64);
  });
});

/** Outcome keys → executions, from the explorer. */
function explored(p: IrProgram, m: GraphModel): { executions: number; outcomes: Map<string, number> } {
  const r = exploreGraphs(p, { model: m });
  return { executions: r.executions, outcomes: new Map(r.outcomes.rows().map((o) => [outcomeKey(o.tuple), o.count])) };
}

function sorted(m: ReadonlyMap<string, number>): [string, number][] {
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

describe('agreement with the brute-force oracle', () => {
  const seed = seedFromEnv(20261202);
  // ra and rc11 have no second engine to answer to, so the oracle holds them on 1,000 programs
  // (issue 14); sc and tso answer to the stateful search too (engines.test.ts), here on fewer
  const override = process.env['MEMWEAVE_GRAPH_ORACLE_RUNS'];
  const runsOf = (name: string): number => Number(override ?? (name === 'ra' || name === 'rc11' ? 1000 : 120));
  for (const name of ['sc', 'tso', 'ra', 'rc11']) {
    const runs = runsOf(name);
    it(`${name}: every complete execution of a generated program, each once (${runs} programs)`, () => {
      let skipped = 0;
      assertSeeded(
        fc.property(arbIrProgram({ maxThreads: 3, maxInstrs: 3 }), (p) => {
          const want = graphOracle(p, model(name));
          if (want === null) {
            skipped++; // too many value combinations for brute force
            return;
          }
          const got = explored(p, model(name));
          if (got.executions !== want.executions || JSON.stringify(sorted(got.outcomes)) !== JSON.stringify(sorted(want.outcomes))) {
            throw new Error(`${name}: explorer ${got.executions} executions, oracle ${want.executions}\n${describeProgram(p)}\nexplorer ${JSON.stringify(sorted(got.outcomes))}\noracle   ${JSON.stringify(sorted(want.outcomes))}`);
          }
        }),
        seed,
        runs,
      );
      // the oracle must have judged nearly every program
      expect(skipped).toBeLessThan(runs / 10);
      // bounded by work (the programs), not by time: a generous timeout for a busy machine
    }, 600_000);
  }
});
