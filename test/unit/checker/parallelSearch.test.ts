/**
 * `check --workers N` (cli/parallelCheck.ts over checker/parallelSearch.ts) agrees with the
 * sequential stateful search: the verdict, the inconclusive reason, the outcome set (values and
 * condition verdicts), the condition's verdict and the violation kinds are equal on the bundled
 * examples (the .mw examples, the litmus catalogue, the broken designs and the locks at their
 * default, small N) under sc, tso and pso, and on 200 generated programs; with partial-order
 * reduction off, the stored state, transition and final-state counts are equal too. Every
 * counterexample of a parallel run replays to its kind. One pool of two workers serves the file
 * (workers load dist/: build first, `npx tsc -b`); it is closed at the end, and no worker is left.
 * Three workers agree on the locks, and one worker run in this thread (the pure checker/ part,
 * no threads) agrees with exact counts. Work stealing: per worker, every state it stored or stole
 * and did not give away is expanded by it, once (expanded = stored + stolen - given), and a worker
 * other than 0 that stole nothing expanded nothing; 3 workers agree on generated programs under
 * dfs and bfs. Bounded by work: programs whose sequential search passes 20,000 states are left
 * out (counted).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IrProgram } from '../../../model/ir.js';
import { compileSource } from '../../../model/frontend.js';
import { check } from '../../../checker/check.js';
import { replay } from '../../../checker/replay.js';
import type { CheckOptions, CheckResult } from '../../../checker/api.js';
import { checkParallel, liveParallelWorkers, ParallelPool } from '../../../cli/parallelCheck.js';
import { arbIrProgram, seedFromEnv } from '../../arbitraries/irProgram.js';
import { ENDLESS } from '../../support/incompletePrograms.js';
import { createMachine } from '../../../model/semantics/createMachine.js';
import { MODELS as MODELS_REGISTRY } from '../../../model/memory/registry.js';
import { createControl, mergeParallel, runParallelWorker, stopReason, type WorkerAnswer } from '../../../checker/parallelSearch.js';
import type { ParallelWorkerData } from '../../../cli/parallelWorker.js';
import { capacityFor, createSharedVisitedBuffer, MIN_CAPACITY, SharedVisited } from '../../../checker/sharedVisited.js';

const WORKERS = 2;
const MAX_STATES = 20_000;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MODELS = ['sc', 'tso', 'pso'] as const;

let pool: ParallelPool;
beforeAll(() => {
  expect(existsSync(`${ROOT}dist/cli/parallelWorker.js`), 'build first: npx tsc -b').toBe(true);
  pool = new ParallelPool(WORKERS);
});
afterAll(async () => {
  await pool.close();
  expect(liveParallelWorkers()).toBe(0);
});

/** What must agree; with `counts`, the exploration counts too. */
function digest(r: CheckResult, counts: boolean): unknown {
  return {
    verdict: r.verdict,
    budgetExhausted: r.budgetExhausted,
    outcomes: r.outcomes.map((o) => ({ values: o.values, satisfies: o.satisfies, ...(counts ? { finalStates: o.finalStates } : {}) })),
    condition: r.condition === null ? null : { validated: r.condition.validated, observation: r.condition.observation, ...(counts ? { positive: r.condition.positive, negative: r.condition.negative } : {}) },
    kinds: r.violations.map((v) => v.kind).sort(),
    ...(counts ? { states: r.stats.statesStored, transitions: r.stats.transitions, finalStates: r.stats.finalStates, cut: r.stats.cutExecutions } : {}),
  };
}

/** Check `program` both ways; false when the sequential search passes the states bound (left out). */
async function agrees(program: IrProgram, options: CheckOptions, label: string): Promise<boolean> {
  const seq = check(program, { ...options, maxStates: MAX_STATES });
  if (seq.budgetExhausted === 'states') return false;
  const par = await checkParallel(program, options, WORKERS, pool);
  const counts = options.por === false;
  expect(digest(par, counts), label).toEqual(digest(seq, counts));
  for (const v of par.violations) {
    const r = replay(program, options, v.replay);
    expect(r.ok, `${label}: ${v.kind} token replays`).toBe(true);
    // the replayed trace shows the violation at its end (a condition failure is judged on the outcome set, not one trace)
    if (r.ok && v.kind !== 'condition') expect(r.observed, `${label}: ${v.kind} token replays to its kind`).toBe(v.kind);
  }
  return true;
}

