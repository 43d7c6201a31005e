// `check --workers N` on the execution-graph engine (issue 18, checker/graphSteal.ts): threads hand
// each other stack entries when one runs out of work, and the merged answer is the sequential one —
// verdict, budget, outcomes with their execution counts, the condition's counts, executions,
// blocked executions and violation kinds — on examples and generated programs. A budget or a stop
// that leaves work unexplored makes the answer inconclusive, and no worker outlives a check. The
// entries' codec (graphs as words) is held to the graphs themselves.
// Bounded by work (small programs, a fixed sample) with generous timeouts.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkGraph } from '../../../checker/graphCheck.js';
import { mergeGraphShards } from '../../../checker/graphShards.js';
import { exploreGraphs } from '../../../checker/graphExplorer.js';
import { StackItemCodec } from '../../../checker/graphSteal.js';
import type { ExecutionGraph } from '../../../model/memory/graph/index.js';
import type { CheckOptions, CheckResult, ModelName } from '../../../checker/api.js';
import { GRAPH_MODELS } from '../../../model/memory/graph/index.js';
import type { IrProgram } from '../../../model/ir.js';
import { checkGraphParallel, liveParallelWorkers, ParallelPool } from '../../../cli/parallelCheck.js';
import { arbIrProgram, describeProgram, seedFromEnv } from '../../arbitraries/irProgram.js';
import { compileFile } from '../../support/programs.js';

const pool = new ParallelPool(2);
afterAll(async () => {
  await pool.close();
  expect(liveParallelWorkers()).toBe(0);
});

/** What must be equal between the sequential and the parallel answers. */
function summary(r: CheckResult): unknown {
  return {
    verdict: r.verdict,
    budgetExhausted: r.budgetExhausted,
    outcomes: r.outcomes.map((o) => ({ values: { ...o.values }, satisfies: o.satisfies, finalStates: o.finalStates })),
    condition: r.condition,
    executions: r.stats.executions,
    blocked: r.stats.blocked,
    unexplored: r.stats.unexplored ?? null,
    beyondPorf: r.stats.beyondPorf ?? null,
    kinds: r.violations.map((v) => v.kind),
  };
}

async function agree(program: IrProgram, model: ModelName, extra: Partial<CheckOptions> = {}): Promise<CheckResult> {
  const options: CheckOptions = { model, engine: 'graph', ...extra };
  const whole = checkGraph(program, options);
  const parallel = await checkGraphParallel(program, options, 2, pool);
  expect(summary(parallel)).toEqual(summary(whole));
  return parallel;
}

