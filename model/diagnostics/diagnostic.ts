/** Diagnostics are data: a stable code, a severity, a message, a span, optional related spans and help. */
import type { Span } from '../syntax/source.js';
import { DIAGNOSTIC_CODES, type CodeEntry, type DiagnosticCode } from './codes.js';

export type Severity = 'error' | 'warning' | 'note';

/** A secondary location attached to a diagnostic. */
export interface RelatedInfo {
  readonly span: Span;
  readonly message: string;
}

/** One diagnostic. `file` is the display name of the source it points into. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly span: Span;
  readonly related?: readonly RelatedInfo[];
  readonly help?: string;
}

/** The file name of diagnostics about the command line itself (a malformed or unknown `-D`). */
export const COMMAND_LINE_FILE = '<command line>';

/** Build a diagnostic; severity and default help come from the catalogue. */
export function diag(
  code: DiagnosticCode,
  file: string,
  span: Span,
  message: string,
  extra: { help?: string; related?: readonly RelatedInfo[] } = {},
): Diagnostic {
  const entry: CodeEntry = DIAGNOSTIC_CODES[code];
  const help = extra.help ?? entry.help;
  return {
    code,
    severity: entry.severity,
    message,
    file,
    span,
    ...(help !== undefined ? { help } : {}),
    ...(extra.related !== undefined ? { related: extra.related } : {}),
  };
}

/** True when any diagnostic is an error. */
export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** A success value or a list of diagnostics (at least one error). */
export type Result<T> = { readonly ok: true; readonly value: T; readonly diagnostics: readonly Diagnostic[] } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };
