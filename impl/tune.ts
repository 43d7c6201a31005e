/**
 * `run --tune`: try the harness's parameter space briefly and pick the setting that finds the
 * test's target outcome most often per second (litmus7's approach to its own knobs — barrier
 * mode, stride, memory randomisation, launch order, timebase delays — made automatic: herdtools7
 * `litmus/libdir/utils.c` documents them as the runtime options `-st`, `+rm`, `+fix`, `-tb`).
 *
 * Two stages within one time budget (about 65 % and 35 %): first every barrier mode × padding ×
 * instance placement (12 settings), then the best of those again beside its variations: other
 * stagger delay bounds (when it staggers), a 4× stride, the thread-to-worker permutation. A
 * stage is one run whose batches cycle through its settings; a setting's score is its target
 * outcomes per second of its batches' running time, ties broken by iterations per second. The
 * per-setting rows and per-parameter totals are litmus7's "presi" statistics.
 *
 * Not modelled: the slices are short, so on a busy machine the ranking is noisy; rerunning with
 * a longer `--tune-time` is the remedy, and the report says how many target outcomes each row saw.
 */
import type { IrProgram } from '../model/ir.js';
import { copyWords, runOnWorkers, STAGGER_DELAY, type HarnessSetting, type RunOptions, type RunResult, type ScheduledStats } from './harness.js';

/** One point of the parameter space (the harness's HarnessSetting). */
export type TuneSetting = HarnessSetting;

/** What one setting did over its batches. */
export interface TuneRow {
  readonly setting: TuneSetting;
  readonly iterations: number;
  readonly targets: number;
  /** milliseconds its batches ran (start to end, the main thread's collection excluded) */
  readonly ms: number;
  readonly iterationsPerSecond: number;
  readonly targetsPerSecond: number;
}

/** Totals per value of one parameter over the rows that used it (litmus7's per-parameter statistics). */
export interface TuneParameterStats {
  readonly parameter: keyof TuneSetting;
  readonly value: string;
  readonly iterations: number;
  readonly targets: number;
  readonly targetsPerSecond: number;
}

/** The answer of a tune. */
export interface TuneResult {
  readonly rows: readonly TuneRow[];
  readonly perParameter: readonly TuneParameterStats[];
  /** the best row (highest target/s, then iterations/s); null when no setting completed an iteration */
  readonly best: TuneRow | null;
  /** true when some row saw the target outcome (otherwise `best` is only the fastest) */
  readonly targetSeen: boolean;
  /** a run that failed, hung or saw a violation ends the tune early: that run */
  readonly stoppedBy: RunResult | null;
  readonly aborted: boolean;
  readonly ms: number;
}

/** Options of a tune. */
export interface TuneOptions {
  /** the whole budget in milliseconds (default 10_000) */
  readonly timeMs?: number;
  readonly seed?: number;
  readonly stallMs?: number;
  readonly cores?: number;
  readonly signal?: AbortSignal;
}

/** The RunOptions a setting stands for. */
export function settingOptions(s: TuneSetting): RunOptions {
  return { barrierModes: [s.sync], layouts: [s.padding], shuffleInstances: s.shuffle, delay: s.delay, stride: s.stride, permute: s.permute };
}

/** The first stage: every barrier mode × padding × instance placement, default delay and stride, no permutation. */
export function firstStage(program: IrProgram): TuneSetting[] {
  const stride = copyWords(program);
  const out: TuneSetting[] = [];
  for (const sync of ['spin', 'stagger', 'none'] as const) {
    for (const padding of ['padded', 'packed'] as const) {
      for (const shuffle of [false, true]) out.push({ sync, padding, shuffle, delay: STAGGER_DELAY, stride, permute: false });
    }
  }
  return out;
}

/** The second stage, around the first stage's best: other delay bounds (when it staggers), a 4× stride, the permutation. */
export function secondStage(best: TuneSetting): TuneSetting[] {
  const out: TuneSetting[] = [];
  if (best.sync === 'stagger') out.push({ ...best, delay: 1 }, { ...best, delay: 64 }, { ...best, delay: 512 });
  out.push({ ...best, stride: best.stride * 4 });
  if (!best.permute) out.push({ ...best, permute: true });
  return out;
}

const better = (a: TuneRow, b: TuneRow | null): boolean =>
  b === null || a.targetsPerSecond > b.targetsPerSecond || (a.targetsPerSecond === b.targetsPerSecond && a.iterationsPerSecond > b.iterationsPerSecond);

