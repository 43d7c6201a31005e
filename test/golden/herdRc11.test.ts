/**
 * herd7's own C regression tests, answered under RC11: our versions of herdtools7's
 * herd/tests/instructions/C tests (examples/herd/c-rc11/), which herd runs under
 * herd/libdir/rc11.cat (that folder's ci.cfg), against the outcome sets, witness counts and
 * Observation lines of herd's .expected files (herdtools7 master, herd/tests/instructions/C/*.expected).
 *
 * Witnesses: herd counts executions, and so does the graph engine. herd's Observation line counts
 * executions where the proposition holds / fails, as ours does (its Witnesses line swaps them for a
 * ~exists test: issue 17), so the Observation line is what is compared.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/check.js';
import { compileOrThrow } from '../support/programs.js';

interface HerdAnswer {
  /** herd's States lines, in our outcome naming (0:r0 → P0:r0, [y] → y), sorted */
  readonly states: readonly string[];
  readonly ok: boolean;
  /** herd's "Observation NAME <Never|Sometimes|Always> P N" */
  readonly observation: string;
}

const HERD: Record<string, HerdAnswer> = {
  C01: { states: ['P0:r0=1'], ok: true, observation: 'Always 1 0' },
  C02: { states: ['P0:r0=0 y=1'], ok: false, observation: 'Never 0 1' },
  C03: { states: ['y=1'], ok: true, observation: 'Always 1 0' },
  C13: { states: ['P0:r1=0 P0:r2=0 P1:r4=0'], ok: false, observation: 'Never 0 3' },
  C14: { states: ['y=2'], ok: true, observation: 'Always 2 0' },
  C15: { states: ['P1:r1=0 y=1', 'P1:r1=1 y=2'], ok: true, observation: 'Never 0 2' },
};

describe("herd7's C tests under rc11 (herd/libdir/rc11.cat)", () => {
  it.each(Object.entries(HERD))('%s: outcomes, Ok/No and Observation as herd prints them', (name, want) => {
    const path = `examples/herd/c-rc11/${name}.litmus`;
    const r = check(compileOrThrow(path, readFileSync(path, 'utf8')), { model: 'rc11' });
    const states = r.outcomes.map((o) => Object.entries(o.values).map(([k, v]) => `${k}=${v}`).join(' ')).sort();
    expect(states).toEqual([...want.states].sort());
    expect(r.condition?.validated).toBe(want.ok);
    const c = r.condition;
    expect(c === null ? '' : `${c.observation} ${c.positive} ${c.negative}`).toBe(want.observation);
  });
});
