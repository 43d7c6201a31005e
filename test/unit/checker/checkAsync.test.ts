/**
 * Issues 12 and 13, interrupts: `checkAsync` runs the same loop as `check` in slices (checker/
 * sliced.ts), so its answers are check's to the count, however small the slices; an aborted
 * signal stops the search, the graph exploration or livelock detection at its next pause, with
 * budgetExhausted 'interrupted', partial statistics, an inconclusive verdict and no violation.
 * Every stop here is bound by work (the abort comes after the first slice, or at a counted
 * pause), never by a timer.
 */
import { describe, expect, it } from 'vitest';
import { check, checkAsync } from '../../../checker/check.js';
import type { CheckOptions, CheckResult } from '../../../checker/api.js';
import { runSliced, runToEnd, type Sliced } from '../../../checker/sliced.js';
import { compileFile, compileOrThrow } from '../../support/programs.js';
import { ENDLESS, SPIN } from '../../support/incompletePrograms.js';

/** A result without its timings (the only field slicing may change). */
function untimed(r: CheckResult): unknown {
  return { ...r, stats: { ...r.stats, ms: 0 } };
}

describe('checkAsync answers exactly what check answers', () => {
  const cases: readonly (readonly [string, CheckOptions])[] = [
    ['examples/sb.mw', { model: 'sc' }],
    ['examples/sb.mw', { model: 'tso' }],
    ['examples/sb.mw', { model: 'rc11' }],
    ['examples/locks/peterson.mw', { model: 'tso' }],
    ['examples/locks/peterson.mw', { model: 'pso', strategy: 'dfs' }],
    ['examples/locks/peterson.mw', { model: 'sc', engine: 'graph' }],
    ['examples/graph/lastzero.mw', { model: 'ra' }],
  ];
  for (const [file, options] of cases) {
    it(`${file} under ${options.model}${options.engine === 'graph' ? ' (graph engine)' : ''}${options.strategy === 'dfs' ? ' (dfs)' : ''}: same counts, outcomes, violations`, async () => {
      const p = compileFile(file);
      const sync = check(p, options);
      // sliceMs 0: a turn of the event loop at every pause, the most slicing there can be
      const sliced = await checkAsync(p, { ...options, sliceMs: 0 });
      expect(untimed(sliced)).toEqual(untimed(sync));
      expect(sliced.budgetExhausted).not.toBe('interrupted');
    });
  }

  it('a livelock (found by livelock detection, a phase of its own) is found the same way', async () => {
    const p = compileOrThrow('spin.mw', SPIN);
    const sync = check(p, { model: 'sc' });
    expect(sync.violations.map((v) => v.kind)).toEqual(['livelock']);
    expect(untimed(await checkAsync(p, { model: 'sc', sliceMs: 0 }))).toEqual(untimed(sync));
  });
});

describe('an aborted signal stops the check at its next pause', () => {
  for (const [engine, options] of [
    ['state', { model: 'sc' }],
    ['graph', { model: 'rc11' }],
  ] as const) {
    it(`${engine} engine: interrupted after the first slice, partial statistics, no verdict`, async () => {
      // the graph engine: fib_bench at NUM = 8 has millions of executions (525,630 at NUM = 5)
      const p = engine === 'state' ? compileOrThrow('endless.mw', ENDLESS) : compileFile('examples/graph/fib_bench.mw', { NUM: 8 });
      const stop = new AbortController();
      // the first slice runs before checkAsync returns; the abort comes after it
      const pending = checkAsync(p, { ...options, signal: stop.signal });
      stop.abort();
      const r = await pending;
      expect(r.budgetExhausted).toBe('interrupted');
      expect(r.verdict).toBe('inconclusive');
      expect(r.violations).toEqual([]);
      if (engine === 'state') {
        expect(r.stats.statesStored).toBeGreaterThan(0);
        expect(r.stats.livelockCheck).toBe('skipped-incomplete');
      } else {
        expect(r.stats.graphs).toBeGreaterThan(0);
        expect(r.outcomes.length).toBeGreaterThan(0);
      }
    });
  }

  it('a signal aborted before the start stops at the first pause', async () => {
    const stop = new AbortController();
    stop.abort();
    const r = await checkAsync(compileOrThrow('endless.mw', ENDLESS), { model: 'tso', signal: stop.signal });
    expect(r.budgetExhausted).toBe('interrupted');
    expect(r.stats.statesStored).toBeGreaterThan(0); // the work before the first pause (256 expansions)
    expect(r.stats.statesStored).toBeLessThan(10_000);
  });

  it('livelock detection stops too: aborted at the last pause of the check, the livelock is not reported', async () => {
    const p = compileOrThrow('spin.mw', SPIN);
    // count the pauses of the whole check (the last ones are livelock detection's), then stop at the last
    let pauses = 0;
    await checkAsync(p, { model: 'sc', sliceMs: 0, signal: { get aborted() { pauses++; return false; } } });
    let seen = 0;
    const r = await checkAsync(p, { model: 'sc', sliceMs: 0, signal: { get aborted() { return ++seen >= pauses; } } });
    expect(pauses).toBeGreaterThan(2);
    expect(r.budgetExhausted).toBe('interrupted');
    expect(r.violations).toEqual([]);
    expect(r.stats.livelockCheck).toBe('skipped-incomplete');
    // the search itself had finished: every state the sync check stores is stored
    expect(r.stats.statesStored).toBe(check(p, { model: 'sc' }).stats.statesStored);
  });
});

describe("the package's checkAsync", () => {
  it('validates as check does, and answers interrupted once its signal is aborted', async () => {
    const api = await import('../../../cli/index.js');
    const p = compileOrThrow('endless.mw', ENDLESS);
    const refused = await api.checkAsync(p, { model: 'nope' as 'sc' });
    expect(refused.ok).toBe(false);
    const stop = new AbortController();
    const pending = api.checkAsync(p, { model: 'pso', signal: stop.signal });
    stop.abort();
    const answer = await pending;
    expect(answer.ok && answer.result.budgetExhausted).toBe('interrupted');
  });
});

describe('the two drivers of a sliced phase', () => {
  function* counter(n: number): Sliced<{ count: number; stopped: boolean }> {
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (yield) return { count, stopped: true };
      count++;
    }
    return { count, stopped: false };
  }

  it('runToEnd never stops a phase; runSliced stops it when the signal is aborted', async () => {
    expect(runToEnd(counter(1000))).toEqual({ count: 1000, stopped: false });
    expect(await runSliced(counter(1000), { sliceMs: 0 })).toEqual({ count: 1000, stopped: false });
    let polls = 0;
    expect(await runSliced(counter(1000), { sliceMs: 0, signal: { get aborted() { return ++polls > 10; } } })).toEqual({ count: 10, stopped: true });
  });

  it('runSliced gives the event loop a turn between slices (a callback queued at the start runs before the end)', async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    let sawTurn = false;
    function* watch(): Sliced<void> {
      for (let i = 0; i < 100; i++) {
        if (ran) sawTurn = true;
        yield;
      }
    }
    await runSliced(watch(), { sliceMs: 0 });
    expect(sawTurn).toBe(true);
  });
});
