/**
 * Shared by `run`, `conform` and `report`: run a program on real workers with SIGINT and SIGTERM
 * wired to abort (every worker is terminated before the command reports; cli/interrupt.ts), and
 * render litmus7-style output.
 */
import type { IrProgram } from '../model/ir.js';
import { conditionVerdict, evalCondOnValues, formatOutcome, herdTestKind } from '../model/outcome.js';
import { runOnWorkers, type RunOptions, type RunProgress, type RunResult } from '../impl/harness.js';
import type { CliIo } from './types.js';
import { tuneOnWorkers, type TuneOptions, type TuneResult, type TuneRow, type TuneSetting } from '../impl/tune.js';
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

/**
 * A run's progress line on a terminal (stderr): iterations, rate and outcomes so far, about once a
 * second (RunOptions.onProgress); nothing when stderr is not a terminal. `clear` erases it before
 * the report.
 */
export function runProgress(io: CliIo): { readonly options: { onProgress?: (p: RunProgress) => void }; clear(): void } {
  if (!(io.errIsTTY ?? io.isTTY)) return { options: {}, clear: () => undefined };
  let shown = false;
  return {
    options: {
      onProgress(p) {
        shown = true;
        const rate = p.elapsedMs > 0 ? Math.round((p.iterations * 1000) / p.elapsedMs) : 0;
        io.stderr(`\r\x1b[K[run] ${p.iterations}/${p.requested} iterations (${rate}/s), ${p.outcomes} outcome${p.outcomes === 1 ? '' : 's'} so far, ${(p.elapsedMs / 1000).toFixed(1)} s`);
      },
    },
    clear() {
      if (shown) io.stderr('\r\x1b[K');
      shown = false;
    },
  };
}

/** Run `tuneOnWorkers` with SIGINT / SIGTERM wired to abort it (every worker terminated). */
export async function tuneWithInterrupt(program: IrProgram, options: TuneOptions, signals: SignalSource | undefined): Promise<{ result: TuneResult; signal: StopSignal | null }> {
  const ac = new AbortController();
  const watch = watchStopSignals(signals, ac);
  try {
    const result = await tuneOnWorkers(program, { ...options, signal: ac.signal });
    return { result, signal: watch.signal() };
  } finally {
    watch.dispose();
  }
}

/** The harness techniques as `run` takes them (null: the default). */
export interface Techniques {
  readonly sync: 'spin' | 'stagger' | 'none' | 'mix';
  readonly padding: 'padded' | 'packed' | 'mix';
  readonly shuffle: boolean;
  readonly permute: boolean;
  /** adaptive batches (RunOptions.adaptive; false: `--no-adapt`) */
  readonly adapt: boolean;
  readonly delay: number | null;
  readonly stride: number | null;
  readonly batch: number | null;
}

/** The `run` options that give these techniques (defaults left out). */
export function techniqueArgs(t: Techniques): string[] {
  const out: string[] = [];
  if (t.sync !== 'mix') out.push('--sync', t.sync);
  if (t.padding !== 'mix') out.push('--padding', t.padding);
  if (t.shuffle) out.push('--shuffle');
  if (t.delay !== null) out.push('--delay', String(t.delay));
  if (t.stride !== null) out.push('--stride', String(t.stride));
  if (t.permute) out.push('--permute');
  if (!t.adapt) out.push('--no-adapt');
  if (t.batch !== null) out.push('--batch', String(t.batch));
  return out;
}

/** The techniques of a tuned setting (every one explicit, so the command says what was chosen). */
export function settingTechniques(s: TuneSetting): Techniques {
  return { sync: s.sync, padding: s.padding, shuffle: s.shuffle, permute: s.permute, adapt: true, delay: s.delay, stride: s.stride, batch: null };
}

/** A word as a POSIX shell reads it back. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const rate = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));
const settingText = (s: TuneSetting): string => `${s.sync.padEnd(7)} ${s.padding.padEnd(6)} ${(s.shuffle ? 'yes' : 'no').padEnd(7)} ${String(s.delay).padStart(5)} ${String(s.stride).padStart(6)} ${(s.permute ? 'yes' : 'no').padEnd(7)}`;

/** Render a tune: one row per setting tried, totals per parameter value, the best and the `run` command that uses it. */
export function renderTune(program: IrProgram, t: TuneResult, path: string, defines: readonly string[]): { text: string; command: string | null; stopped: string | null } {
  const out: string[] = [];
  out.push(`Tune ${program.name}: ${t.rows.length} settings in ${(t.ms / 1000).toFixed(1)} s; target: ${program.condition === null ? 'none (no condition: ranked by iterations/s)' : `${program.condition.quantifier === 'forall' ? 'outcomes failing' : 'outcomes satisfying'} ${program.condition.text}`}`);
  out.push('sync    pad    shuffle delay stride permute  iterations  targets   it/s      target/s');
  const row = (r: TuneRow, mark: string): string =>
    `${settingText(r.setting)} ${String(r.iterations).padStart(10)} ${String(r.targets).padStart(8)}   ${rate(r.iterationsPerSecond).padEnd(8)}  ${rate(r.targetsPerSecond)}${mark}`;
  for (const r of t.rows) out.push(row(r, r === t.best ? '  <- best' : ''));
  out.push('');
  out.push('per parameter (litmus7 presi): value: targets / iterations, target/s');
  const params = [...new Set(t.perParameter.map((p) => p.parameter))];
  for (const p of params) {
    const vs = t.perParameter.filter((x) => x.parameter === p);
    if (vs.length < 2) continue;
    out.push(`  ${p}: ${vs.map((x) => `${x.value}: ${x.targets} / ${x.iterations}, ${rate(x.targetsPerSecond)}/s`).join('; ')}`);
  }
  let command: string | null = null;
  let stopped: string | null = null;
  if (t.stoppedBy !== null) {
    const r = t.stoppedBy;
    stopped = r.failure ?? (r.hang !== null ? `hang: ${r.hang.message}` : `violation: ${r.violations.map((v) => `${v.kind} in ${v.thread} at ${v.location}`).join('; ')}`);
    out.push(`tune stopped: ${stopped}`);
  }
  if (t.aborted) out.push('interrupted: every worker was terminated');
  if (t.best !== null) {
    command = ['memweave', 'run', ...[path, ...defines.flatMap((d) => ['-D', d]), ...techniqueArgs(settingTechniques(t.best.setting))].map(shellQuote)].join(' ');
    out.push(t.targetSeen ? `best: ${rate(t.best.targetsPerSecond)} target outcomes/s` : 'best: no setting saw the target outcome; the fastest is chosen');
    out.push(`run: ${command}`);
  } else out.push('best: no setting completed an iteration');
  return { text: out.join('\n') + '\n', command, stopped };
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
  out.push(`Harness stride ${result.stride} words, batches of ${result.batchSize}${result.permutedBatches > 0 ? `, ${result.permutedBatches} batches with permuted threads` : ''}${result.exploitedBatches > 0 ? `, ${result.exploitedBatches} batches on the best barrier and layout so far (adaptive)` : ''}`);
  if (program.condition !== null && result.settings.length > 0) {
    // litmus7's presi statistics: which parameter values produced the target outcomes
    const by = (parameter: 'barrier' | 'layout'): string =>
      result.settings
        .filter((x) => x.parameter === parameter)
        .map((x) => `${x.value} ${x.targets}/${x.iterations}`)
        .join(', ');
    out.push(`Targets by barrier: ${by('barrier')}; by layout: ${by('layout')}`);
  }
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
