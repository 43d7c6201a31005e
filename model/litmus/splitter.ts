/**
 * Splitting a herd7 `.litmus` file into header, metadata, init block, code and constraints, the
 * way herd's splitter does (herdtools7's `lib/splitter.mll`, read for reference; this is an
 * independent implementation).
 */
import type { SourceFile, Span } from '../syntax/source.js';
import { LitmusDiags, isAlpha, isBlank, isDigit, isHerdNameChar, skipMlComment } from './litmusText.js';

// ---------------------------------------------------------------- splitting the file

/** A half-open region [start, end) of the file text. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** The sections of a litmus file, as herd's splitter finds them. */
export interface LitmusSplit {
  readonly arch: string;
  readonly archSpan: Span;
  readonly name: string;
  readonly description: string | null;
  readonly metadata: readonly { readonly key: string; readonly value: string }[];
  /** inside the braces of the init block */
  readonly init: Range;
  readonly code: Range;
  /** from the first constraint keyword to end of file (or `<<`) */
  readonly constraints: Range;
}

/** Words that end the code section (herd's splitter). */
const CONSTRAINT_KEYWORDS: ReadonlySet<string> = new Set(['final', 'forall', 'exists', 'cases', 'observed', 'Observed', 'locations', 'filter']);

/**
 * Split a litmus file into its sections. `cStyle` selects how comments in the code section are
 * recognised: ML-style comments for assembly dialects; C block and line comments for C (where "(*" is legal code).
 * Returns null (after reporting H401/H403) when the header or init block cannot be found.
 */
export function splitLitmus(file: SourceFile, d: LitmusDiags, cStyleFor: (arch: string) => boolean): LitmusSplit | null {
  const text = file.text;
  let i = 0;
  // herd requires the header on the first line; we also tolerate leading blank lines.
  while (i < text.length && (isBlank(text[i]) || text[i] === '\n')) i++;
  const archStart = i;
  while (i < text.length && (isAlpha(text[i]) || isDigit(text[i]) || text[i] === '_')) i++;
  const arch = text.slice(archStart, i);
  const lineEnd = endOfLine(text, archStart);
  if (arch.length === 0) {
    d.add('H401', archStart, Math.max(archStart + 1, lineEnd), 'expected the architecture and test name on the first line, e.g. "X86 SB"');
    return null;
  }
  const archSpan = file.span(archStart, i);
  const blankStart = i;
  while (i < text.length && isBlank(text[i])) i++;
  const nameStart = i;
  while (i < text.length && (isAlpha(text[i]) || isDigit(text[i]) || '_/.-+[]'.includes(text[i] ?? ' '))) i++;
  if (i === blankStart || i === nameStart) {
    d.add('H401', archStart, Math.max(i, lineEnd), `expected a test name after the architecture "${arch}"`);
    return null;
  }
  const name = text.slice(nameStart, i);
  while (i < text.length && isBlank(text[i])) i++;
  // optional "(texname)"
  if (text[i] === '(' && text[i + 1] !== '*') {
    const close = text.indexOf(')', i);
    const nl = endOfLine(text, i);
    if (close >= 0 && close < nl) {
      i = close + 1;
      while (i < text.length && isBlank(text[i])) i++;
    }
  }
  // optional doc string, on this line or the next
  let description: string | null = null;
  {
    let k = i;
    if (text[k] === '\n') k++;
    while (k < text.length && isBlank(text[k])) k++;
    if (text[k] === '"') {
      const close = text.indexOf('"', k + 1);
      if (close >= 0) {
        description = text.slice(k + 1, close);
        i = close + 1;
        while (i < text.length && isBlank(text[i])) i++;
      }
    }
  }
  if (text[i] === ';') i++;

  // metadata lines and junk up to the init block
  const metadata: { key: string; value: string }[] = [];
  let atLineStart = false;
  let initOpen = -1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      i++;
      atLineStart = true;
      continue;
    }
    if (text.startsWith('(*', i)) {
      const e = skipMlComment(text, i);
      if (e < 0) {
        d.add('H401', i, i + 2, 'unterminated comment "(*" before the init block', 'close the comment with *)');
        return null;
      }
      i = e;
      atLineStart = false;
      continue;
    }
    if (c === '{') {
      initOpen = i;
      break;
    }
    if (atLineStart && isAlpha(c)) {
      const kv = /^([A-Za-z][A-Za-z0-9_/.-]*)[ \t\r]*=[ \t\r]*([^\n]*)\n/.exec(text.slice(i, endOfLine(text, i) + 1));
      if (kv !== null) {
        metadata.push({ key: kv[1] ?? '', value: (kv[2] ?? '').trim() });
        i += kv[0].length;
        atLineStart = true;
        continue;
      }
    }
    if (atLineStart && c === '"' && description === null) {
      const close = text.indexOf('"', i + 1);
      if (close >= 0) {
        description = text.slice(i + 1, close);
        i = close + 1;
        atLineStart = false;
        continue;
      }
    }
    // anything else is skipped, as herd does
    i++;
    atLineStart = false;
  }
  if (initOpen < 0) {
    d.add('H403', text.length, text.length, 'expected the init block "{ … }" before the code', 'every litmus test has an init block, even an empty one: {}');
    return null;
  }
  const initClose = text.indexOf('}', initOpen + 1);
  if (initClose < 0) {
    d.add('H403', initOpen, initOpen + 1, 'unterminated init block: no closing "}"');
    return null;
  }
  const cStyle = cStyleFor(arch);
  const codeStart = initClose + 1;
  const codeEnd = findConstraintStart(text, codeStart, cStyle);
  let constrEnd = text.length;
  {
    let k = codeEnd;
    while (k < text.length) {
      if (text.startsWith('(*', k)) {
        const e = skipMlComment(text, k);
        k = e < 0 ? text.length : e;
      } else if (text.startsWith('<<', k)) {
        constrEnd = k;
        break;
      } else k++;
    }
  }
  return {
    arch,
    archSpan,
    name,
    description,
    metadata,
    init: { start: initOpen + 1, end: initClose },
    code: { start: codeStart, end: codeEnd },
    constraints: { start: codeEnd, end: constrEnd },
  };
}

function endOfLine(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl;
}

/** The offset of the first constraint keyword after `from` (skipping comments and strings), or the end of the text. */
function findConstraintStart(text: string, from: number, cStyle: boolean): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (!cStyle && text.startsWith('(*', i)) {
      const e = skipMlComment(text, i);
      i = e < 0 ? text.length : e;
      continue;
    }
    if (cStyle && text.startsWith('/*', i)) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? text.length : e + 2;
      continue;
    }
    if (cStyle && text.startsWith('//', i)) {
      i = endOfLine(text, i);
      continue;
    }
    if (c === '"') {
      const e = text.indexOf('"', i + 1);
      i = e < 0 ? text.length : e + 1;
      continue;
    }
    if (isAlpha(c) || c === '_') {
      const s = i;
      i++;
      while (i < text.length && (isHerdNameChar(text[i]) || text[i] === '_')) i++;
      if (CONSTRAINT_KEYWORDS.has(text.slice(s, i))) return s;
      continue;
    }
    if (c === '~') {
      let k = i + 1;
      while (k < text.length && (isBlank(text[k]) || text[k] === '\n')) k++;
      if (text.startsWith('exists', k) && !isHerdNameChar(text[k + 6])) return i;
    }
    i++;
  }
  return text.length;
}
