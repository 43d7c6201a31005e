/**
 * The comparison behind `memweave conform` and the playground's Run view: a run's histogram
 * against a check's allowed set (observed ⊆ allowed?). Pure (no Node module): the browser
 * playground reaches it (test/arch's browser rule).
 */
import type { IrProgram } from '../model/ir.js';
import { formatOutcome, outcomeKey, valuesFromNamed } from '../model/outcome.js';
import type { CheckResult, ModelName } from '../checker/api.js';
import type { RunResult } from '../impl/protocol.js';

/** What the comparison needs of a check: its model, verdict, outcomes and violation kinds (a CheckResult, or the playground's row of one). */
export interface ConformanceInput {
  readonly model: ModelName;
  readonly verdict: CheckResult['verdict'];
  readonly outcomes: readonly { readonly values: Readonly<Record<string, number>> }[];
  readonly violations: readonly { readonly kind: string }[];
  /** the check's `stats.unsupported`: the model does not model this program (S316: mixed-size accesses under pso), so it was not checked */
  readonly stats?: { readonly unsupported?: string };
}

/** The comparison of one model's allowed set with the observations. */
export interface Conformance {
  readonly model: ModelName;
  readonly consistent: boolean;
  /** observed outcomes the model forbids, with counts */
  readonly forbidden: readonly { readonly outcome: string; readonly values: readonly number[]; readonly count: number }[];
  /** allowed outcomes never observed */
  readonly unobserved: readonly { readonly outcome: string; readonly values: readonly number[] }[];
  readonly allowed: number;
  readonly observedAllowed: number;
  /** observedAllowed / allowed */
  readonly coverage: number;
  readonly verdict: CheckResult['verdict'];
  /** js only: the program has a data race, so JavaScript promises it no SC: its allowed set is the ECMAScript model's (checker/check.ts, the SC-DRF route) */
  readonly racy: boolean;
  /** why the model was not checked (it does not model the program: S316), or null; such a row is neither consistent nor not, and no verdict counts it */
  readonly notModelled: string | null;
}

/** Compare a run's histogram with a check result's outcome set. */
export function conformance(program: IrProgram, run: Pick<RunResult, 'histogram'>, checked: ConformanceInput): Conformance {
  const notModelled = checked.stats?.unsupported ?? null;
  if (notModelled !== null) {
    return { model: checked.model, consistent: true, forbidden: [], unobserved: [], allowed: 0, observedAllowed: 0, coverage: 0, verdict: checked.verdict, racy: false, notModelled };
  }
  const allowed = new Map<string, number[]>();
  for (const o of checked.outcomes) {
    const values = valuesFromNamed(program, o.values);
    allowed.set(outcomeKey(values), values);
  }
  const forbidden: { outcome: string; values: number[]; count: number }[] = [];
  let observedAllowed = 0;
  for (const [key, count] of run.histogram) {
    const values = JSON.parse(key) as number[];
    if (allowed.has(key)) observedAllowed++;
    else forbidden.push({ outcome: formatOutcome(program, values), values, count });
  }
  const unobserved = [...allowed.entries()].filter(([k]) => !run.histogram.has(k)).map(([, values]) => ({ outcome: formatOutcome(program, values), values }));
  return {
    model: checked.model,
    consistent: forbidden.length === 0,
    forbidden,
    unobserved,
    allowed: allowed.size,
    observedAllowed,
    coverage: allowed.size === 0 ? 1 : observedAllowed / allowed.size,
    verdict: checked.verdict,
    // (only a model that checks races reports one)
    racy: checked.violations.some((v) => v.kind === 'race'),
    notModelled: null,
  };
}

/** The text `memweave conform` prints for one model (and the playground's Run view shows). */
export function renderOne(t: Conformance): string {
  if (t.notModelled !== null) return `conform ${t.model}: NOT CHECKED — ${t.notModelled}\n`;
  const out: string[] = [];
  if (t.racy) {
    out.push(`conform ${t.model}: the program has a data race under js, so JavaScript gives it no SC guarantee; the comparison below uses the ECMAScript model's outcomes, weak ones included`);
  }
  if (t.consistent) {
    out.push(`conform ${t.model}: CONSISTENT — every observed outcome is allowed by ${t.model}`);
  } else {
    out.push(`conform ${t.model}: FAIL — observed outcome${t.forbidden.length === 1 ? '' : 's'} that ${t.model} forbids:`);
    for (const f of t.forbidden) out.push(`  ${f.outcome}  seen ${f.count} time${f.count === 1 ? '' : 's'}`);
  }
  out.push(`coverage: ${t.observedAllowed}/${t.allowed} allowed outcomes observed (${(t.coverage * 100).toFixed(0)}%)`);
  for (const u of t.unobserved) out.push(`  info: allowed but not observed: ${u.outcome}`);
  return out.join('\n') + '\n';
}