const sameSetting = (a: TuneSetting, b: TuneSetting): boolean =>
  a.sync === b.sync && a.padding === b.padding && a.shuffle === b.shuffle && a.delay === b.delay && a.stride === b.stride && a.permute === b.permute;

/** Iterations per batch while tuning: small, so every setting gets many batches interleaved with the others'. */
export const TUNE_BATCH = 1_000;

/**
 * Try the parameter space within `timeMs` and report each setting and the best. Each stage is
 * one run whose batches cycle through the stage's settings (one gang, so no start-up cost per
 * setting, and a busy spell of the machine falls on every setting alike). Never leaves a worker
 * running.
 */
export async function tuneOnWorkers(program: IrProgram, options: TuneOptions = {}): Promise<TuneResult> {
  const started = Date.now();
  const timeMs = Math.max(1, options.timeMs ?? 10_000);
  const totals: { setting: TuneSetting; iterations: number; targets: number; ms: number }[] = [];
  let stoppedBy: RunResult | null = null;
  let aborted = false;
  const stage = async (settings: readonly TuneSetting[], ms: number, seed: number): Promise<boolean> => {
    if (options.signal?.aborted === true) {
      aborted = true;
      return false;
    }
    const r = await runOnWorkers(program, {
      schedule: settings,
      batchSize: TUNE_BATCH,
      iterations: 1_000_000_000,
      timeLimitMs: ms,
      seed,
      ...(options.stallMs !== undefined ? { stallMs: options.stallMs } : {}),
      ...(options.cores !== undefined ? { cores: options.cores } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    for (const st of r.scheduled) add(st);
    if (r.stop === 'aborted') {
      aborted = true;
      return false;
    }
    if (r.stop === 'failed' || r.stop === 'hang' || r.violations.length > 0) {
      stoppedBy = r;
      return false;
    }
    return true;
  };
  const add = (st: ScheduledStats): void => {
    const e = totals.find((x) => sameSetting(x.setting, st.setting));
    if (e === undefined) totals.push({ setting: st.setting, iterations: st.iterations, targets: st.targets, ms: st.ms });
    else {
      e.iterations += st.iterations;
      e.targets += st.targets;
      e.ms += st.ms;
    }
  };
  const rowsNow = (): TuneRow[] =>
    totals.map((e) => {
      const secs = Math.max(e.ms, 1e-3) / 1000;
      return { setting: e.setting, iterations: e.iterations, targets: e.targets, ms: Math.round(e.ms), iterationsPerSecond: e.iterations / secs, targetsPerSecond: e.targets / secs };
    });
  const bestOf = (rows: readonly TuneRow[]): TuneRow | null => {
    let b: TuneRow | null = null;
    for (const r of rows) if (r.iterations > 0 && better(r, b)) b = r;
    return b;
  };
  const seed = options.seed ?? 1;
  // the first stage has 12 settings, the second at most 5: share the budget about in proportion
  if (await stage(firstStage(program), Math.round(timeMs * 0.65), seed)) {
    const b = bestOf(rowsNow());
    if (b !== null) await stage([b.setting, ...secondStage(b.setting)], Math.max(1, timeMs - (Date.now() - started)), seed + 1);
  }
  const rows = rowsNow();
  return { rows, perParameter: perParameter(rows), best: bestOf(rows), targetSeen: rows.some((r) => r.targets > 0), stoppedBy, aborted, ms: Date.now() - started };
}

/** Totals per parameter value over the rows. */
function perParameter(rows: readonly TuneRow[]): TuneParameterStats[] {
  const keys: (keyof TuneSetting)[] = ['sync', 'padding', 'shuffle', 'delay', 'stride', 'permute'];
  const out: TuneParameterStats[] = [];
  for (const parameter of keys) {
    const by = new Map<string, { iterations: number; targets: number; ms: number }>();
    for (const r of rows) {
      const value = String(r.setting[parameter]);
      const e = by.get(value) ?? { iterations: 0, targets: 0, ms: 0 };
      e.iterations += r.iterations;
      e.targets += r.targets;
      e.ms += r.ms;
      by.set(value, e);
    }
    for (const [value, e] of by) out.push({ parameter, value, iterations: e.iterations, targets: e.targets, targetsPerSecond: e.targets / (Math.max(e.ms, 1) / 1000) });
  }
  return out;
}
