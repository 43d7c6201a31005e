/**
 * Hash compaction (`hashCompact`, checker/fingerprints.ts): on the whole catalogue and on the lock
 * examples at larger bounds, the same answers (verdict, violation kinds and messages, traces,
 * outcomes, condition) with and without it, every counterexample found under it replays, the
 * visited set costs fewer bytes per state, and the statistics say hash compaction was on with its
 * omission probability. The probability estimate is checked as a formula, and a forced collision
 * (a weak fingerprint injected through `checkMachine`'s seam) shows a state being omitted while
 * the statistics still report the approximation.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CheckOptions, CheckResult, ModelName } from '../../../checker/api.js';
import { check, checkMachine } from '../../../checker/check.js';
import { DEFAULT_FINGERPRINT, hashWords2, omissionProbability, PendingStates, type Fingerprint } from '../../../checker/fingerprints.js';
import { MemoryBudget } from '../../../checker/memoryBudget.js';
import { replay } from '../../../checker/replay.js';
import { hashWords, VisitedSet } from '../../../checker/visited.js';
import type { IrProgram } from '../../../model/ir.js';
import { createMachine } from '../../../model/semantics/createMachine.js';
import { exitCodeOf, renderResult, renderSummary, resultJson } from '../../../cli/commands/check.js';
import { compileOrThrow as compile, walkFiles } from '../../support/programs.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples', import.meta.url));
const MODELS: readonly ModelName[] = ['sc', 'tso', 'pso', 'js'];
const MAX_STATES = 100_000;



/** Everything a user is told, minus statistics. */
function answers(r: CheckResult): unknown {
  return {
    verdict: r.verdict,
    budgetExhausted: r.budgetExhausted,
    violations: r.violations.map((v) => ({ kind: v.kind, message: v.message, trace: v.trace, finalState: v.finalState, replay: v.replay })),
    outcomes: r.outcomes,
    condition: r.condition,
    bufferBoundHit: r.stats.bufferBoundHit,
    statesStored: r.stats.statesStored,
    transitions: r.stats.transitions,
    finalStates: r.stats.finalStates,
    livelockCheck: r.stats.livelockCheck,
  };
}

/** Check with and without hash compaction; throws unless the answers agree; returns both, or null when the search does not fit MAX_STATES or the model does not take the program. */
function compare(p: IrProgram, options: CheckOptions, what: string): { full: CheckResult; compact: CheckResult } | null {
  // hash compaction is the stateful search's: js too is asked of it (its default route may answer with the graph engine)
  const full = check(p, { maxStates: MAX_STATES, engine: 'state', ...options });
  // a model that does not take the program (a mixed-size view under pso: S316) checks nothing either way
  if (full.budgetExhausted !== null || full.stats.unsupported !== undefined) return null;
  const compact = check(p, { maxStates: MAX_STATES, engine: 'state', ...options, hashCompact: true });
  const want = JSON.stringify(answers(full));
  const got = JSON.stringify(answers(compact));
  if (got !== want) throw new Error(`${what} (${JSON.stringify(options)}): answers differ under hash compaction\nfull:    ${want}\ncompact: ${got}`);
  expect(full.stats.hashCompact, what).toBeUndefined();
  expect(compact.stats.hashCompact, what).toEqual({ bits: 64, omissionProbability: omissionProbability(compact.stats.statesStored) });
  for (const v of compact.violations) {
    const rr = replay(p, options, v.replay);
    if (!rr.ok) throw new Error(`${what}: replay of the ${v.kind} counterexample failed: ${rr.error}`);
    expect(rr.trace, `${what}: ${v.kind} replays`).toEqual(v.trace);
    expect(rr.finalState, `${what}: ${v.kind} final state`).toEqual(v.finalState);
    if (v.kind !== 'livelock') expect(rr.observed, `${what}: ${v.kind} observed`).toBe(v.kind);
  }
  return { full, compact };
}

