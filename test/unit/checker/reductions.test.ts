/**
 * Reductions change no answer: with symmetry and partial-order reduction on (the default) and
 * off, the checker gives the same verdict, the same violation kinds, the same outcomes (values,
 * condition flag and final-state counts), the same condition verdict and witness counts, and the
 * same buffer-bound flag — on the whole catalogue (examples/**\/*.mw and the herd .litmus files)
 * under sc, tso, pso and js, on the lock examples at larger N/K, on generated loop-free IR
 * programs (test/arbitraries/irProgram.ts) and on generated template programs with loops, locks,
 * spin loops, awaits and index uses (test/arbitraries/templateProgram.ts). Counterexamples found
 * with reductions on replay to the same trace and show the violation they were recorded for.
 *
 * Also pinned: the reductions actually reduce (exact state counts with and without), symmetry
 * falls back when a template uses its index asymmetrically (bakery; scalarset.test.ts covers the
 * symmetric uses) or the condition names an instance's register, and
 * under symmetry without POR the orbit sizes add up to the unreduced state count exactly.
 *
 * Seed: env MEMWEAVE_SEED (an integer) or the default below, printed when the file loads.
 * Runs: env MEMWEAVE_REDUCTION_RUNS (default 1200 IR programs + 800 template programs).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { replay } from '../../../checker/replay.js';
import type { CheckOptions, CheckResult, ModelName } from '../../../checker/api.js';
import type { IrProgram } from '../../../model/ir.js';
import { arbIrProgram, describeProgram, seedFromEnv } from '../../arbitraries/irProgram.js';
import { arbTemplateProgram } from '../../arbitraries/templateProgram.js';
import { compileOrThrow as compile, walkFiles } from '../../support/programs.js';

const SEED = seedFromEnv(0x5e3d);
const RUNS = Number(process.env['MEMWEAVE_REDUCTION_RUNS'] ?? 1200);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`MEMWEAVE_REDUCTION_RUNS must be a positive integer, got ${process.env['MEMWEAVE_REDUCTION_RUNS']}`);
const TEMPLATE_RUNS = Math.ceil((RUNS * 2) / 3);
console.log(`[reductions] fast-check seed ${SEED}, ${RUNS} IR programs and ${TEMPLATE_RUNS} template programs (override with MEMWEAVE_SEED, MEMWEAVE_REDUCTION_RUNS)`);

const EXAMPLES = fileURLToPath(new URL('../../../examples', import.meta.url));
const MODELS: readonly ModelName[] = ['sc', 'tso', 'pso', 'js'];
/** a budget no catalogue or generated program reaches unreduced */
const MAX_STATES = 200_000;



/**
 * Everything a user is told, minus exploration statistics and trace details. Witness counts
 * (final states per outcome, positive/negative) are exact under symmetry and POR but count
 * final states modulo unobserved registers under dead-register reset (deadRegisters.ts), so they are
 * compared only when `counts`.
 */
function answers(r: CheckResult, counts: boolean): unknown {
  return {
    verdict: r.verdict,
    budgetExhausted: r.budgetExhausted,
    violations: r.violations.map((v) => v.kind),
    outcomes: counts ? r.outcomes : r.outcomes.map((o) => ({ values: o.values, satisfies: o.satisfies })),
    condition: r.condition === null ? null : counts ? r.condition : { kind: r.condition.kind, validated: r.condition.validated, observation: r.condition.observation },
    bufferBoundHit: r.stats.bufferBoundHit,
    ...(counts ? { finalStates: r.stats.finalStates } : {}),
  };
}

/** Every violation's replay token reproduces its trace, and shows the violation (livelock: the token records it). */
function assertReplays(p: IrProgram, options: CheckOptions, r: CheckResult, what: string): void {
  for (const v of r.violations) {
    const rr = replay(p, options, v.replay);
    if (!rr.ok) throw new Error(`${what}: replay of the ${v.kind} counterexample failed: ${rr.error}`);
    expect(rr.trace, `${what}: ${v.kind} trace replays`).toEqual(v.trace);
    expect(rr.finalState, `${what}: ${v.kind} final state replays`).toEqual(v.finalState);
    if (v.kind !== 'livelock') expect(rr.observed, `${what}: ${v.kind} is observed at the end of its trace`).toBe(v.kind);
  }
}

/** A combination of the reduction switches. */
interface Config {
  readonly symmetry: boolean;
  readonly por: boolean;
  readonly deadRegisters: boolean;
}
/** Everything on (the default), then each reduction alone and symmetry with POR (witness counts exact without dead-register reset). */
const ALL_ON: Config = { symmetry: true, por: true, deadRegisters: true };
const SYM_POR: Config = { symmetry: true, por: true, deadRegisters: false };
const CONFIGS: readonly Config[] = [ALL_ON, SYM_POR, { symmetry: true, por: false, deadRegisters: false }, { symmetry: false, por: true, deadRegisters: false }, { symmetry: false, por: false, deadRegisters: true }];

