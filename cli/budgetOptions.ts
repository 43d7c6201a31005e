/**
 * Budgets shared by the commands that search (`check`, `report`, `graph`) and by the playground's
 * Check view: the options, their parsing, and one time budget for the whole invocation. Pure (no
 * `node:*`), so the browser takes the same code; cli/budgets.ts adds the Node default of the
 * machine's memory. `--time-limit S` is a global budget: every
 * search the command runs (each file, each model, each picture) gets what is left of it when it
 * starts, so an invocation with four models and several files stops after S seconds in all, not
 * S per file and model. A search that starts with nothing left stops at once, inconclusive.
 */
import type { CheckOptions } from '../checker/api.js';
import { DEFAULT_MAX_MEMORY_BYTES } from '../checker/statefulSearch.js';
import { resultBytes } from '../checker/resultCost.js';

/** The budget options, as parseCommandArgs specs. */
export const BUDGET_OPTIONS = {
  'max-states': { type: 'string' },
  'time-limit': { type: 'string' },
  'max-memory': { type: 'string' },
} as const;

/** The budget options' help lines. */
export const BUDGET_HELP = [
  '  --max-states N           stop (inconclusive) after storing N states in a search',
  '  --time-limit S           a time budget in seconds for the whole invocation (every file, model and search)',
  '  --max-memory MB          one memory budget for the whole invocation (default 4096): each search gets',
  '                           what the answers kept so far leave of it',
] as const;

/** Parse a positive number option; null when absent; a message when malformed. */
export function positiveOption(name: string, text: string | undefined, integer: boolean): number | null | string {
  if (text === undefined) return null;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    return `--${name} expects a positive ${integer ? 'integer' : 'number'}, got '${text}'`;
  }
  return v;
}

/** The parsed budgets: the options every search takes, and the invocation's time limit. */
export interface Budgets {
  readonly maxStates: number | null;
  readonly timeLimitMs: number | null;
  readonly maxMemoryBytes: number | null;
}

/** The budget options' values, as parseCommandArgs gives them (or the playground's fields). */
export interface BudgetValues {
  readonly 'max-states'?: string | undefined;
  readonly 'time-limit'?: string | undefined;
  readonly 'max-memory'?: string | undefined;
}

/** A parsed `--max-memory MB`, or a message when it is more than `machineBytes` (the machine's memory, or what a browser tab may take). */
export function memoryWithin(v: number | null | string, machineBytes: number): number | null | string {
  if (typeof v !== 'number') return v;
  const mb = machineBytes / (1024 * 1024);
  if (v <= mb) return v;
  return `--max-memory ${v} MB is more than this machine's memory (${Math.floor(mb)} MB)`;
}

/** Parse `--max-states`, `--time-limit`, `--max-memory` against `machineBytes` of memory; a message when one is malformed. */
export function parseBudgetsWithin(values: BudgetValues, machineBytes: number): Budgets | string {
  const maxStates = positiveOption('max-states', values['max-states'], true);
  const timeLimit = positiveOption('time-limit', values['time-limit'], false);
  const maxMemory = memoryWithin(positiveOption('max-memory', values['max-memory'], false), machineBytes);
  for (const o of [maxStates, timeLimit, maxMemory]) if (typeof o === 'string') return o;
  return {
    maxStates: maxStates as number | null,
    timeLimitMs: typeof timeLimit === 'number' ? timeLimit * 1000 : null,
    maxMemoryBytes: typeof maxMemory === 'number' ? Math.floor(maxMemory * 1024 * 1024) : null,
  };
}

/** One time budget for a whole invocation: `options()` gives the limit left now. */
export class TimeBudget {
  private readonly deadline: number;
  private readonly now: () => number;
  constructor(now: () => number, limitMs: number | null) {
    this.now = now;
    this.deadline = limitMs === null ? Number.POSITIVE_INFINITY : now() + limitMs;
  }

  /** `{ timeLimitMs }` with what is left (at least 0), or `{}` without a limit. */
  options(): Pick<CheckOptions, 'timeLimitMs'> {
    if (this.deadline === Number.POSITIVE_INFINITY) return {};
    return { timeLimitMs: Math.max(0, this.deadline - this.now()) };
  }
}

/** The search options of the budgets other than time (which comes from a TimeBudget, per search); a command that keeps answers between searches takes its memory from a SpaceBudget instead. */
export function spaceBudgetOptions(b: Budgets): Pick<CheckOptions, 'maxStates' | 'maxMemoryBytes'> {
  return { ...(b.maxStates !== null ? { maxStates: b.maxStates } : {}), ...(b.maxMemoryBytes !== null ? { maxMemoryBytes: b.maxMemoryBytes } : {}) };
}

/**
 * One memory budget for a whole invocation, as TimeBudget is for time: a search gets what is
 * left of `--max-memory` (default 4096 MiB) when it starts, and reserves its structures from
 * that; what the command keeps after a search — the answer's outcomes and traces
 * (checker/resultCost.ts), a report's pictures and stepper rows and the page built from them — is
 * charged here and stays charged, so the next model, picture or page gets only the rest. A search
 * that starts with nothing left stops at once, inconclusive for memory.
 */
export class SpaceBudget {
  /** the budget in bytes */
  readonly limit: number;
  /** bytes the command holds now (charged, never given back: the answers live until it ends) */
  held = 0;
  constructor(limitBytes: number | null) {
    this.limit = limitBytes ?? DEFAULT_MAX_MEMORY_BYTES;
  }

  /** `{ maxMemoryBytes }` with what is left now (at least 0). */
  options(): Pick<CheckOptions, 'maxMemoryBytes'> {
    return { maxMemoryBytes: Math.max(0, this.limit - this.held) };
  }

  /** Charge `bytes` the command goes on holding; false (nothing charged) when they do not fit. */
  charge(bytes: number): boolean {
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    return true;
  }

  /** Charge a finished answer (its search reserved it already, so it fits what that search had: charged even past the limit). */
  chargeResult(result: Parameters<typeof resultBytes>[0], threads: number): void {
    this.held += resultBytes(result, threads);
  }
}