describe('hash compaction on the catalogue', () => {
  const files = walkFiles(EXAMPLES).filter((f) => f.endsWith('.mw') || f.endsWith('.litmus'));
  it('every example and litmus test: same answers with and without, under every model', () => {
    let compared = 0;
    const kinds = new Set<string>();
    for (const f of files) {
      const name = relative(EXAMPLES, f);
      const p = compile(name, readFileSync(f, 'utf8'));
      for (const model of MODELS) {
        const r = compare(p, { model }, `${name} ${model}`);
        if (r === null) continue;
        compared++;
        for (const v of r.compact.violations) kinds.add(v.kind);
      }
    }
    expect(files.length).toBeGreaterThan(50);
    expect(compared).toBeGreaterThan(files.length * 3);
    // the catalogue exercises state and step violations, livelock included (its message rebuilds stored states)
    expect([...kinds].sort()).toEqual(['condition', 'deadlock', 'mutex', 'race']);
  });

  it('assert failures, run-time errors and livelocks (whose message rebuilds stored states by re-execution): same answers', () => {
    const bad = 'shared x = 0;\nthread P0 { r = load.sc(x); assert(r == 1, "x should be set"); }\nthread P1 { store.sc(x, 1); }\nthread P2 { s = load.sc(x); t = 10 / s; }\n';
    const spin = 'shared go = 0;\nshared done = 0;\nthread A {\n  store.sc(done, 2);\n  r = load.sc(go);\n  while (r == 0) { r = load.sc(go); }\n}\nthread B {\n  store.sc(done, 1);\n  store.sc(done, 3);\n}\n';
    const kinds = new Set<string>();
    for (const [name, text] of [['bad.mw', bad], ['spin.mw', spin]] as const) {
      const p = compile(name, text);
      for (const model of ['sc', 'tso'] as const) {
        for (const reductions of [{}, { symmetry: false, por: false, deadRegisters: false }]) {
          const r = compare(p, { model, ...reductions }, `${name} ${model}`);
          for (const v of r?.compact.violations ?? []) kinds.add(v.kind);
        }
      }
    }
    expect([...kinds].sort()).toEqual(['assert', 'livelock', 'runtime']);
  });

  it('lock examples at larger bounds, without reductions and under dfs too: same answers, fewer bytes per state', () => {
    const cases: [string, Record<string, number>, Partial<CheckOptions>][] = [
      ['locks/bakery.mw', { N: 3, K: 1 }, {}],
      ['locks/ticket.mw', { N: 3, K: 2 }, {}],
      ['locks/ticket.mw', { N: 3, K: 2 }, { symmetry: false, por: false, deadRegisters: false }],
      ['locks/tas.mw', { N: 3, K: 1 }, { strategy: 'dfs' }],
      // bound 3: with critical regions that no longer cut executions, bound 2 stores 8,292 states, just past a doubling of the record arrays
      ['locks/peterson.mw', { K: 2 }, { bufferBound: 3 }],
    ];
    for (const [name, defines, extra] of cases) {
      const p = compile(name, readFileSync(join(EXAMPLES, name), 'utf8'), defines);
      for (const model of ['sc', 'tso'] as const) {
        const what = `${name} ${JSON.stringify(defines)} ${model}`;
        const r = compare(p, { model, ...extra }, what);
        if (r === null) throw new Error(`${what}: over ${MAX_STATES} states`);
        expect(r.compact.stats.bytesPerState, what).toBeLessThan(r.full.stats.bytesPerState);
        // a 17-byte record (parent, transition, two hashes, flags) plus the table's share
        if (r.compact.stats.statesStored >= 4096) expect(r.compact.stats.bytesPerState, what).toBeLessThanOrEqual(17 + 16);
      }
    }
  });
});