// livelocks (none of the bundled examples has one): a lone spinner, and a spinner beside a thread that can finish
const LIVELOCKS = {
  'spin.mw': `test spin
shared x = 0;
shared go = 0;
thread P0 { while (load.sc(go) == 0) { r = load.sc(x); store.sc(x, 1 - r); } }
`,
  'spin2.mw': `test spin2
shared x = 0;
shared go = 0;
thread P0 { while (load.sc(go) == 0) { r = load.sc(x); store.sc(x, 1 - r); } }
thread P1 { r = load.sc(x); if (r == 5) { store.sc(go, 1); } }
`,
};

/** `agrees` on another pool (exact counts: callers pass por: false). */
async function agrees3(p: ParallelPool, program: IrProgram, options: CheckOptions, label: string): Promise<void> {
  const seq = check(program, { ...options, maxStates: MAX_STATES });
  if (seq.budgetExhausted === 'states') return;
  const par = await checkParallel(program, options, p.size, p);
  expect(digest(par, true), label).toEqual(digest(seq, true));
}

function examples(): { name: string; program: IrProgram }[] {
  const out: { name: string; program: IrProgram }[] = [];
  for (const [name, text] of Object.entries(LIVELOCKS)) {
    const c = compileSource(name, text);
    if (c.ir === null) throw new Error(`${name} does not compile`);
    out.push({ name, program: c.ir });
  }
  for (const dir of ['examples', 'examples/litmus', 'examples/broken', 'examples/locks']) {
    for (const f of readdirSync(`${ROOT}${dir}`).filter((n) => n.endsWith('.mw')).sort()) {
      const text = readFileSync(`${ROOT}${dir}/${f}`, 'utf8');
      const c = compileSource(`${dir}/${f}`, text);
      if (c.ir !== null) out.push({ name: `${dir}/${f}`, program: c.ir });
    }
  }
  return out;
}

