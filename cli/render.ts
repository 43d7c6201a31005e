/**
 * Renders diagnostics the way rustc does: a header `error[P101]: message`, a location arrow
 * ` --> file:line:col`, the source line in a numbered gutter with carets under the span (clipped
 * to the first line of a multi-line span), related notes with their own snippet, and a
 * `= help:` line. The renderer never throws: a span that does not fit the file falls back to a
 * plain location line. Control characters from the input (model/syntax/controls.ts) are escaped in
 * every part of the text, never printed raw. Also converts diagnostics to a stable JSON shape for `--format json`.
 */
import type { Diagnostic, RelatedInfo, Severity } from '../model/diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../model/syntax/source.js';
import { escapeControls } from '../model/syntax/controls.js';

/** Rendering options. */
export interface RenderOptions {
  /** emit ANSI colour escapes */
  readonly color: boolean;
}

/** The JSON shape of one diagnostic (`--format json`). */
export interface DiagnosticJson {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
  readonly help?: string;
  readonly related?: readonly { readonly message: string; readonly line: number; readonly col: number }[];
}

const TAB_WIDTH = 4;

/** The display name used for diagnostics about the command line itself. */
export const COMMAND_LINE = '<command line>';

/** At most this many diagnostics are rendered as text; the rest are counted in one line ("… and M more"). */
export const MAX_RENDERED_DIAGNOSTICS = 50;
/** At most this many diagnostics go into JSON; the rest are counted in `omittedDiagnostics`. */
export const MAX_JSON_DIAGNOSTICS = 1000;
/** A source line longer than this many characters is shown as a window around the span, `…` marking the cut. */
export const MAX_SHOWN_LINE = 120;
/** How many characters of context a clipped line keeps before the span. */
const CLIP_BEFORE = 40;

/** ANSI styling; identity functions when colour is off. */
interface Palette {
  severity(sev: Severity, s: string): string;
  bold(s: string): string;
  gutter(s: string): string;
}

function palette(color: boolean): Palette {
  if (!color) return { severity: (_sev, s) => s, bold: (s) => s, gutter: (s) => s };
  const sgr = (codes: string, s: string): string => `\x1b[${codes}m${s}\x1b[0m`;
  return {
    severity: (sev, s) => sgr(sev === 'error' ? '1;31' : sev === 'warning' ? '1;33' : '1;32', s),
    bold: (s) => sgr('1', s),
    gutter: (s) => sgr('1;34', s),
  };
}

/** A span resolved against a file: the first line it covers and the caret range on that line. */
interface Located {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
  readonly lineText: string;
  /** 0-based character range on lineText to underline; caretEnd > caretStart */
  readonly caretStart: number;
  readonly caretEnd: number;
}

function isInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n);
}

/** Resolve a span in a file, or null when the span does not fit it. */
function locate(file: SourceFile, span: Span | undefined): Located | null {
  if (span === undefined || span === null) return null;
  const { start, end } = span;
  if (!isInt(start) || !isInt(end) || start < 0 || start > file.text.length || end < start) return null;
  const clippedEnd = Math.min(end, file.text.length);
  const { line, col } = file.lineCol(start);
  const endPos = file.lineCol(clippedEnd);
  const lineText = file.lineText(line);
  const caretStart = Math.min(col - 1, lineText.length);
  const lastOnLine = endPos.line === line ? endPos.col - 1 : lineText.length;
  const caretEnd = Math.max(caretStart + 1, Math.min(lastOnLine, lineText.length));
  return { line, col, endLine: endPos.line, endCol: endPos.col, lineText, caretStart, caretEnd };
}

/**
 * A located span whose line is longer than MAX_SHOWN_LINE, cut to a window around the carets
 * (`…` where text was cut); carets are moved with the text. Short lines are returned unchanged.
 */
