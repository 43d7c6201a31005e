/** findExecution / executeChoices: shortest executions to an outcome, with structured events and states. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { decodeReplayToken, replay } from '../../../checker/replay.js';
import { executeChoices, findConditionExecution, findExecution, searchExecution, unknownOutcomeNames } from '../../../checker/execution.js';
import { compileSource } from '../../../model/frontend.js';
import type { IrProgram } from '../../../model/ir.js';
import { arbIrProgram, seedFromEnv } from '../../arbitraries/irProgram.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function load(rel: string): IrProgram {
  const r = compileSource(rel, readFileSync(join(ROOT, rel), 'utf8'));
  if (r.ir === null) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.ir;
}

const SB = load('examples/litmus/SB.mw');
const RELAXED = { 'P0:r0': 0, 'P1:r0': 0 };

describe('findExecution', () => {
  it('finds no SC execution of the SB outcome, and a shortest TSO one', () => {
    expect(findExecution(SB, { model: 'sc' }, RELAXED)).toBeNull();
    const ex = findExecution(SB, { model: 'tso' }, RELAXED);
    expect(ex).not.toBeNull();
    if (ex === null) return;
    // two buffered stores, two loads, two drains: nothing shorter ends with empty buffers
    expect(ex.steps.length).toBe(6);
    expect(ex.finalState['P0:r0']).toBe(0);
    expect(ex.finalState['P1:r0']).toBe(0);
    expect(ex.steps.map((s) => s.event?.kind ?? 'none').sort()).toEqual(['drain', 'drain', 'read', 'read', 'write', 'write']);
    expect(ex.steps.filter((s) => s.event?.kind === 'write').every((s) => s.event?.kind === 'write' && s.event.buffered)).toBe(true);
    // the state after each step is the state of the next: the last one is the final state
    expect(ex.steps[ex.steps.length - 1]?.state).toEqual(ex.finalState);
  });

  it('returns a token that replays to the same trace', () => {
    const ex = findExecution(SB, { model: 'tso' }, RELAXED);
    if (ex === null) throw new Error('no execution');
    const r = replay(SB, { model: 'tso' }, ex.replay);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.trace.map((s) => s.effect)).toEqual(ex.steps.map((s) => s.effect));
    expect(r.finalState).toEqual(ex.finalState);
  });

  it('finds the outcomes SC allows under SC, each reaching exactly the values asked for', () => {
    const res = check(SB, { model: 'sc' });
    for (const o of res.outcomes) {
      const ex = findExecution(SB, { model: 'sc' }, o.values);
      expect(ex, JSON.stringify(o.values)).not.toBeNull();
      for (const [k, v] of Object.entries(o.values)) expect(ex?.finalState[k]).toBe(v);
    }
  });

  it('gives up (null) past maxStates', () => {
    expect(findExecution(SB, { model: 'tso', maxStates: 3 }, RELAXED)).toBeNull();
  });

  it('searchExecution tells "not reachable" (whole space searched) from "gave up" (bound hit)', () => {
    expect(searchExecution(SB, { model: 'sc' }, RELAXED)).toEqual({ kind: 'unreachable' });
    expect(searchExecution(SB, { model: 'tso', maxStates: 3 }, RELAXED)).toEqual({ kind: 'budget', statesStored: 3 });
    expect(searchExecution(SB, { model: 'sc', maxStates: 3 }, RELAXED)).toEqual({ kind: 'budget', statesStored: 3 });
    const found = searchExecution(SB, { model: 'tso' }, RELAXED);
    expect(found.kind).toBe('found');
    expect(found.kind === 'found' ? found.execution.finalState['P0:r0'] : -1).toBe(0);
    // a memory budget too small for the table is a bound too, never a crash
    expect(searchExecution(SB, { model: 'tso', maxMemoryBytes: 64 }, RELAXED).kind).toBe('budget');
  });

  it('names unknown outcome names', () => {
    expect(unknownOutcomeNames(SB, { model: 'sc' }, { 'P0:r0': 0, 'P2:r9': 1, x: 0 })).toEqual(['P2:r9']);
  });

  it('findConditionExecution finds a witness of the exists condition', () => {
    expect(findConditionExecution(SB, { model: 'sc' })).toBeNull();
    const ex = findConditionExecution(SB, { model: 'pso' });
    expect(ex?.finalState['P0:r0']).toBe(0);
    expect(ex?.finalState['P1:r0']).toBe(0);
  });
});

describe('executeChoices', () => {
  it('re-executes a checker counterexample with the same rows and structured events', () => {
    const p = load('examples/locks/peterson.mw');
    const res = check(p, { model: 'tso' });
    const v = res.violations.find((x) => x.kind === 'mutex');
    expect(v).toBeDefined();
    if (v === undefined) return;
    const d = decodeReplayToken(v.replay);
    if (!d.ok) throw new Error(d.error);
    const ex = executeChoices(p, { model: 'tso' }, d.token.choices);
    expect(ex).not.toBeNull();
    expect(ex?.steps.map((s) => `${s.threadName} ${s.text} ${s.effect}`)).toEqual(v.trace.map((s) => `${s.threadName} ${s.text} ${s.effect}`));
    // under tso the flag stores are still buffered when both threads get in
    expect(ex?.steps.some((s) => s.event?.kind === 'write' && s.event.buffered)).toBe(true);
  });

  it('rejects choices that do not fit', () => {
    expect(executeChoices(SB, { model: 'sc' }, [7])).toBeNull();
    expect(executeChoices(SB, { model: 'sc' }, [-1])).toBeNull();
  });
});

describe('law: searchExecution and check agree on which outcomes are reachable', () => {
  const SEED = seedFromEnv(0x5eec);
  it('every outcome check reports is found (its execution ends there); an outcome check does not report is unreachable', () => {
    console.log(`[execution law] fast-check seed ${SEED}`);
    let unreachableSeen = 0;
    fc.assert(
      fc.property(arbIrProgram({ maxThreads: 3, maxInstrs: 3 }), fc.constantFrom('sc', 'tso', 'pso'), (p, model) => {
        const options = { model, bufferBound: 4 } as const;
        const r = check(p, { ...options, symmetry: false, por: false, deadRegisters: false });
        for (const o of r.outcomes) {
          const found = searchExecution(p, options, o.values);
          expect(found.kind).toBe('found');
          if (found.kind === 'found') for (const [k, v] of Object.entries(o.values)) expect(found.execution.finalState[k]).toBe(v);
        }
        // a value no program here can produce in its first observable: never found, and the whole space was searched
        const first = Object.keys(r.outcomes[0]?.values ?? {})[0];
        if (first !== undefined) {
          expect(searchExecution(p, options, { [first]: 987654321 })).toEqual({ kind: 'unreachable' });
          unreachableSeen++;
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
    expect(unreachableSeen).toBeGreaterThan(50);
  });
});