describe('the omission probability', () => {
  it('is 0 for at most one state, about n²/2^65 while small, monotone, and at most 1', () => {
    expect(omissionProbability(0)).toBe(0);
    expect(omissionProbability(1)).toBe(0);
    for (const n of [2, 1000, 1e6, 1e8]) {
      const approx = (n * (n - 1)) / 2 ** 65;
      expect(Math.abs(omissionProbability(n) - approx) / approx).toBeLessThan(1e-3);
    }
    let prev = 0;
    for (let e = 1; e <= 40; e++) {
      const p = omissionProbability(2 ** e);
      expect(p).toBeGreaterThanOrEqual(prev);
      expect(p).toBeLessThanOrEqual(1);
      prev = p;
    }
    // 2^33 states: n²/2^65 = 2, so 1 - e^-2
    expect(omissionProbability(2 ** 33)).toBeCloseTo(1 - Math.exp(-2), 6);
    expect(omissionProbability(2 ** 40)).toBe(1);
    // fewer bits, larger probability: 2^16 states under 32-bit fingerprints ≈ 1 - e^-0.5
    expect(omissionProbability(2 ** 16, 32)).toBeCloseTo(1 - Math.exp(-0.5), 4);
  });
});

describe('fingerprints', () => {
  it('the two hashes are different functions, and both tell near states apart', () => {
    const a = Int32Array.of(1, 2, 3, 4);
    const b = Int32Array.of(1, 2, 3, 5);
    expect(hashWords2(a, 0, 4)).not.toBe(hashWords(a, 0, 4));
    expect(hashWords2(a, 0, 4)).not.toBe(hashWords2(b, 0, 4));
    expect(hashWords2(a, 0, 4)).toBe(hashWords2(Int32Array.of(9, 1, 2, 3, 4), 1, 4));
    expect(DEFAULT_FINGERPRINT.h1).toBe(hashWords);
  });

  it('a hash-compacted set stores no words, finds by fingerprint, and takes a collision for a hit', () => {
    // h1 from the first word only, h2 constant: states agreeing in word 0 collide
    const weak: Fingerprint = { h1: (s, off) => s[off] as number, h2: () => 7 };
    const v = new VisitedSet(3, new MemoryBudget(1 << 30), 0x7fffffff, weak);
    expect(v.hashCompact).toBe(true);
    expect(v.wordBytes).toBe(0);
    const a = v.insert(Int32Array.of(1, 2, 3), 0, -1, -1);
    expect(v.lastInserted).toBe(true);
    const b = v.insert(Int32Array.of(2, 0, 0), 0, a, 5);
    expect(v.lastInserted).toBe(true);
    expect(v.insert(Int32Array.of(1, 9, 9), 0, b, 6)).toBe(a); // a different state, omitted
    expect(v.lastInserted).toBe(false);
    expect(v.count).toBe(2);
    expect(v.find(Int32Array.of(2, 7, 7), 0)).toBe(b);
    expect(v.parent(b)).toBe(a);
    expect(v.transition(b)).toBe(5);
    expect(() => v.copy(b)).toThrow(/reconstruct/);
    v.reconstruct = (i, out, off) => out.fill(i + 40, off, off + 3);
    expect([...v.copy(b)]).toEqual([41, 41, 41]);
    // growing the table rehashes from the stored first hashes
    for (let k = 3; k < 5000; k++) v.insert(Int32Array.of(k, 0, 0), 0, 0, 0);
    expect(v.count).toBe(4999);
    expect(v.find(Int32Array.of(4000, 1, 1), 0)).toBe(3999);
    const full = new VisitedSet(3, new MemoryBudget(1 << 30));
    for (let k = 0; k < 5000; k++) full.insert(Int32Array.of(k, k, k), 0, 0, 0);
    expect(v.bytesPerState()).toBeLessThan(full.bytesPerState() + 12);
    v.dispose();
    full.dispose();
  });

  it('the pending pool gives back what it was given, reuses freed slots, and respects the budget', () => {
    const budget = new MemoryBudget(1 << 20);
    const pool = new PendingStates(2, budget);
    const s0 = pool.put(10, Int32Array.of(1, 2), 0);
    const s1 = pool.put(11, Int32Array.of(0, 3, 4), 1);
    expect(pool.size).toBe(2);
    const out = new Int32Array(2);
    expect(pool.take(s0, out, 0)).toBe(10);
    expect([...out]).toEqual([1, 2]);
    expect(pool.put(12, Int32Array.of(5, 6), 0)).toBe(s0);
    expect(pool.take(s1, out, 0)).toBe(11);
    expect([...out]).toEqual([3, 4]);
    expect(budget.used).toBe(pool.bytes);
    pool.dispose();
    expect(budget.used).toBe(0);
    expect(new PendingStates(2, new MemoryBudget(16)).put(0, Int32Array.of(0, 0), 0)).toBe(-1);
  });
});

