/**
 * The ECMAScript memory model's published and derived verdicts (examples/js/expected.json, with
 * each test's source: the PLDI 2020 artifact's labelled tests, tc39/ecma262 issues, or a
 * derivation from the clauses in examples/js/VERDICTS.md), under js (the repaired model) and
 * js2017 (the ES2017 rules). An `exists` verdict is read off the condition: Ok = Allowed.
 *
 * Final memory is what a SeqCst read after joining every agent may read (examples/js/VERDICTS.md).
 * The tests whose answer needs executions the graph explorer does not build (a po ∪ rf cycle: LB,
 * LB+sc under js2017; an RMW racing with Unordered writes: RMW-race-plain, SCDRF-dagger,
 * CAS-fail-2231) are decided by checker/beyondPorf.ts's enumeration; `BEYOND` pins that they are,
 * so that a change routing them elsewhere shows. INCONCLUSIVE holds a file/model pair whose answer
 * is inconclusive, with the reason the check must give (none today).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/check.js';
import { compileOrThrow } from '../support/programs.js';

type Verdict = 'Allowed' | 'Forbidden';
const EXPECTED = JSON.parse(readFileSync('examples/js/expected.json', 'utf8')) as Record<string, { js: Verdict; js2017: Verdict; source: string }>;

/** file/model pairs whose answer is inconclusive today, with the reason the check gives */
const INCONCLUSIVE: Record<string, RegExp> = {};

/** file/model pairs that need the enumeration of executions beyond po ∪ rf (stats.beyondPorf present, and some of them consistent where the verdict is Allowed only through them) */
const BEYOND = new Set(['LB.mw/js', 'LB.mw/js2017', 'LB+sc.mw/js2017', 'CAS-fail-2231.mw/js', 'CAS-fail-2231.mw/js2017', 'RMW-atomicity.mw/js2017', 'RMW-race-plain.mw/js', 'RMW-race-plain.mw/js2017', 'SCDRF-dagger.mw/js', 'SCDRF-dagger.mw/js2017']);

describe('the ECMAScript memory model: examples/js against their published verdicts', () => {
  expect(Object.keys(EXPECTED).length).toBeGreaterThanOrEqual(29);
  for (const [file, want] of Object.entries(EXPECTED)) {
    for (const model of ['js', 'js2017'] as const) {
      const key = `${file}/${model}`;
      const run = () => {
        const path = `examples/js/${file}`;
        return check(compileOrThrow(path, readFileSync(path, 'utf8')), { model, engine: 'graph' });
      };
      const inconclusive = INCONCLUSIVE[key];
      if (inconclusive !== undefined) {
        it(`${key}: inconclusive, saying why (published: ${want[model]})`, () => {
          const r = run();
          // never a pass; a race found is still a violation (fail), and the condition is undecided
          expect(r.verdict).not.toBe('pass');
          expect(r.budgetExhausted).toBe('unexplored');
          expect(r.stats.unexplored ?? '').toMatch(inconclusive);
        });
        continue;
      }
      it(`${key}: ${want[model]}`, () => {
        const r = run();
        expect(r.budgetExhausted).toBeNull();
        expect(r.condition?.kind).toBe('exists');
        expect(r.condition?.validated ? 'Allowed' : 'Forbidden').toBe(want[model]);
        expect(r.stats.beyondPorf !== undefined, `${key}: decided with the enumeration beyond po ∪ rf`).toBe(BEYOND.has(key));
      });
    }
  }
});