describe('parallel and sequential stateful search agree', () => {
  it('on the bundled examples under sc, tso and pso, with and without partial-order reduction', async () => {
    const all = examples();
    expect(all.length).toBeGreaterThan(50);
    let compared = 0;
    let livelocks = 0;
    for (const { name, program } of all) {
      if (name in LIVELOCKS) {
        for (const por of [true, false]) {
          const par = await checkParallel(program, { model: 'sc', ...(por ? {} : { por: false }) }, WORKERS, pool);
          if (par.violations.some((v) => v.kind === 'livelock')) livelocks++;
        }
      }
      for (const model of MODELS) {
        if (await agrees(program, { model }, `${name} ${model}`)) compared++;
        if (await agrees(program, { model, por: false }, `${name} ${model} --no-por`)) compared++;
      }
    }
    // most of them are small: a change that left nearly all out would be seen
    expect(compared).toBeGreaterThan(all.length * 4);
    // the livelock programs were compared and are livelocks in parallel too
    expect(livelocks).toBe(4);
  });

  it('on 200 generated programs (exact counts with --no-por on every other one)', async () => {
    const programs = fc.sample(fc.tuple(arbIrProgram({ allowAsserts: true, allowDivision: true, allowWaitNotify: true }), fc.constantFrom(...MODELS), fc.boolean(), fc.constantFrom('bfs' as const, 'dfs' as const)), { seed: seedFromEnv(18), numRuns: 200 });
    let compared = 0;
    for (const [i, [program, model, por, strategy]] of programs.entries()) {
      if (await agrees(program, { model, strategy, ...(por ? {} : { por: false }) }, `generated #${i} ${model} --${strategy}${por ? '' : ' --no-por'}`)) compared++;
    }
    expect(compared).toBeGreaterThan(190);
  });

  it('three workers agree too, on the locks (a pool of its own, closed at the end)', async () => {
    const three = new ParallelPool(3);
    try {
      for (const { name, program } of examples().filter((e) => e.name.startsWith('examples/locks/'))) {
        for (const model of MODELS) await agrees3(three, program, { model, por: false }, `${name} ${model} --no-por, 3 workers`);
      }
    } finally {
      await three.close();
    }
  });

  it('one worker in this thread (no worker_threads): the pure search and merge agree with the sequential search', () => {
    for (const { name, program } of examples().slice(0, 30)) {
      const options = { model: 'tso', por: false } as const;
      const seq = check(program, { ...options, maxStates: MAX_STATES });
      if (seq.budgetExhausted === 'states') continue;
      const machine = createMachine(program, MODELS_REGISTRY.get('tso')!, {});
      const capacity = capacityFor(8 * 1024 * 1024, machine.stateLength);
      const table = createSharedVisitedBuffer(capacity, machine.stateLength)!;
      const control = createControl(1);
      const answer = runParallelWorker(machine, options, { now: () => 0, checksRaces: false }, { table, capacity, control, index: 0, memoryBytes: 64 * 1024 * 1024 });
      const par = mergeParallel(machine, options, new SharedVisited(table, capacity, machine.stateLength), control, [answer], 0);
      expect(digest(par, true), name).toEqual(digest(seq, true));
    }
  });

  it('a store buffer that reaches its bound in a worker makes the answer inconclusive, as it does sequentially', async () => {
    const c = compileSource('buffers.mw', 'test buffers\nshared x = 0;\nshared y = 0;\nthread P0 { store.plain(x, 1); store.plain(x, 2); store.plain(x, 3); store.plain(x, 4); store.plain(x, 5); }\nthread P1 { r = load.plain(x); }\n');
    const program = c.ir as IrProgram;
    for (const options of [{ model: 'tso' }, { model: 'pso', por: false }, { model: 'tso', bufferBound: 2 }] as const) {
      const seq = check(program, options);
      const par = await checkParallel(program, options, WORKERS, pool);
      expect(par.stats.bufferBoundHit).toBe(true);
      expect(seq.stats.bufferBoundHit).toBe(true);
      expect(digest(par, false)).toEqual(digest(seq, false));
    }
    expect(check(program, { model: 'tso' }).budgetExhausted).toBe('buffer-bound');
  });

  it('the time limit stops a search that nothing else ends: inconclusive for time', async () => {
    // every step makes a new state (unbounded counters): only the time limit can end it before the table fills
    const program = compileSource('endless.mw', ENDLESS).ir as IrProgram;
    const par = await checkParallel(program, { model: 'sc', timeLimitMs: 300, maxMemoryBytes: 256 * 1024 * 1024 }, WORKERS, pool);
    expect(par.verdict).toBe('inconclusive');
    expect(par.budgetExhausted).toBe('time');
    expect(par.stats.statesStored).toBeGreaterThan(0);
  });

  it('peakBytes counts what is used (the claimed records and the workers\' peaks), not the table reserved at the budget', async () => {
    // at the default budget (4096 MB) the reserved table is about 3 GiB; before, peakBytes reported all of it
    const c = compileSource('ticket.mw', readFileSync(`${ROOT}examples/locks/ticket.mw`, 'utf8'), { defines: { N: 3, K: 3 } });
    const program = c.ir as IrProgram;
    const options = { model: 'sc', por: false } as const;
    const seq = check(program, options);
    const par = await checkParallel(program, options, WORKERS, pool);
    expect(par.stats.statesStored).toBe(seq.stats.statesStored);
    const L = createMachine(program, 'sc').stateLength;
    // at least every record's words, parent, transition and flag byte
    expect(par.stats.peakBytes).toBeGreaterThanOrEqual(par.stats.statesStored * (L * 4 + 9));
    // and of the order of the sequential search's peak (which holds a 4096-state chunk and its hash table), far from the reservation
    expect(par.stats.peakBytes).toBeLessThan(Math.max(16 * seq.stats.peakBytes, 16 * 2 ** 20));
  });

  it('stops at the states budget as inconclusive, as the sequential search does', async () => {
    const c = compileSource('ticket.mw', readFileSync(`${ROOT}examples/locks/ticket.mw`, 'utf8'), { defines: { N: 4, K: 2 } });
    const program = c.ir as IrProgram;
    const seq = check(program, { model: 'sc', maxStates: 500 });
    const par = await checkParallel(program, { model: 'sc', maxStates: 500 }, WORKERS, pool);
    expect(seq.budgetExhausted).toBe('states');
    expect(par.verdict).toBe('inconclusive');
    expect(par.budgetExhausted).toBe('states');
    // passed by at most one state per worker
    expect(par.stats.statesStored).toBeGreaterThan(500);
    expect(par.stats.statesStored).toBeLessThanOrEqual(500 + WORKERS);
  });

  it('a stop asked for before the search starts (an aborted signal) answers interrupted, with no violations', async () => {
    const c = compileSource('ticket.mw', readFileSync(`${ROOT}examples/locks/ticket.mw`, 'utf8'), { defines: { N: 4, K: 2 } });
    const stop = new AbortController();
    stop.abort();
    const par = await checkParallel(c.ir as IrProgram, { model: 'sc', signal: stop.signal }, WORKERS, pool);
    expect(par.verdict).toBe('inconclusive');
    expect(par.budgetExhausted).toBe('interrupted');
    expect(par.violations).toEqual([]);
    // the pool is still usable after a stopped search
    const again = await checkParallel(c.ir as IrProgram, { model: 'sc' }, WORKERS, pool);
    expect(again.verdict).toBe(check(c.ir as IrProgram, { model: 'sc' }).verdict);
  });

  it('a table that fills while the budget allows a larger one: the search starts again on one four times as large, and answers as one thread does', async () => {
    const c = compileSource('ticket.mw', readFileSync(`${ROOT}examples/locks/ticket.mw`, 'utf8'), { defines: { N: 3, K: 3 } });
    const program = c.ir as IrProgram;
    const options = { model: 'sc', por: false } as const;
    const seq = check(program, options);
    // thousands of states: a first table of MIN_CAPACITY buckets (896 states) fills, the next (4,096) may, the one after does not
    expect(seq.stats.statesStored).toBeGreaterThan(4 * MIN_CAPACITY);
    const par = await checkParallel(program, options, WORKERS, pool, MIN_CAPACITY);
    expect(digest(par, true)).toEqual(digest(seq, true));
    expect(par.stats.tableRestarts).toBe(2);
  });

  it('a table too small for the space is the memory budget running out: inconclusive', async () => {
    const c = compileSource('ticket.mw', readFileSync(`${ROOT}examples/locks/ticket.mw`, 'utf8'), { defines: { N: 4, K: 2 } });
    const par = await checkParallel(c.ir as IrProgram, { model: 'sc', por: false, maxMemoryBytes: 256 * 1024 }, WORKERS, pool);
    expect(par.verdict).toBe('inconclusive');
    expect(par.budgetExhausted).toBe('memory');
  });
});