/**
 * Throws (with a readable report) unless every configuration gives the unreduced answers; returns
 * the results, or null when the unreduced search does not fit MAX_STATES (nothing to compare).
 */
function sameAnswersIfSmall(p: IrProgram, model: ModelName, what: string, configs: readonly Config[] = CONFIGS, extra: Partial<CheckOptions> = {}): { off: CheckResult; on: CheckResult[] } | null {
  // the stateful search's reductions: js too is asked of it (its default route may answer with the graph engine)
  const base: CheckOptions = { model, engine: 'state', maxStates: MAX_STATES, ...extra };
  const off = check(p, { ...base, symmetry: false, por: false, deadRegisters: false });
  if (off.budgetExhausted !== null) return null;
  const on: CheckResult[] = [];
  for (const c of configs) {
    const r = check(p, { ...base, ...c });
    const want = JSON.stringify(answers(off, !c.deadRegisters));
    const got = JSON.stringify(answers(r, !c.deadRegisters));
    if (got !== want) {
      throw new Error(`${what} under ${model} with ${JSON.stringify(c)}: answers differ\nunreduced: ${want}\nreduced:   ${got}\nstats: ${JSON.stringify(r.stats)}`);
    }
    assertReplays(p, { ...base, ...c }, r, `${what} under ${model} (${JSON.stringify(c)})`);
    on.push(r);
  }
  return { off, on };
}

/** `sameAnswersIfSmall` for programs known to be small: an incomplete unreduced search is an error. */
function sameAnswers(p: IrProgram, model: ModelName, what: string, configs: readonly Config[] = CONFIGS, extra: Partial<CheckOptions> = {}): { off: CheckResult; on: CheckResult[] } {
  const r = sameAnswersIfSmall(p, model, what, configs, extra);
  if (r === null) throw new Error(`${what} under ${model}: the unreduced search passes ${MAX_STATES} states; make the program smaller`);
  return r;
}

describe('reductions on the catalogue', () => {
  const files = walkFiles(EXAMPLES).filter((f) => f.endsWith('.mw') || f.endsWith('.litmus'));
  it('finds the catalogue', () => {
    expect(files.length).toBeGreaterThan(50);
  });
  it('every example and litmus test: same answers with reductions on and off, under every model', () => {
    const tooBig: string[] = [];
    let compared = 0;
    for (const f of files) {
      const name = relative(EXAMPLES, f);
      const p = compile(name, readFileSync(f, 'utf8'));
      for (const model of MODELS) {
        if (sameAnswersIfSmall(p, model, name, [ALL_ON, SYM_POR]) === null) tooBig.push(`${name} ${model}`);
        else compared++;
      }
    }
    if (tooBig.length > 0) console.log(`[reductions] unreduced search over ${MAX_STATES} states, not compared: ${tooBig.join(', ')}`);
    expect(compared).toBeGreaterThan(files.length * 3);
  });
  it('lock examples at larger N and K: same answers in every combination of the switches', () => {
    const all = ['sc', 'tso', 'pso'] as const;
    const cases: [string, Record<string, number>, readonly ModelName[]][] = [
      ['locks/ticket.mw', { N: 3, K: 2 }, all],
      ['locks/tas.mw', { N: 3, K: 1 }, all],
      ['locks/ttas.mw', { N: 3, K: 1 }, all],
      ['locks/peterson.mw', { K: 2 }, ['sc', 'tso']],
      ['locks/peterson_fenced.mw', { K: 2 }, ['sc', 'tso']],
      ['locks/peterson_pso.mw', { K: 2 }, ['sc', 'tso']],
    ];
    for (const [name, defines, models] of cases) {
      const p = compile(name, readFileSync(join(EXAMPLES, name), 'utf8'), defines);
      // bufferBound 2 keeps the unreduced searches small
      for (const model of models) sameAnswers(p, model, `${name} ${JSON.stringify(defines)}`, CONFIGS, { bufferBound: 2 });
    }
  });
});

