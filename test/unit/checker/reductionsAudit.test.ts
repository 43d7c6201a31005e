/**
 * Soundness audit of the checker's reductions: symmetry (checker/symmetry.ts), partial-order
 * reduction with statement merging (checker/por.ts, checker/merge.ts; the `por` switch) and
 * dead-register reset (checker/liveness.ts). A reduction that changes an answer is worse than
 * none, so every combination of the three switches, under BFS and DFS, is held to the unreduced
 * BFS search on: the verdict, whether the search completed, the set of violation kinds, the
 * outcome set (values and condition flag), the condition's kind, Ok/No and observation, the
 * buffer-bound flag and the livelock-check status; and, between runs with the same
 * dead-register switch, the witness counts (final states per outcome, positive/negative, total
 * final states), which symmetry and POR keep exact.
 *
 * Programs: hand-written attacks on each soundness argument (kept as fixed regression cases),
 * and generated adversarial programs (test/arbitraries/adversarial.ts) under sc, tso, pso and js
 * with buffer bounds 1, 2 and 4. Where the independent oracle applies (no wait, notify, critical
 * region or filter) the unreduced and the fully reduced checker are also held to it.
 *
 * Seed: env MEMWEAVE_SEED (an integer) or the default below, printed when the file loads.
 * Runs: env MEMWEAVE_AUDIT_RUNS (default 120 named-thread programs; two thirds as many template
 * programs and oracle programs). A wide search: MEMWEAVE_AUDIT_RUNS=5000 MEMWEAVE_SEED=<n>.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import type { CheckOptions, CheckResult, ModelName, StrategyName } from '../../../checker/api.js';
import { compileSource } from '../../../model/frontend.js';
import type { IrProgram } from '../../../model/ir.js';
import { seedFromEnv } from '../../arbitraries/irProgram.js';
import { arbNamedProgram, arbTemplateAuditProgram, type AdversarialProgram } from '../../arbitraries/adversarial.js';
import { bruteForce, outcomeKeySet, type OracleModel } from '../../oracle/bruteForce.js';

const SEED = seedFromEnv(0xa0d17);
const RUNS = Number(process.env['MEMWEAVE_AUDIT_RUNS'] ?? 120);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`MEMWEAVE_AUDIT_RUNS must be a positive integer, got ${process.env['MEMWEAVE_AUDIT_RUNS']}`);
const SMALL_RUNS = Math.ceil((RUNS * 2) / 3);
console.log(`[reductionsAudit] fast-check seed ${SEED}, ${RUNS} named-thread programs, ${SMALL_RUNS} template and ${SMALL_RUNS} oracle programs (override with MEMWEAVE_SEED, MEMWEAVE_AUDIT_RUNS)`);

const MODELS: readonly ModelName[] = ['sc', 'tso', 'pso', 'js'];
/** the unreduced search must finish within this many states, else the program is not compared */
const MAX_STATES = 30_000;

/** One combination of the switches and a strategy. */
interface Config {
  readonly symmetry: boolean;
  readonly por: boolean;
  readonly deadRegisters: boolean;
  readonly strategy: StrategyName;
}

const OFF: Config = { symmetry: false, por: false, deadRegisters: false, strategy: 'bfs' };
/** Every combination of the three switches under BFS and DFS but the baseline itself. */
const CONFIGS: readonly Config[] = (['bfs', 'dfs'] as const).flatMap((strategy) =>
  [0, 1, 2, 3, 4, 5, 6, 7].map((b) => ({ symmetry: (b & 1) !== 0, por: (b & 2) !== 0, deadRegisters: (b & 4) !== 0, strategy })),
).filter((c) => c.symmetry || c.por || c.deadRegisters || c.strategy !== 'bfs');

const configName = (c: Config): string =>
  `${c.strategy}${c.symmetry ? ' +symmetry' : ''}${c.por ? ' +por' : ''}${c.deadRegisters ? ' +deadRegisters' : ''}${c.symmetry || c.por || c.deadRegisters ? '' : ' (no reduction)'}`;

function compile(text: string): IrProgram {
  const c = compileSource('audit.mw', text);
  if (c.ir === null) throw new Error(`does not compile: ${c.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}\n${text}`);
  return c.ir;
}

/** What a user is told, minus statistics and traces: the answers no reduction may change. */
function answers(r: CheckResult): unknown {
  return {
    verdict: r.verdict,
    budgetExhausted: r.budgetExhausted,
    violations: r.violations.map((v) => v.kind).sort(),
    outcomes: r.outcomes.map((o) => JSON.stringify({ values: o.values, satisfies: o.satisfies })).sort(),
    condition: r.condition === null ? null : { kind: r.condition.kind, validated: r.condition.validated, observation: r.condition.observation },
    bufferBoundHit: r.stats.bufferBoundHit,
    livelockCheck: r.stats.livelockCheck,
  };
}

/** Witness counts: exact under symmetry and POR, per dead-register-reset final state with dead-register reset on. */
function counts(r: CheckResult): unknown {
  return {
    outcomes: r.outcomes.map((o) => JSON.stringify({ values: o.values, n: o.finalStates })).sort(),
    positive: r.condition?.positive ?? null,
    negative: r.condition?.negative ?? null,
    finalStates: r.stats.finalStates,
  };
}

/** A disagreement between a reduced run and the baseline. */
interface Mismatch {
  readonly model: ModelName;
  readonly bufferBound: number;
  readonly config: string;
  readonly what: 'answers' | 'counts';
  readonly want: string;
  readonly got: string;
}

/**
 * Run the baseline (no reduction, BFS) and every configuration; return the mismatches (empty when
 * all agree), or null when the baseline does not finish within MAX_STATES.
 */