/** Run `program` on `p`'s workers over buffers of this test's own: every worker's answer (its stealing counts), and the merged result. */
async function runWorkers(p: ParallelPool, program: IrProgram, options: CheckOptions): Promise<{ answers: WorkerAnswer[]; result: CheckResult; stopped: string | null }> {
  const machine = createMachine(program, MODELS_REGISTRY.get(options.model)!, {});
  const capacity = capacityFor(16 * 1024 * 1024, machine.stateLength);
  const table = createSharedVisitedBuffer(capacity, machine.stateLength)!;
  const control = createControl(p.size);
  const popts = { model: options.model, ...(options.strategy !== undefined ? { strategy: options.strategy } : {}), ...(options.por !== undefined ? { por: options.por } : {}) };
  const jobs = Array.from({ length: p.size }, (_, index): ParallelWorkerData => ({ program, options: popts, shared: { table, capacity, control, index, memoryBytes: 64 * 1024 * 1024 } }));
  const answers = await p.run(jobs, control);
  const result = mergeParallel(machine, options, new SharedVisited(table, capacity, machine.stateLength), control, answers, 0);
  return { answers, result, stopped: stopReason(control) };
}

describe('work stealing between the workers\' frontiers', () => {
  it('worker 0 starts with everything; the others expand only what they stole (expanded = stored + stolen - given, per worker), under dfs and bfs, on 2 and 3 workers', async () => {
    const program = compileSource('ticket.mw', readFileSync(`${ROOT}examples/locks/ticket.mw`, 'utf8'), { defines: { N: 3, K: 2 } }).ir as IrProgram;
    const three = new ParallelPool(3);
    try {
      for (const p of [pool, three]) {
        for (const strategy of ['dfs', 'bfs'] as const) {
          const options: CheckOptions = { model: 'sc', strategy, por: false };
          const seq = check(program, options);
          let thieves = 0;
          for (let run = 0; run < 3; run++) {
            const { answers, result, stopped } = await runWorkers(p, program, options);
            const label = `${p.size} workers --${strategy} run ${run}`;
            expect(stopped, label).toBe(null);
            expect(digest(result, true), label).toEqual(digest(seq, true));
            // every stored state was expanded once, by the worker whose frontier it was on at the end
            expect(answers.reduce((n, a) => n + a.expanded, 0), label).toBe(result.stats.statesStored);
            expect(answers.reduce((n, a) => n + a.stolen, 0), label).toBe(answers.reduce((n, a) => n + a.given, 0));
            expect(result.stats.stateSteals, label).toBe(answers.reduce((n, a) => n + a.stolen, 0));
            for (const [w, a] of answers.entries()) {
              expect(a.expanded, `${label}, worker ${w}`).toBe(a.stored + a.stolen - a.given);
              // a worker other than 0 holds nothing it did not steal (or store as a successor of what it stole)
              if (w > 0 && a.stolen === 0) expect({ expanded: a.expanded, stored: a.stored }, `${label}, worker ${w}`).toEqual({ expanded: 0, stored: 0 });
              if (w > 0 && a.stolen > 0) thieves++;
            }
          }
          // some thief took work in some run (the space has thousands of states; worker 1 is hungry from the start)
          expect(thieves, `${p.size} workers --${strategy}`).toBeGreaterThan(0);
        }
      }
    } finally {
      await three.close();
    }
  });

  it('parallel = sequential on generated programs under dfs and bfs with 3 workers (exact counts, --no-por; bfs counterexamples as short)', async () => {
    const three = new ParallelPool(3);
    try {
      const programs = fc.sample(fc.tuple(arbIrProgram({ allowAsserts: true, allowDivision: true, allowWaitNotify: true }), fc.constantFrom(...MODELS), fc.constantFrom('bfs' as const, 'dfs' as const)), { seed: seedFromEnv(20), numRuns: 100 });
      let compared = 0;
      for (const [i, [program, model, strategy]] of programs.entries()) {
        const options: CheckOptions = { model, strategy, por: false };
        const seq = check(program, { ...options, maxStates: MAX_STATES });
        if (seq.budgetExhausted === 'states') continue;
        const par = await checkParallel(program, options, 3, three);
        const label = `generated #${i} ${model} --${strategy}, 3 workers`;
        expect(digest(par, true), label).toEqual(digest(seq, true));
        if (strategy === 'bfs') {
          const lengths = (r: CheckResult): Record<string, number> => Object.fromEntries(r.violations.filter((v) => v.kind !== 'livelock').map((v) => [v.kind, v.trace.length]));
          expect(lengths(par), label).toEqual(lengths(seq));
        }
        compared++;
      }
      expect(compared).toBeGreaterThan(90);
    } finally {
      await three.close();
    }
  });
});