describe('reductions reduce, and say so', () => {
  const ticket = compile('ticket.mw', readFileSync(join(EXAMPLES, 'locks/ticket.mw'), 'utf8'), { N: 3, K: 2 });
  it('ticket lock N=3 K=2 under sc: exact state counts with each switch', () => {
    const { off, on } = sameAnswers(ticket, 'sc', 'ticket');
    const [all, symPor, symOnly, porOnly, deadOnly] = on as [CheckResult, CheckResult, CheckResult, CheckResult, CheckResult];
    expect(off.stats.statesStored).toBe(40443);
    expect(off.stats).toMatchObject({ symmetry: 'off (--no-symmetry)', por: 'off (--no-por)', porPruned: 0, deadRegisters: 'off (--no-dead-registers)' });
    expect(symOnly.stats).toMatchObject({ symmetry: 'on', por: 'off (--no-por)', statesStored: 6779 });
    // with POR off, the orbits of the stored representatives are exactly the unreduced state space
    expect(symOnly.stats.symmetryStates).toBe(off.stats.statesStored);
    expect(porOnly.stats).toMatchObject({ symmetry: 'off (--no-symmetry)', por: 'on', statesStored: 3865 });
    // with statement merging (part of POR) the local steps ample sets used to take are merged instead
    expect(porOnly.stats.mergedSteps).toBeGreaterThan(0);
    expect(symPor.stats).toMatchObject({ symmetry: 'on', por: 'on', statesStored: 653 });
    expect(deadOnly.stats).toMatchObject({ deadRegisters: 'on', statesStored: deadOnly.stats.statesStored });
    expect(deadOnly.stats.statesStored).toBeLessThan(off.stats.statesStored);
    expect(all.stats).toMatchObject({ symmetry: 'on', por: 'on', deadRegisters: 'on' });
    expect(all.stats.statesStored).toBeLessThan(symPor.stats.statesStored);
  });
  it('symmetry falls back when the template uses its index asymmetrically (bakery)', () => {
    const p = compile('bakery.mw', readFileSync(join(EXAMPLES, 'locks/bakery.mw'), 'utf8'));
    const r = check(p, { model: 'sc' });
    expect(r.stats.symmetry).toMatch(/^off \(template T uses its index: it orders thread indices: /);
    expect(r.stats.symmetryStates).toBeUndefined();
  });
  it('symmetry falls back when the condition names an instance register', () => {
    const p = compile('t.mw', 'shared x = 0;\nthread T[i in 0..2] { r = fetch_add.sc(x, 1); }\nexists (T[0]:r = 1)\n');
    const r = check(p, { model: 'sc' });
    expect(r.stats.symmetry).toBe('off (the condition or outcomes name registers of T[0])');
    expect(check(p, { model: 'sc', symmetry: false }).outcomes).toEqual(r.outcomes);
  });
  it('named threads only: symmetry n/a', () => {
    const p = compile('t.mw', 'shared x = 0;\nthread P { store.sc(x, 1); }\nthread Q { store.sc(x, 2); }\n');
    expect(check(p, { model: 'sc' }).stats.symmetry).toBe('n/a');
  });
  it('a mutual-exclusion counterexample found on representatives replays on the real program', () => {
    const p = compile('nolock.mw', 'shared x = 0;\nthread T[i in 0..3] { critical { c = load.sc(x); store.sc(x, c + 1); } }\nforall (x = 3)\n');
    const r = check(p, { model: 'tso' });
    expect(r.stats.symmetry).toBe('on');
    // the search continues past the violating step, so the lost update is reached
    expect(r.violations.map((v) => v.kind)).toEqual(['mutex', 'condition']);
    assertReplays(p, { model: 'tso' }, r, 'nolock');
  });
});

describe('reductions on generated programs', () => {
  it(`${RUNS} loop-free IR programs (asserts, assumes, division): sc, tso, pso, js`, () => {
    fc.assert(
      fc.property(arbIrProgram({ allowAsserts: true, allowDivision: true }), fc.constantFrom<ModelName>(...MODELS), (p, model) => {
        try {
          sameAnswers(p, model, 'generated', [ALL_ON, SYM_POR], { bufferBound: 2 });
        } catch (e) {
          throw new Error(`${(e as Error).stack ?? String(e)}\n${describeProgram(p)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
  it(`${TEMPLATE_RUNS} template programs with loops, locks, spins and index uses: sc, tso, pso, js`, () => {
    let symmetric = 0;
    let fallback = 0;
    let tooBig = 0;
    fc.assert(
      fc.property(arbTemplateProgram(), fc.constantFrom<ModelName>(...MODELS), (g, model) => {
        const p = compile('generated.mw', g.text);
        try {
          const r = sameAnswersIfSmall(p, model, 'generated', [ALL_ON, SYM_POR], { bufferBound: 2 });
          if (r === null) tooBig++;
          else if (r.on[0]?.stats.symmetry === 'on') symmetric++;
          else fallback++;
        } catch (e) {
          throw new Error(`${(e as Error).stack ?? String(e)}\n${g.text}`);
        }
      }),
      { seed: SEED, numRuns: TEMPLATE_RUNS },
    );
    // both paths are exercised, and few programs are too big to compare
    expect(tooBig).toBeLessThan(TEMPLATE_RUNS / 20);
    expect(symmetric).toBeGreaterThan(TEMPLATE_RUNS / 10);
    expect(fallback).toBeGreaterThan(TEMPLATE_RUNS / 10);
  });
});
