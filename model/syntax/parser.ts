/**
 * The recovering .mw parser: tokens → Program AST plus diagnostics (E0xx from the lexer, P1xx here).
 * It never throws, for any input. On an error it reports a diagnostic, fills the hole with an error
 * node (ErrorExpr, ErrorStmt, CondError) and resynchronises on `;`, `}`, statement keywords and
 * top-level keywords, so one file can report several errors. At most one diagnostic is reported per
 * token position, which keeps follow-on errors quiet. Nesting deeper than MAX_NESTING (parentheses,
 * blocks, operator chains) is reported once and the nested text skipped, so the AST stays shallow
 * enough for recursive passes.
 * Not done here: name resolution, mode rules, constant evaluation (later passes).
 */
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { MODES, VIEW_WIDTHS } from './ast.js';
import type {
  BinaryOp,
  CondExpr,
  CondTerm,
  Expr,
  FinalCondition,
  Ident,
  LocRef,
  View,
  ViewName,
  MemOp,
  Mode,
  ParamDecl,
  Program,
  Quantifier,
  RmwOp,
  SharedDecl,
  Stmt,
  ThreadDecl,
  UnaryOp,
} from './ast.js';
import { lex, type Token } from './lexer.js';
import { joinSpans, type SourceFile, type Span } from './source.js';

/** The deepest nesting the parser accepts (brackets, blocks and operator chains count). */
export const MAX_NESTING = 200;

const TOP_KEYWORDS: ReadonlySet<string> = new Set(['test', 'description', 'source', 'param', 'shared', 'thread', 'exists', 'forall', 'locations', 'filter']);
const MEMOP_KEYWORDS: ReadonlySet<string> = new Set(['load', 'store', 'exchange', 'cmpxchg', 'fetch_add', 'fetch_sub', 'fetch_and', 'fetch_or', 'fetch_xor', 'fence', 'wait', 'notify']);
const STMT_KEYWORDS: ReadonlySet<string> = new Set(['if', 'while', 'for', 'await', 'assert', 'assume', 'critical', 'goto', 'skip', ...MEMOP_KEYWORDS]);
const MODE_SET: ReadonlySet<string> = new Set(MODES);

/** Binary operator precedence, C style: higher binds tighter. */
const BINARY_PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

/** Parse a .mw source file. Never throws; Program.name is null when there is no `test` line. */
export function parseMw(file: SourceFile): { program: Program; diagnostics: Diagnostic[] } {
  const lexed = lex(file);
  const parser = new Parser(file, lexed.tokens, lexed.diagnostics);
  try {
    const program = parser.parseProgram();
    // lexical and parse diagnostics interleaved in source order (sort is stable)
    return { program, diagnostics: parser.diagnostics.sort((a, b) => a.span.start - b.span.start) };
  } catch (e) {
    // Unreachable by design; kept so that the contract "never throws" survives a parser bug.
    const span = file.span(0, file.text.length);
    parser.diagnostics.push(diag('P101', file.name, span, `internal parser bug: ${e instanceof Error ? e.message : String(e)}`));
    return {
      program: { name: null, description: null, params: [], shared: [], threads: [], condition: null, locations: [], filter: null, metadata: [], span },
      diagnostics: parser.diagnostics,
    };
  }
}

/** Thrown internally when nesting exceeds MAX_NESTING; caught at the nearest bracket or item boundary. */
class TooDeep {
  readonly marker = 'too-deep';
}

class Parser {
  readonly file: SourceFile;
  readonly toks: readonly Token[];
  readonly diagnostics: Diagnostic[];
  private pos = 0;
  private depth = 0;
  /** start offset of the token the last diagnostic pointed at (one diagnostic per position) */
  private lastErrorAt = -1;
  private reportedTooDeep = false;

  constructor(file: SourceFile, toks: readonly Token[], diagnostics: Diagnostic[]) {
    this.file = file;
    this.toks = toks;
    this.diagnostics = diagnostics;
  }

  // ------------------------------------------------------------ token helpers

