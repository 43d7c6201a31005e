/**
 * The C dialect of herd7 litmus tests (a subset): thread functions `P0(atomic_int* x, int* y) { … }`
 * over C11 atomics, plain accesses and a few Linux-kernel macros, lowered to memweave statements.
 * Grammar learnt from herdtools7 `lib/CParser.mly` / `lib/CLexer.mll`.
 *
 * Mapping (docs/litmus-import.md has the table with reasons):
 *   memory orders: relaxed → rlx, consume|acquire → acq, release → rel, acq_rel → acq_rel, seq_cst → sc
 *   *x (read) / *x = v                          → load.plain(x) / store.plain(x, v)
 *   atomic_load_explicit(x, mo) / atomic_load(x) → load.mo(x) / load.sc(x)
 *   atomic_store_explicit(x, v, mo) / atomic_store(x, v) → store.mo(x, v) / store.sc(x, v)
 *   atomic_exchange[_explicit](x, v[, mo])      → exchange.mo(x, v)            (default sc)
 *   atomic_fetch_{add,sub,or,and,xor}[_explicit](x, v[, mo]) → fetch_op.mo(x, v)
 *   atomic_compare_exchange_{strong,weak}[_explicit](x, &r, v[, mo_ok, mo_fail])
 *                                               → r = cmpxchg.mo_ok(x, r, v)  (C semantics: on failure
 *                                                 r receives the current value; on success it already equals it)
 *     as `b = CAS(…)`: t = cmpxchg.mo_ok(x, r, v); b = t == r; r = t      (t is the register `__cas_r`)
 *   atomic_thread_fence(mo)                     → fence.mo()   (memory_order_relaxed: no-op, `skip`)
 *   Linux: READ_ONCE(*x) → load.rlx(x); WRITE_ONCE(*x, v) → store.rlx(x, v); smp_mb() → fence.sc();
 *          smp_load_acquire(x) → load.acq(x); smp_store_release(x, v) → store.rel(x, v);
 *          xchg(x, v) → exchange.sc; cmpxchg(x, old, new) → cmpxchg.sc (returns the old value)
 *   int r = e; / r = e; / if (…) … else … / while (…) …  → registers, if, while
 * Thread parameters name the shared locations they point to (herd binds `int *x` to location x).
 *
 * Does not model (reports H408/H406/H409): pointer locals, pointer arithmetic, addresses as
 * values, casts, `for`, `return`, locks, RCU, other Linux macros (smp_rmb, smp_wmb, …), and
 * `atomic_signal_fence`. Weak compare-exchange never fails spuriously here, and the failure
 * order of a compare-exchange is checked but not used (the success order is the mode).
 */
import type { BinaryOp, Expr, Ident, LocRef, MemOp, Mode, RmwOp, Stmt, ThreadDecl, UnaryOp } from '../syntax/ast.js';
import type { SourceFile, Span } from '../syntax/source.js';
import { NestingGuard, isAlpha, isDigit } from './litmusText.js';
import { parseIntLit } from './stateParser.js';
import type { LitmusDiags } from './litmusText.js';
import type { Range } from './splitter.js';

interface CTok {
  readonly kind: 'ident' | 'num' | 'punct' | 'eof' | 'bad';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const C_PUNCT = ['<<=', '>>=', '->', '++', '--', '&&', '||', '==', '!=', '<=', '>=', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '(', ')', '{', '}', '[', ']', ';', ',', '*', '&', '=', '<', '>', '+', '-', '/', '%', '^', '|', '!', '~', '?', ':', '.'] as const;

function lexC(file: SourceFile, range: Range, d: LitmusDiags): CTok[] {
  const text = file.text;
  const out: CTok[] = [];
  let i = range.start;
  while (i < range.end) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const e = text.indexOf('*/', i + 2);
      if (e < 0 || e + 2 > range.end) {
        d.add('H408', i, i + 2, 'unterminated comment "/*"', 'close the comment with */');
        break;
      }
      i = e + 2;
      continue;
    }
    if (text.startsWith('//', i)) {
      while (i < range.end && text[i] !== '\n') i++;
      continue;
    }
    const s = i;
    if (isAlpha(c) || c === '_') {
      while (i < range.end && (isAlpha(text[i]) || isDigit(text[i]) || text[i] === '_')) i++;
      out.push({ kind: 'ident', text: text.slice(s, i), start: s, end: i });
      continue;
    }
    if (isDigit(c)) {
      const m = /^(?:0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*/.exec(text.slice(i, Math.min(range.end, i + 40)));
      i += m === null ? 1 : m[0].length;
      out.push({ kind: 'num', text: text.slice(s, i), start: s, end: i });
      continue;
    }
    const p = C_PUNCT.find((q) => text.startsWith(q, i) && i + q.length <= range.end);
    if (p !== undefined) {
      i += p.length;
      out.push({ kind: 'punct', text: p, start: s, end: i });
      continue;
    }
    i++;
    out.push({ kind: 'bad', text: c ?? '', start: s, end: i });
  }
  out.push({ kind: 'eof', text: '', start: range.end, end: range.end });
  return out;
}