function clipLine(loc: Located): Located {
  const text = loc.lineText;
  if (text.length <= MAX_SHOWN_LINE) return loc;
  let from = Math.max(0, loc.caretStart - CLIP_BEFORE);
  let to = Math.min(text.length, Math.max(from + MAX_SHOWN_LINE, loc.caretStart + 1));
  // never cut between the two halves of a surrogate pair
  if (from > 0 && (text.charCodeAt(from) & 0xfc00) === 0xdc00) from--;
  if (to < text.length && (text.charCodeAt(to) & 0xfc00) === 0xdc00) to++;
  const head = from > 0 ? '…' : '';
  const tail = to < text.length ? '…' : '';
  const caretStart = loc.caretStart - from + head.length;
  const caretEnd = Math.min(loc.caretEnd, to) - from + head.length;
  return { ...loc, lineText: head + text.slice(from, to) + tail, caretStart, caretEnd: Math.max(caretStart + 1, caretEnd) };
}

/** Expand tabs so that carets line up with the displayed text. */
function expandTabs(s: string): string {
  let out = '';
  for (const ch of s) {
    if (ch === '\t') out += ' '.repeat(TAB_WIDTH - (out.length % TAB_WIDTH));
    else out += ch;
  }
  return out;
}

/** A source line as shown: control characters escaped (never raw on a terminal), tabs expanded. */
function showLine(s: string): string {
  return expandTabs(escapeControls(s));
}

/** Width of the display of text[0, i) as {@link showLine} shows it. */
function displayWidth(text: string, i: number): number {
  return showLine(text.slice(0, i)).length;
}

/** The gutter + source line + underline lines for one located span. */
function snippet(whole: Located, width: number, mark: string, label: string, p: Palette, sev: Severity): string[] {
  const loc = clipLine(whole);
  const pad = ' '.repeat(width);
  const shown = showLine(loc.lineText);
  const from = displayWidth(loc.lineText, loc.caretStart);
  const to = Math.max(from + 1, displayWidth(loc.lineText, loc.caretEnd));
  const underline = ' '.repeat(from) + p.severity(sev, mark.repeat(to - from) + (label === '' ? '' : ` ${label}`));
  return [
    `${pad} ${p.gutter('|')}`,
    `${p.gutter(String(loc.line).padStart(width))} ${p.gutter('|')}${shown === '' ? '' : ` ${shown}`}`,
    `${pad} ${p.gutter('|')} ${underline}`,
  ];
}

