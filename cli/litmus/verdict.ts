/**
 * A litmus verdict (Allowed, Forbidden, ?, n/a) of one check result, and its table cell: the pure
 * part of the catalogue (cli/litmus/catalogue.ts re-exports it), which the HTML report and the
 * browser playground import too. Imports no `node:*` module.
 */
import { outcomesComplete } from '../../checker/verdict.js';
import type { CheckResult, ModelName } from '../../checker/api.js';

/** A verdict of one test under one model. */
export type LitmusVerdict = 'Allowed' | 'Forbidden' | '?' | 'n/a';

/** One model's answer for a test. */
export interface ModelVerdict {
  readonly model: ModelName;
  readonly verdict: LitmusVerdict;
  /** violation kinds other than the condition (e.g. 'race' under js) */
  readonly violations: readonly string[];
  readonly outcomes: number;
  readonly states: number;
  /** graph engine: complete executions (its states are 0: it stores none) */
  readonly executions?: number;
}

/** Is the condition's proposition reachable: Allowed (some final state satisfies it), Forbidden (a complete search found none), '?' (a budget stopped the search first), 'n/a' (the model does not cover the program, e.g. a release store under js: nothing was checked). */
export function litmusVerdict(r: Pick<CheckResult, 'condition' | 'budgetExhausted' | 'stats'>): LitmusVerdict {
  if (r.stats.unsupported !== undefined) return 'n/a';
  return (r.condition?.positive ?? 0) > 0 ? 'Allowed' : outcomesComplete(r.budgetExhausted) ? 'Forbidden' : '?';
}

/** The verdict of one check result (see the module comment). */
export function verdictOf(r: CheckResult): ModelVerdict {
  const verdict = litmusVerdict(r);
  const violations = [...new Set(r.violations.filter((v) => v.kind !== 'condition').map((v) => v.kind))];
  return { model: r.model, verdict, violations, outcomes: r.outcomes.length, states: r.stats.statesStored, ...(r.stats.engine === 'graph' ? { executions: r.stats.executions ?? 0 } : {}) };
}

/** A verdict for a table cell: with a ‡ when the model also reports a data race. */
export function verdictCell(v: ModelVerdict): string {
  return v.violations.includes('race') ? `${v.verdict} ‡` : v.verdict;
}

