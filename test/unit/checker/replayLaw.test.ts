/**
 * Law: every counterexample the checker reports replays, step for step, to the same final state —
 * on generated programs with asserts and division (so violations are common), under every model
 * and both search strategies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { arbIrProgram, seedFromEnv } from '../../arbitraries/irProgram.js';
import { assertReplayRoundTrip } from '../../support/laws.js';

const SEED = seedFromEnv(0x4e9a);

describe('replay law', () => {
  it('every reported violation replays to the same trace and final state', () => {
    console.log(`[replayLaw] fast-check seed ${SEED}`);
    let violations = 0;
    fc.assert(
      fc.property(arbIrProgram({ allowAsserts: true, allowDivision: true }), fc.constantFrom('sc', 'tso', 'pso', 'js'), fc.constantFrom('bfs', 'dfs'), (p, model, strategy) => {
        const options = { model, strategy, bufferBound: 8 } as const;
        const r = check(p, options);
        violations += r.violations.length;
        assertReplayRoundTrip(p, options, r);
      }),
      { seed: SEED, numRuns: 600 },
    );
    expect(violations).toBeGreaterThan(50);
  });
});
