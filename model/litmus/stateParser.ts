/**
 * The init block and the final condition of a herd7 `.litmus` file (`exists` / `~exists` /
 * `forall` / `final`, `locations [...]`, `filter`), after herdtools7's `lib/stateLexer.mll` and
 * `lib/stateParser.mly` (read for reference; this is an independent implementation).
 *
 * Connective precedence is herd's, not .mw's: `~` binds tightest, then `=>` (right-assoc), then
 * `/\`, then `\/` (both left-assoc). So `a /\ b => c` is `a /\ (b => c)` as in herd.
 *
 * Does not support (reports a diagnostic instead): addresses as values (`0:EBX=x`, `int *p=&x`),
 * arrays, `observed`/`cases` conditions, `fault(...)` atoms, and tagged/PTE values. The `with`
 * clause after a condition (herd's per-model expectations) is skipped silently.
 */
import type { CondExpr, CondTerm, FinalCondition, Quantifier } from '../syntax/ast.js';
import type { SourceFile, Span } from '../syntax/source.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { LitmusDiags, NestingGuard, isAlpha, isBlank, isDigit, isHerdNameChar, skipMlComment } from './litmusText.js';
import { type Range } from './splitter.js';

// ---------------------------------------------------------------- the state lexer (init and constraints)

/** A token of herd's state language (init block and final condition). */
export interface StTok {
  readonly kind: 'num' | 'name' | 'proc' | 'punct' | 'eof' | 'bad';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const ST_PUNCT = ['/\\', '\\/', '=>', '==', '!=', '<>', '=', '~', ';', ':', ',', '[', ']', '(', ')', '{', '}', '*', '&', '+'] as const;

/** Tokenise [range.start, range.end) with herd's state lexer; an unterminated comment is reported with `code`. */
export function lexState(file: SourceFile, range: Range, d: LitmusDiags, code: DiagnosticCode): StTok[] {
  const text = file.text;
  const out: StTok[] = [];
  let i = range.start;
  const end = range.end;
  while (i < end) {
    const c = text[i];
    if (isBlank(c) || c === '\n') {
      i++;
      continue;
    }
    if (text.startsWith('(*', i)) {
      const e = skipMlComment(text, i);
      if (e < 0 || e > end) {
        d.add(code, i, i + 2, 'unterminated comment "(*"', 'close the comment with *)');
        break;
      }
      i = e;
      continue;
    }
    const s = i;
    if (isDigit(c) || (c === '-' && isDigit(text[i + 1]))) {
      if (c === '-') i++;
      if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && /[0-9a-fA-F]/.test(text[i + 2] ?? '')) {
        i += 2;
        while (i < end && /[0-9a-fA-F]/.test(text[i] ?? '')) i++;
      } else {
        while (i < end && isDigit(text[i])) i++;
      }
      out.push({ kind: 'num', text: text.slice(s, i), start: s, end: i });
      continue;
    }
    if (c === 'P' && isDigit(text[i + 1])) {
      let k = i + 1;
      while (k < end && isDigit(text[k])) k++;
      if (!(isHerdNameChar(text[k]) && !(text[k] === '/' && text[k + 1] === '\\'))) {
        out.push({ kind: 'proc', text: text.slice(s, k), start: s, end: k });
        i = k;
        continue;
      }
    }
    if (isAlpha(c) || c === '_' || c === '.' || c === '$') {
      i++;
      while (i < end && (isAlpha(text[i]) || text[i] === '_' || text[i] === '.' || text[i] === '$')) i++;
      while (i < end && isHerdNameChar(text[i]) && !(text[i] === '/' && text[i + 1] === '\\') && !(text[i] === '-' && !isHerdNameChar(text[i + 1]))) i++;
      out.push({ kind: 'name', text: text.slice(s, i), start: s, end: i });
      continue;
    }
    const p = ST_PUNCT.find((q) => text.startsWith(q, i));
    if (p !== undefined && i + p.length <= end) {
      out.push({ kind: 'punct', text: p, start: s, end: s + p.length });
      i += p.length;
      continue;
    }
    // a backquoted value, a %register, or a stray character: one 'bad' token
    i++;
    out.push({ kind: 'bad', text: text.slice(s, i), start: s, end: i });
  }
  out.push({ kind: 'eof', text: '', start: end, end });
  return out;
}

