/**
 * The record the CI output formats share (`check --format junit|github`, `--summary`): one
 * {@link CiFileReport} per input file — either the front end's diagnostics when the file could not
 * be compiled, or each model's verdict with its violations already rendered as text (trace table,
 * final state, replay command) and located at a 1-based source line and column. The formatters
 * (junit.ts, github.ts, summary.ts) are pure functions of these records; this file also holds the
 * combined exit code of several files and the text tally printed after them.
 */
import type { CheckResult, ModelName, TraceStep, Violation } from '../../checker/api.js';
import type { Diagnostic } from '../../model/diagnostics/diagnostic.js';
import type { Program } from '../../model/syntax/ast.js';
import type { SourceFile } from '../../model/syntax/source.js';
import { diagnosticsToJson, renderDiagnostic, type DiagnosticJson } from '../render.js';
import { EXIT } from '../types.js';
import { match } from 'ts-pattern';
import { DEFAULT_BUFFER_BOUND } from '../../model/semantics/layout.js';
import { outcomesComplete } from '../../checker/verdict.js';

/** A 1-based position in an input file (line 0: no position is known). */
export interface CiLocation {
  readonly line: number;
  readonly col: number;
}

/** One diagnostic: its JSON shape plus the uncoloured compiler-style rendering. */
export interface CiDiagnostic extends DiagnosticJson {
  /** the rendered diagnostic (header, arrow, source line, carets), no colour */
  readonly text: string;
}

/** One violation, rendered. */
export interface CiViolation {
  readonly kind: Violation['kind'];
  /** a run-time error's catalogued code (R601, R602) */
  readonly code?: NonNullable<Violation['code']>;
  readonly message: string;
  /** the counterexample as a text table (renderTraceTable), ending in a newline */
  readonly trace: string;
  readonly steps: number;
  /** the final state, `name=value` separated by spaces */
  readonly finalState: string;
  /** the shell command that replays the counterexample */
  readonly replay: string;
  /** where to annotate: the last located trace step (the final condition for `condition`; the first racing access for `race`) */
  readonly location: CiLocation;
}

/** One model's verdict for one file. */
export interface CiModelResult {
  readonly model: ModelName;
  readonly verdict: CheckResult['verdict'];
  readonly budgetExhausted: CheckResult['budgetExhausted'];
  /** herd's Ok/No for the final condition, '?' when the search was partial, null without one */
  readonly condition: 'Ok' | 'No' | '?' | null;
  readonly outcomes: number;
  /** executions cut short by a failed assert or a run-time error (not in `outcomes`) */
  readonly cut: number;
  readonly states: number;
  readonly transitions: number;
  readonly ms: number;
  readonly violations: readonly CiViolation[];
  /** the graph engine's complete executions (absent for the stateful search) */
  readonly executions?: number;
  /** why an inconclusive answer is one when no budget ran out (the graph engine: a loop bound, an unsupported instruction) */
  readonly reason?: string;
  /** the model was never checked: a signal interrupted the invocation before it (verdict 'inconclusive', budget 'interrupted') */
  readonly notRun?: true;
}

/** The result for one input file: checked under one or more models, or rejected by the front end. */
export type CiFileReport =
  | {
      readonly kind: 'checked';
      readonly path: string;
      /** the program's test name */
      readonly test: string;
      /** the first line of the test (its `test` declaration) */
      readonly location: CiLocation;
      readonly results: readonly CiModelResult[];
      /** front-end warnings (the file compiled) */
      readonly warnings: readonly CiDiagnostic[];
    }
  | {
      readonly kind: 'error';
      readonly path: string;
      /** every diagnostic of the file; at least one is an error */
      readonly diagnostics: readonly CiDiagnostic[];
    };

/** How check.ts renders the pieces the formats show (passed in so this module does not import it). */
export interface CiRenderers {
  /** a counterexample as a text table */
  trace(steps: readonly TraceStep[]): string;
  /** the command that replays a token under a model */
  replay(model: ModelName, token: string): string;
}

/** Diagnostics as {@link CiDiagnostic}s (`file` is the source they point into, or null). */
export function ciDiagnostics(list: readonly Diagnostic[], file: SourceFile | null): CiDiagnostic[] {
  const json = diagnosticsToJson(list, file);
  return json.map((j, i) => ({ ...j, text: renderDiagnostic(list[i] as Diagnostic, file, { color: false }) }));
}

/** The report of a file the front end rejected. */
export function errorFileReport(path: string, diagnostics: readonly Diagnostic[], file: SourceFile | null): CiFileReport {
  return { kind: 'error', path, diagnostics: ciDiagnostics(diagnostics, file) };
}