describe('the graph engine on two threads', () => {
  it.each([
    ['examples/sb.mw', 'ra', {}],
    ['examples/iriw.mw', 'rc11', {}],
    ['examples/graph/peterson.mw', 'rc11', {}],
    ['examples/graph/coa.mw', 'rc11', { N: 3 }],
    ['examples/graph/lastzero.mw', 'sc', { N: 5 }],
    ['examples/graph/readers.mw', 'ra', { N: 6 }],
    // executions beyond po ∪ rf (checker/beyondPorf.ts): enumerated once, by the thread that started with the root
    ['examples/js/LB.mw', 'js', {}],
    ['examples/js/SCDRF-dagger.mw', 'js2017', {}],
  ] as const)('%s under %s: the same answer as one thread', async (file, model, defines) => {
    const r = await agree(compileFile(file, defines), model);
    expect(r.stats.engine).toBe('graph');
  }, 120_000);

  it('a violation comes with a replay token, as the sequential engine gives', async () => {
    const r = await agree(compileFile('examples/graph/peterson.mw', {}), 'ra');
    for (const v of r.violations) expect(v.replay).toMatch(/^mg1\./);
  }, 120_000);

  it('generated programs under every graph model: the same answer (a fixed sample)', async () => {
    const models = [...GRAPH_MODELS.keys()] as ModelName[];
    const sample = fc.sample(fc.tuple(arbIrProgram({ maxThreads: 3, maxInstrs: 3 }), fc.constantFrom(...models)), { seed: seedFromEnv(18_118), numRuns: 40 });
    for (const [program, model] of sample) {
      try {
        await agree(program, model);
      } catch (e) {
        throw new Error(`${model}, program:\n${describeProgram(program)}\n${String(e)}`);
      }
    }
  }, 300_000);

  it('work changes threads: lastzero(8) under rc11, the same answer, with stack entries stolen', async () => {
    const r = await agree(compileFile('examples/graph/lastzero.mw', { N: 8 }), 'rc11');
    expect(r.stats.executions).toBe(704);
    // the second thread starts with nothing: everything it explored it stole
    expect(r.stats.graphSteals ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it('an execution budget is split among the threads: a run cut short is inconclusive, never a pass', async () => {
    const program = compileFile('examples/graph/readers.mw', { N: 8 });
    const r = await checkGraphParallel(program, { model: 'sc', engine: 'graph', maxStates: 10 }, 2, pool);
    expect(r.verdict).toBe('inconclusive');
    expect(r.budgetExhausted).toBe('states');
  }, 120_000);
});

describe('an interrupted parallel graph check', () => {
  it('a check stopped before or while its threads run is inconclusive (interrupted), with no violations, never a pass', async () => {
    const program = compileFile('examples/graph/peterson.mw', {});
    const stop = new AbortController();
    stop.abort();
    const r = await checkGraphParallel(program, { model: 'ra', engine: 'graph', signal: stop.signal } as CheckOptions, 2, pool);
    expect(r.verdict).toBe('inconclusive');
    expect(r.budgetExhausted).toBe('interrupted');
    expect(r.violations).toEqual([]);
  }, 120_000);
});

describe('mergeGraphShards', () => {
  it('a shard that never ran (the time limit came first) makes the answer inconclusive', () => {
    const program = compileFile('examples/sb.mw', {});
    const options: CheckOptions = { model: 'ra', engine: 'graph' };
    const count = 4;
    const parts = Array.from({ length: count }, (_, index) => checkGraph(program, { ...options, shard: { index, count } }));
    const all = mergeGraphShards(program, options, parts, 'time', 1);
    expect(all.verdict).toBe('pass');
    expect(all.stats.executions).toBe(checkGraph(program, options).stats.executions);
    const missing = mergeGraphShards(program, options, [parts[0] ?? null, null, parts[2] ?? null, parts[3] ?? null], 'time', 1);
    expect(missing.verdict).toBe('inconclusive');
    expect(missing.budgetExhausted).toBe('time');
  });
});

describe('stack entries as words (checker/graphSteal.ts StackItemCodec)', () => {
  /** A graph as plain data, origins by their text and span (a decoded origin is the receiver's own object). */
  const plain = (g: ExecutionGraph): unknown => ({
    threads: g.threads.map((t) => t.map((e) => ({ ...e, origin: e.origin === null ? null : `${e.origin.text}@${e.origin.span.line}:${e.origin.span.col}` }))),
    co: [...g.co.entries()].sort((a, b) => a[0] - b[0]),
    nextStamp: g.nextStamp,
  });
  it.each([
    ['examples/graph/peterson.mw', 'rc11', {}],
    ['examples/mixed/add_loses_byte.mw', 'js', {}],
    ['examples/sync/once.mw', 'js', {}],
  ] as const)('every final graph of %s under %s comes back equal from its words', (file, model, defines) => {
    const program = compileFile(file, defines);
    const codec = new StackItemCodec(program);
    const words = new Int32Array(1 << 16);
    let n = 0;
    const m = GRAPH_MODELS.get(model);
    if (m === undefined) throw new Error(model);
    exploreGraphs(program, {
      model: m,
      onFinal: (g) => {
        for (const sink of [true, false]) {
          expect(codec.encode({ g, sink }, words)).toBeGreaterThan(0);
          const back = codec.decode(words);
          expect(back.sink).toBe(sink);
          expect(plain(back.g)).toEqual(plain(g));
        }
        n++;
      },
    });
    expect(n).toBeGreaterThan(0);
  });
  it('a graph larger than the mailbox is not encoded (the donor keeps it)', () => {
    const program = compileFile('examples/graph/peterson.mw', {});
    const codec = new StackItemCodec(program);
    let big: ExecutionGraph | null = null;
    exploreGraphs(program, { model: GRAPH_MODELS.get('rc11') as NonNullable<ReturnType<typeof GRAPH_MODELS.get>>, onFinal: (g) => (big ??= g) });
    expect(big).not.toBeNull();
    expect(codec.encode({ g: big as unknown as ExecutionGraph, sink: true }, new Int32Array(8))).toBe(-1);
  });
});