/** Words that start a declaration. */
const TYPE_WORDS: ReadonlySet<string> = new Set([
  'int', 'long', 'short', 'char', 'unsigned', 'signed', '_Bool', 'bool', 'const', 'volatile', '_Atomic', 'register', 'static',
  'atomic_int', 'atomic_uint', 'atomic_long', 'atomic_ulong', 'atomic_bool', 'atomic_char', 'atomic_short', 'atomic_llong', 'atomic_t',
  'int8_t', 'uint8_t', 'int16_t', 'uint16_t', 'int32_t', 'uint32_t', 'int64_t', 'uint64_t', 'intptr_t', 'uintptr_t', 'size_t',
  '__int128', '__int128_t', '__uint128_t',
]);

const MEMORY_ORDERS = {
  memory_order_relaxed: 'rlx',
  memory_order_consume: 'acq',
  memory_order_acquire: 'acq',
  memory_order_release: 'rel',
  memory_order_acq_rel: 'acq_rel',
  memory_order_seq_cst: 'sc',
} as const satisfies Record<string, Mode>;
type OrderName = keyof typeof MEMORY_ORDERS;

/** Memory orders C11 allows for each kind of operation (C11 §7.17.7). */
const ORDERS_FOR = {
  load: ['memory_order_relaxed', 'memory_order_consume', 'memory_order_acquire', 'memory_order_seq_cst'],
  store: ['memory_order_relaxed', 'memory_order_release', 'memory_order_seq_cst'],
  rmw: ['memory_order_relaxed', 'memory_order_consume', 'memory_order_acquire', 'memory_order_release', 'memory_order_acq_rel', 'memory_order_seq_cst'],
  fence: ['memory_order_relaxed', 'memory_order_consume', 'memory_order_acquire', 'memory_order_release', 'memory_order_acq_rel', 'memory_order_seq_cst'],
} as const satisfies Record<string, readonly OrderName[]>;

const FETCH_OPS = { add: 'fetch_add', sub: 'fetch_sub', or: 'fetch_or', and: 'fetch_and', xor: 'fetch_xor' } as const satisfies Record<string, RmwOp>;

/** The threads of a C test, parsed from its code section. */
export interface CCode {
  readonly threads: ThreadDecl[];
}

/** Thrown to abandon one statement after its diagnostic; never escapes parseCCode. */
class StmtBail {
  readonly tag = 'bail';
}

/** Parse the thread functions of a C litmus test, one ThreadDecl per `Pn(...) { ... }`, ordered by n. */
export function parseCCode(file: SourceFile, range: Range, d: LitmusDiags): CCode {
  const p = new CParser(file, lexC(file, range, d), d);
  return { threads: p.parseFunctions(range) };
}

/** Recursive-descent parser for the C subset. */
class CParser {
  private readonly file: SourceFile;
  private readonly toks: readonly CTok[];
  private readonly d: LitmusDiags;
  private pos = 0;
  /** per thread: pointer parameters (the locations they name) */
  private params = new Set<string>();
  /** per thread: declared locals (registers) */
  private locals = new Set<string>();
  /** the expected-value register of each compare-exchange expression parsed */
  private readonly casExpected = new WeakMap<Expr, Ident>();
  /** blocks, statements, parentheses, unary operators and operator chains against the nesting limit */
  private readonly guard: NestingGuard;

  constructor(file: SourceFile, toks: readonly CTok[], d: LitmusDiags) {
    this.file = file;
    this.toks = toks;
    this.d = d;
    this.guard = new NestingGuard(d, () => {
      throw new StmtBail();
    });
  }