/** The report of a checked file: every model's verdict with its violations rendered and located. */
export function checkedFileReport(
  path: string,
  test: string,
  file: SourceFile,
  ast: Program | null,
  results: readonly CheckResult[],
  warnings: readonly Diagnostic[],
  render: CiRenderers,
  notRun: readonly ModelName[] = [],
): CiFileReport {
  const testLoc = testLocation(file);
  const condLoc = spanLocation(file, ast?.condition?.span);
  return {
    kind: 'checked',
    path,
    test,
    location: testLoc,
    warnings: ciDiagnostics(warnings, file),
    results: results.map((r): CiModelResult => ({
      model: r.model,
      verdict: r.verdict,
      budgetExhausted: r.budgetExhausted,
      condition: r.condition === null ? null : !outcomesComplete(r.budgetExhausted) ? '?' : r.condition.validated ? 'Ok' : 'No',
      outcomes: r.outcomes.length,
      cut: r.stats.cutExecutions ?? 0,
      states: r.stats.statesStored,
      transitions: r.stats.transitions,
      ms: r.stats.ms,
      ...(r.stats.engine === 'graph' ? { executions: r.stats.executions ?? 0 } : {}),
      ...(r.stats.unsupported !== undefined ? { reason: `not checked: ${r.stats.unsupported}` } : r.stats.unrollHit !== undefined ? { reason: `a loop reached the --unroll bound (${r.stats.unrollHit}); results are partial` } : {}),
      violations: r.violations.map((v) => ({
        kind: v.kind,
        ...(v.code !== undefined ? { code: v.code } : {}),
        message: v.message,
        trace: render.trace(v.trace),
        steps: v.trace.length,
        finalState: Object.entries(v.finalState)
          .map(([k, x]) => `${k}=${x}`)
          .join(' '),
        replay: render.replay(r.model, v.replay),
        location: (v.kind === 'condition' ? condLoc : null) ?? (v.kind === 'race' ? traceLocation(file, v.trace.filter((s) => s.action === 'race').slice(0, 1)) : null) ?? traceLocation(file, v.trace) ?? testLoc,
      })),
    })).concat(notRun.map((model): CiModelResult => ({ model, verdict: 'inconclusive' as const, budgetExhausted: 'interrupted' as const, condition: null, outcomes: 0, cut: 0, states: 0, transitions: 0, ms: 0, violations: [], notRun: true as const }))),
  };
}

/** The `test` declaration's line (a .mw file), else line 1 (a .litmus header). */
function testLocation(file: SourceFile): CiLocation {
  for (let line = 1; line <= file.lineStarts.length; line++) {
    const m = /^(\s*)test\b/.exec(file.lineText(line));
    if (m !== null) return { line, col: (m[1]?.length ?? 0) + 1 };
  }
  return { line: 1, col: 1 };
}

/** The line and column of a span's start, or null when it has none or does not fit the file. */
function spanLocation(file: SourceFile, span: { readonly start: number; readonly line: number } | undefined): CiLocation | null {
  if (span === undefined || span.line < 1 || span.start < 0 || span.start > file.text.length) return null;
  return file.lineCol(span.start);
}

/** The last trace step with a `file:line` location, at the line's first non-blank column. */
function traceLocation(file: SourceFile, trace: readonly TraceStep[]): CiLocation | null {
  for (let i = trace.length - 1; i >= 0; i--) {
    const m = /:(\d+)$/.exec(trace[i]?.location ?? '');
    if (m === null) continue;
    const line = Number(m[1]);
    if (line < 1 || line > file.lineStarts.length) continue;
    const indent = /^\s*/.exec(file.lineText(line))?.[0].length ?? 0;
    return { line, col: indent + 1 };
  }
  return null;
}

/** The worst status of a file: an input error, else fail > inconclusive > pass. */
export function fileStatus(f: CiFileReport): 'error' | CheckResult['verdict'] {
  if (f.kind === 'error') return 'error';
  if (f.results.some((r) => r.verdict === 'fail')) return 'fail';
  if (f.results.some((r) => r.verdict === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

/** One exit code for several: any usage/input error (2) → 2, else any violation (1) → 1, else any inconclusive (3) → 3, else 0. */
export function combineExitCodes(codes: readonly number[]): number {
  for (const c of [EXIT.internal, EXIT.usage, EXIT.violation, EXIT.inconclusive] as const) if (codes.includes(c)) return c;
  return EXIT.ok;
}

/** The line printed after several files in text form, e.g. `Files 3: 1 pass, 1 fail, 0 inconclusive, 1 input error`. */
export function filesTally(files: readonly CiFileReport[]): string {
  const n = (s: ReturnType<typeof fileStatus>): number => files.filter((f) => fileStatus(f) === s).length;
  return `Files ${files.length}: ${n('pass')} pass, ${n('fail')} fail, ${n('inconclusive')} inconclusive, ${n('error')} input error${n('error') === 1 ? '' : 's'}\n`;
}

/** The title of a model's test case, e.g. `peterson [tso]`. */
export function caseName(test: string, model: ModelName): string {
  return `${test} [${model}]`;
}

/** Why a run was inconclusive, in words. */
export function budgetText(budget: CheckResult['budgetExhausted']): string {
  return match(budget)
    .with('states', 'time', 'memory', null, (b) => `the ${b ?? 'search'} budget ran out; results are partial`)
    .with('interrupted', () => 'stopped by SIGINT or SIGTERM before its end: results are partial, and there is no verdict')
    .with('livelock-memory', () => 'livelock detection skipped: the edge list did not fit the memory budget (--max-memory); every other property was checked')
    .with('unroll', () => 'a loop reached the --unroll bound: executions past it were not explored; results are partial (raise --unroll)')
    .with('unexplored', () => 'the model allows executions the graph engine does not build (see the note): the outcomes are a lower bound')
    .with('buffer-bound', () => `a store buffer reached the default bound (${DEFAULT_BUFFER_BOUND} entries): executions that buffer more stores were not explored; raise it, or pass --buffer-bound N to accept that bound`)
    .exhaustive();
}

/** Why a model's answer is inconclusive: the budget that ran out, or the engine's own reason. */
export function inconclusiveText(r: CiModelResult): string {
  if (r.notRun === true) return 'not checked: the invocation was interrupted (SIGINT or SIGTERM) before this model ran';
  return r.budgetExhausted === null && r.reason !== undefined ? r.reason : budgetText(r.budgetExhausted);
}