  private peek(k = 0): Token {
    const t = this.toks[Math.min(this.pos + k, this.toks.length - 1)];
    if (t === undefined) throw new Error('internal bug: empty token stream');
    return t;
  }
  private advance(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private at(text: string, k = 0): boolean {
    const t = this.peek(k);
    return (t.kind === 'punct' || t.kind === 'keyword') && t.text === text;
  }
  private atEof(): boolean {
    return this.peek().kind === 'eof';
  }
  private eat(text: string): Token | null {
    if (this.at(text)) return this.advance();
    return null;
  }
  /** The span of the previous token (for end positions). */
  private prevSpan(): Span {
    const t = this.toks[this.pos - 1];
    return t === undefined ? this.peek().span : t.span;
  }
  private from(start: Span): Span {
    const end = this.prevSpan();
    if (end.end < start.start) return start;
    return joinSpans(start, end);
  }
  private describe(t: Token): string {
    switch (t.kind) {
      case 'eof':
        return 'end of file';
      case 'string':
        return 'a string';
      case 'int':
        return `'${t.text}'`;
      default:
        return `'${t.text}'`;
    }
  }

  error(code: DiagnosticCode, span: Span, message: string, help?: string): void {
    if (span.start === this.lastErrorAt) return;
    this.lastErrorAt = span.start;
    this.diagnostics.push(diag(code, this.file.name, span, message, help !== undefined ? { help } : {}));
  }
  private errorHere(code: DiagnosticCode, message: string, help?: string): void {
    this.error(code, this.peek().span, message, help);
  }
  /** Consume `text` or report "expected …" (without consuming). Returns whether it was there. */
  private expect(text: string, what?: string): boolean {
    if (this.eat(text) !== null) return true;
    this.errorHere('P101', `expected ${what ?? `'${text}'`}, found ${this.describe(this.peek())}`);
    return false;
  }
  private isTopStart(k = 0): boolean {
    const t = this.peek(k);
    if (t.kind === 'keyword' && TOP_KEYWORDS.has(t.text)) return true;
    return t.kind === 'punct' && t.text === '~' && this.at('exists', k + 1);
  }

  private enter(): void {
    this.depth++;
    if (this.depth > MAX_NESTING) this.tooDeep();
  }
  private leave(): void {
    this.depth--;
  }
  /** Report (once per file) that nesting is too deep and unwind to the nearest bracket. */
  private tooDeep(): never {
    if (!this.reportedTooDeep) {
      this.reportedTooDeep = true;
      this.diagnostics.push(diag('P101', this.file.name, this.peek().span, `nesting too deep (the limit is ${MAX_NESTING} levels)`));
    }
    throw new TooDeep();
  }
  /**
   * Run `body` `cost` nesting levels deeper (0 when `body` enters a level itself, as expressions do). If nesting gets too deep anywhere inside, skip to the
   * bracket `close` that ends this level and return `onTooDeep()` instead. Depth is restored either way.
   */
  private nested<T>(close: string, body: () => T, onTooDeep: () => T, cost = 1): T {
    const saved = this.depth;
    try {
      if (cost > 0) this.enter();
      return body();
    } catch (e) {
      if (!(e instanceof TooDeep)) throw e;
      this.depth = saved;
      this.skipToClose(close);
      return onTooDeep();
    } finally {
      this.depth = saved;
    }
  }
  /** After a TooDeep: skip to the bracket that closes the current level (or to a top-level keyword). */
  private skipToClose(close: string): void {
    let nest = 0;
    while (!this.atEof()) {
      const t = this.peek();
      if (t.kind === 'keyword' && TOP_KEYWORDS.has(t.text)) return;
      if (t.kind === 'punct') {
        if (t.text === '(' || t.text === '[' || t.text === '{') nest++;
        else if (t.text === ')' || t.text === ']' || t.text === '}') {
          if (nest === 0) {
            if (t.text === close) {
              this.advance();
              return;
            }
            if (t.text === '}') return; // never skip out of an enclosing block
            // a stray ')' or ']' inside a block: skip it
          } else nest--;
        }
      }
      this.advance();
    }
  }

  /** Skip tokens after a statement error: past `;`, or up to `}`, a statement keyword or a top-level keyword. */
  private syncStmt(): void {
    let nest = 0;
    while (!this.atEof()) {
      const t = this.peek();
      if (this.isTopStart()) return;
      if (t.kind === 'punct') {
        if (t.text === '{' || t.text === '(' || t.text === '[') nest++;
        else if (t.text === '}' || t.text === ')' || t.text === ']') {
          if (nest === 0 && t.text === '}') return;
          if (nest > 0) nest--;
        } else if (t.text === ';' && nest === 0) {
          this.advance();
          return;
        }
      } else if (t.kind === 'keyword' && nest === 0 && STMT_KEYWORDS.has(t.text)) return;
      this.advance();
    }
  }
  /** Skip tokens after a top-level error: past `;` at brace depth 0, or up to a top-level keyword. */
  private syncTop(): void {
    let nest = 0;
    while (!this.atEof()) {
      if (this.isTopStart()) return;
      const t = this.advance();
      if (t.kind === 'punct') {
        if (t.text === '{') nest++;
        else if (t.text === '}') nest = Math.max(0, nest - 1);
        else if (t.text === ';' && nest === 0) return;
      }
    }
  }
  private endStmt(): void {
    if (this.eat(';') !== null) return;
    this.missingSemicolon();
    this.syncStmt();
  }
  /** Report a missing `;` just after the previous token (where it belongs), like rustc. */
  private missingSemicolon(): void {
    if (this.lastErrorAt === this.peek().span.start) return; // already reported a problem here
    const prev = this.toks[this.pos - 1];
    const span = prev === undefined ? this.peek().span : this.file.span(prev.span.end, prev.span.end);
    this.error('P101', span, `expected ';', found ${this.describe(this.peek())}`);
  }

  private ident(what: string): Ident | null {
    const t = this.peek();
    if (t.kind === 'ident') {
      this.advance();
      return { name: t.text, span: t.span };
    }
    const extra = t.kind === 'keyword' ? ` ('${t.text}' is a reserved word)` : '';
    this.errorHere('P101', `expected ${what}, found ${this.describe(t)}${extra}`);
    return null;
  }
  /** An identifier, or a placeholder with an empty name after an error. */
  private identOrHole(what: string): Ident {
    return this.ident(what) ?? { name: '', span: this.peek().span };
  }
  private stringLit(what: string): string | null {
    const t = this.peek();
    if (t.kind === 'string') {
      this.advance();
      return t.value;
    }
    this.errorHere('P101', `expected ${what}, found ${this.describe(t)}`);
    return null;
  }

  // ------------------------------------------------------------ top level

  parseProgram(): Program {
    let name: string | null = null;
    let description: string | null = null;
    const params: ParamDecl[] = [];
    const shared: SharedDecl[] = [];
    const threads: ThreadDecl[] = [];
    let condition: FinalCondition | null = null;
    const locations: CondTerm[] = [];
    let filter: CondExpr | null = null;
    const metadata: { key: string; value: string }[] = [];
    let sawTest = false;
    let sawFilter = false;

    while (!this.atEof()) {
      const before = this.pos;
      const t = this.peek();
      try {
        if (t.kind === 'punct' && t.text === ';') {
          this.advance(); // a stray ';' between items is harmless
        } else if (this.at('test')) {
          this.advance();
          const nt = this.peek();
          let n: string | null = null;
          if (nt.kind === 'ident' || nt.kind === 'string') {
            this.advance();
            n = nt.kind === 'string' ? nt.value : nt.text;
          } else this.errorHere('P101', `expected a test name (an identifier or a string), found ${this.describe(nt)}`);
          let d: string | null = null;
          const dt = this.peek();
          if (dt.kind === 'string') {
            this.advance();
            d = dt.value;
          }
          this.eat(';');
          if (sawTest) this.error('P107', joinSpans(t.span, this.prevSpan()), 'duplicate test header: a file has one test line');
          else {
            sawTest = true;
            name = n;
            if (d !== null) description = d;
          }
        } else if (this.at('description')) {
          this.advance();
          const d = this.stringLit('a string after description');
          if (d !== null) description = d;
          this.eat(';');
        } else if (this.at('source')) {
          this.advance();
          const d = this.stringLit('a string after source');
          if (d !== null) metadata.push({ key: 'source', value: d });
          this.eat(';');
        } else if (this.at('param')) {
          params.push(this.parseParam());
        } else if (this.at('shared')) {
          shared.push(this.parseShared());
        } else if (this.at('thread')) {
          threads.push(this.parseThread());
        } else if (this.at('exists') || this.at('forall') || (this.at('~') && this.at('exists', 1))) {
          const fc = this.parseFinal();
          if (condition === null) condition = fc;
          else this.error('P108', fc.span, 'more than one final condition');
        } else if (this.at('locations')) {
          locations.push(...this.parseLocations());
        } else if (this.at('filter')) {
          const start = this.advance().span;
          const f = this.parseParenCond();
          this.eat(';');
          if (sawFilter) this.error('P101', this.from(start), 'more than one filter: combine them with /\\');
          else {
            sawFilter = true;
            filter = f;
          }
        } else {
          this.errorHere('P104', `expected a top-level declaration, found ${this.describe(t)}`);
          this.syncTop();
        }
      } catch (e) {
        if (!(e instanceof TooDeep)) throw e;
        this.depth = 0;
        this.syncTop();
      }
      if (this.pos === before && !this.atEof()) this.advance(); // guarantee progress
    }
    return { name, description, params, shared, threads, condition, locations, filter, metadata, span: this.file.span(0, this.file.text.length) };
  }

  private parseParam(): ParamDecl {
    const start = this.advance().span;
    const name = this.identOrHole('a parameter name');
    let value: Expr;
    if (this.expect('=')) value = this.parseExpr();
    else value = { kind: 'error', span: this.peek().span };
    this.endTop();
    return { kind: 'param', name, value, span: this.from(start) };
  }

  /** `;` ending a declaration; on error resynchronise at top level. */
  private endTop(): void {
    if (this.eat(';') !== null) return;
    this.missingSemicolon();
    this.syncTop();
  }

  private parseShared(): SharedDecl {
    const start = this.advance().span;
    const name = this.identOrHole('a shared location name');
    let size: Expr | null = null;
    if (this.eat('[') !== null) {
      size = this.parseExpr();
      this.expect(']');
    }
    let init: SharedDecl['init'] = { kind: 'none' };
    if (this.eat('=') !== null) {
      if (this.eat('{') !== null) {
        const values: Expr[] = [];
        values.push(this.parseExpr());
        while (this.eat(',') !== null) {
          if (this.at('}')) break;
          values.push(this.parseExpr());
        }
        this.expect('}');
        init = { kind: 'list', values };
      } else init = { kind: 'fill', value: this.parseExpr() };
    }
    this.endTop();
    return { kind: 'shared', name, size, init, span: this.from(start) };
  }

  private parseThread(): ThreadDecl {
    const start = this.advance().span;
    const name = this.identOrHole('a thread name');
    let template: ThreadDecl['template'] = null;
    if (this.eat('[') !== null) {
      const variable = this.identOrHole('a template index variable');
      this.expect('in');
      const from = this.parseExpr();
      this.expect('..');
      const to = this.parseExpr();
      this.expect(']');
      template = { variable, from, to };
    }
    const body = this.parseBlock();
    return { kind: 'thread', name, template, body, span: this.from(start) };
  }

  private parseFinal(): FinalCondition {
    const start = this.peek().span;
    let quantifier: Quantifier;
    if (this.eat('forall') !== null) quantifier = 'forall';
    else if (this.eat('exists') !== null) quantifier = 'exists';
    else {
      this.advance(); // '~'
      this.advance(); // 'exists'
      quantifier = 'not exists';
    }
    const expr = this.parseParenCond();
    this.eat(';');
    return { quantifier, expr, span: this.from(start) };
  }

  private parseLocations(): CondTerm[] {
    this.advance();
    const terms: CondTerm[] = [];
    if (!this.expect('[')) {
      this.syncTop();
      return terms;
    }
    while (!this.at(']') && !this.atEof() && !this.isTopStart()) {
      const before = this.pos;
      const term = this.parseCondTerm();
      if (term !== null) terms.push(term);
      if (this.eat(';') === null && this.eat(',') === null) break;
      if (this.pos === before) break;
    }
    if (!this.expect(']')) this.syncTop();
    else this.eat(';');
    return terms;
  }

  // ------------------------------------------------------------ statements

  /** `{ stmt* }`. On a missing `}` (end of file or a top-level keyword) reports and returns what it has. */
  private parseBlock(): Stmt[] {
    const stmts: Stmt[] = [];
    const open = this.peek();
    if (this.eat('{') === null) {
      this.errorHere('P101', `expected '{', found ${this.describe(open)}`);
      return stmts;
    }
    return this.nested(
      '}',
      () => {
        while (!this.at('}')) {
          if (this.atEof() || this.isTopStart()) {
            this.errorHere('P101', `expected '}' to close the block opened at ${open.span.line}:${open.span.col}, found ${this.describe(this.peek())}`);
            return stmts;
          }
          const before = this.pos;
          stmts.push(this.parseStmt());
          if (this.pos === before) {
            this.errorHere('P103', `expected a statement, found ${this.describe(this.peek())}`);
            this.advance();
          }
        }
        this.advance();
        return stmts;
      },
      () => stmts,
    );
  }

  private parseStmt(): Stmt {
    const t = this.peek();
    const start = t.span;
    if (t.kind === 'ident') {
      const next = this.peek(1);
      if (next.kind === 'punct' && next.text === ':') {
        this.advance();
        this.advance();
        return { kind: 'label', name: { name: t.text, span: t.span }, span: this.from(start) };
      }
      if (next.kind === 'punct' && next.text === '=') {
        this.advance();
        this.advance();
        const value = this.parseExpr();
        this.endStmt();
        return { kind: 'assign', target: { name: t.text, span: t.span }, value, span: this.from(start) };
      }
      this.advance();
      this.error('P101', next.span, `expected '=' (assignment) or ':' (label) after '${t.text}', found ${this.describe(next)}`);
      this.syncStmt();
      return { kind: 'error', span: this.from(start) };
    }
    if (t.kind === 'keyword') {
      if (MEMOP_KEYWORDS.has(t.text)) {
        const op = this.parseMemOp();
        this.endStmt();
        return { kind: 'memstmt', op, span: this.from(start) };
      }
      switch (t.text) {
        case 'if':
          return this.parseIf();
        case 'while': {
          this.advance();
          const cond = this.parseParenExpr();
          const body = this.parseBlock();
          return { kind: 'while', cond, body, span: this.from(start) };
        }
        case 'for': {
          this.advance();
          const variable = this.identOrHole('a loop variable');
          this.expect('in');
          const from = this.parseExpr();
          this.expect('..');
          const to = this.parseExpr();
          const body = this.parseBlock();
          return { kind: 'for', variable, from, to, body, span: this.from(start) };
        }
        case 'await': {
          this.advance();
          const cond = this.parseParenExpr();
          this.endStmt();
          return { kind: 'await', cond, span: this.from(start) };
        }
        case 'assume': {
          this.advance();
          const cond = this.parseParenExpr();
          this.endStmt();
          return { kind: 'assume', cond, span: this.from(start) };
        }
        case 'assert': {
          this.advance();
          let cond: Expr;
          let message: string | null = null;
          if (this.expect('(')) {
            cond = this.parseExpr();
            if (this.eat(',') !== null) message = this.stringLit('a message string');
            this.expect(')');
          } else cond = { kind: 'error', span: this.peek().span };
          this.endStmt();
          return { kind: 'assert', cond, message, span: this.from(start) };
        }
        case 'critical': {
          this.advance();
          let name: Ident | null = null;
          const nt = this.peek();
          if (nt.kind === 'ident') {
            this.advance();
            name = { name: nt.text, span: nt.span };
          }
          const body = this.parseBlock();
          return { kind: 'critical', name, body, span: this.from(start) };
        }
        case 'goto': {
          this.advance();
          const target = this.identOrHole('a label after goto');
          this.endStmt();
          return { kind: 'goto', target, span: this.from(start) };
        }
        case 'skip':
          this.advance();
          this.endStmt();
          return { kind: 'skip', span: this.from(start) };
        default:
          break;
      }
    }
    const hint = t.kind === 'punct' && t.text === ';' ? ' (an empty statement is written skip;)' : '';
    this.errorHere('P103', `expected a statement, found ${this.describe(t)}${hint}`);
    if (t.kind === 'punct' && t.text === ';') this.advance();
    else this.syncStmt();
    return { kind: 'error', span: this.from(start) };
  }

  private parseIf(): Stmt {
    const start = this.advance().span;
    const cond = this.parseParenExpr();
    const then = this.parseBlock();
    let otherwise: Stmt[] | null = null;
    if (this.eat('else') !== null) {
      if (this.at('if')) {
        this.enter();
        otherwise = [this.parseIf()];
        this.leave();
      } else otherwise = this.parseBlock();
    }
    return { kind: 'if', cond, then, otherwise, span: this.from(start) };
  }

  // ------------------------------------------------------------ memory operations

  private parseMemOp(): MemOp {
    const kw = this.advance();
    const start = kw.span;
    const opName = kw.text;
    let mode: Mode = 'sc';
    if (opName === 'wait' || opName === 'notify') {
      if (this.at('.')) {
        this.errorHere('P101', `${opName} takes no access mode (it is always sc)`);
        this.advance();
        if (this.peek().kind === 'ident') this.advance();
      }
    } else if (this.eat('.') !== null) {
      const mt = this.peek();
      if (mt.kind === 'ident' && MODE_SET.has(mt.text)) {
        this.advance();
        mode = mt.text as Mode;
      } else if (mt.kind === 'ident' || mt.kind === 'keyword') {
        this.advance();
        this.error('P105', mt.span, `unknown access mode '${mt.text}'`);
      } else this.errorHere('P105', `expected an access mode after '${opName}.', found ${this.describe(mt)}`);
    } else {
      this.errorHere('P101', `expected '.' and an access mode after '${opName}' (e.g. ${opName}.sc)`);
    }

    // arguments: a location first (except fence), then expressions
    let loc: LocRef | null = null;
    const args: Expr[] = [];
    let argCount = 0;
    const hasParen = this.expect('(');
    let closed = false;
    if (hasParen) {
      this.nested(')', () => {
        if (!this.at(')')) {
          if (opName !== 'fence') {
            loc = this.parseLoc();
            argCount++;
          } else {
            args.push(this.parseExpr());
            argCount++;
          }
          while (this.eat(',') !== null) {
            args.push(this.parseExpr());
            argCount++;
          }
        }
        closed = this.expect(')');
      }, () => undefined, 0);
    }
    const span = this.from(start);
    const hole = (): Expr => ({ kind: 'error', span: this.prevSpan() });
    const arg = (k: number): Expr => args[k] ?? hole();
    const theLoc = (): LocRef => loc ?? { kind: 'locref', name: { name: '', span: this.prevSpan() }, index: null, span: this.prevSpan() };
    const arity = (min: number, max: number, shape: string): void => {
      if (closed && (argCount < min || argCount > max)) this.error('P106', span, `${opName} takes ${shape}, found ${argCount} operand${argCount === 1 ? '' : 's'}`);
    };
    switch (opName) {
      case 'load':
        arity(1, 1, 'one operand: (location)');
        return { kind: 'load', mode, loc: theLoc(), span };
      case 'store':
        arity(2, 2, 'two operands: (location, value)');
        return { kind: 'store', mode, loc: theLoc(), value: arg(0), span };
      case 'cmpxchg':
        arity(3, 3, 'three operands: (location, expected, replacement)');
        return { kind: 'rmw', op: 'cmpxchg', mode, loc: theLoc(), expected: arg(0), value: arg(1), span };
      case 'fence':
        arity(0, 0, 'no operands');
        return { kind: 'fence', mode, span };
      case 'wait':
        arity(2, 3, 'two or three operands: (location, expected[, timeout])');
        return { kind: 'wait', loc: theLoc(), expected: arg(0), timeout: args[1] ?? null, span };
      case 'notify':
        arity(1, 2, 'one or two operands: (location[, count])');
        return { kind: 'notify', loc: theLoc(), count: args[0] ?? null, span };
      default:
        arity(2, 2, 'two operands: (location, value)');
        return { kind: 'rmw', op: opName as RmwOp, mode, loc: theLoc(), expected: null, value: arg(0), span };
    }
  }

  private parseLoc(): LocRef {
    const t = this.peek();
    if (t.kind !== 'ident') {
      this.errorHere('P101', `expected a shared location, found ${this.describe(t)}`);
      const e = this.parseExpr();
      return { kind: 'locref', name: { name: '', span: e.span }, index: null, span: e.span };
    }
    this.advance();
    const name = { name: t.text, span: t.span };
    if (this.at('.')) {
      const view = this.parseView();
      let index: Expr | null = null;
      if (view === null && this.eat('[') !== null) {
        this.parseExpr(); // the element index of a malformed view: skipped (its error is reported)
        this.expect(']');
      }
      if (view !== null) {
        if (this.eat('[') !== null) {
          index = this.parseExpr();
          this.expect(']');
        } else this.errorHere('P110', `a view takes an element index: ${t.text}.i${view.width * 8}[0], found ${this.describe(this.peek())}`);
      }
      const span = this.from(t.span);
      // a malformed view leaves a plain reference (its error is reported): the index hole becomes 0
      return view === null ? { kind: 'locref', name, index: null, span } : { kind: 'locref', name, index: index ?? { kind: 'error', span }, view, span };
    }
    let index: Expr | null = null;
    if (this.eat('[') !== null) {
      index = this.parseExpr();
      this.expect(']');
    }
    if (this.at('.') && this.peek(1).kind === 'ident') {
      const dot = this.advance();
      const v = this.advance();
      this.error('P110', joinSpans(dot.span, v.span), `a view applies to a whole location, not to one element: write ${t.text}${v.text in VIEW_WIDTHS ? `.${v.text}` : '.i8'}[k], whose index counts elements of the view over all of ${t.text}'s bytes`);
      if (this.eat('[') !== null) {
        this.parseExpr();
        this.expect(']');
      }
    }
    return { kind: 'locref', name, index, span: this.from(t.span) };
  }

  /** `.i8`, `.i16` or `.i32` after a location name (at the '.'): the view, or null after P110. */
  private parseView(): View | null {
    const dot = this.advance();
    const v = this.peek();
    if (v.kind === 'ident' && Object.hasOwn(VIEW_WIDTHS, v.text)) {
      this.advance();
      return { width: VIEW_WIDTHS[v.text as ViewName], span: joinSpans(dot.span, v.span) };
    }
    if (v.kind === 'ident' || v.kind === 'keyword') {
      this.advance();
      this.error('P110', joinSpans(dot.span, v.span), `unknown view '.${v.text}': the views are .i8, .i16 and .i32 (Int8Array, Int16Array, Int32Array)`);
    } else this.error('P110', dot.span, `expected a view (.i8, .i16 or .i32) after '.', found ${this.describe(v)}`);
    return null;
  }

  // ------------------------------------------------------------ expressions

  /** `( expr )`; when the `(` is missing, reports it and still parses the expression (and an optional `)`). */
  private parseParenExpr(): Expr {
    if (!this.expect('(')) {
      if (this.at('{') || this.at(';')) return { kind: 'error', span: this.peek().span };
      const e = this.parseExpr();
      this.eat(')');
      return e;
    }
    const e = this.parseExpr();
    if (this.at('=')) {
      // `if (r = 1)`: an assignment where a comparison belongs
      this.errorHere('P101', "expected ')', found '='", "'=' assigns; a condition compares with '==', e.g. (r == 1)");
      this.advance();
      this.parseExpr();
      this.eat(')');
      return e;
    }
    this.expect(')');
    return e;
  }

  /** Full expression (lowest precedence first, precedence climbing). */
  parseExpr(): Expr {
    return this.parseBinary(1);
  }

  private binaryOpHere(): BinaryOp | null {
    const t = this.peek();
    if (t.kind !== 'punct') return null;
    return Object.hasOwn(BINARY_PRECEDENCE, t.text) ? (t.text as BinaryOp) : null;
  }

  private parseBinary(minPrec: number): Expr {
    this.enter();
    let left = this.parseUnary();
    let chain = 0;
    for (;;) {
      const op = this.binaryOpHere();
      if (op === null) break;
      const prec = BINARY_PRECEDENCE[op];
      if (prec < minPrec) break;
      this.advance();
      // left-nested chains deepen the tree without recursion: count them against the limit too
      chain++;
      if (this.depth + chain > MAX_NESTING) this.tooDeep();
      const right = this.parseBinary(prec + 1);
      left = { kind: 'binary', op, left, right, span: joinSpans(left.span, right.span) };
    }
    this.leave();
    return left;
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.text === '-' || t.text === '!' || t.text === '~')) {
      this.advance();
      const op = t.text as UnaryOp;
      const next = this.peek();
      if (op === '-' && next.kind === 'int' && next.value === 2147483648) {
        // -2147483648 is the one literal whose magnitude does not fit: fold it
        this.advance();
        return { kind: 'int', value: -2147483648, span: joinSpans(t.span, next.span) };
      }
      this.enter();
      const operand = this.parseUnary();
      this.leave();
      return { kind: 'unary', op, operand, span: joinSpans(t.span, operand.span) };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'int':
        this.advance();
        if (t.value === 2147483648) {
          this.error('E004', t.span, `integer literal ${t.text} is out of 32-bit range`);
          return { kind: 'int', value: 0, span: t.span };
        }
        return { kind: 'int', value: t.value, span: t.span };
      case 'ident':
        this.advance();
        return { kind: 'name', name: t.text, span: t.span };
      case 'keyword':
        if (MEMOP_KEYWORDS.has(t.text)) {
          const op = this.parseMemOp();
          return { kind: 'mem', op, span: op.span };
        }
        if (t.text === 'true' || t.text === 'false') {
          this.errorHere('P102', `expected an expression, found '${t.text}'`, `expressions are integers: write ${t.text === 'true' ? 1 : 0}`);
          this.advance();
          return { kind: 'error', span: t.span };
        }
        break;
      case 'punct':
        if (t.text === '(') {
          this.advance();
          return this.nested(
            ')',
            () => {
              const e = this.parseExpr();
              this.expect(')');
              return e;
            },
            (): Expr => ({ kind: 'error', span: this.from(t.span) }),
            0,
          );
        }
        break;
      default:
        break;
    }
    this.errorHere('P102', `expected an expression, found ${this.describe(t)}`);
    return { kind: 'error', span: { ...t.span, end: t.span.start } };
  }

  // ------------------------------------------------------------ conditions

  private parseParenCond(): CondExpr {
    if (!this.expect('(')) {
      return { kind: 'error', span: this.peek().span };
    }
    return this.nested(
      ')',
      () => {
        const c = this.parseCond();
        this.expect(')');
        return c;
      },
      (): CondExpr => ({ kind: 'error', span: this.prevSpan() }),
      0,
    );
  }

  /** cond := or ('=>' cond)?   (implication is right-associative, lowest precedence) */
  private parseCond(): CondExpr {
    this.enter();
    const left = this.parseCondOr();
    let result = left;
    if (this.eat('=>') !== null) {
      const right = this.parseCond();
      result = { kind: 'implies', left, right, span: joinSpans(left.span, right.span) };
    }
    this.leave();
    return result;
  }

  private parseCondOr(): CondExpr {
    return this.parseCondChain('\\/', 'or', () => this.parseCondAnd());
  }

  private parseCondAnd(): CondExpr {
    return this.parseCondChain('/\\', 'and', () => this.parseCondNot());
  }

  /** operand (op operand)*, left-associative; the chain's length counts against the nesting limit. */
  private parseCondChain(op: '\\/' | '/\\', kind: 'or' | 'and', operand: () => CondExpr): CondExpr {
    let left = operand();
    let chain = 0;
    while (this.eat(op) !== null) {
      if (this.depth + ++chain > MAX_NESTING) this.tooDeep();
      const right = operand();
      left = { kind, left, right, span: joinSpans(left.span, right.span) };
    }
    return left;
  }

  private parseCondNot(): CondExpr {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '~') {
      this.advance();
      this.enter();
      const operand = this.parseCondNot();
      this.leave();
      return { kind: 'not', operand, span: joinSpans(t.span, operand.span) };
    }
    if (t.kind === 'punct' && t.text === '(') {
      this.advance();
      return this.nested(
        ')',
        () => {
          const c = this.parseCond();
          this.expect(')');
          return c;
        },
        (): CondExpr => ({ kind: 'error', span: this.from(t.span) }),
        0,
      );
    }
    if (t.kind === 'keyword' && (t.text === 'true' || t.text === 'false')) {
      this.advance();
      return { kind: 'bool', value: t.text === 'true', span: t.span };
    }
    const left = this.parseCondTerm();
    if (left === null) return { kind: 'error', span: { ...t.span, end: t.span.start } };
    let op: '=' | '!=';
    if (this.eat('=') !== null || this.eat('==') !== null) op = '=';
    else if (this.eat('!=') !== null) op = '!=';
    else {
      this.errorHere('P101', `expected '=' or '!=' after a condition term, found ${this.describe(this.peek())}`);
      return { kind: 'error', span: left.span };
    }
    const right = this.parseCondTerm();
    if (right === null) return { kind: 'error', span: this.from(left.span) };
    return { kind: 'cmp', op, left, right, span: joinSpans(left.span, right.span) };
  }

  private intIndex(): number | null {
    const t = this.peek();
    if (t.kind === 'int' && t.value >= 0 && t.value !== 2147483648) {
      this.advance();
      return t.value;
    }
    if (t.kind === 'int') {
      this.advance();
      this.error('P109', t.span, `index ${t.text} is out of range: indices are non-negative 32-bit integers`);
      return null;
    }
    this.errorHere('P109', `expected an integer index, found ${this.describe(t)}`);
    return null;
  }

  /** cterm := THREAD ':' IDENT | IDENT | IDENT '[' INT ']' | '[' IDENT ('[' INT ']')? ']' | '-'? INT. Reports P109 and returns null when absent. */
  parseCondTerm(): CondTerm | null {
    const t = this.peek();
    const start = t.span;
    if (t.kind === 'int') {
      this.advance();
      if (this.eat(':') !== null) {
        const reg = this.identOrHole('a register name');
        if (t.value < 0 || t.value === 2147483648) this.error('P109', t.span, `thread number ${t.text} is out of range`);
        return { kind: 'reg', thread: { ordinal: t.value < 0 || t.value === 2147483648 ? 0 : t.value }, reg: reg.name, span: this.from(start) };
      }
      if (t.value === 2147483648) this.error('E004', t.span, `integer literal ${t.text} is out of 32-bit range`);
      return { kind: 'int', value: t.value === 2147483648 ? 0 : t.value, span: t.span };
    }
    if (t.kind === 'punct' && t.text === '-' && this.peek(1).kind === 'int') {
      this.advance();
      const it = this.advance();
      const v = it.kind === 'int' ? it.value : 0;
      if (-v > 2147483647) {
        this.error('E004', this.from(start), `integer -${it.text} is out of 32-bit range`);
        return { kind: 'int', value: 0, span: this.from(start) };
      }
      return { kind: 'int', value: v === 0 ? 0 : -v, span: this.from(start) };
    }
    if (t.kind === 'ident') {
      this.advance();
      let index: number | null = null;
      if (this.eat('[') !== null) {
        index = this.intIndex();
        this.expect(']');
      }
      if (index === null && this.at('.')) {
        const view = this.parseView();
        if (view === null) return { kind: 'loc', name: t.text, index: null, span: this.from(start) };
        let vi: number | null = null;
        if (this.eat('[') !== null) {
          vi = this.intIndex();
          this.expect(']');
        } else this.errorHere('P110', `a view takes an element index: ${t.text}.i${view.width * 8}[0], found ${this.describe(this.peek())}`);
        return { kind: 'loc', name: t.text, index: vi ?? 0, view, span: this.from(start) };
      }
      if (this.eat(':') !== null) {
        const reg = this.identOrHole('a register name');
        return { kind: 'reg', thread: { name: t.text, index }, reg: reg.name, span: this.from(start) };
      }
      return { kind: 'loc', name: t.text, index, span: this.from(start) };
    }
    if (t.kind === 'punct' && t.text === '[') {
      this.advance();
      const name = this.identOrHole('a location name');
      let index: number | null = null;
      if (this.eat('[') !== null) {
        index = this.intIndex();
        this.expect(']');
      }
      this.expect(']');
      return { kind: 'loc', name: name.name, index, span: this.from(start) };
    }
    this.errorHere('P109', `expected a condition term (P0:r0, x, [x], a[1] or an integer), found ${this.describe(t)}`);
    return null;
  }
}