/** Parse an integer literal (decimal, optionally negative, or 0x hex) into a 32-bit value; null when out of range. */
export function parseIntLit(s: string): number | null {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) {
    v = parseInt(body.slice(2), 16);
    if (v > 0xffffffff) return null;
    v = v | 0;
  } else if (/^[0-9]+$/.test(body)) {
    v = Number(body);
    if (v > 2147483648 || (v === 2147483648 && !neg)) return null;
  } else return null;
  return neg ? -v | 0 : v;
}

// ---------------------------------------------------------------- init block

/** One entry of the init block, resolved to what memweave supports. */
export type InitEntry =
  | { readonly kind: 'loc'; readonly name: string; readonly value: number; readonly span: Span; readonly nameSpan: Span }
  | { readonly kind: 'reg'; readonly thread: number; readonly reg: string; readonly value: number; readonly span: Span };

/**
 * Parse the init block: entries separated by `;`, each `loc`, `loc = v`, `type loc = v`,
 * `[x] = v`, `0:EAX = v`, `P0:r0 = v`. Unsupported forms (addresses, arrays, pointers) are
 * reported (H406 for addresses and pointers, H403 otherwise) and skipped.
 */
export function parseInit(file: SourceFile, range: Range, d: LitmusDiags): InitEntry[] {
  const toks = lexState(file, range, d, 'H403');
  const entries: InitEntry[] = [];
  let cur: StTok[] = [];
  for (const t of toks) {
    if (t.kind === 'eof' || (t.kind === 'punct' && t.text === ';')) {
      if (cur.length > 0) {
        const e = parseInitEntry(file, cur, d);
        if (e !== null) entries.push(e);
      }
      cur = [];
    } else cur.push(t);
  }
  return entries;
}

function parseInitEntry(file: SourceFile, toks: readonly StTok[], d: LitmusDiags): InitEntry | null {
  const first = toks[0];
  const last = toks[toks.length - 1];
  if (first === undefined || last === undefined) return null;
  const span = file.span(first.start, last.end);
  const eq = toks.findIndex((t) => t.kind === 'punct' && t.text === '=');
  const lhs = eq < 0 ? toks : toks.slice(0, eq);
  const rhs = eq < 0 ? [] : toks.slice(eq + 1);
  const whole = file.slice(span);
  // the location: at the end of the left-hand side
  const n = lhs.length;
  const l1 = lhs[n - 1];
  const l2 = lhs[n - 2];
  const l3 = lhs[n - 3];
  let target: { kind: 'loc'; name: string; nameSpan: Span } | { kind: 'reg'; thread: number; reg: string } | null = null;
  let typeToks: readonly StTok[] = [];
  if (l1 !== undefined && l2 !== undefined && l3 !== undefined && l1.kind === 'name' && l2.text === ':' && (l3.kind === 'num' || l3.kind === 'proc')) {
    const th = l3.kind === 'num' ? parseIntLit(l3.text) : Number(l3.text.slice(1));
    if (th === null || th < 0) {
      d.add('H403', l3.start, l3.end, `"${l3.text}" is not a thread number`);
      return null;
    }
    target = { kind: 'reg', thread: th, reg: l1.text };
    typeToks = lhs.slice(0, n - 3);
  } else if (l1 !== undefined && l2 !== undefined && l3 !== undefined && l1.text === ']' && l2.kind === 'name' && l3.text === '[') {
    if (n >= 4 && lhs[n - 4]?.kind === 'name' && n === 4) {
      d.add('H403', span.start, span.end, `array location "${whole}" is not supported`, 'memweave imports scalar locations only');
      return null;
    }
    target = { kind: 'loc', name: l2.text, nameSpan: file.span(l2.start, l2.end) };
    typeToks = lhs.slice(0, n - 3);
  } else if (l1 !== undefined && l1.kind === 'name') {
    target = { kind: 'loc', name: l1.text, nameSpan: file.span(l1.start, l1.end) };
    typeToks = lhs.slice(0, n - 1);
  } else if (l1 !== undefined && l1.text === ']' && n >= 4 && l2?.kind === 'num') {
    d.add('H403', span.start, span.end, `array declaration "${whole}" is not supported`, 'memweave imports scalar locations only');
    return null;
  } else {
    d.add('H403', span.start, span.end, `malformed init entry "${whole}"`, 'write "x=1" for a location or "0:EAX=1" for a register');
    return null;
  }
  for (const t of typeToks) {
    if (t.text === '*') {
      d.add('H406', span.start, span.end, `pointer declaration "${whole}" is not supported`, 'memweave imports integer locations only; pointers and addresses are out of scope');
      return null;
    }
    if (t.kind !== 'name') {
      d.add('H403', t.start, t.end, `unexpected "${t.text}" in init entry "${whole}"`);
      return null;
    }
  }
  // the value
  let value = 0;
  if (eq >= 0) {
    let vt = rhs;
    // ATOMIC_INIT(v)
    if (vt.length === 4 && vt[0]?.text === 'ATOMIC_INIT' && vt[1]?.text === '(' && vt[3]?.text === ')') vt = [vt[2] as StTok];
    const v0 = vt[0];
    if (v0 === undefined) {
      const e = toks[eq] as StTok;
      d.add('H403', e.start, e.end, `missing value after "=" in init entry "${whole}"`);
      return null;
    }
    if (vt.length === 1 && v0.kind === 'num') {
      const v = parseIntLit(v0.text);
      if (v === null) {
        d.add('H411', v0.start, v0.end, `initial value ${v0.text} does not fit in memweave's 32-bit values`);
        return null;
      }
      value = v;
    } else if ((vt.length === 1 && v0.kind === 'name') || v0.text === '&') {
      d.add('H406', span.start, span.end, `initialising ${target.kind === 'reg' ? `register ${target.thread}:${target.reg}` : `"${target.name}"`} with an address ("${file.text.slice(v0.start, (vt[vt.length - 1] as StTok).end)}") is not supported`, 'memweave models integer values only: pointers and addresses in registers or memory are out of scope');
      return null;
    } else if (v0.text === '{') {
      d.add('H403', span.start, span.end, `array initialiser in "${whole}" is not supported`, 'memweave imports scalar locations only');
      return null;
    } else {
      d.add('H403', v0.start, (vt[vt.length - 1] as StTok).end, `malformed initial value in "${whole}"`, 'initial values are integers, e.g. x=1');
      return null;
    }
  }
  if (target.kind === 'reg') return { kind: 'reg', thread: target.thread, reg: target.reg, value, span };
  return { kind: 'loc', name: target.name, value, span, nameSpan: target.nameSpan };
}

