/**
 * Shared by the herd7 `.litmus` importers: diagnostics pointing into one file, the nesting guard
 * (the `.mw` parser's limit, H410), and the character classes and comment skipping of herd's
 * lexers.
 */
import type { SourceFile } from '../syntax/source.js';
import { diag } from '../diagnostics/diagnostic.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { MAX_NESTING } from '../syntax/parser.js';

// ---------------------------------------------------------------- diagnostics

/** Collects diagnostics pointing into one litmus file. */
export class LitmusDiags {
  readonly file: SourceFile;
  readonly list: Diagnostic[] = [];

  constructor(file: SourceFile) {
    this.file = file;
  }

  /** Report `code` over [start, end) of the file. */
  add(code: DiagnosticCode, start: number, end: number, message: string, help?: string): void {
    const s = Math.max(0, Math.min(start, this.file.text.length));
    const e = Math.max(s, Math.min(end, this.file.text.length));
    this.list.push(diag(code, this.file.name, this.file.span(s, e), message, help === undefined ? {} : { help }));
  }
}

// ---------------------------------------------------------------- nesting

/**
 * The nesting guard of a recursive-descent importer: the .mw parser's limit (MAX_NESTING levels;
 * brackets, blocks, negations and the length of an operator chain count), so that no input can
 * overflow the stack here or in the walks after parsing (resolve, lower, print, check). Reports
 * H410 once per file, then calls `bail`, which throws the importer's own unwinding exception.
 */
export class NestingGuard {
  private readonly d: LitmusDiags;
  private readonly bail: () => never;
  private depth = 0;
  private reported = false;

  constructor(d: LitmusDiags, bail: () => never) {
    this.d = d;
    this.bail = bail;
  }

  /** Run `body` one level deeper; `at` is where the level opens (the position reported). */
  nested<T>(at: { readonly start: number; readonly end: number }, body: () => T): T {
    this.depth++;
    try {
      if (this.depth > MAX_NESTING) this.tooDeep(at);
      return body();
    } finally {
      this.depth--;
    }
  }

  /** A left-nested chain of `length` operators at `at` deepens the tree without recursion: count it too. */
  chain(length: number, at: { readonly start: number; readonly end: number }): void {
    if (this.depth + length > MAX_NESTING) this.tooDeep(at);
  }

  private tooDeep(at: { readonly start: number; readonly end: number }): never {
    if (!this.reported) {
      this.reported = true;
      this.d.add('H410', at.start, Math.max(at.end, at.start + 1), `nesting too deep (the limit is ${MAX_NESTING} levels)`);
    }
    return this.bail();
  }
}

// ---------------------------------------------------------------- character classes

/** True for ASCII letters. */
export function isAlpha(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}
/** True for ASCII digits. */
export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
/** True for characters herd allows after the first character of a name (letters, digits, `_ / . -`). */
export function isHerdNameChar(c: string | undefined): boolean {
  return isAlpha(c) || isDigit(c) || c === '_' || c === '/' || c === '.' || c === '-';
}
/** Blank within a line: space, tab, carriage return. */
export function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r';
}

/**
 * Skip an OCaml-style `(* … *)` comment (nested) starting at `i` (which must point at `(*`).
 * Returns the offset just after the closing `*)`, or -1 when the comment is unterminated.
 */
export function skipMlComment(text: string, i: number): number {
  let depth = 0;
  let k = i;
  while (k < text.length) {
    if (text.startsWith('(*', k)) {
      depth++;
      k += 2;
    } else if (text.startsWith('*)', k)) {
      depth--;
      k += 2;
      if (depth === 0) return k;
    } else k++;
  }
  return -1;
}
