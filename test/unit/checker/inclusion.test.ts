/**
 * Model inclusion laws on generated programs: every outcome SC allows, TSO allows, and every
 * outcome TSO allows, PSO allows (each model only adds reorderings). Checked on the checker's
 * outcome sets and, separately, on the brute-force oracle's.
 *
 * Known gap: TSO ⊆ PSO does not hold once rel stores or rel/acq_rel fences appear, because PSO
 * implements them by waiting for the thread's buffers to empty, which also holds back the
 * thread's later loads, while TSO lets such a store or fence sit behind earlier stores in its
 * FIFO without stopping later loads. The law is therefore checked on programs without rel and
 * acq_rel modes, and the counterexample is kept below as an `it.fails`.
 *
 * Seed: env MEMWEAVE_SEED (an integer) or the default below, printed when the file loads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import type { ModelName } from '../../../checker/api.js';
import type { IrExpr, IrProgram, Mode } from '../../../model/ir.js';
import { arbIrProgram, buildIrProgram, describeProgram, seedFromEnv } from '../../arbitraries/irProgram.js';
import type { BareInstr } from '../../arbitraries/irProgram.js';
import { bruteForce, outcomeKeySet } from '../../oracle/bruteForce.js';

const SEED = seedFromEnv(0x6d77);
const RUNS = 1000;
console.log(`[inclusion] fast-check seed ${SEED}, ${RUNS} runs per law (override with MEMWEAVE_SEED)`);

/** Modes under which TSO ⊆ PSO holds in memweave's models (no rel, no acq_rel). */
const NO_RELEASE: readonly Mode[] = ['plain', 'sc', 'acq', 'rlx'];

type Outcomes = (p: IrProgram, model: 'sc' | 'tso' | 'pso') => Set<string>;
const checkerOutcomes: Outcomes = (p, model: ModelName) => outcomeKeySet(p, check(p, { model, bufferBound: 8 }).outcomes);
const oracleOutcomes: Outcomes = (p, model) => bruteForce(p, model).outcomes;

/** Throws a readable report unless every outcome in `strong` is also in `weak`; returns whether `weak` has more. */
function included(p: IrProgram, strongName: string, strong: Set<string>, weakName: string, weak: Set<string>): boolean {
  const missing = [...strong].filter((k) => !weak.has(k));
  if (missing.length > 0) {
    throw new Error(`${strongName} ⊄ ${weakName}: ${missing.join(' ')} allowed by ${strongName} only\n${describeProgram(p)}`);
  }
  return weak.size > strong.size;
}

for (const [who, outcomes] of [['checker', checkerOutcomes], ['oracle', oracleOutcomes]] as const) {
  describe(`${who}: model inclusion`, () => {
    it(`SC ⊆ TSO on ${RUNS} generated programs (and strictly on some)`, () => {
      let strict = 0;
      fc.assert(
        fc.property(arbIrProgram(), (p) => {
          if (included(p, 'SC', outcomes(p, 'sc'), 'TSO', outcomes(p, 'tso'))) strict++;
        }),
        { seed: SEED, numRuns: RUNS },
      );
      expect(strict).toBeGreaterThan(0);
    });

    it(`TSO ⊆ PSO on ${RUNS} generated programs without rel/acq_rel modes (and strictly on some)`, () => {
      let strict = 0;
      fc.assert(
        fc.property(arbIrProgram({ modes: NO_RELEASE }), (p) => {
          if (included(p, 'TSO', outcomes(p, 'tso'), 'PSO', outcomes(p, 'pso'))) strict++;
        }),
        { seed: SEED, numRuns: RUNS },
      );
      expect(strict).toBeGreaterThan(0);
    });

    it(`SC ⊆ PSO on ${RUNS} generated programs with every mode`, () => {
      fc.assert(
        fc.property(arbIrProgram(), (p) => {
          included(p, 'SC', outcomes(p, 'sc'), 'PSO', outcomes(p, 'pso'));
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });

    // P0: store.plain(x, 1); <release>; r0 = load.plain(z)   P1: store.sc(z, 1); r0 = load.plain(x)
    // TSO: P0's x=1 and the release sit in the buffer while r0 reads z=0 and P1 reads x=0.
    // PSO: the release waits for x=1 to reach memory and P0's load comes after it, so if P0 reads
    // z=0 (before P1's sc store), x=1 is in memory when P1 loads x. The SB outcome (0, 0) is lost.
    const c = (value: number): IrExpr => ({ kind: 'const', value });
    const at = (loc: number) => ({ loc, index: c(0) });
    const releaseSb = (release: BareInstr): IrProgram =>
      buildIrProgram({
        locations: [{ name: 'x' }, { name: 'y' }, { name: 'z' }],
        threads: [
          { registers: 1, code: [{ kind: 'store', addr: at(0), value: c(1), mode: 'plain' }, release, { kind: 'load', dst: 0, addr: at(2), mode: 'plain' }] },
          { registers: 1, code: [{ kind: 'store', addr: at(2), value: c(1), mode: 'sc' }, { kind: 'load', dst: 0, addr: at(0), mode: 'plain' }] },
        ],
      });
    it.fails('TSO ⊆ PSO with a rel store (known gap: PSO flushes the buffers before a rel store, delaying later loads)', () => {
      const p = releaseSb({ kind: 'store', addr: at(1), value: c(1), mode: 'rel' });
      included(p, 'TSO', outcomes(p, 'tso'), 'PSO', outcomes(p, 'pso'));
    });
    it.fails('TSO ⊆ PSO with fence.rel (known gap: PSO flushes the buffers at fence.rel; TSO treats it as a no-op)', () => {
      const p = releaseSb({ kind: 'fence', mode: 'rel' });
      included(p, 'TSO', outcomes(p, 'tso'), 'PSO', outcomes(p, 'pso'));
    });
  });
}
