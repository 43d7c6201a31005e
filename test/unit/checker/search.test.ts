import { describe, expect, it } from 'vitest';
import { check, checkMachine } from '../../../checker/check.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSource } from '../../../model/frontend.js';
import { progressText } from '../../../cli/progressText.js';
import type { CheckOptions, CheckResult, Progress } from '../../../checker/api.js';
import { decodeReplayToken, encodeReplayToken, replayOnMachine } from '../../../checker/replay.js';
import { STEP, type Machine } from '../../../model/semantics/machine.js';
import type { IrFinalCondition } from '../../../model/ir.js';
import { counterMachine, graphMachine } from './fakeMachines.js';

const sc: CheckOptions = { model: 'sc' };

/** Every violation's replay token re-executes to the same trace and final state. */
export function assertReplayRoundTrip(machine: Machine, result: CheckResult): void {
  for (const v of result.violations) {
    const d = decodeReplayToken(v.replay);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.token.kind).toBe(v.kind);
    const r = replayOnMachine(machine, result.model, d.token);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.trace).toEqual(v.trace);
    expect(r.finalState).toEqual(v.finalState);
  }
}

const c0is = (value: number, quantifier: IrFinalCondition['quantifier']): IrFinalCondition => ({
  quantifier,
  text: `${quantifier} (c0=${value})`,
  cond: { kind: 'cmp', op: '=', left: { kind: 'mem', slot: 0 }, right: { kind: 'const', value } },
});

describe('search on a counter system', () => {
  for (const strategy of ['bfs', 'dfs'] as const) {
    it(`${strategy}: exact state, transition and depth counts`, () => {
      const r = checkMachine(counterMachine(3, 2), { ...sc, strategy });
      expect(r.verdict).toBe('pass');
      expect(r.strategy).toBe(strategy);
      expect(r.stats.statesStored).toBe(27);
      expect(r.stats.transitions).toBe(54);
      expect(r.stats.finalStates).toBe(1);
      expect(r.stats.livelockCheck).toBe('checked');
      expect(r.outcomes).toEqual([{ values: { c0: 2, c1: 2, c2: 2 }, satisfies: null, finalStates: 1 }]);
      // BFS depth is the true distance; DFS may reach states by longer paths but here every path to a state has the same length
      expect(r.stats.maxDepth).toBe(6);
      expect(r.violations).toEqual([]);
      expect(r.condition).toBeNull();
    });
  }

  it('larger: (K+1)^N states', () => {
    const r = checkMachine(counterMachine(4, 4), sc);
    expect(r.stats.statesStored).toBe(625);
    expect(r.stats.transitions).toBe(4 * 4 * 125);
    expect(r.stats.peakBytes).toBeGreaterThan(0);
    expect(r.stats.bytesPerState).toBeGreaterThan(0);
  });
});

