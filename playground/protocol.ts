/**
 * The messages between the playground's page (main.ts) and its checker worker (worker.ts): plain
 * data only (structured clone), so the page never holds a checker object and the worker never
 * touches the DOM. Every string in a reply may come from the program text: the page writes them
 * with `textContent` only.
 */
import type { ExecutionStep } from '../checker/execution.js';
import type { ModelName } from '../checker/api.js';
import type { LitmusVerdict } from '../cli/litmus/verdict.js';
import type { Budgets } from '../cli/budgetOptions.js';

/** What the page asks the worker. */
export type Request =
  | { readonly kind: 'compile'; readonly id: number; readonly name: string; readonly text: string }
  /** budgets: as `memweave check --max-states/--time-limit/--max-memory` parse them (cli/budgetOptions.ts); the time limit is one for all the models, as the CLI's */
  | { readonly kind: 'check'; readonly id: number; readonly name: string; readonly text: string; readonly models: readonly ModelName[]; readonly budgets: Budgets }
  | { readonly kind: 'execution'; readonly id: number; readonly name: string; readonly text: string; readonly model: ModelName; readonly target: ExecutionTarget };

/** Which execution to draw and step: one reaching an outcome, or a counterexample's replay token. */
export type ExecutionTarget =
  | { readonly kind: 'outcome'; readonly outcome: Readonly<Record<string, number>>; readonly text: string }
  | { readonly kind: 'replay'; readonly token: string; readonly title: string };

/** One diagnostic, as the page shows it (1-based line and column; offsets into the text). */
export interface DiagnosticView {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'note';
  readonly message: string;
  readonly line: number;
  readonly col: number;
  readonly start: number;
  readonly end: number;
  readonly help: string | null;
}

/** One model's answer, as the page's tables show it. */
export interface ModelRow {
  readonly model: ModelName;
  /** the litmus verdict of the condition (Allowed, Forbidden, ?, n/a), or '—' when there is no condition */
  readonly verdict: LitmusVerdict | '—';
  readonly result: 'pass' | 'fail' | 'inconclusive';
  readonly budget: string | null;
  readonly condition: string | null;
  readonly outcomes: readonly { readonly values: Readonly<Record<string, number>>; readonly text: string; readonly satisfies: boolean | null }[];
  readonly violations: readonly { readonly kind: string; readonly message: string; readonly replay: string }[];
  /** states stored (state engine) or complete executions (graph engine) */
  readonly size: string;
  readonly ms: number;
}

/** What the worker answers. */
export type Reply =
  | { readonly kind: 'diagnostics'; readonly id: number; readonly diagnostics: readonly DiagnosticView[]; readonly ok: boolean; readonly summary: string | null }
  /** text: the CLI's progress line (cli/progressText.ts); engine: which explorer is answering (the stateful search's states, the graph engine's executions) */
  | { readonly kind: 'progress'; readonly id: number; readonly model: ModelName; readonly index: number; readonly total: number; readonly engine: 'state' | 'graph' | null; readonly text: string }
  | { readonly kind: 'checked'; readonly id: number; readonly rows: readonly ModelRow[] }
  | { readonly kind: 'execution'; readonly id: number; readonly view: ExecutionView }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

/** An execution to draw (its graph as SVG text) and to step through (its states), or why there is none. */
export interface ExecutionView {
  readonly title: string;
  readonly model: ModelName | null;
  /** Graphviz's SVG (no XML prolog); the page parses and sanitises it before showing it */
  readonly svg: string | null;
  readonly cycle: string | null;
  readonly initialState: Readonly<Record<string, number>> | null;
  readonly steps: readonly ExecutionStep[];
  readonly threads: readonly string[];
  /** set when there is nothing to show, or only part of it */
  readonly note: string | null;
}
