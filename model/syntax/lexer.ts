/**
 * The .mw lexer: source text → tokens with spans, plus lexical diagnostics (E0xx).
 * It never throws: a bad character is reported (E001) and skipped, an unterminated string or
 * comment is reported (E002/E003) and closed at the end of its line or of the file.
 * Comments (`//`, `/* … *\/` and herd's `(* … *)`) and whitespace produce no tokens; lexWithComments
 * also returns the comments as trivia with their spans (for the formatter), with the same tokens.
 * Integer literals: decimal or 0x hex; hex up to 0xffffffff wraps to signed 32-bit. The decimal
 * 2147483648 is lexed without complaint (value 2147483648) because `-2147483648` is valid: the
 * parser reports E004 when it is not the operand of a unary minus.
 * Not handled here: keywords are classified, but modes (`sc`, `rel`, …) stay identifiers.
 */
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from './source.js';

/** Reserved words of .mw (docs/language.md). Modes are not reserved. */
export const KEYWORDS = [
  'test', 'description', 'source', 'param', 'shared', 'thread', 'in', 'if', 'else', 'while', 'for', 'await', 'assert',
  'assume', 'critical', 'goto', 'skip', 'exists', 'forall', 'locations', 'filter', 'load', 'store', 'exchange', 'cmpxchg',
  'fetch_add', 'fetch_sub', 'fetch_and', 'fetch_or', 'fetch_xor', 'fence', 'wait', 'notify', 'true', 'false',
] as const;
export type Keyword = (typeof KEYWORDS)[number];

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

/** True when `name` is a reserved word. */
export function isKeyword(name: string): boolean {
  return KEYWORD_SET.has(name);
}

/** True when `name` can be written as a bare identifier (matches the identifier syntax and is not reserved). */
export function isPlainIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORD_SET.has(name);
}

/** Punctuation tokens, longest first (the lexer tries them in this order). */
export const PUNCTUATION = [
  '..', '/\\', '\\/', '=>', '==', '!=', '<=', '>=', '<<', '>>', '&&', '||',
  '{', '}', '(', ')', '[', ']', ';', ',', ':', '.', '=', '+', '-', '*', '/', '%', '<', '>', '!', '~', '&', '|', '^',
] as const;
export type Punct = (typeof PUNCTUATION)[number];

/** A token. `text` is the exact source text; int and string tokens also carry their value. */
export type Token =
  | { readonly kind: 'ident' | 'keyword' | 'punct' | 'eof'; readonly text: string; readonly span: Span }
  /** value: the literal's value (decimal 2147483648 is kept as is; the parser range-checks it) */
  | { readonly kind: 'int'; readonly text: string; readonly value: number; readonly span: Span }
  /** value: the decoded string (escapes \" \\ \n \t \r \uXXXX resolved) */
  | { readonly kind: 'string'; readonly text: string; readonly value: string; readonly span: Span };

/** The kinds a token can have. */
export type TokenKind = Token['kind'];

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}
function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** A comment as trivia: its style, its exact text (a `//` comment without trailing whitespace or `\r`) and its span. */
export interface CommentTrivia {
  /** `//` → 'line', `/* *\/` → 'block', `(* *)` → 'herd' */
  readonly kind: 'line' | 'block' | 'herd';
  readonly text: string;
  readonly span: Span;
}

/** Lex a whole file. Always ends with one `eof` token; never throws. */
export function lex(file: SourceFile): { tokens: Token[]; diagnostics: Diagnostic[] } {
  return lexFile(file, null);
}

/** Lex a whole file as `lex` does (same tokens, same diagnostics), also returning its comments in source order. */
export function lexWithComments(file: SourceFile): { tokens: Token[]; diagnostics: Diagnostic[]; comments: CommentTrivia[] } {
  const comments: CommentTrivia[] = [];
  const { tokens, diagnostics } = lexFile(file, comments);
  return { tokens, diagnostics, comments };
}