// ---------------------------------------------------------------- constraints

/** What the constraints section holds. */
export interface Constraints {
  readonly condition: FinalCondition | null;
  readonly locations: readonly CondTerm[];
  readonly filter: CondExpr | null;
}

/** Thrown inside the condition parser to abandon the section after one diagnostic; never escapes parseConstraints. */
class CondBail {
  readonly tag = 'bail';
}

/** Parse the constraints section: any of `locations [...]`, `filter prop`, and one quantified condition. */
export function parseConstraints(file: SourceFile, range: Range, d: LitmusDiags): Constraints {
  const toks = lexState(file, range, d, 'H407');
  const p = new CondParser(file, toks, d);
  let condition: FinalCondition | null = null;
  const locations: CondTerm[] = [];
  let filter: CondExpr | null = null;
  try {
    for (;;) {
      const t = p.peek();
      if (t.kind === 'eof') break;
      if (t.text === ';') {
        p.next();
        continue;
      }
      if (t.kind === 'name' && t.text === 'locations') {
        p.next();
        locations.push(...p.parseLocations());
        continue;
      }
      if (t.kind === 'name' && t.text === 'filter') {
        p.next();
        if (filter !== null) p.fail(t, 'more than one filter');
        filter = p.parseProp();
        continue;
      }
      if (t.kind === 'name' && t.text === 'with') {
        // herd's per-model expectations ("with tso: exists; sc: ~exists"): not used by memweave
        break;
      }
      const q = p.quantifier();
      if (q !== null) {
        if (condition !== null) p.fail(t, 'more than one final condition', 'a test has at most one exists / ~exists / forall condition');
        const expr = p.parseProp();
        condition = { quantifier: q, expr, span: file.span(t.start, p.lastEnd) };
        continue;
      }
      if (t.kind === 'name' && (t.text === 'observed' || t.text === 'Observed' || t.text === 'cases')) {
        p.fail(t, `"${t.text}" conditions are not supported`, 'use exists, ~exists or forall');
      }
      p.fail(t, `unexpected "${t.text}" in the final condition`, 'the constraints section holds locations [...], filter (...) and one of exists / ~exists / forall (...)');
    }
  } catch (e) {
    if (!(e instanceof CondBail)) throw e;
  }
  return { condition, locations, filter };
}

/** Parse a standalone proposition (used by tests and tools); the whole range must be one proposition. */
export function parseCondExpr(file: SourceFile, range: Range, d: LitmusDiags): CondExpr | null {
  const toks = lexState(file, range, d, 'H407');
  const p = new CondParser(file, toks, d);
  try {
    const e = p.parseProp();
    if (p.peek().kind !== 'eof') p.fail(p.peek(), `unexpected "${p.peek().text}" after the condition`);
    return e;
  } catch (e) {
    if (!(e instanceof CondBail)) throw e;
    return null;
  }
}

