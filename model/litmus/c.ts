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
 *     with y a pointer parameter (herd's C16): e = load.plain(y); t = cmpxchg.mo_ok(x, e, v);
 *     if (t != e) store.plain(y, t); b = t == e                    (C writes the value found back to *y)
 *   atomic_thread_fence(mo)                     → fence.mo()   (memory_order_relaxed: no-op, `skip`)
 *   Linux-kernel macros (the LKMM itself is not modelled: H412 once per test, at the first macro):
 *     READ_ONCE(*x) / WRITE_ONCE(*x, v), atomic_read / atomic_set → load.rlx / store.rlx
 *     smp_load_acquire, atomic_read_acquire / smp_store_release, atomic_set_release → load.acq / store.rel
 *     smp_mb, smp_mb__{before,after}_atomic, smp_mb__after_spinlock, smp_mb__after_unlock_lock → fence.sc()
 *     smp_rmb → fence.acq(); smp_wmb → fence.rel()   (the closest C11 fences; docs/litmus-import.md says why)
 *     spin_lock(l)   → __lk_lock = 1; while (__lk_lock != 0) { __lk_lock = cmpxchg.acq(l, 0, 1) }
 *     spin_unlock(l) → store.rel(l, 0); spin_trylock(l) → cmpxchg.acq(l, 0, 1) == 0; spin_is_locked(l) → load.rlx(l) != 0
 *     atomic_{add,sub,inc,dec,or,and,xor}(i, v)             → fetch_op.rlx(v, i)   (no value)
 *     atomic_{add,sub,inc,dec}_return, atomic_fetch_*, [atomic_]xchg, [atomic_]cmpxchg, each with
 *       _relaxed/_acquire/_release → the RMW in that mode; with no suffix (fully ordered) →
 *       fence.sc(); RMW.sc; fence.sc()   (Documentation/atomic_t.txt: an smp_mb() before and after)
 *     atomic_add_unless(v, a, u), atomic_inc_not_zero(v) → a compare-exchange loop, fully ordered when it adds
 *   int r = e; / r = e; / if (…) … else … / while (…) …  → registers, if, while
 * Thread parameters name the shared locations they point to (herd binds `int *x` to location x).
 *
 * Does not model (reports H408/H406/H409): pointer locals, pointer arithmetic, addresses as
 * values, casts, `for`, `return`, RCU and the other Linux macros, herd's internal `__atomic_*{mb}`
 * forms, and `atomic_signal_fence`. The Linux-kernel memory model is not modelled: a test using
 * its macros is checked under their C11 mapping, which may answer differently from herd's LKMM.
 * Weak compare-exchange never fails spuriously here, and the failure order of a compare-exchange
 * is checked but not used (the success order is the mode).
 */
import type { BinaryOp, Expr, Ident, LocRef, MemOp, Mode, RmwOp, Stmt, ThreadDecl, UnaryOp } from '../syntax/ast.js';
import type { SourceFile, Span } from '../syntax/source.js';
import { NestingGuard, isAlpha, isDigit } from './litmusText.js';
import { parseIntLit } from './stateParser.js';
import type { LitmusDiags } from './litmusText.js';
import type { Range } from './splitter.js';

/** A token of the C dialect's code section. */
export interface CTok {
  readonly kind: 'ident' | 'num' | 'punct' | 'eof' | 'bad';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const C_PUNCT = ['<<=', '>>=', '->', '++', '--', '&&', '||', '==', '!=', '<=', '>=', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '(', ')', '{', '}', '[', ']', ';', ',', '*', '&', '=', '<', '>', '+', '-', '/', '%', '^', '|', '!', '~', '?', ':', '.'] as const;

/** Tokenise the C code section [range.start, range.end) (comments skipped; an unterminated one is H408). */
export function lexC(file: SourceFile, range: Range, d: LitmusDiags): CTok[] {
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
export const TYPE_WORDS: ReadonlySet<string> = new Set([
  'int', 'long', 'short', 'char', 'unsigned', 'signed', '_Bool', 'bool', 'const', 'volatile', '_Atomic', 'register', 'static',
  'atomic_int', 'atomic_uint', 'atomic_long', 'atomic_ulong', 'atomic_bool', 'atomic_char', 'atomic_short', 'atomic_llong', 'atomic_t',
  'int8_t', 'uint8_t', 'int16_t', 'uint16_t', 'int32_t', 'uint32_t', 'int64_t', 'uint64_t', 'intptr_t', 'uintptr_t', 'size_t',
  '__int128', '__int128_t', '__uint128_t',
]);

export const MEMORY_ORDERS = {
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
  const threads = p.parseFunctions(range);
  p.reportLinuxKernel();
  return { threads };
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
  /**
   * Calls that lower to several statements (fully ordered Linux RMWs, spinlocks, add_unless, a
   * compare-exchange whose expected value is a shared location): the statements, given the register
   * that receives the value (null when the call is a statement of its own). The expression itself
   * is a read-modify-write, so it cannot be nested inside another expression (checkNested).
   */
  private readonly expansions = new WeakMap<Expr, (target: Ident | null, span: Span) => Stmt[]>();
  /** the first Linux-kernel macro of the test (H412 is reported once, here) */
  private lkFirst: CTok | null = null;
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
    const expand = this.expansions.get(value);
    if (expand !== undefined) return expand(target, span);
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
    if (stmtOrExpr.kind === 'stmts') return stmtOrExpr.stmts;
    const e = stmtOrExpr.expr;
    const expand = this.expansions.get(e);
    if (expand !== undefined) return expand(null, span);
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
        if (r.kind !== 'expr') return this.fail('H408', t, `"${t.text}(…)" has no value`);
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
  private parseCall(asStmt: boolean): CallResult {
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
    const linux = this.parseLinuxCall(f, asStmt, comma, close);
    if (linux !== null) return linux;
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
      if (amp.kind === 'ident' && this.params.has(amp.text) && !this.locals.has(amp.text)) return this.casThroughPointer(name, cas[2] !== undefined, loc, comma, close);
      if (!this.is('&')) this.fail('H406', amp, `the expected value of ${name} must be the address of a register (&r0) or a pointer parameter naming a shared location`, 'C passes the expected value by pointer: memweave supports a local register (&r) or a shared location (a pointer parameter y, read and written back as *y is)');
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
      case 'atomic_store_explicit':
      case 'atomic_store': {
        if (!asStmt) this.fail('H408', f, `${name}(…) has no value: it must be a statement`);
        const loc = this.parsePointerArg();
        comma();
        const value = this.parseValueArg();
        let mode: Mode = 'sc';
        if (name === 'atomic_store_explicit') {
          comma();
          mode = this.parseOrder('store', 'a store');
        }
        return stmt((s) => ({ kind: 'store', mode, loc, value, span: s }), close());
      }
      case 'atomic_exchange_explicit':
      case 'atomic_exchange': {
        const loc = this.parsePointerArg();
        comma();
        const value = this.parseValueArg();
        let mode: Mode = 'sc';
        if (name === 'atomic_exchange_explicit') {
          comma();
          mode = this.parseOrder('rmw', name);
        }
        return mem((s) => ({ kind: 'rmw', op: 'exchange', mode, loc, expected: null, value, span: s }), close());
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
      default:
        return this.fail('H408', f, `unsupported function "${name}"`, 'memweave imports the C11 atomic_* operations and atomic_thread_fence, and the Linux-kernel macros listed in docs/litmus-import.md (READ_ONCE, WRITE_ONCE, smp_*, spin_*, atomic_t operations, xchg, cmpxchg); RCU is not modelled');
    }
  }

  /** A value argument: an expression without read-modify-writes. */
  private parseValueArg(): Expr {
    const e = this.parseExpr(0); // ',' is not an operator here, so the argument ends at ',' or ')'
    this.checkNested(e, false);
    return e;
  }

  // ---------------------------------------------------------------- Linux-kernel macros

  /** Report H412 once, at the first Linux-kernel macro of the test. */
  reportLinuxKernel(): void {
    const t = this.lkFirst;
    if (t === null) return;
    this.d.add('H412', t.start, t.end, `"${t.text}" is a Linux-kernel macro: this test is checked under the C11 mapping of its macros (docs/litmus-import.md), not under the Linux-kernel memory model`);
  }

  /**
   * A Linux-kernel macro (tools/memory-model/linux-kernel.def, Documentation/atomic_t.txt), mapped
   * to its closest C11 primitive; null when `f` is not one. The '(' is consumed.
   */
  private parseLinuxCall(f: CTok, asStmt: boolean, comma: () => void, close: () => Span): CallResult | null {
    const name = f.text;
    const start = f.start;
    const mark = (): void => {
      if (this.lkFirst === null) this.lkFirst = f;
    };
    const noValue = (): void => {
      if (!asStmt) this.fail('H408', f, `${name}(…) has no value: it must be a statement`);
    };
    const fence = (mode: Mode): CallResult => {
      mark();
      noValue();
      const span = close();
      return { kind: 'stmt', stmt: { kind: 'memstmt', op: { kind: 'fence', mode, span }, span } };
    };
    switch (name) {
      case 'READ_ONCE':
      case 'smp_load_acquire':
      case 'atomic_read':
      case 'atomic_read_acquire': {
        mark();
        const loc = name === 'READ_ONCE' ? this.parseDerefArg() : this.parsePointerArg();
        const span = close();
        const mode: Mode = name === 'READ_ONCE' || name === 'atomic_read' ? 'rlx' : 'acq';
        return { kind: 'expr', expr: { kind: 'mem', op: { kind: 'load', mode, loc, span }, span } };
      }
      case 'WRITE_ONCE':
      case 'smp_store_release':
      case 'atomic_set':
      case 'atomic_set_release': {
        mark();
        noValue();
        const loc = name === 'WRITE_ONCE' ? this.parseDerefArg() : this.parsePointerArg();
        comma();
        const value = this.parseValueArg();
        const span = close();
        const mode: Mode = name === 'WRITE_ONCE' || name === 'atomic_set' ? 'rlx' : 'rel';
        return { kind: 'stmt', stmt: { kind: 'memstmt', op: { kind: 'store', mode, loc, value, span }, span } };
      }
      // smp_mb and the barriers that upgrade an atomic or a lock to a full barrier: seq_cst fences
      case 'smp_mb':
      case 'smp_mb__before_atomic':
      case 'smp_mb__after_atomic':
      case 'smp_mb__after_spinlock':
      case 'smp_mb__after_unlock_lock':
        return fence('sc');
      // the closest C11 fences: an acquire fence orders earlier reads before later reads (and
      // writes), a release fence earlier writes (and reads) before later writes
      case 'smp_rmb':
        return fence('acq');
      case 'smp_wmb':
        return fence('rel');
      case 'spin_lock': {
        mark();
        noValue();
        const loc = this.parsePointerArg();
        const span = close();
        // t = 1; while (t != 0) t = cmpxchg.acq(l, 0, 1): every attempt is an iteration, and a failed
        // one only reads and leaves t as it was, so the graph engine blocks it as a failed spin
        // iteration (GenMC's spin-assume): the executions are those where the lock is taken at the
        // first attempt, as herd's (a lock read reads an unlock or the initial value)
        const reg: Ident = { name: '__lk_lock', span };
        const attempt: Stmt = { kind: 'assign', target: reg, value: { kind: 'mem', op: { kind: 'rmw', op: 'cmpxchg', mode: 'acq', loc, expected: int(0, span), value: int(1, span), span }, span }, span };
        return { kind: 'stmts', stmts: [assign(reg, int(1, span), span), { kind: 'while', cond: bin('!=', nameOf(reg), int(0, span)), body: [attempt], span }] };
      }
      case 'spin_unlock': {
        mark();
        noValue();
        const loc = this.parsePointerArg();
        const span = close();
        return { kind: 'stmt', stmt: { kind: 'memstmt', op: { kind: 'store', mode: 'rel', loc, value: int(0, span), span }, span } };
      }
      case 'spin_trylock': {
        mark();
        const loc = this.parsePointerArg();
        const span = close();
        const expr: Expr = { kind: 'mem', op: { kind: 'rmw', op: 'cmpxchg', mode: 'acq', loc, expected: int(0, span), value: int(1, span), span }, span };
        this.expansions.set(expr, (target, s) => {
          if (target === null) return [{ kind: 'memstmt', op: rmwOf(expr), span: s }];
          const tmp: Ident = { name: '__lk_lock', span };
          return [assign(tmp, expr, s), assign(target, bin('==', nameOf(tmp), int(0, span)), s)];
        });
        return { kind: 'expr', expr };
      }
      case 'spin_is_locked': {
        mark();
        const loc = this.parsePointerArg();
        const span = close();
        return { kind: 'expr', expr: bin('!=', { kind: 'mem', op: { kind: 'load', mode: 'rlx', loc, span }, span }, int(0, span)) };
      }
      case 'atomic_add_unless':
      case 'atomic_inc_not_zero': {
        mark();
        const loc = this.parsePointerArg();
        let a: Expr = int(1, this.sp(start));
        let u: Expr = int(0, this.sp(start));
        if (name === 'atomic_add_unless') {
          comma();
          a = this.parseValueArg();
          comma();
          u = this.parseValueArg();
        }
        const span = close();
        return { kind: 'expr', expr: this.addUnless(loc, a, u, span) };
      }
      default:
        break;
    }
    const m = /^(?:atomic_)?(xchg|cmpxchg)(_relaxed|_acquire|_release)?$/.exec(name) ?? /^atomic_(fetch_(?:add|sub|inc|dec|or|and|xor)|(?:add|sub|inc|dec)_return)(_relaxed|_acquire|_release)?$/.exec(name) ?? /^atomic_(add|sub|inc|dec|or|and|xor)()$/.exec(name);
    if (m === null) return null;
    const what = m[1] as string;
    const order = LK_ORDERS[(m[2] ?? '') as keyof typeof LK_ORDERS];
    // atomic_fetch_{add,sub,or,and,xor}(obj, arg) is also C11's (the pointer first): C11 when the
    // first argument is a pointer parameter, Linux's atomic_fetch_add(i, v) otherwise
    if (/^fetch_(add|sub|or|and|xor)$/.test(what) && m[2] === undefined) {
      const t = this.peek();
      if (t.kind === 'ident' && this.params.has(t.text) && !this.locals.has(t.text)) return null;
    }
    mark();
    if (what === 'xchg' || what === 'cmpxchg') {
      const loc = this.parsePointerArg();
      comma();
      let expected: Expr | null = null;
      if (what === 'cmpxchg') {
        expected = this.parseValueArg();
        comma();
      }
      const value = this.parseValueArg();
      const span = close();
      return { kind: 'expr', expr: this.linuxRmw(what === 'xchg' ? 'exchange' : 'cmpxchg', order, loc, expected, value, null, span) };
    }
    // atomic_OP(i, v), atomic_OP_return(i, v), atomic_fetch_OP(i, v); inc and dec take v alone
    const base = what.replace(/^fetch_/, '').replace(/_return$/, '');
    const unit = base === 'inc' || base === 'dec';
    let value: Expr = int(1, this.sp(start));
    if (!unit) {
      value = this.parseValueArg();
      comma();
    }
    const loc = this.parsePointerArg();
    const span = close();
    const op: RmwOp = base === 'inc' ? 'fetch_add' : base === 'dec' ? 'fetch_sub' : FETCH_OPS[base as keyof typeof FETCH_OPS];
    if (m[2] === '') {
      // atomic_add(i, v) and friends: relaxed, no value
      noValue();
      return { kind: 'stmt', stmt: { kind: 'memstmt', op: { kind: 'rmw', op, mode: 'rlx', loc, expected: null, value, span }, span } };
    }
    const adjust = what.endsWith('_return') ? (op === 'fetch_add' ? '+' : '-') : null;
    return { kind: 'expr', expr: this.linuxRmw(op, order, loc, null, value, adjust, span) };
  }

  /**
   * A Linux-kernel RMW: relaxed/acquire/release as the C11 RMW of that mode; fully ordered (no
   * suffix) as a seq_cst RMW between two seq_cst fences, which is how Documentation/atomic_t.txt
   * defines it (an smp_mb() before and after). `adjust` turns the old value into the new one
   * (atomic_*_return).
   */
  private linuxRmw(op: RmwOp, order: LkOrder, loc: LocRef, expected: Expr | null, value: Expr, adjust: '+' | '-' | null, span: Span): Expr {
    const mode: Mode = order === 'full' ? 'sc' : order;
    const expr: Expr = { kind: 'mem', op: { kind: 'rmw', op, mode, loc, expected, value, span }, span };
    if (order !== 'full' && adjust === null) return expr;
    this.expansions.set(expr, (target, s) => {
      const fences: Stmt[] = order === 'full' ? [{ kind: 'memstmt', op: { kind: 'fence', mode: 'sc', span }, span }] : [];
      let body: Stmt[];
      if (target === null) body = [{ kind: 'memstmt', op: rmwOf(expr), span: s }];
      else if (adjust === null) body = [assign(target, expr, s)];
      else {
        // r = old ± i, with i evaluated once
        const pre: Stmt[] = [];
        let by = value;
        let rmw = expr;
        if (value.kind !== 'int') {
          const v: Ident = { name: '__lk_v', span: value.span };
          pre.push(assign(v, value, s));
          by = nameOf(v);
          rmw = { kind: 'mem', op: { kind: 'rmw', op, mode, loc, expected, value: by, span }, span };
        }
        const tmp: Ident = { name: '__lk_old', span };
        body = [...pre, assign(tmp, rmw, s), assign(target, bin(adjust, nameOf(tmp), by), s)];
      }
      return [...fences, ...body, ...fences];
    });
    return expr;
  }

  /**
   * atomic_add_unless(v, a, u): add a to *v unless *v is u; 1 if it added. A compare-exchange loop,
   * fully ordered when it adds (seq_cst fences around the successful compare-exchange), a relaxed
   * read when it does not (Documentation/atomic_t.txt: a failed conditional RMW is unordered).
   */
  private addUnless(loc: LocRef, a: Expr, u: Expr, span: Span): Expr {
    const old: Ident = { name: '__lk_old', span };
    const ok: Ident = { name: '__lk_ok', span };
    const seen: Ident = { name: '__lk_seen', span };
    const cas: Expr = { kind: 'mem', op: { kind: 'rmw', op: 'cmpxchg', mode: 'sc', loc, expected: nameOf(old), value: bin('+', nameOf(old), a), span }, span };
    const marker: Expr = { kind: 'mem', op: { kind: 'rmw', op: 'fetch_add', mode: 'sc', loc, expected: null, value: a, span }, span };
    this.expansions.set(marker, (target, s) => {
      const fence: Stmt = { kind: 'memstmt', op: { kind: 'fence', mode: 'sc', span }, span };
      const out: Stmt[] = [
        assign(old, { kind: 'mem', op: { kind: 'load', mode: 'rlx', loc, span }, span }, s),
        assign(ok, int(0, span), s),
        {
          kind: 'while',
          cond: bin('&&', bin('!=', nameOf(old), u), bin('==', nameOf(ok), int(0, span))),
          body: [
            fence,
            assign(seen, cas, s),
            { kind: 'if', cond: bin('==', nameOf(seen), nameOf(old)), then: [assign(ok, int(1, span), s), fence], otherwise: [assign(old, nameOf(seen), s)], span },
          ],
          span,
        },
      ];
      if (target !== null) out.push(assign(target, nameOf(ok), s));
      return out;
    });
    return marker;
  }

  /**
   * atomic_compare_exchange_*(x, y, v) with y a pointer parameter: the expected value is the shared
   * location y (herd's C16): e = *y; t = cmpxchg(x, e, v); if (t != e) *y = t; b = t == e. The
   * accesses to *y are plain, as C's `expected` is an ordinary object.
   */
  private casThroughPointer(name: string, explicit: boolean, loc: LocRef, comma: () => void, close: () => Span): CallResult {
    const ptr = this.parsePointerArg();
    comma();
    const value = this.parseValueArg();
    let mode: Mode = 'sc';
    if (explicit) {
      comma();
      mode = this.parseOrder('rmw', name);
      comma();
      this.parseOrder('load', `the failure order of ${name}`);
    }
    const span = close();
    const e: Ident = { name: '__casptr_e', span: ptr.span };
    const t: Ident = { name: '__casptr_t', span };
    const expr: Expr = { kind: 'mem', op: { kind: 'rmw', op: 'cmpxchg', mode, loc, expected: nameOf(e), value, span }, span };
    this.expansions.set(expr, (target, s) => {
      const out: Stmt[] = [
        assign(e, { kind: 'mem', op: { kind: 'load', mode: 'plain', loc: ptr, span: ptr.span }, span: ptr.span }, s),
        assign(t, expr, s),
        { kind: 'if', cond: bin('!=', nameOf(t), nameOf(e)), then: [{ kind: 'memstmt', op: { kind: 'store', mode: 'plain', loc: ptr, value: nameOf(t), span: ptr.span }, span: ptr.span }], otherwise: null, span },
      ];
      if (target !== null) out.push(assign(target, bin('==', nameOf(t), nameOf(e)), s));
      return out;
    });
    return { kind: 'expr', expr };
  }
}

/** What a call parses to: a value, one statement, or several (a call with no value). */
type CallResult = { kind: 'expr'; expr: Expr } | { kind: 'stmt'; stmt: Stmt } | { kind: 'stmts'; stmts: Stmt[] };

/** The ordering of a Linux-kernel RMW by its suffix (Documentation/atomic_t.txt): none is fully ordered. */
type LkOrder = 'full' | 'rlx' | 'acq' | 'rel';
const LK_ORDERS = { '': 'full', _relaxed: 'rlx', _acquire: 'acq', _release: 'rel' } as const satisfies Record<string, LkOrder>;

function int(value: number, span: Span): Expr {
  return { kind: 'int', value, span };
}
function nameOf(r: Ident): Expr {
  return { kind: 'name', name: r.name, span: r.span };
}
function bin(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { kind: 'binary', op, left, right, span: left.span };
}
function assign(target: Ident, value: Expr, span: Span): Stmt {
  return { kind: 'assign', target, value, span };
}
/** The memory operation of an expression built as one. */
function rmwOf(e: Expr): MemOp {
  if (e.kind !== 'mem') throw new Error('internal bug: expected a memory operation');
  return e.op;
}

function describe(t: CTok): string {
  return t.kind === 'eof' ? 'the end of the code' : `"${t.text}"`;
}