  private peek(k = 0): CTok {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)] as CTok;
  }
  private next(): CTok {
    const t = this.peek();
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }
  private prevEnd(): number {
    return (this.toks[Math.max(0, this.pos - 1)] as CTok).end;
  }
  private is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'punct' && t.text === text;
  }
  private sp(start: number, end = this.prevEnd()): Span {
    return this.file.span(start, Math.max(start, end));
  }
  private fail(code: 'H404' | 'H406' | 'H408' | 'H409' | 'H411', t: { start: number; end: number }, message: string, help?: string): never {
    this.d.add(code, t.start, Math.max(t.end, t.start + 1), message, help);
    throw new StmtBail();
  }
  private expect(text: string, what: string): CTok {
    if (!this.is(text)) this.fail('H408', this.peek(), `expected "${text}" ${what}, found ${describe(this.peek())}`);
    return this.next();
  }

  // ---------------------------------------------------------------- functions

  parseFunctions(range: Range): ThreadDecl[] {
    const found: { n: number; decl: ThreadDecl; nameTok: CTok }[] = [];
    let attempted = 0;
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (t.kind === 'ident' && /^P[0-9]+$/.test(t.text) && this.is('(', 1)) {
        attempted++;
        const decl = this.parseFunction();
        if (decl !== null) found.push({ n: Number(t.text.slice(1)), decl, nameTok: t });
        continue;
      }
      this.d.add('H408', t.start, t.end, `expected a thread function such as "P0(int *x) { … }", found ${describe(t)}`, 'the code of a C litmus test is a sequence of functions P0, P1, …');
      // skip to the next thread function at brace depth 0
      let depth = 0;
      this.next();
      while (this.peek().kind !== 'eof') {
        const u = this.peek();
        if (depth === 0 && u.kind === 'ident' && /^P[0-9]+$/.test(u.text) && this.is('(', 1)) break;
        if (u.kind === 'punct' && u.text === '{') depth++;
        if (u.kind === 'punct' && u.text === '}') depth = Math.max(0, depth - 1);
        this.next();
      }
    }
    found.sort((a, b) => a.n - b.n);
    const out: ThreadDecl[] = [];
    let ok = true;
    found.forEach((f, k) => {
      if (f.n !== k) {
        ok = false;
        this.d.add('H404', f.nameTok.start, f.nameTok.end, f.n < k ? `duplicate thread ${f.decl.name.name}` : `threads must be numbered P0, P1, … without gaps: expected P${k}, found ${f.decl.name.name}`);
      }
      out.push(f.decl);
    });
    if (attempted === 0 && !this.d.list.some((x) => x.code === 'H408')) {
      this.d.add('H404', range.start, range.end, 'no thread functions: expected "P0(int *x) { … }"');
    }
    return ok ? out : [];
  }

  private parseFunction(): ThreadDecl | null {
    const nameTok = this.next();
    this.params = new Set();
    this.locals = new Set();
    try {
      this.expect('(', 'after the thread name');
      while (!this.is(')')) {
        const start = this.peek();
        let last: CTok | null = null;
        let stars = 0;
        while (this.peek().kind !== 'eof' && !this.is(',') && !this.is(')')) {
          const t = this.next();
          if (t.kind === 'punct' && t.text === '*') stars++;
          else if (t.kind === 'ident') last = t;
          else if (!(t.kind === 'punct' && (t.text === '(' || t.text === ')'))) this.fail('H408', t, `unexpected ${describe(t)} in a thread parameter`);
        }
        if (this.peek().kind === 'eof') this.fail('H408', this.peek(), 'unterminated parameter list: expected ")"');
        if (last === null) this.fail('H408', start, 'expected a parameter such as "int *x"');
        if (stars !== 1) this.fail('H406', this.sp(start.start), `parameter "${last.text}" must be a pointer to a shared location, e.g. "int *${last.text}"`, 'memweave models integer locations only: pointers to pointers are out of scope');
        this.params.add(last.text);
        if (this.is(',')) this.next();
      }
      this.next();
    } catch (e) {
      if (!(e instanceof StmtBail)) throw e;
      this.skipToBodyEnd();
      return null;
    }
    const open = this.peek();
    if (!this.is('{')) {
      this.d.add('H408', open.start, open.end, `expected "{" to start the body of ${nameTok.text}, found ${describe(open)}`);
      this.skipToBodyEnd();
      return null;
    }
    this.next();
    const body = this.parseStmtsUntilClose();
    return { kind: 'thread', name: { name: nameTok.text, span: this.sp(nameTok.start, nameTok.end) }, template: null, body, span: this.sp(nameTok.start) };
  }

  private skipToBodyEnd(): void {
    // skip to the matching '}' of the next '{' (or to the next thread function)
    let depth = 0;
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (depth === 0 && t.kind === 'ident' && /^P[0-9]+$/.test(t.text) && this.is('(', 1)) return;
      this.next();
      if (t.kind === 'punct' && t.text === '{') depth++;
      if (t.kind === 'punct' && t.text === '}') {
        depth--;
        if (depth <= 0) return;
      }
    }
  }

  /** Statements up to and including the closing '}' of the current block. */
  private parseStmtsUntilClose(): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') {
        this.d.add('H408', t.start, t.end, 'unterminated block: expected "}"');
        return out;
      }
      if (this.is('}')) {
        this.next();
        return out;
      }
      out.push(...this.parseStmtRecovering());
    }
  }

  private parseStmtRecovering(): Stmt[] {
    const start = this.pos;
    const startTok = this.peek();
    try {
      return this.parseStmt();
    } catch (e) {
      if (!(e instanceof StmtBail)) throw e;
      // recover: skip to the next ';' outside parentheses and braces (consumed), or stop before
      // the '}' that closes this block
      let braces = 0;
      let parens = 0;
      if (this.pos === start) this.next();
      while (this.peek().kind !== 'eof') {
        const t = this.peek();
        if (t.kind === 'punct' && t.text === '(') parens++;
        if (t.kind === 'punct' && t.text === ')') parens = Math.max(0, parens - 1);
        if (t.kind === 'punct' && t.text === '{') braces++;
        if (t.kind === 'punct' && t.text === '}') {
          if (braces === 0) break;
          braces--;
          if (braces === 0 && parens === 0) {
            this.next();
            break;
          }
        }
        this.next();
        if (braces === 0 && parens === 0 && t.kind === 'punct' && t.text === ';') break;
      }
      return [{ kind: 'error', span: this.sp(startTok.start) }];
    }
  }

  // ---------------------------------------------------------------- statements

  private parseStmt(): Stmt[] {
    return this.guard.nested(this.peek(), () => this.parseStmtHere());
  }

  private parseStmtHere(): Stmt[] {
    const t = this.peek();
    if (this.is(';')) {
      this.next();
      return [];
    }
    if (this.is('{')) {
      this.next();
      return this.parseStmtsUntilClose();
    }
    if (t.kind === 'ident') {
      switch (t.text) {
        case 'if':
          return [this.parseIf()];
        case 'while': {
          this.next();
          this.expect('(', 'after "while"');
          const cond = this.parseCondExpr();
          this.expect(')', 'to close the condition of "while"');
          const body = this.parseStmt();
          return [{ kind: 'while', cond, body, span: this.sp(t.start) }];
        }
        case 'for':
        case 'do':
        case 'switch':
        case 'return':
        case 'break':
        case 'continue':
        case 'goto':
          return this.fail('H408', t, `"${t.text}" is not supported in C litmus tests`, 'memweave imports declarations, assignments, atomic operations, if/else and while');
        default:
          break;
      }
      if (TYPE_WORDS.has(t.text)) return this.parseDeclaration();
      if (this.is('=', 1)) {
        this.next();
        this.next();
        return this.assignTo({ name: t.text, span: this.sp(t.start, t.end) }, t.start);
      }
      if (this.is('++', 1) || this.is('--', 1)) {
        this.next();
        const op = this.next();
        this.expect(';', 'after the increment');
        return [this.incr(t, op)];
      }
      if (this.is('(', 1)) return this.parseCallStmt();
      const nxt = this.peek(1);
      if (nxt.kind === 'punct' && nxt.text.length === 2 && nxt.text.endsWith('=') && nxt.text !== '==') {
        return this.fail('H408', nxt, `compound assignment "${nxt.text}" is not supported`, `write ${t.text} = ${t.text} ${nxt.text[0] ?? ''} …;`);
      }
      return this.fail('H408', t, `expected a statement, found ${describe(t)}`);
    }
    if (this.is('*')) {
      // *x = e;
      this.next();
      const loc = this.parseLocOperand(t.start);
      this.expect('=', 'in a store "*x = v;"');
      const value = this.parseValueExpr();
      this.expect(';', 'after the store');
      return [{ kind: 'memstmt', op: { kind: 'store', mode: 'plain', loc, value, span: this.sp(t.start) }, span: this.sp(t.start) }];
    }
    if (this.is('++') || this.is('--')) {
      const op = this.next();
      const r = this.peek();
      if (r.kind !== 'ident') this.fail('H408', r, `expected a register after "${op.text}"`);
      this.next();
      this.expect(';', 'after the increment');
      return [this.incr(r, op)];
    }
    return this.fail('H408', t, `expected a statement, found ${describe(t)}`);
  }

  private incr(r: CTok, op: CTok): Stmt {
    const span = this.sp(Math.min(r.start, op.start));
    const name: Ident = { name: r.text, span: this.sp(r.start, r.end) };
    this.checkRegister(r);
    return { kind: 'assign', target: name, value: { kind: 'binary', op: op.text === '++' ? '+' : '-', left: { kind: 'name', name: r.text, span: name.span }, right: { kind: 'int', value: 1, span: this.sp(op.start, op.end) }, span }, span };
  }

  private parseIf(): Stmt {
    const t = this.next();
    this.expect('(', 'after "if"');
    const cond = this.parseCondExpr();
    this.expect(')', 'to close the condition of "if"');
    const then = this.parseStmt();
    let otherwise: Stmt[] | null = null;
    if (this.peek().kind === 'ident' && this.peek().text === 'else') {
      this.next();
      otherwise = this.parseStmt();
    }
    return { kind: 'if', cond, then, otherwise, span: this.sp(t.start) };
  }

  private parseDeclaration(): Stmt[] {
    const start = this.peek();
    while (this.peek().kind === 'ident' && TYPE_WORDS.has(this.peek().text)) this.next();
    if (this.is('(')) this.fail('H408', this.peek(), 'parenthesised types are not supported');
    const out: Stmt[] = [];
    for (;;) {
      const starStart = this.peek();
      let stars = 0;
      while (this.is('*')) {
        this.next();
        stars++;
      }
      const n = this.peek();
      if (n.kind !== 'ident') this.fail('H408', n, `expected a variable name in a declaration, found ${describe(n)}`);
      this.next();
      if (stars > 0) this.fail('H408', this.sp(starStart.start, n.end), `pointer variable "${n.text}" is not supported`, 'memweave models integer registers only: pointers are out of scope');
      if (this.is('[')) this.fail('H408', this.peek(), `local array "${n.text}" is not supported`);
      if (this.params.has(n.text)) this.fail('H408', n, `local "${n.text}" shadows the parameter of the same name`);
      this.locals.add(n.text);
      if (this.is('=')) {
        this.next();
        out.push(...this.assignRhs({ name: n.text, span: this.sp(n.start, n.end) }, start.start));
      }
      if (this.is(',')) {
        this.next();
        continue;
      }
      this.expect(';', 'after the declaration');
      return out;
    }
  }

  /** After `r =`: the right-hand side and the ';'. */
  private assignTo(target: Ident, start: number): Stmt[] {
    if (this.params.has(target.name)) this.fail('H406', target.span, `assigning to the pointer parameter "${target.name}" is not supported`, `to store to the location, write *${target.name} = …;`);
    this.locals.add(target.name);
    const out = this.assignRhs(target, start);
    this.expect(';', 'after the assignment');
    return out;
  }

  /** The right-hand side of `r = …` (without the ';'), expanding a compare-exchange. */
  private assignRhs(target: Ident, start: number): Stmt[] {
    const value = this.parseValueExpr();
    const span = this.sp(start);
    const expected = this.casExpected.get(value);
    if (expected !== undefined) {
      // b = CAS(x, &r, v): t = cmpxchg(x, r, v); b = t == r; r = t
      const tmp = `__cas_${expected.name}`;
      const tmpName: Expr = { kind: 'name', name: tmp, span: value.span };
      return [
        { kind: 'assign', target: { name: tmp, span: value.span }, value, span },
        { kind: 'assign', target, value: { kind: 'binary', op: '==', left: tmpName, right: { kind: 'name', name: expected.name, span: expected.span }, span: value.span }, span },
        { kind: 'assign', target: expected, value: tmpName, span },
      ];
    }
    return [{ kind: 'assign', target, value, span }];
  }

  /** A call as a statement: stores, fences, RMWs with the result discarded, compare-exchange. */
  private parseCallStmt(): Stmt[] {
    const t = this.peek();
    const stmtOrExpr = this.parseCall(true);
    this.expect(';', 'after the call');
    const span = this.sp(t.start);
    if (stmtOrExpr.kind === 'stmt') return [{ ...stmtOrExpr.stmt, span }];
    const e = stmtOrExpr.expr;
    const expected = this.casExpected.get(e);
    if (expected !== undefined) return [{ kind: 'assign', target: expected, value: e, span }];
    if (e.kind === 'mem') return [{ kind: 'memstmt', op: e.op, span }];
    return this.fail('H408', t, `the value of "${t.text}(…)" is discarded`, 'a call statement must be a memory operation');
  }

  // ---------------------------------------------------------------- expressions

  /** An expression used as a value (right-hand side): only loads may be nested inside it. */
  private parseValueExpr(): Expr {
    const e = this.parseExpr(0);
    this.checkNested(e, true);
    return e;
  }

  /** A condition (if/while): only loads may appear in it. */
  private parseCondExpr(): Expr {
    const e = this.parseExpr(0);
    this.checkNested(e, false);
    return e;
  }

  private checkNested(e: Expr, top: boolean): void {
    switch (e.kind) {
      case 'mem':
        if (e.op.kind !== 'load' && !top) {
          this.fail('H408', e.span, this.casExpected.has(e) ? 'compare-exchange must be a statement or the whole right-hand side of an assignment' : 'read-modify-write operations must be a statement or the whole right-hand side of an assignment', 'store the result in a register first: int r = atomic_fetch_add_explicit(…); then use r');
        }
        return;
      case 'binary':
        this.checkNested(e.left, false);
        this.checkNested(e.right, false);
        return;
      case 'unary':
        this.checkNested(e.operand, false);
        return;
      case 'int':
      case 'name':
      case 'error':
        return;
    }
  }

  private static readonly LEVELS: readonly (readonly BinaryOp[])[] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

  private parseExpr(level: number): Expr {
    const ops = CParser.LEVELS[level];
    if (ops === undefined) return this.parseUnary();
    let left = this.parseExpr(level + 1);
    for (let chain = 1; ; chain++) {
      const t = this.peek();
      const op = ops.find((o) => t.kind === 'punct' && t.text === o);
      if (op === undefined) return left;
      this.guard.chain(chain, t);
      this.next();
      const right = this.parseExpr(level + 1);
      left = { kind: 'binary', op, left, right, span: this.file.span(left.span.start, right.span.end) };
    }
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.text === '-' || t.text === '!' || t.text === '~' || t.text === '+')) {
      this.next();
      const operand = this.guard.nested(t, () => this.parseUnary());
      if (t.text === '+') return operand;
      if (t.text === '-' && operand.kind === 'int') return { kind: 'int', value: -operand.value | 0, span: this.sp(t.start, operand.span.end) };
      return { kind: 'unary', op: t.text as UnaryOp, operand, span: this.sp(t.start, operand.span.end) };
    }
    if (this.is('*')) {
      this.next();
      const loc = this.parseLocOperand(t.start);
      return { kind: 'mem', op: { kind: 'load', mode: 'plain', loc, span: this.sp(t.start) }, span: this.sp(t.start) };
    }
    if (this.is('&')) this.fail('H406', t, 'taking an address is not supported here', 'memweave models integer values only: addresses are out of scope');
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    if (t.kind === 'num') {
      this.next();
      const v = parseIntLit(t.text.replace(/[uUlL]+$/, ''));
      if (v === null) this.fail('H411', t, `integer ${t.text} does not fit in memweave's 32-bit values`);
      return { kind: 'int', value: v, span: this.sp(t.start, t.end) };
    }
    if (this.is('(')) {
      if (this.peek(1).kind === 'ident' && TYPE_WORDS.has(this.peek(1).text)) this.fail('H408', this.peek(), 'casts are not supported');
      this.next();
      const e = this.guard.nested(t, () => this.parseExpr(0));
      this.expect(')', 'to close "("');
      return { ...e, span: this.sp(t.start) };
    }
    if (t.kind === 'ident') {
      if (this.is('(', 1)) {
        const r = this.parseCall(false);
        if (r.kind === 'stmt') return this.fail('H408', t, `"${t.text}(…)" has no value`);
        return r.expr;
      }
      this.next();
      if (Object.hasOwn(MEMORY_ORDERS, t.text)) this.fail('H409', t, `memory order "${t.text}" used as a value`);
      if (t.text === 'NULL') this.fail('H406', t, 'NULL is not supported', 'memweave models integer values only: pointers are out of scope');
      if (t.text === 'true' || t.text === 'false') return { kind: 'int', value: t.text === 'true' ? 1 : 0, span: this.sp(t.start, t.end) };
      if (this.params.has(t.text) && !this.locals.has(t.text)) {
        this.fail('H406', t, `"${t.text}" is a pointer to a shared location: using its address as a value is not supported`, `read the location with *${t.text} or an atomic load`);
      }
      return { kind: 'name', name: t.text, span: this.sp(t.start, t.end) };
    }
    return this.fail('H408', t, `expected an expression, found ${describe(t)}`);
  }

  /** The location operand of `*`: `x` or `(x)`. */
  private parseLocOperand(start: number): LocRef {
    const t = this.peek();
    if (this.is('(')) {
      this.next();
      const inner = this.guard.nested(t, () => this.parseLocOperand(t.start));
      this.expect(')', 'to close "("');
      return { ...inner, span: this.sp(start) };
    }
    if (t.kind !== 'ident') return this.fail('H408', t, `expected a pointer parameter after "*", found ${describe(t)}`, 'pointer arithmetic is not supported');
    this.next();
    if (this.is('[') || this.is('->') || this.is('.')) this.fail('H408', this.peek(), 'arrays and structures are not supported');
    return this.locRef(t);
  }

  private locRef(t: CTok): LocRef {
    if (this.locals.has(t.text)) this.fail('H406', t, `"${t.text}" is a register, not a pointer to a shared location`, 'memweave models integer values only: pointers in registers are out of scope');
    return { kind: 'locref', name: { name: t.text, span: this.sp(t.start, t.end) }, index: null, span: this.sp(t.start, t.end) };
  }

  /** An argument that designates a location: a pointer parameter `x`. */
  private parsePointerArg(): LocRef {
    const t = this.peek();
    if (this.is('&')) this.fail('H406', t, 'pass the pointer parameter itself (x), not its address (&x)', 'herd binds parameter "int *x" to location x: write atomic_load_explicit(x, …)');
    if (this.is('*')) this.fail('H406', t, 'pointers to pointers are not supported', 'memweave models integer values only');
    if (t.kind !== 'ident') return this.fail('H406', t, `expected a pointer parameter naming a shared location, found ${describe(t)}`);
    this.next();
    if (this.is('[') || this.is('->') || this.is('.') || this.is('+')) this.fail('H408', this.peek(), 'pointer arithmetic, arrays and structures are not supported');
    return this.locRef(t);
  }

  /** `*x` as a macro argument (READ_ONCE / WRITE_ONCE). */
  private parseDerefArg(): LocRef {
    const t = this.peek();
    if (!this.is('*')) return this.fail('H406', t, `expected "*x" (the location, dereferenced), found ${describe(t)}`);
    this.next();
    return this.parseLocOperand(t.start);
  }

  private parseOrder(kind: keyof typeof ORDERS_FOR, what: string): Mode {
    const t = this.peek();
    if (t.kind !== 'ident') return this.fail('H409', t, `expected a memory order, found ${describe(t)}`, 'memory orders are memory_order_relaxed, _consume, _acquire, _release, _acq_rel and _seq_cst');
    this.next();
    if (!Object.hasOwn(MEMORY_ORDERS, t.text)) return this.fail('H409', t, `unknown memory order "${t.text}"`, 'memory orders are memory_order_relaxed, _consume, _acquire, _release, _acq_rel and _seq_cst');
    const name = t.text as OrderName;
    if (!(ORDERS_FOR[kind] as readonly string[]).includes(name)) this.fail('H409', t, `${name} is not a valid memory order for ${what}`, `valid orders for ${what}: ${ORDERS_FOR[kind].join(', ')}`);
    return MEMORY_ORDERS[name];
  }

  private checkRegister(t: CTok): void {
    if (this.params.has(t.text) && !this.locals.has(t.text)) this.fail('H406', t, `"${t.text}" is a pointer parameter, not a register`);
  }

  /** A call: returns an expression (loads, RMWs, CAS) or a statement (stores, fences). */
  private parseCall(asStmt: boolean): { kind: 'expr'; expr: Expr } | { kind: 'stmt'; stmt: Stmt } {
    const f = this.next();
    this.expect('(', `after "${f.text}"`);
    const start = f.start;
    const comma = (): void => {
      this.expect(',', `between the arguments of ${f.text}`);
    };
    const close = (): Span => {
      this.expect(')', `to close the arguments of ${f.text}`);
      return this.sp(start);
    };
    const mem = (op: (span: Span) => MemOp, span: Span): { kind: 'expr'; expr: Expr } => ({ kind: 'expr', expr: { kind: 'mem', op: op(span), span } });
    const stmt = (op: (span: Span) => MemOp, span: Span): { kind: 'stmt'; stmt: Stmt } => ({ kind: 'stmt', stmt: { kind: 'memstmt', op: op(span), span } });
    const name = f.text;
    const fetch = /^atomic_fetch_(add|sub|or|and|xor)(_explicit)?$/.exec(name);
    if (fetch !== null) {
      const loc = this.parsePointerArg();
      comma();
      const value = this.parseValueArg();
      let mode: Mode = 'sc';
      if (fetch[2] !== undefined) {
        comma();
        mode = this.parseOrder('rmw', name);
      }
      const span = close();
      const op = FETCH_OPS[fetch[1] as keyof typeof FETCH_OPS];
      return mem((s) => ({ kind: 'rmw', op, mode, loc, expected: null, value, span: s }), span);
    }
    const cas = /^atomic_compare_exchange_(strong|weak)(_explicit)?$/.exec(name);
    if (cas !== null) {
      const loc = this.parsePointerArg();
      comma();
      const amp = this.peek();
      if (!this.is('&')) this.fail('H406', amp, `the expected value of ${name} must be the address of a register, e.g. &r0`, 'C passes the expected value by pointer; memweave supports a local register: &r');
      this.next();
      const r = this.peek();
      if (r.kind !== 'ident') this.fail('H406', r, `expected a register after "&", found ${describe(r)}`);
      this.next();
      if (this.params.has(r.text) && !this.locals.has(r.text)) this.fail('H406', r, `the expected value must be held in a register, not in the shared location "${r.text}"`);
      this.locals.add(r.text);
      const reg: Ident = { name: r.text, span: this.sp(r.start, r.end) };
      comma();
      const value = this.parseValueArg();
      let mode: Mode = 'sc';
      if (cas[2] !== undefined) {
        comma();
        mode = this.parseOrder('rmw', name);
        comma();
        this.parseOrder('load', `the failure order of ${name}`);
      }
      const span = close();
      const expr: Expr = { kind: 'mem', op: { kind: 'rmw', op: 'cmpxchg', mode, loc, expected: { kind: 'name', name: r.text, span: reg.span }, value, span }, span };
      this.casExpected.set(expr, reg);
      return { kind: 'expr', expr };
    }
    switch (name) {
      case 'atomic_load_explicit':
      case 'atomic_load': {
        const loc = this.parsePointerArg();
        let mode: Mode = 'sc';
        if (name === 'atomic_load_explicit') {
          comma();
          mode = this.parseOrder('load', 'a load');
        }
        return mem((s) => ({ kind: 'load', mode, loc, span: s }), close());
      }
      case 'READ_ONCE': {
        const loc = this.parseDerefArg();
        return mem((s) => ({ kind: 'load', mode: 'rlx', loc, span: s }), close());
      }
      case 'smp_load_acquire': {
        const loc = this.parsePointerArg();
        return mem((s) => ({ kind: 'load', mode: 'acq', loc, span: s }), close());
      }
      case 'atomic_store_explicit':
      case 'atomic_store':
      case 'smp_store_release':
      case 'WRITE_ONCE': {
        if (!asStmt) this.fail('H408', f, `${name}(…) has no value: it must be a statement`);
        const loc = name === 'WRITE_ONCE' ? this.parseDerefArg() : this.parsePointerArg();
        comma();
        const value = this.parseValueArg();
        let mode: Mode = name === 'atomic_store' ? 'sc' : name === 'smp_store_release' ? 'rel' : 'rlx';
        if (name === 'atomic_store_explicit') {
          comma();
          mode = this.parseOrder('store', 'a store');
        }
        return stmt((s) => ({ kind: 'store', mode, loc, value, span: s }), close());
      }
      case 'atomic_exchange_explicit':
      case 'atomic_exchange':
      case 'xchg':
      case 'xchg_relaxed':
      case 'xchg_acquire':
      case 'xchg_release': {
        const loc = this.parsePointerArg();
        comma();
        const value = this.parseValueArg();
        let mode: Mode = ({ xchg_relaxed: 'rlx', xchg_acquire: 'acq', xchg_release: 'rel' } as Record<string, Mode>)[name] ?? 'sc';
        if (name === 'atomic_exchange_explicit') {
          comma();
          mode = this.parseOrder('rmw', name);
        }
        return mem((s) => ({ kind: 'rmw', op: 'exchange', mode, loc, expected: null, value, span: s }), close());
      }
      case 'cmpxchg':
      case 'cmpxchg_relaxed':
      case 'cmpxchg_acquire':
      case 'cmpxchg_release': {
        const loc = this.parsePointerArg();
        comma();
        const expected = this.parseValueArg();
        comma();
        const value = this.parseValueArg();
        const mode: Mode = ({ cmpxchg_relaxed: 'rlx', cmpxchg_acquire: 'acq', cmpxchg_release: 'rel' } as Record<string, Mode>)[name] ?? 'sc';
        return mem((s) => ({ kind: 'rmw', op: 'cmpxchg', mode, loc, expected, value, span: s }), close());
      }
      case 'atomic_thread_fence': {
        if (!asStmt) this.fail('H408', f, 'atomic_thread_fence(…) has no value: it must be a statement');
        const orderTok = this.peek();
        const mode = this.parseOrder('fence', 'a fence');
        const span = close();
        // A relaxed fence has no effect (C11 §7.17.4).
        if (mode === 'rlx') return { kind: 'stmt', stmt: { kind: 'skip', span: this.sp(start, Math.max(orderTok.end, span.end)) } };
        return stmt((s) => ({ kind: 'fence', mode, span: s }), span);
      }
      case 'smp_mb': {
        if (!asStmt) this.fail('H408', f, 'smp_mb() has no value: it must be a statement');
        return stmt((s) => ({ kind: 'fence', mode: 'sc', span: s }), close());
      }
      default:
        return this.fail('H408', f, `unsupported function "${name}"`, 'memweave imports the C11 atomic_* operations, atomic_thread_fence, READ_ONCE, WRITE_ONCE, smp_mb, smp_load_acquire, smp_store_release, xchg and cmpxchg');
    }
  }

  /** A value argument: an expression without read-modify-writes. */
  private parseValueArg(): Expr {
    const e = this.parseExpr(0); // ',' is not an operator here, so the argument ends at ',' or ')'
    this.checkNested(e, false);
    return e;
  }
}

function describe(t: CTok): string {
  return t.kind === 'eof' ? 'the end of the code' : `"${t.text}"`;
}