describe('budgets', () => {
  it('maxStates gives inconclusive with partial stats', () => {
    const r = checkMachine(counterMachine(4, 3), { ...sc, maxStates: 10 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.budgetExhausted).toBe('states');
    expect(r.stats.statesStored).toBe(10);
    expect(r.stats.livelockCheck).toBe('skipped-incomplete');
  });

  it('timeLimitMs uses the injected clock', () => {
    let t = 0;
    const r = checkMachine(counterMachine(5, 3), { ...sc, timeLimitMs: 5, now: () => (t += 10) });
    expect(r.verdict).toBe('inconclusive');
    expect(r.budgetExhausted).toBe('time');
    expect(r.stats.statesStored).toBeLessThan(1024);
    const full = checkMachine(counterMachine(5, 3), { ...sc, timeLimitMs: 1e12, now: () => (t += 10) });
    expect(full.verdict).toBe('pass');
    expect(full.stats.statesStored).toBe(1024);
  });

  it('maxMemoryBytes gives inconclusive, never a crash', () => {
    const r = checkMachine(counterMachine(6, 4), { ...sc, maxMemoryBytes: 500_000 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.budgetExhausted).toBe('memory');
    expect(r.stats.peakBytes).toBeLessThanOrEqual(500_000);
    expect(r.stats.statesStored).toBeGreaterThan(0);
    expect(r.stats.statesStored).toBeLessThan(15625);
  });

  it('a budget too small for anything is still a verdict', () => {
    const r = checkMachine(counterMachine(2, 2), { ...sc, maxMemoryBytes: 10 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.stats.statesStored).toBe(0);
  });

  it('reports progress through onProgress', () => {
    let t = 0;
    const seen: number[] = [];
    checkMachine(counterMachine(5, 3), { ...sc, now: () => (t += 1000), onProgress: (p) => seen.push(p.engine === 'state' ? p.states : -1) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s > 0 && s <= 1024)).toBe(true);
  });

  it('the graph engine reports its progress too: executions so far, rising, never past the answer', () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', '..', 'examples', 'graph', 'indexer.mw'), 'utf8');
    const program = compileSource('indexer.mw', text).ir;
    if (program === null) throw new Error('indexer.mw does not compile');
    let t = 0;
    const seen: Progress[] = [];
    // a clock that moves a second at each read: a report at every clock read the explorer makes past the first second
    const r = check(program, { model: 'ra', maxStates: 3000, now: () => (t += 1000), onProgress: (p) => seen.push(p) });
    expect(r.stats.engine).toBe('graph');
    expect(seen.length).toBeGreaterThan(1);
    const executions = seen.map((p) => (p.engine === 'graph' ? p.executions : -1));
    expect(executions.every((n, i) => n >= 0 && n <= (r.stats.executions ?? 0) && (i === 0 || n >= (executions[i - 1] ?? 0)))).toBe(true);
    expect(executions.at(-1)).toBeGreaterThan(executions[0] ?? 0);
    expect(progressText(seen[0] as Progress)).toMatch(/^executions \d+ \(\d+\/s\), graphs \d+, \d+\.\d s$/);
  });
});

describe('violations on graph machines', () => {
  // 0 → 1 → 2 → 3 → 4 -assert-> ; 0 → 5 -assert->
  const twoPaths = graphMachine([
    { edges: [{ to: 1 }, { to: 5 }] },
    { edges: [{ to: 2 }] },
    { edges: [{ to: 3 }] },
    { edges: [{ to: 4 }] },
    { edges: [{ to: 4, status: STEP.assertFailed }] },
    { edges: [{ to: 5, status: STEP.assertFailed, thread: 1 }] },
  ]);

  it('BFS finds the shortest counterexample, DFS the first-branch one', () => {
    const b = checkMachine(twoPaths, sc);
    expect(b.verdict).toBe('fail');
    expect(b.violations.map((v) => v.kind)).toEqual(['assert']);
    const v = b.violations[0]!;
    expect(v.trace.map((s) => s.text)).toEqual(['n0 -> n5', 'n5 -> n5']);
    expect(v.trace[1]!.threadName).toBe('P1');
    expect(v.message).toBe('assertion failed in P1 at g.mw:5: bad edge n5->n5');
    expect(v.replay).toMatch(/^mw1\.sc\.[A-Za-z0-9_-]+$/);
    const d = checkMachine(twoPaths, { ...sc, strategy: 'dfs' });
    expect(d.violations[0]!.trace.length).toBe(5);
    assertReplayRoundTrip(twoPaths, b);
    assertReplayRoundTrip(twoPaths, d);
  });

  it('one violation per kind, other branches still explored', () => {
    const m = graphMachine([
      { edges: [{ to: 1, status: STEP.mutexViolated }, { to: 2 }, { to: 3 }, { to: 4 }] },
      { edges: [] },
      { edges: [{ to: 2, status: STEP.runtimeError }] },
      { edges: [], final: true, value: 7 },
      { edges: [] }, // not final, nothing enabled: deadlock
    ]);
    const r = checkMachine(m, sc);
    expect(r.violations.map((v) => v.kind)).toEqual(['deadlock', 'mutex', 'runtime']);
    expect(r.outcomes).toEqual([{ values: { c0: 7 }, satisfies: null, finalStates: 1 }]);
    const dl = r.violations.find((v) => v.kind === 'deadlock')!;
    expect(dl.message).toContain('deadlock');
    // a mutual-exclusion violation does not cut the execution: its target n1 is explored (a
    // deadlock, found first under BFS) — a critical region observes, it never prunes
    expect(dl.message).toContain('P0: at n1');
    expect(dl.finalState).toEqual({ node: 1 });
    expect(r.stats.statesStored).toBe(5);
    assertReplayRoundTrip(m, r);
  });

  it('assume-pruned branches are dropped, not deadlocks or livelocks', () => {
    const m = graphMachine([{ edges: [{ to: 1, status: STEP.pruned }, { to: 2 }] }, { edges: [] }, { edges: [], final: true }]);
    const r = checkMachine(m, sc);
    expect(r.verdict).toBe('pass');
    expect(r.stats.statesStored).toBe(2);
    const only = graphMachine([{ edges: [{ to: 1, status: STEP.pruned }] }, { edges: [], final: true }]);
    expect(checkMachine(only, sc).violations).toEqual([]);
  });

  it('livelock: a cycle from which no final state is reachable', () => {
    const m = graphMachine([{ edges: [{ to: 3 }, { to: 1 }] }, { edges: [{ to: 2 }] }, { edges: [{ to: 1 }] }, { edges: [], final: true }]);
    const r = checkMachine(m, sc);
    expect(r.verdict).toBe('fail');
    expect(r.violations.map((v) => v.kind)).toEqual(['livelock']);
    const v = r.violations[0]!;
    expect(v.message).toMatch(/^livelock: no continuation from here ever finishes: thread P0 spins forever/);
    // the step to the livelocked state, then its cycle, marked where it starts (issue 12)
    expect(v.trace.map((s) => s.text)).toEqual(['n0 -> n1', 'START OF CYCLE: the steps below repeat forever', 'n1 -> n2', 'n2 -> n1']);
    expect(v.finalState).toEqual({ node: 1 });
    const d = decodeReplayToken(v.replay);
    expect(d.ok && d.token.kind).toBe('livelock');
    assertReplayRoundTrip(m, r);
    // a cycle with an exit is not a livelock
    const exit = graphMachine([{ edges: [{ to: 1 }] }, { edges: [{ to: 2 }] }, { edges: [{ to: 1 }, { to: 3 }] }, { edges: [], final: true }]);
    expect(checkMachine(exit, sc).violations).toEqual([]);
  });

  it('livelock detection is skipped (and said so) when edges do not fit: inconclusive, not a pass', () => {
    const r = checkMachine(counterMachine(6, 3), { ...sc, maxMemoryBytes: 250_000 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.budgetExhausted).toBe('livelock-memory');
    expect(r.stats.statesStored).toBe(4096);
    expect(r.stats.livelockCheck).toBe('skipped-memory');
  });

  it('js races are reported with a trace; exploration continues past them', () => {
    const m = graphMachine([{ edges: [{ to: 1 }] }, { edges: [{ to: 2 }], race: true }, { edges: [], final: true, value: 1 }]);
    const r = checkMachine(m, { model: 'js' });
    expect(r.violations.map((v) => v.kind)).toEqual(['race']);
    expect(r.violations[0]!.message).toBe('race at n1'); // the model's report, not wrapped again
    // the trace ends at the race: the step that reaches it, then the two conflicting accesses (not executed)
    expect(r.violations[0]!.trace.map((s) => s.action)).toEqual(['instr', 'race', 'race']);
    expect(r.outcomes.length).toBe(1);
    expect(checkMachine(m, sc).violations).toEqual([]);
    assertReplayRoundTrip(m, r);
  });
});

describe('final condition (herd semantics)', () => {
  const nodes = [{ edges: [{ to: 1 }, { to: 2 }, { to: 3 }] }, { edges: [], final: true, value: 2 }, { edges: [], final: true, value: 1 }, { edges: [{ to: 1 }] }];

  it('exists is informational', () => {
    const r = checkMachine(graphMachine(nodes, c0is(1, 'exists')), sc);
    expect(r.verdict).toBe('pass');
    expect(r.condition).toEqual({ kind: 'exists', text: 'exists (c0=1)', validated: true, positive: 1, negative: 1, observation: 'Sometimes' });
    expect(r.outcomes).toEqual([
      { values: { c0: 1 }, satisfies: true, finalStates: 1 },
      { values: { c0: 2 }, satisfies: false, finalStates: 1 },
    ]);
    const never = checkMachine(graphMachine(nodes, c0is(5, 'exists')), sc);
    expect(never.condition?.validated).toBe(false);
    expect(never.condition?.observation).toBe('Never');
    expect(never.verdict).toBe('pass');
  });

  it('~exists and forall are properties with a counterexample', () => {
    const ne = checkMachine(graphMachine(nodes, c0is(1, 'not exists')), sc);
    expect(ne.verdict).toBe('fail');
    expect(ne.condition?.validated).toBe(false);
    expect(ne.violations.map((v) => v.kind)).toEqual(['condition']);
    expect(ne.violations[0]!.finalState).toEqual({ node: 2 });
    const fa = checkMachine(graphMachine(nodes, c0is(1, 'forall')), sc);
    expect(fa.condition?.validated).toBe(false);
    expect(fa.violations[0]!.finalState).toEqual({ node: 1 });
    expect(fa.violations[0]!.trace.length).toBe(1);
    assertReplayRoundTrip(graphMachine(nodes, c0is(1, 'forall')), fa);
    const ok = checkMachine(graphMachine(nodes, c0is(9, 'not exists')), sc);
    expect(ok.verdict).toBe('pass');
    expect(ok.condition?.validated).toBe(true);
  });
});

describe('replay tokens', () => {
  it('round-trip encode/decode', () => {
    const t = { model: 'pso' as const, kind: 'mutex' as const, bufferBound: 3, checksum: 0xbeef, choices: [0, 1, 127, 128, 300000, 5] };
    const s = encodeReplayToken(t);
    expect(s.startsWith('mw1.pso.')).toBe(true);
    expect(s).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(decodeReplayToken(s)).toEqual({ ok: true, token: t });
    const none = { model: 'sc' as const, kind: null, bufferBound: null, checksum: 0, choices: [] };
    expect(decodeReplayToken(encodeReplayToken(none))).toEqual({ ok: true, token: none });
  });

  it('rejects bad tokens with a message', () => {
    for (const bad of ['', 'mw1', 'mw2.sc.AAAA', 'mw1.arm.AAAA', 'mw1.sc.!!!', 'mw1.sc.AAAB', 'mw1.sc.gA']) {
      const d = decodeReplayToken(bad);
      expect(d.ok, bad).toBe(false);
    }
    const t = encodeReplayToken({ model: 'sc', kind: null, bufferBound: null, checksum: 0, choices: [5] });
    const d = decodeReplayToken(t);
    if (!d.ok) throw new Error(d.error);
    const r = replayOnMachine(counterMachine(2, 1), 'sc', d.token);
    expect(r).toEqual({ ok: false, error: 'replay token does not fit this program: step 1 chooses transition 5 but only 2 are enabled' });
  });
});