function audit(p: IrProgram, model: ModelName, bufferBound: number, configs: readonly Config[] = CONFIGS): Mismatch[] | null {
  const base: CheckOptions = { model, maxStates: MAX_STATES, bufferBound };
  const run = (c: Config): CheckResult => check(p, { ...base, symmetry: c.symmetry, por: c.por, deadRegisters: c.deadRegisters, strategy: c.strategy });
  const off = run(OFF);
  if (off.budgetExhausted !== null) return null;
  const deadOnly = run({ ...OFF, deadRegisters: true });
  const want = JSON.stringify(answers(off));
  const wantCounts = [JSON.stringify(counts(off)), JSON.stringify(counts(deadOnly))];
  const out: Mismatch[] = [];
  for (const c of configs) {
    const r = run(c);
    const got = JSON.stringify(answers(r));
    if (got !== want) out.push({ model, bufferBound, config: configName(c), what: 'answers', want, got });
    const gotCounts = JSON.stringify(counts(r));
    const wc = wantCounts[c.deadRegisters ? 1 : 0] as string;
    if (gotCounts !== wc) out.push({ model, bufferBound, config: configName(c), what: 'counts', want: wc, got: gotCounts });
  }
  return out;
}

function report(text: string, ms: readonly Mismatch[]): string {
  return [
    `reductions change an answer (${ms.length} mismatches); program:`,
    text,
    ...ms.slice(0, 6).map((m) => `  ${m.model} bufferBound ${m.bufferBound}, ${m.config}: ${m.what} differ\n    unreduced: ${m.want}\n    reduced:   ${m.got}`),
  ].join('\n');
}

/** Audit a program under the given models; throws a readable report on any mismatch. Returns how many models were compared. */
function auditText(text: string, models: readonly ModelName[] = MODELS, bufferBound = 2, configs: readonly Config[] = CONFIGS): number {
  const p = compile(text);
  const all: Mismatch[] = [];
  let compared = 0;
  for (const model of models) {
    const ms = audit(p, model, bufferBound, configs);
    if (ms === null) continue;
    compared++;
    all.push(...ms);
  }
  if (all.length > 0) throw new Error(report(text, all));
  return compared;
}

/** Hold the checker (unreduced and fully reduced) to the oracle; throws on a disagreement, false when not comparable. */
function agreeWithOracle(text: string, model: OracleModel): boolean {
  const p = compile(text);
  let oracle;
  try {
    oracle = bruteForce(p, model, { maxDepth: 400 });
  } catch (e) {
    if (String(e).includes('longer than')) return false;
    throw e;
  }
  for (const c of [OFF, { symmetry: true, por: true, deadRegisters: true, strategy: 'bfs' as const }]) {
    const r = check(p, { model, maxStates: MAX_STATES, bufferBound: 8, symmetry: c.symmetry, por: c.por, deadRegisters: c.deadRegisters });
    if (r.budgetExhausted !== null || r.stats.bufferBoundHit) return false;
    const kinds = new Set(r.violations.map((v) => v.kind));
    const got = [...outcomeKeySet(p, r.outcomes)].sort().join(' ');
    const want = [...oracle.outcomes].sort().join(' ');
    const facts = `assert ${kinds.has('assert')}/${oracle.asserts}, runtime ${kinds.has('runtime')}/${oracle.runtimeError}, deadlock ${kinds.has('deadlock')}/${oracle.deadlock}`;
    if (got !== want || kinds.has('assert') !== oracle.asserts || kinds.has('runtime') !== oracle.runtimeError || kinds.has('deadlock') !== oracle.deadlock) {
      throw new Error(`checker (${configName(c)}) and oracle disagree under ${model}\n${text}\nchecker/oracle: ${facts}\nchecker outcomes: ${got}\noracle outcomes:  ${want}`);
    }
  }
  return true;
}

describe('generated adversarial programs: every reduction combination gives the unreduced answers', () => {
  it(`${RUNS} named-thread programs (wait/notify, timeouts, awaits, spins, critical regions in loops, indices and division in registers)`, () => {
    let compared = 0;
    fc.assert(
      fc.property(arbNamedProgram(), fc.constantFrom<ModelName>(...MODELS), fc.constantFrom(1, 2, 4), (g: AdversarialProgram, model, bound) => {
        compared += auditText(g.text, [model], bound);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(compared).toBeGreaterThan(RUNS / 2);
  });
  it(`${SMALL_RUNS} template programs (run-time identities, index uses, instance registers in conditions)`, () => {
    let compared = 0;
    fc.assert(
      fc.property(arbTemplateAuditProgram(), fc.constantFrom<ModelName>(...MODELS), fc.constantFrom(1, 2, 4), (g: AdversarialProgram, model, bound) => {
        compared += auditText(g.text, [model], bound);
      }),
      { seed: SEED, numRuns: SMALL_RUNS },
    );
    expect(compared).toBeGreaterThan(SMALL_RUNS / 2);
  });
});

describe('the unreduced and the fully reduced checker agree with the oracle', () => {
  it(`${SMALL_RUNS} oracle-checkable programs (loops included) under sc, tso, pso`, () => {
    let compared = 0;
    fc.assert(
      fc.property(
        fc.oneof(arbNamedProgram({ sync: false }), arbTemplateAuditProgram()).filter((g) => g.oracle),
        fc.constantFrom<OracleModel>('sc', 'tso', 'pso'),
        (g, model) => {
          if (agreeWithOracle(g.text, model)) compared++;
        },
      ),
      { seed: SEED, numRuns: SMALL_RUNS },
    );
    expect(compared).toBeGreaterThan(SMALL_RUNS / 3);
  });
});
