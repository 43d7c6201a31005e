/**
 * `memweave check --measure-reductions`: how much each reduction saves, measured, not estimated.
 *
 * The check runs once with every reduction on (the answer the command reports), then once with
 * each reduction off in turn (symmetry, partial order with statement merging, dead registers),
 * then with all of them off, under the same budgets. The table gives, per run, the verdict, the
 * states stored and the time, and the factor by which the states stored exceed the all-on run's;
 * a run stopped by a budget gives a lower bound ("≥"). The statistics of one run (symmetryStates,
 * porPruned, mergedSteps, deadCleared) say what a reduction did; only the runs without it say
 * what it saved.
 *
 * It is also a self-check: runs that completed must give the same answer (verdict, violation
 * kinds, outcomes). If they do not, that is a bug in memweave, reported as such (exit 70).
 */
import type { CheckFn, CheckOptions, CheckResult } from '../checker/api.js';

/** One configuration of the reductions. */
export interface ReductionConfig {
  readonly label: string;
  readonly options: Pick<CheckOptions, 'symmetry' | 'por' | 'deadRegisters'>;
}

/** The configurations measured, the first being the default (every reduction on). */
export const REDUCTION_CONFIGS: readonly ReductionConfig[] = [
  { label: 'all on', options: {} },
  { label: 'without symmetry', options: { symmetry: false } },
  { label: 'without partial order', options: { por: false } },
  { label: 'without dead registers', options: { deadRegisters: false } },
  { label: 'all off', options: { symmetry: false, por: false, deadRegisters: false } },
];

/** One measured run. */
export interface ReductionRun {
  readonly configuration: string;
  readonly verdict: CheckResult['verdict'];
  readonly budgetExhausted: CheckResult['budgetExhausted'];
  readonly statesStored: number;
  readonly transitions: number;
  readonly ms: number;
  /** states stored over the all-on run's (a lower bound when this run stopped at a budget); null when the all-on run itself stopped at one */
  readonly factor: number | null;
}

/** The runs of one model, and whether the completed ones agree. */
export interface ReductionMeasurement {
  readonly runs: readonly ReductionRun[];
  /** null when every completed run gave the all-on run's answer; else what differs */
  readonly disagreement: string | null;
}

/** What must be equal between two complete runs. */
function answer(r: CheckResult): string {
  const kinds = [...new Set(r.violations.map((v) => v.kind))].sort();
  const outcomes = r.outcomes.map((o) => JSON.stringify(o.values)).sort();
  return JSON.stringify({ verdict: r.verdict, kinds, outcomes });
}

/**
 * Measure the reductions for one model: `first` is the all-on result already computed with
 * `options` (so it is not run twice); the other configurations run with the same options.
 */
export function measureReductions(check: CheckFn, program: Parameters<CheckFn>[0], options: CheckOptions, first: CheckResult): ReductionMeasurement {
  const results: CheckResult[] = [first];
  for (const c of REDUCTION_CONFIGS.slice(1)) results.push(check(program, { ...options, ...c.options }));
  return measurementOf(results);
}

/** The measurement of runs already made, one per REDUCTION_CONFIGS entry in its order (the first: all on). */
export function measurementOf(results: readonly CheckResult[]): ReductionMeasurement {
  const first = results[0];
  if (first === undefined) return { runs: [], disagreement: null };
  const base = first.stats.statesStored;
  const runs = results.map((r, i) => ({
    configuration: REDUCTION_CONFIGS[i]?.label ?? '?',
    verdict: r.verdict,
    budgetExhausted: r.budgetExhausted,
    statesStored: r.stats.statesStored,
    transitions: r.stats.transitions,
    ms: r.stats.ms,
    factor: first.verdict === 'inconclusive' || base === 0 ? null : r.stats.statesStored / base,
  }));
  let disagreement: string | null = null;
  if (first.verdict !== 'inconclusive') {
    const want = answer(first);
    results.forEach((r, i) => {
      if (disagreement === null && r.verdict !== 'inconclusive' && answer(r) !== want) {
        disagreement = `${REDUCTION_CONFIGS[i]?.label ?? '?'} gives ${answer(r)} where all on gives ${want}`;
      }
    });
  }
  return { runs, disagreement };
}

/** The text table of a measurement. */
export function renderReductionTable(model: string, m: ReductionMeasurement): string {
  const rows = m.runs.map((r) => {
    const lower = r.verdict === 'inconclusive' ? '≥ ' : '';
    return [
      r.configuration,
      r.verdict === 'inconclusive' ? `inconclusive (${r.budgetExhausted ?? 'budget'})` : r.verdict,
      `${lower}${r.statesStored}`,
      `${r.ms.toFixed(1)} ms`,
      r.factor === null ? '-' : `${lower}${r.factor < 10 ? r.factor.toFixed(2) : r.factor.toFixed(0)}×`,
    ];
  });
  const header = ['configuration', 'verdict', 'states stored', 'time', 'states vs all on'];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const lines = all.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd());
  return `Reductions measured (${model}; each run with the same budgets):\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}