describe('a forced collision', () => {
  const p = compile('three.mw', 'shared x = 0;\nthread P { store.sc(x, 1); }\nthread Q { store.sc(x, 2); }\n');
  const options: CheckOptions = { model: 'sc', hashCompact: true, por: false, symmetry: false, deadRegisters: false };

  it('omits a state, and the statistics still say hash compaction was on', () => {
    const honest = checkMachine(createMachine(p, 'sc'), options);
    expect(honest.outcomes.map((o) => o.values['x'])).toEqual(expect.arrayContaining([1, 2]));
    expect(honest.outcomes).toHaveLength(2);
    // every state has the same fingerprint: only the initial state is ever stored
    const constant: Fingerprint = { h1: () => 1, h2: () => 2 };
    const r = checkMachine(createMachine(p, 'sc'), options, { fingerprint: constant });
    expect(r.stats.statesStored).toBe(1);
    expect(r.stats.statesStored).toBeLessThan(honest.stats.statesStored);
    expect(r.outcomes).toHaveLength(0);
    expect(r.verdict).toBe('pass');
    expect(r.stats.hashCompact).toEqual({ bits: 64, omissionProbability: 0 });
    // without hash compaction the seam is not used
    const off = checkMachine(createMachine(p, 'sc'), { ...options, hashCompact: false }, { fingerprint: constant });
    expect(off.outcomes).toEqual(honest.outcomes);
    expect(off.stats.hashCompact).toBeUndefined();
  });

  it('a partial collision loses exactly the colliding state and its outcome', () => {
    // a fingerprint blind to the difference between the values 1 and 2: the two final states
    // (x=1 and x=2, every thread done) collide, the others do not
    const blind = (h: (s: Int32Array, off: number, len: number) => number) => (s: Int32Array, off: number, len: number): number => h(s.slice(off, off + len).map((w) => (w === 2 ? 1 : w)), 0, len);
    const honest = checkMachine(createMachine(p, 'sc'), options);
    const r = checkMachine(createMachine(p, 'sc'), options, { fingerprint: { h1: blind(hashWords), h2: blind(hashWords2) } });
    expect(r.stats.statesStored).toBe(honest.stats.statesStored - 1);
    expect(r.outcomes).toHaveLength(1);
    expect(honest.outcomes).toContainEqual(r.outcomes[0]);
    expect(r.stats.hashCompact).toEqual({ bits: 64, omissionProbability: omissionProbability(r.stats.statesStored) });
  });
});

describe('the check command says so', () => {
  const p = compile('sb.mw', readFileSync(join(EXAMPLES, 'sb.mw'), 'utf8'));
  const rerun = { path: 'sb.mw', defines: [], bufferBound: null };
  it('text: a labelled pass and the probability line; JSON carries the stats; exit code 0', () => {
    const r = check(p, { model: 'sc', hashCompact: true });
    expect(r.verdict).toBe('pass');
    const text = renderResult(r, p, rerun, false);
    expect(text).toContain('Model sc (bfs): pass (under hash compaction)\n');
    const prob = omissionProbability(r.stats.statesStored).toExponential(2);
    expect(text).toContain(`Hash compaction: on (64-bit fingerprints); probability that some state was missed ≤ ${prob}\n`);
    expect(renderSummary([r], p, rerun, false)).toMatch(/^sc\s+pass \(under hash compaction\)/m);
    expect(JSON.parse(JSON.stringify(resultJson(r)))).toMatchObject({ verdict: 'pass', stats: { hashCompact: { bits: 64, omissionProbability: r.stats.hashCompact?.omissionProbability } } });
    expect(exitCodeOf([r])).toBe(0);
    // without it: neither the label nor the line
    const plain = renderResult(check(p, { model: 'sc' }), p, rerun, false);
    expect(plain).toContain('Model sc (bfs): pass\n');
    expect(plain).not.toContain('Hash compaction');
  });
});