/** Recursive-descent parser over state tokens for herd propositions. */
class CondParser {
  private readonly file: SourceFile;
  private readonly toks: readonly StTok[];
  private readonly d: LitmusDiags;
  private pos = 0;
  /** end offset of the last consumed token */
  lastEnd: number;
  private readonly guard: NestingGuard;

  constructor(file: SourceFile, toks: readonly StTok[], d: LitmusDiags) {
    this.file = file;
    this.toks = toks;
    this.d = d;
    this.lastEnd = toks[0]?.start ?? 0;
    this.guard = new NestingGuard(d, () => {
      throw new CondBail();
    });
  }

  peek(k = 0): StTok {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)] as StTok;
  }
  next(): StTok {
    const t = this.peek();
    if (this.pos < this.toks.length - 1) this.pos++;
    this.lastEnd = t.end;
    return t;
  }
  fail(t: StTok, message: string, help?: string, code: DiagnosticCode = 'H407'): never {
    this.d.add(code, t.start, Math.max(t.end, t.start + 1), message, help);
    throw new CondBail();
  }
  expect(text: string, what: string): StTok {
    const t = this.peek();
    if (t.text !== text || t.kind === 'eof') this.fail(t, `expected "${text}" ${what}, found ${describe(t)}`);
    return this.next();
  }

  /** Consume a quantifier if one is next. */
  quantifier(): Quantifier | null {
    const t = this.peek();
    if (t.kind === 'name' && t.text === 'exists') {
      this.next();
      return 'exists';
    }
    if (t.kind === 'name' && (t.text === 'forall')) {
      this.next();
      return 'forall';
    }
    if (t.kind === 'name' && t.text === 'final') {
      this.next();
      return 'exists';
    }
    if ((t.text === '~' || (t.kind === 'name' && t.text === 'not')) && this.peek(1).kind === 'name' && this.peek(1).text === 'exists') {
      this.next();
      this.next();
      return 'not exists';
    }
    if (t.text === '(' && t.kind === 'punct') return 'exists'; // herd: a bare "(prop)" means exists
    return null;
  }

  parseLocations(): CondTerm[] {
    this.expect('[', 'after "locations"');
    const out: CondTerm[] = [];
    for (;;) {
      const t = this.peek();
      if (t.text === ']' && t.kind === 'punct') {
        this.next();
        return out;
      }
      if (t.text === ';' && t.kind === 'punct') {
        this.next();
        continue;
      }
      if (t.kind === 'eof') this.fail(t, 'unterminated "locations [": expected "]"');
      out.push(this.parseLhsTerm());
      // optional type annotation: "x int*", "0:r0 int"
      while (this.peek().kind === 'name' || (this.peek().text === '*' && this.peek().kind === 'punct')) this.next();
    }
  }

  parseProp(): CondExpr {
    let left = this.parseAnd();
    let chain = 0;
    while (this.peek().text === '\\/' && this.peek().kind === 'punct') {
      this.guard.chain(++chain, this.peek());
      this.next();
      const right = this.parseAnd();
      left = { kind: 'or', left, right, span: join(this.file, left.span, right.span) };
    }
    return left;
  }
  private parseAnd(): CondExpr {
    let left = this.parseImplies();
    let chain = 0;
    while (this.peek().text === '/\\' && this.peek().kind === 'punct') {
      this.guard.chain(++chain, this.peek());
      this.next();
      const right = this.parseImplies();
      left = { kind: 'and', left, right, span: join(this.file, left.span, right.span) };
    }
    return left;
  }
  private parseImplies(): CondExpr {
    const left = this.parseUnary();
    const op = this.peek();
    if (op.text === '=>' && op.kind === 'punct') {
      this.next();
      const right = this.guard.nested(op, () => this.parseImplies());
      return { kind: 'implies', left, right, span: join(this.file, left.span, right.span) };
    }
    return left;
  }
  private parseUnary(): CondExpr {
    const t = this.peek();
    if ((t.text === '~' && t.kind === 'punct') || (t.kind === 'name' && t.text === 'not')) {
      this.next();
      const operand = this.guard.nested(t, () => this.parseUnary());
      return { kind: 'not', operand, span: this.file.span(t.start, operand.span.end) };
    }
    if (t.kind === 'name' && (t.text === 'true' || t.text === 'false')) {
      this.next();
      return { kind: 'bool', value: t.text === 'true', span: this.file.span(t.start, t.end) };
    }
    if (t.kind === 'punct' && t.text === '(') {
      this.next();
      const e = this.guard.nested(t, () => this.parseProp());
      const close = this.expect(')', 'to close "("');
      return { ...e, span: this.file.span(t.start, close.end) };
    }
    return this.parseAtom();
  }
  private parseAtom(): CondExpr {
    const left = this.parseLhsTerm();
    const op = this.peek();
    let cmp: '=' | '!=';
    if (op.kind === 'punct' && (op.text === '=' || op.text === '==')) cmp = '=';
    else if (op.kind === 'punct' && (op.text === '!=' || op.text === '<>')) cmp = '!=';
    else this.fail(op, `expected "=" or "!=" after ${this.file.text.slice(left.span.start, left.span.end)}, found ${describe(op)}`);
    this.next();
    const right = this.parseRhsTerm();
    return { kind: 'cmp', op: cmp, left, right, span: join(this.file, left.span, right.span) };
  }

  /** A location or register: `x`, `[x]`, `0:EAX`, `P0:r0`. */
  private parseLhsTerm(): CondTerm {
    const t = this.peek();
    if ((t.kind === 'num' || t.kind === 'proc') && this.peek(1).text === ':' && this.peek(1).kind === 'punct') {
      this.next();
      this.next();
      const r = this.peek();
      if (r.kind !== 'name') this.fail(r, `expected a register name after "${t.text}:", found ${describe(r)}`);
      this.next();
      const span = this.file.span(t.start, r.end);
      if (t.kind === 'proc') return { kind: 'reg', thread: { name: t.text, index: null }, reg: r.text, span };
      const n = parseIntLit(t.text);
      if (n === null || n < 0) this.fail(t, `"${t.text}" is not a thread number`);
      return { kind: 'reg', thread: { ordinal: n }, reg: r.text, span };
    }
    if (t.kind === 'punct' && t.text === '[') {
      this.next();
      const n = this.peek();
      if (n.kind !== 'name') this.fail(n, `expected a location name after "[", found ${describe(n)}`);
      this.next();
      if (this.peek().text === '[') this.fail(this.peek(), 'array locations are not supported', 'memweave imports scalar locations only');
      const close = this.expect(']', 'to close "["');
      return { kind: 'loc', name: n.text, index: null, span: this.file.span(t.start, close.end) };
    }
    if (t.kind === 'name' && (t.text === 'fault' || t.text === 'Fault')) this.fail(t, 'fault(...) atoms are not supported');
    if (t.kind === 'name' && !isCondKeyword(t.text)) {
      this.next();
      if (this.peek().text === '[' && this.peek().kind === 'punct') this.fail(this.peek(), `array location "${t.text}[…]" is not supported`, 'memweave imports scalar locations only');
      return { kind: 'loc', name: t.text, index: null, span: this.file.span(t.start, t.end) };
    }
    if (t.kind === 'punct' && t.text === '*') this.fail(t, 'dereferences in conditions are not supported', 'memweave models integer values only: pointers are out of scope');
    return this.fail(t, `expected a location or register (e.g. x, [x], 0:EAX), found ${describe(t)}`);
  }

  /** The right of a comparison: an integer, `[x]`, or a register. A bare name is an address (unsupported). */
  private parseRhsTerm(): CondTerm {
    const t = this.peek();
    if (t.kind === 'num' && !(this.peek(1).text === ':' && this.peek(1).kind === 'punct')) {
      this.next();
      const v = parseIntLit(t.text);
      if (v === null) this.fail(t, `value ${t.text} does not fit in memweave's 32-bit values`, undefined, 'H411');
      return { kind: 'int', value: v, span: this.file.span(t.start, t.end) };
    }
    if (t.kind === 'name' && !isCondKeyword(t.text)) {
      this.fail(t, `comparing with the address "${t.text}" is not supported`, 'memweave models integer values only: write [x] for the value stored at x; pointers and addresses are out of scope', 'H406');
    }
    return this.parseLhsTerm();
  }
}

function isCondKeyword(s: string): boolean {
  return s === 'true' || s === 'false' || s === 'not' || s === 'exists' || s === 'forall' || s === 'final' || s === 'filter' || s === 'locations' || s === 'with';
}

function describe(t: StTok): string {
  return t.kind === 'eof' ? 'the end of the condition' : `"${t.text}"`;
}

function join(file: SourceFile, a: Span, b: Span): Span {
  return file.span(Math.min(a.start, b.start), Math.max(a.end, b.end));
}