describe('level-synchronous parallel bfs: counterexamples as short as the sequential bfs gives', () => {
  it('on the broken designs and the litmus catalogue under sc, tso and pso (--no-por), every violation kind', async () => {
    let compared = 0;
    for (const { name, program } of examples()) {
      for (const model of MODELS) {
        const options: CheckOptions = { model, strategy: 'bfs', por: false };
        const seq = check(program, { ...options, maxStates: MAX_STATES });
        if (seq.budgetExhausted === 'states') continue;
        const par = await checkParallel(program, options, WORKERS, pool);
        const lengths = (r: CheckResult): Record<string, number> => Object.fromEntries(r.violations.filter((v) => v.kind !== 'livelock').map((v) => [v.kind, v.trace.length]));
        expect(lengths(par), `${name} under ${model}`).toEqual(lengths(seq));
        compared += seq.violations.filter((v) => v.kind !== 'livelock').length;
      }
    }
    // the comparison covers real counterexamples, not only passing programs
    expect(compared).toBeGreaterThanOrEqual(15);
  });

  it('on generated programs (--no-por)', async () => {
    const programs = fc.sample(fc.tuple(arbIrProgram({ allowAsserts: true, allowDivision: true, allowWaitNotify: true }), fc.constantFrom(...MODELS)), { seed: seedFromEnv(19), numRuns: 150 });
    let compared = 0;
    for (const [i, [program, model]] of programs.entries()) {
      const options: CheckOptions = { model, strategy: 'bfs', por: false };
      const seq = check(program, { ...options, maxStates: MAX_STATES });
      if (seq.budgetExhausted === 'states') continue;
      const par = await checkParallel(program, options, WORKERS, pool);
      const lengths = (r: CheckResult): Record<string, number> => Object.fromEntries(r.violations.filter((v) => v.kind !== 'livelock').map((v) => [v.kind, v.trace.length]));
      expect(lengths(par), `program ${i} under ${model}`).toEqual(lengths(seq));
      compared += seq.violations.length;
    }
    expect(compared).toBeGreaterThan(10);
  });
});
