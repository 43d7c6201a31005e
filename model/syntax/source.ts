/** A source text and its name, with offset → line/column mapping. Pure. */

/** A half-open range [start, end) of UTF-16 code-unit offsets in one source file, with the 1-based line and column of start. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
}

/** A span that points nowhere (synthesised nodes). */
export const NO_SPAN: Span = { start: 0, end: 0, line: 0, col: 0 };

/**
 * The text the front end reads from a file's contents: a leading UTF-8 byte-order mark (U+FEFF)
 * dropped, and each lone carriage return (old Mac line endings) made a line feed, in place, so
 * every offset after the mark is unchanged. CRLF stays as it is (lines end at the LF).
 */
export function normaliseSourceText(text: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.includes('\r') ? body.replace(/\r(?!\n)/g, '\n') : body;
}

/** One source file: its display name and its text. */
export class SourceFile {
  readonly name: string;
  readonly text: string;
  /** invariant: lineStarts[k] is the offset of the first character of line k+1; lineStarts[0] === 0 */
  readonly lineStarts: readonly number[];

  constructor(name: string, text: string) {
    this.name = name;
    this.text = text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  /** 1-based line and column of an offset (clamped into the text). */
  lineCol(offset: number): { line: number; col: number } {
    const off = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: off - (this.lineStarts[lo] ?? 0) + 1 };
  }

  /** A span for [start, end) with its line/col filled in. */
  span(start: number, end: number): Span {
    const { line, col } = this.lineCol(start);
    return { start, end, line, col };
  }

  /** The text of 1-based line n without its newline ('' when out of range). */
  lineText(n: number): string {
    const s = this.lineStarts[n - 1];
    if (s === undefined) return '';
    const next = this.lineStarts[n];
    const e = next === undefined ? this.text.length : next - 1;
    return this.text.slice(s, e).replace(/\r$/, '');
  }

  /** The source text under a span. */
  slice(span: Span): string {
    return this.text.slice(span.start, span.end);
  }
}

/** Merge two spans into the smallest span covering both. */
export function joinSpans(a: Span, b: Span): Span {
  if (a === NO_SPAN) return b;
  if (b === NO_SPAN) return a;
  return a.start <= b.start ? { start: a.start, end: Math.max(a.end, b.end), line: a.line, col: a.col } : { start: b.start, end: Math.max(a.end, b.end), line: b.line, col: b.col };
}