function header(sev: Severity, code: string, message: string, p: Palette): string {
  return `${p.severity(sev, `${sev}[${code}]`)}${p.bold(`: ${escapeControls(firstLine(message))}`)}`;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function relatedBlock(r: RelatedInfo, fileName: string, file: SourceFile | null, width: number, p: Palette): string[] {
  const loc = file !== null && file.name === fileName ? safeLocate(file, r.span) : null;
  if (loc === null) {
    return [`${' '.repeat(width + 1)}${p.bold('=')} note: ${escapeControls(r.message)}`];
  }
  const pad = ' '.repeat(width);
  return [
    `${p.severity('note', 'note')}${p.bold(`: ${escapeControls(r.message)}`)}`,
    `${pad}${p.gutter('-->')} ${escapeControls(fileName)}:${loc.line}:${loc.col}`,
    ...snippet(loc, width, '-', '', p, 'note'),
  ];
}

function safeLocate(file: SourceFile, span: Span | undefined): Located | null {
  try {
    return locate(file, span);
  } catch {
    return null;
  }
}

/** Render one diagnostic; `file` is the source it points into (or null when unavailable). Never throws. */
export function renderDiagnostic(d: Diagnostic, file: SourceFile | null, opts: RenderOptions): string {
  try {
    return renderUnsafe(d, file, opts);
  } catch {
    // last resort: a plain line with whatever fields are printable
    return escapeControls(`${String(d?.severity ?? 'error')}[${String(d?.code ?? '?')}]: ${String(d?.message ?? '')}`) + '\n';
  }
}

function renderUnsafe(d: Diagnostic, file: SourceFile | null, opts: RenderOptions): string {
  const p = palette(opts.color);
  const sameFile = file !== null && file.name === d.file;
  const loc = sameFile ? safeLocate(file, d.span) : null;
  const related = d.related ?? [];
  const relatedLocs = sameFile ? related.map((r) => safeLocate(file, r.span)) : [];
  const maxLine = Math.max(loc?.line ?? 1, ...relatedLocs.map((l) => l?.line ?? 1));
  const width = String(maxLine).length;
  const pad = ' '.repeat(width);
  const out: string[] = [header(d.severity, d.code, d.message, p)];
  if (loc !== null) {
    out.push(`${pad}${p.gutter('-->')} ${escapeControls(d.file)}:${loc.line}:${loc.col}`);
    out.push(...snippet(loc, width, '^', '', p, d.severity));
  } else if (d.file !== '') {
    const span = (d.span as Span | null | undefined) ?? undefined;
    const line = span !== undefined && isInt(span.line) && span.line > 0 ? span.line : 0;
    const col = span !== undefined && isInt(span.col) && span.col > 0 ? span.col : 0;
    out.push(`${pad}${p.gutter('-->')} ${escapeControls(d.file)}${line > 0 ? `:${line}${col > 0 ? `:${col}` : ''}` : ''}`);
  }
  // further lines of a multi-line message become notes
  const rest = d.message.split('\n').slice(1);
  for (const extra of rest) out.push(`${pad} ${p.bold('=')} note: ${escapeControls(extra)}`);
  if (d.help !== undefined) out.push(`${pad} ${p.bold('=')} help: ${escapeControls(d.help)}`);
  for (const r of related) out.push(...relatedBlock(r, d.file, sameFile ? file : null, width, p));
  return out.join('\n') + '\n';
}

/**
 * Render a list of diagnostics, separated by blank lines; '' for an empty list. Only the first
 * MAX_RENDERED_DIAGNOSTICS are rendered; a last line counts the rest.
 */
export function renderDiagnostics(list: readonly Diagnostic[], file: SourceFile | null, opts: RenderOptions): string {
  const shown = list.slice(0, MAX_RENDERED_DIAGNOSTICS).map((d) => renderDiagnostic(d, file, opts));
  const more = list.length - MAX_RENDERED_DIAGNOSTICS;
  if (more > 0) shown.push(`… and ${more} more diagnostic${more === 1 ? '' : 's'} (only the first ${MAX_RENDERED_DIAGNOSTICS} are shown)\n`);
  return shown.join('\n');
}

/** A one-line count such as "2 errors, 1 warning" ('' when there is nothing to count). */
export function summarizeDiagnostics(list: readonly Diagnostic[]): string {
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.filter((d) => d.severity === 'warning').length;
  const parts: string[] = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/**
 * The JSON fields for a list of diagnostics: `diagnostics` (the first MAX_JSON_DIAGNOSTICS) and,
 * when some were left out, `omittedDiagnostics` (how many).
 */
export function diagnosticsJsonFields(list: readonly Diagnostic[], file: SourceFile | null = null): { diagnostics: DiagnosticJson[]; omittedDiagnostics?: number } {
  const diagnostics = diagnosticsToJson(list, file);
  const omitted = list.length - diagnostics.length;
  return omitted > 0 ? { diagnostics, omittedDiagnostics: omitted } : { diagnostics };
}

/** Convert the first MAX_JSON_DIAGNOSTICS diagnostics to plain JSON objects; `file` (when given) supplies end positions. */
export function diagnosticsToJson(list: readonly Diagnostic[], file: SourceFile | null = null): DiagnosticJson[] {
  return list.slice(0, MAX_JSON_DIAGNOSTICS).map((d) => {
    const loc = file !== null && file.name === d.file ? safeLocate(file, d.span) : null;
    const line = loc?.line ?? (isInt(d.span?.line) ? d.span.line : 0);
    const col = loc?.col ?? (isInt(d.span?.col) ? d.span.col : 0);
    const width = isInt(d.span?.end) && isInt(d.span?.start) ? Math.max(0, d.span.end - d.span.start) : 0;
    const related = (d.related ?? []).map((r) => {
      const rl = file !== null && file.name === d.file ? safeLocate(file, r.span) : null;
      return { message: r.message, line: rl?.line ?? r.span.line, col: rl?.col ?? r.span.col };
    });
    return {
      code: d.code,
      severity: d.severity,
      message: d.message,
      file: d.file,
      line,
      col,
      endLine: loc?.endLine ?? line,
      endCol: loc?.endCol ?? col + width,
      ...(d.help !== undefined ? { help: d.help } : {}),
      ...(related.length > 0 ? { related } : {}),
    };
  });
}
