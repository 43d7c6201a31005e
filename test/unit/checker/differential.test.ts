/**
 * Differential tests: the checker (checker/check.ts) against the independent brute-force oracle
 * (test/oracle/bruteForce.ts) on generated loop-free programs. For each of sc, tso and pso the
 * checker's outcome set must equal the oracle's exactly, and the two must agree on whether an
 * assert can fail, a runtime error can happen, and a deadlock can be reached. The js model must
 * give the sc outcomes.
 *
 * Seed: env MEMWEAVE_SEED (an integer) or the default below; it is printed when the file loads and
 * fast-check prints it with the shrunk counterexample on failure. Runs per property: env
 * MEMWEAVE_DIFF_RUNS (default 2000) for the main properties.
 *
 * The checker keeps exploring after a violation, so outcome sets must be equal even when some
 * execution fails an assert or hits a runtime error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import type { CheckResult, ModelName } from '../../../checker/api.js';
import type { IrProgram } from '../../../model/ir.js';
import { arbIrProgram, arbScOnlyProgram, describeProgram, seedFromEnv } from '../../arbitraries/irProgram.js';
import type { OracleModel, OracleResult } from '../../oracle/bruteForce.js';
import { bruteForce, outcomeKeySet } from '../../oracle/bruteForce.js';

const SEED = seedFromEnv(0x6d77);
const RUNS = Number(process.env['MEMWEAVE_DIFF_RUNS'] ?? 2000);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`MEMWEAVE_DIFF_RUNS must be a positive integer, got ${process.env['MEMWEAVE_DIFF_RUNS']}`);
console.log(`[differential] fast-check seed ${SEED}, ${RUNS} runs per model (override with MEMWEAVE_SEED, MEMWEAVE_DIFF_RUNS)`);

/** Large enough that no generated program (≤ 4 stores per thread) reaches it. */
const BUFFER_BOUND = 8;

function runChecker(p: IrProgram, model: ModelName): CheckResult {
  // the stateful search is held to the oracle (js's default route may answer with the graph engine)
  return check(p, { model, engine: 'state', bufferBound: BUFFER_BOUND });
}

const sorted = (s: Set<string>): string[] => [...s].sort();

/** A readable report of a disagreement (thrown so fast-check shrinks and prints it with the seed). */
function mismatch(p: IrProgram, model: string, what: string, oracle: OracleResult, res: CheckResult): Error {
  return new Error(
    [
      `checker and oracle disagree on ${what} under ${model}`,
      describeProgram(p),
      `oracle:  outcomes ${sorted(oracle.outcomes).join(' ')}; asserts ${oracle.asserts}, runtime ${oracle.runtimeError}, deadlock ${oracle.deadlock}`,
      `checker: outcomes ${sorted(outcomeKeySet(p, res.outcomes)).join(' ')}; verdict ${res.verdict}; violations ${res.violations.map((v) => `${v.kind}: ${v.message}`).join(' | ') || 'none'}`,
    ].join('\n'),
  );
}

/** Hold the checker to the oracle on one program and model. */
function agree(p: IrProgram, model: OracleModel): void {
  const oracle = bruteForce(p, model);
  const res = runChecker(p, model);
  if (res.budgetExhausted !== null) throw mismatch(p, model, `completeness (budget ${res.budgetExhausted} exhausted)`, oracle, res);
  if (res.stats.bufferBoundHit) throw mismatch(p, model, 'the buffer bound (hit)', oracle, res);
  const kinds = new Set(res.violations.map((v) => v.kind));
  if (kinds.has('assert') !== oracle.asserts) throw mismatch(p, model, 'assert violations', oracle, res);
  if (kinds.has('runtime') !== oracle.runtimeError) throw mismatch(p, model, 'runtime errors', oracle, res);
  if (kinds.has('deadlock') !== oracle.deadlock) throw mismatch(p, model, 'deadlock', oracle, res);
  const got = outcomeKeySet(p, res.outcomes);
  if (sorted(got).join(' ') !== sorted(oracle.outcomes).join(' ')) throw mismatch(p, model, 'outcomes', oracle, res);
}

describe('checker agrees with the brute-force oracle', () => {
  for (const model of ['sc', 'tso', 'pso'] as const) {
    it(`${model}: same outcome set on ${RUNS} generated programs`, () => {
      fc.assert(
        fc.property(arbIrProgram(), (p) => agree(p, model)),
        { seed: SEED, numRuns: RUNS },
      );
    });
  }

  it('sc, tso, pso: same verdicts and outcomes on programs with asserts, assumes and division', () => {
    fc.assert(
      fc.property(arbIrProgram({ allowAsserts: true, allowDivision: true }), fc.constantFrom<OracleModel>('sc', 'tso', 'pso'), (p, model) => agree(p, model)),
      { seed: SEED, numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('sc, tso, pso: same outcomes on plain-only programs without RMWs or fences (the most weak behaviour)', () => {
    fc.assert(
      fc.property(arbIrProgram({ modes: ['plain'], allowRmw: false, allowFences: false }), fc.constantFrom<OracleModel>('sc', 'tso', 'pso'), (p, model) => agree(p, model)),
      { seed: SEED, numRuns: Math.ceil(RUNS / 4) },
    );
  });

  it('tso, pso: same outcomes on store-heavy programs with rel stores and rel/acq_rel fences (pso StoreStore barriers)', () => {
    fc.assert(
      fc.property(arbIrProgram({ modes: ['plain', 'rel', 'acq_rel'], allowRmw: false, maxThreads: 2, maxInstrs: 5 }), fc.constantFrom<OracleModel>('tso', 'pso'), (p, model) => agree(p, model)),
      { seed: SEED, numRuns: Math.ceil(RUNS / 4) },
    );
  });
});

describe('the js model gives the sc outcomes', () => {
  it(`on ${RUNS} generated programs`, () => {
    fc.assert(
      fc.property(arbIrProgram(), (p) => {
        const js = outcomeKeySet(p, runChecker(p, 'js').outcomes);
        const sc = outcomeKeySet(p, runChecker(p, 'sc').outcomes);
        if (sorted(js).join(' ') !== sorted(sc).join(' ')) {
          throw new Error(`js and sc outcomes differ\n${describeProgram(p)}\njs: ${sorted(js).join(' ')}\nsc: ${sorted(sc).join(' ')}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('on sc-only programs, against the oracle', () => {
    fc.assert(
      fc.property(arbScOnlyProgram(), (p) => {
        const js = outcomeKeySet(p, runChecker(p, 'js').outcomes);
        expect(sorted(js)).toEqual(sorted(bruteForce(p, 'sc').outcomes));
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 4) },
    );
  });
});
