/**
 * Shared by `run`, `conform` and `report`: run a program on real workers with SIGINT and SIGTERM
 * wired to abort (every worker is terminated before the command reports; cli/interrupt.ts), and
 * render litmus7-style output.
 */
import type { IrProgram } from '../model/ir.js';
import { conditionVerdict, evalCondOnValues, formatOutcome, herdTestKind } from '../model/outcome.js';
import { runOnWorkers, type RunOptions, type RunResult } from '../impl/harness.js';
import { watchStopSignals, type SignalSource, type StopSignal } from './interrupt.js';

/**
 * Run on workers; SIGINT or SIGTERM from `signals` aborts the run (workers terminated) instead of
 * killing the process mid-run; `signal` says which one did.
 */
export async function runWithInterrupt(program: IrProgram, options: RunOptions, signals: SignalSource | undefined): Promise<{ result: RunResult; interrupted: boolean; signal: StopSignal | null }> {
  const ac = new AbortController();
  const watch = watchStopSignals(signals, ac);
  try {
    const result = await runOnWorkers(program, { ...options, signal: ac.signal });
    const signal = watch.signal();
    return { result, interrupted: signal !== null, signal };
  } finally {
    watch.dispose();
  }
}

/** One histogram row: the outcome's values, its count, and whether it satisfies the condition. */
export interface HistogramRow {
  readonly values: readonly number[];
  readonly count: number;
  readonly satisfies: boolean | null;
}

/** Histogram rows in a stable order (by values). */
export function histogramRows(program: IrProgram, result: RunResult): HistogramRow[] {
  const rows: HistogramRow[] = [];
  for (const [key, count] of result.histogram) {
    const values = JSON.parse(key) as number[];
    const satisfies = program.condition === null ? null : evalCondOnValues(program, program.condition.cond, values);
    rows.push({ values, count, satisfies });
  }
  rows.sort((a, b) => {
    for (let i = 0; i < Math.max(a.values.length, b.values.length); i++) {
      const d = (a.values[i] ?? 0) - (b.values[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
  return rows;
}

/** litmus7's summary numbers: positive / negative counts and the Observation word. */
export function observation(program: IrProgram, rows: readonly HistogramRow[]): { positive: number; negative: number; word: 'Never' | 'Sometimes' | 'Always'; validated: boolean | null } {
  let positive = 0;
  let negative = 0;
  for (const r of rows) {
    if (r.satisfies === true) positive += r.count;
    else negative += r.count;
  }
  const q = program.condition?.quantifier ?? 'exists';
  const { validated, observation: word } = conditionVerdict(q, positive, negative);
  return { positive, negative, word, validated: program.condition === null ? null : validated };
}

/** Render a run like litmus7: histogram, Ok/No, witnesses, Observation, time, violations, hang. */
export function renderRun(program: IrProgram, result: RunResult, seed: number): string {
  const rows = histogramRows(program, result);
  const obs = observation(program, rows);
  const out: string[] = [];
  out.push(`Test ${program.name}${program.condition !== null ? ` ${herdTestKind(program.condition.quantifier)}` : ''}`);
  out.push(`Histogram (${rows.length} states)`);
  const width = Math.max(1, ...rows.map((r) => String(r.count).length));
  for (const r of rows) {
    out.push(`${String(r.count).padStart(width)} ${r.satisfies === true ? '*>' : ':>'}${formatOutcome(program, r.values)}`);
  }
  if (program.condition !== null) {
    out.push(obs.validated === true ? 'Ok' : 'No');
    out.push('');
    out.push('Witnesses');
    out.push(`Positive: ${obs.positive}, Negative: ${obs.negative}`);
    out.push(`Condition ${program.condition.text} is ${obs.validated === true ? 'validated' : 'NOT validated'}`);
    out.push(`Observation ${program.name} ${obs.word} ${obs.positive} ${obs.negative}`);
  }
  const secs = result.ms / 1000;
  out.push(`Time ${program.name} ${secs.toFixed(2)}`);
  const notes = [...(result.pruned > 0 ? [`${result.pruned} discarded by assume`] : []), ...(result.cut > 0 ? [`${result.cut} cut short by a violation, not in the histogram`] : [])];
  const of = result.stop === 'done' ? '' : ` of ${result.requested}`;
  out.push(`Iterations ${result.iterations}${of}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}, ${Math.round(result.iterations / Math.max(secs, 1e-3))} iterations/s, seed ${seed}`);
  if (result.yielding) out.push(`note: ${program.threads.length} threads on ${result.cores} cores: waiting threads sleep instead of spinning (slower, and weak outcomes may be rarer)`);
  for (const v of result.violations) {
    out.push(`violation: ${v.kind} in ${v.thread} at ${v.location} \`${v.text}\`: seen ${v.count} time${v.count === 1 ? '' : 's'}`);
  }
  if (result.stop === 'time') out.push(timeLimitLine(result));
  if (result.hang !== null) {
    out.push(`hang: ${result.hang.message}`);
    for (const t of result.hang.threads) out.push(`  ${t.name}: iteration ${t.iteration}, ${t.position}`);
    out.push('  every worker was terminated');
  }
  if (result.failure !== null) out.push(`error: ${result.failure}; every worker was terminated`);
  if (result.aborted) out.push('interrupted: every worker was terminated');
  return out.join('\n') + '\n';
}

/** What a time limit means for this run: slow (some thread progressed within the watchdog's window), or too short to tell. */
export function timeLimitLine(result: RunResult): string {
  const head = `time limit: stopped after ${result.iterations} of ${result.requested} iterations`;
  if (result.iterations === 0 && result.ms < result.stallMs) return `${head}; nothing was seen, and the limit is shorter than the ${result.stallMs} ms stall watchdog: slow or hung cannot be told apart`;
  if (result.ms < result.stallMs) return `${head} (the limit is shorter than the ${result.stallMs} ms stall watchdog: a hang would not have been seen)`;
  return `${head}; every ${result.stallMs} ms some thread made progress: the run is slow, not hung`;
}