/** The lexer proper; comments are pushed on `comments` when it is not null. */
function lexFile(file: SourceFile, comments: CommentTrivia[] | null): { tokens: Token[]; diagnostics: Diagnostic[] } {
  const text = file.text;
  const n = text.length;
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  let i = 0;

  const report = (code: 'E001' | 'E002' | 'E003' | 'E004', start: number, end: number, message: string, help?: string): void => {
    diagnostics.push(diag(code, file.name, file.span(start, end), message, help !== undefined ? { help } : {}));
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    // comments
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const from = i;
      while (i < n && text.charCodeAt(i) !== 10) i++;
      if (comments !== null) {
        let to = i;
        while (to > from + 2 && /[ \t\r\f\v]/.test(text.charAt(to - 1))) to--;
        comments.push({ kind: 'line', text: text.slice(from, to), span: file.span(from, to) });
      }
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const from = i;
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        report('E003', i, i + 2, 'unterminated block comment: missing */');
        i = n;
      } else i = close + 2;
      if (comments !== null) comments.push({ kind: 'block', text: text.slice(from, i), span: file.span(from, i) });
      continue;
    }
    if (c === 40 /* ( */ && text.charCodeAt(i + 1) === 42) {
      const from = i;
      const close = text.indexOf('*)', i + 2);
      if (close < 0) {
        report('E003', i, i + 2, 'unterminated comment: missing *)', 'close the comment with *)');
        i = n;
      } else i = close + 2;
      if (comments !== null) comments.push({ kind: 'herd', text: text.slice(from, i), span: file.span(from, i) });
      continue;
    }
    const start = i;
    // identifiers and keywords
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      tokens.push({ kind: KEYWORD_SET.has(word) ? 'keyword' : 'ident', text: word, span: file.span(start, i) });
      continue;
    }
    // integers
    if (isDigit(c)) {
      let value: number;
      if (c === 48 && (text.charCodeAt(i + 1) === 120 || text.charCodeAt(i + 1) === 88)) {
        i += 2;
        const digitsStart = i;
        while (i < n && isHexDigit(text.charCodeAt(i))) i++;
        const digits = text.slice(digitsStart, i);
        if (digits.length === 0) {
          while (i < n && isIdentPart(text.charCodeAt(i))) i++;
          report('E001', start, i, `malformed hex literal '${text.slice(start, i)}'`);
          tokens.push({ kind: 'int', text: text.slice(start, i), value: 0, span: file.span(start, i) });
          continue;
        }
        const big = parseInt(digits, 16);
        if (big > 0xffffffff) {
          report('E004', start, i, `integer literal ${text.slice(start, i)} is out of 32-bit range`);
          value = 0;
        } else value = big | 0;
      } else {
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        const big = Number(text.slice(start, i));
        if (big > 2147483648) {
          report('E004', start, i, `integer literal ${text.slice(start, i)} is out of 32-bit range`);
          value = 0;
        } else value = big;
      }
      if (i < n && isIdentPart(text.charCodeAt(i))) {
        const litEnd = i;
        while (i < n && isIdentPart(text.charCodeAt(i))) i++;
        report('E001', litEnd, i, `unexpected characters '${text.slice(litEnd, i)}' after integer literal`);
      }
      tokens.push({ kind: 'int', text: text.slice(start, i), value, span: file.span(start, i) });
      continue;
    }
    // strings
    if (c === 34 /* " */) {
      i++;
      let value = '';
      let closed = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 34) {
          i++;
          closed = true;
          break;
        }
        if (d === 10 || (d === 13 && text.charCodeAt(i + 1) === 10)) break;
        if (d === 92 /* \ */) {
          const e = text[i + 1];
          if (e === '"' || e === '\\') value += e;
          else if (e === 'n') value += '\n';
          else if (e === 't') value += '\t';
          else if (e === 'r') value += '\r';
          else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            // \uXXXX: any UTF-16 code unit, how the printer writes control characters
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          } else if (e === undefined || e === '\n') {
            i++;
            continue;
          } else {
            report('E001', i, i + 2, `unknown escape sequence '\\${e}' in string`, 'strings accept the escapes \\" \\\\ \\n \\t \\r and \\uXXXX (four hex digits)');
            value += e;
          }
          i += 2;
          continue;
        }
        value += text[i];
        i++;
      }
      if (!closed) report('E002', start, i, 'unterminated string literal');
      tokens.push({ kind: 'string', text: text.slice(start, i), value, span: file.span(start, i) });
      continue;
    }
    // punctuation
    let matched: string | null = null;
    for (const p of PUNCTUATION) {
      if (text.startsWith(p, i)) {
        matched = p;
        break;
      }
    }
    if (matched !== null) {
      i += matched.length;
      tokens.push({ kind: 'punct', text: matched, span: file.span(start, i) });
      continue;
    }
    // anything else: report and skip one code point
    const cp = text.codePointAt(i) ?? c;
    const width = cp > 0xffff ? 2 : 1;
    const shown = cp < 32 || cp === 127 ? `\\u{${cp.toString(16)}}` : String.fromCodePoint(cp);
    report('E001', i, i + width, `unexpected character '${shown}'`);
    i += width;
  }
  tokens.push({ kind: 'eof', text: '', span: file.span(n, n) });
  return { tokens, diagnostics };
}
