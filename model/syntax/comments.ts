/**
 * Comment attachment for the formatter: which printed line each comment of a .mw file belongs to.
 * The AST has no comments; this builds a side table (CommentTable) from the lexer's comment trivia
 * and the token stream, which `printProgram(p, { comments })` (printer.ts) uses to print them back.
 *
 * Placement rules, in the style of gofmt and prettier:
 * - a comment on its own line is a *leading* comment of the next statement or top-level item in
 *   the same block (printed on its own line before it), or, when nothing follows in that block, a
 *   *closing* comment printed before the block's `}` (at the end of the file: after the last item);
 * - a comment after a token on the same line is a *trailing* comment of the statement or item that
 *   ends there (printed after its last line), or an *opening* comment of a block when it follows `{`;
 * - a blank line (one or more in the source) before a comment, a statement or an item is kept as
 *   exactly one blank line, except at the start or end of a block or file;
 * - an end-of-line comment keeps its source column when the code before it on its line is printed
 *   unchanged (so hand-aligned comments stay aligned), else it goes one space after the code.
 * Comments inside a statement or declaration but outside its blocks (inside an expression, a
 * condition, a `shared` initialiser list, a loop head) cannot stay there: they move to the nearest
 * statement boundary — a trailing comment of the statement (or an opening comment of its first block)
 * when the comment ended a line, a leading comment of the statement otherwise. Comments between an
 * `if`'s blocks go to the top of the next block. The printer writes `else { if … }` as `else if`, so
 * comments of the vanished braces move to the top of the inner `if`'s first block or after the chain.
 * Header lines merge as the printer merges them: the `test` and `description` lines share one slot,
 * all `locations` items share one.
 * Comments are never re-wrapped; a multi-line block comment's continuation lines move with its
 * first line when it is re-indented (printer.ts, reindentComment).
 */
import type { IfStmt, Program, Stmt, ThreadDecl } from './ast.js';
import { lexWithComments, type CommentTrivia, type Token } from './lexer.js';
import type { SourceFile } from './source.js';

/** A comment with what the formatter needs to know about its surroundings. */
export interface SourceComment extends CommentTrivia {
  /** true when a token precedes it on the same line (an end-of-line comment) */
  readonly endOfLine: boolean;
  /** true when a blank line separates it from the preceding token or comment */
  readonly blankBefore: boolean;
  /** the source text on its line before it, without trailing whitespace ('' for a comment that starts its line) */
  readonly lineBefore: string;
}

/** The comments attached to one printed statement, declaration or header line. */
export interface CommentSlot {
  /** printed on their own lines before it, in source order */
  readonly leading: readonly SourceComment[];
  /** printed after its last line (the first on that line; after a `//` comment, on the next line) */
  readonly trailing: readonly SourceComment[];
  /** the source had a blank line before it (after its leading comments, if any) */
  readonly blankBefore: boolean;
}

/** The comments of one `{ … }` block that belong to no statement inside it. */
export interface BlockComments {
  /** end-of-line comments after `{` */
  readonly open: readonly SourceComment[];
  /** own-line comments after the last statement, printed before `}` */
  readonly close: readonly SourceComment[];
}

/**
 * The side table the printer reads. Every statement, param, shared, thread and final condition has
 * a slot (for its blank line even without comments), keyed by the start offset of its span.
 */
export interface CommentTable {
  /** every comment of the file, in source order */
  readonly all: readonly SourceComment[];
  /** statements, params, shared declarations, threads and the final condition, by span start */
  readonly nodes: ReadonlyMap<number, CommentSlot>;
  /** lines without an AST node: 'head' (the test or description line), 'source#K' (K-th source line, from 0), 'locations', 'filter' */
  readonly header: ReadonlyMap<string, CommentSlot>;
  /** blocks by the span start of their owner (thread, while, for, critical, if): [body] or [then, else]; an else printed as `else if` has none */
  readonly blocks: ReadonlyMap<number, readonly BlockComments[]>;
  /** own-line comments after the last top-level item */
  readonly end: readonly SourceComment[];
}

interface MutableSlot {
  leading: SourceComment[];
  trailing: SourceComment[];
  blankBefore: boolean;
}
interface MutableBlock {
  open: SourceComment[];
  close: SourceComment[];
}

/** One `{ … }` of a statement: token indices of its braces, its statements, and its comment slot or, for an else the printer writes as `else if`, the inner if. */
interface Group {
  readonly open: number;
  readonly close: number;
  readonly stmts: readonly Stmt[];
  readonly block: MutableBlock | IfStmt;
}

/** A top-level item in the token stream: tokens [startTok, endTok], and where its comments go. */
interface Item {
  readonly start: number;
  readonly end: number;
  readonly slot: MutableSlot;
  readonly thread: ThreadDecl | null;
}

const TOP_ITEM_KEYWORDS: ReadonlySet<string> = new Set(['test', 'description', 'source', 'param', 'shared', 'thread', 'exists', 'forall', 'locations', 'filter']);

/** The comments of `file` as SourceComments (with end-of-line and blank-line facts), plus its tokens. */
export function collectComments(file: SourceFile): { comments: SourceComment[]; tokens: Token[] } {
  const { tokens, comments: trivia } = lexWithComments(file);
  const text = file.text;
  const out: SourceComment[] = [];
  let t = 0; // index of the first token starting at or after the current comment
  let prevCommentEnd = -1;
  for (const c of trivia) {
    while (t < tokens.length && (tokens[t]?.span.start ?? Infinity) < c.span.start && tokens[t]?.kind !== 'eof') t++;
    const prevTok = t > 0 ? tokens[t - 1] : undefined;
    const prevTokEnd = prevTok === undefined ? -1 : prevTok.span.end;
    const endOfLine = prevTokEnd >= 0 && !text.slice(prevTokEnd, c.span.start).includes('\n');
    const before = Math.max(prevTokEnd, prevCommentEnd);
    const blankBefore = before >= 0 && countNewlines(text, before, c.span.start) >= 2;
    const lineStart = text.lastIndexOf('\n', c.span.start - 1) + 1;
    out.push({ ...c, endOfLine, blankBefore, lineBefore: text.slice(lineStart, c.span.start).trimEnd() });
    prevCommentEnd = c.span.end;
  }
  return { comments: out, tokens };
}

function isBlock(b: MutableBlock | IfStmt): b is MutableBlock {
  return !('kind' in b);
}

function countNewlines(text: string, from: number, to: number): number {
  let k = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) k++;
  return k;
}

/**
 * Attach the comments of `file` to the printed lines of `program` (its AST, parsed from `file`
 * without syntax errors). Pure; never throws. A comment it cannot place (only possible for an AST
 * that does not match the file) is left out of every slot; printProgram prints such comments at
 * the end of the file, so no comment is ever dropped.
 */
export function attachComments(program: Program, file: SourceFile): CommentTable {
  return new Attacher(program, file).run();
}

class Attacher {
  private readonly program: Program;
  private readonly text: string;
  private readonly tokens: readonly Token[];
  private readonly comments: readonly SourceComment[];
  /** token index by start offset */
  private readonly tokenAt = new Map<number, number>();
  /** index of the matching `}` by index of `{` */
  private readonly match = new Map<number, number>();
  private readonly nodes = new Map<number, MutableSlot>();
  private readonly header = new Map<string, MutableSlot>();
  private readonly blocks = new Map<number, MutableBlock[]>();
  private readonly groupCache = new Map<number, { groups: Group[]; elseIf: IfStmt | null }>();
  private readonly end: SourceComment[] = [];
  private items: Item[] = [];

  constructor(program: Program, file: SourceFile) {
    this.program = program;
    this.text = file.text;
    const { comments, tokens } = collectComments(file);
    this.comments = comments;
    this.tokens = tokens;
    const stack: number[] = [];
    tokens.forEach((t, i) => {
      this.tokenAt.set(t.span.start, i);
      if (t.kind !== 'punct') return;
      if (t.text === '{') stack.push(i);
      else if (t.text === '}') {
        const open = stack.pop();
        if (open !== undefined) this.match.set(open, i);
      }
    });
  }

  run(): CommentTable {
    this.items = this.scanItems();
    for (const t of this.program.threads) this.walkStmts(t.body);
    for (const c of this.comments) this.routeTop(c);
    return { all: this.comments, nodes: this.nodes, header: this.header, blocks: this.blocks, end: this.end };
  }

  // ------------------------------------------------------------ slots

  /** Whether the source has a blank line between the token or comment before `offset` and `offset`. */
  private blankBefore(offset: number): boolean {
    const ti = this.tokenAt.get(offset);
    let before = ti === undefined || ti === 0 ? -1 : (this.tokens[ti - 1]?.span.end ?? -1);
    for (const c of this.comments) {
      if (c.span.end <= offset) before = Math.max(before, c.span.end);
      else break;
    }
    return before >= 0 && countNewlines(this.text, before, offset) >= 2;
  }

  private slot(start: number): MutableSlot {
    let s = this.nodes.get(start);
    if (s === undefined) {
      s = { leading: [], trailing: [], blankBefore: this.blankBefore(start) };
      this.nodes.set(start, s);
    }
    return s;
  }

  private headerSlot(key: string, start: number): MutableSlot {
    let s = this.header.get(key);
    if (s === undefined) {
      s = { leading: [], trailing: [], blankBefore: this.blankBefore(start) };
      this.header.set(key, s);
    }
    return s;
  }

  private block(owner: number, index: number): MutableBlock {
    let list = this.blocks.get(owner);
    if (list === undefined) {
      list = [];
      this.blocks.set(owner, list);
    }
    let b = list[index];
    if (b === undefined) {
      b = { open: [], close: [] };
      list[index] = b;
    }
    return b;
  }

  // ------------------------------------------------------------ structure from tokens

  /** Top-level items: a top-level keyword at brace depth 0 starts one, which runs to the next. */
  private scanItems(): Item[] {
    const starts: number[] = [];
    let depth = 0;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (t === undefined || t.kind === 'eof') break;
      if (depth === 0) {
        const afterTilde = i > 0 && this.isPunct(i - 1, '~');
        if ((t.kind === 'keyword' && TOP_ITEM_KEYWORDS.has(t.text) && !(t.text === 'exists' && afterTilde)) || (this.isPunct(i, '~') && this.isKeyword(i + 1, 'exists'))) {
          starts.push(i);
        }
      }
      if (t.kind === 'punct' && t.text === '{') depth++;
      else if (t.kind === 'punct' && t.text === '}') depth = Math.max(0, depth - 1);
    }
    const lastTok = this.tokens.length - 2; // before eof
    const threads = new Map(this.program.threads.map((t) => [t.span.start, t]));
    const items: Item[] = [];
    let sources = 0;
    starts.forEach((s, k) => {
      const first = this.tokens[s];
      const endTok = (starts[k + 1] ?? lastTok + 1) - 1;
      const last = this.tokens[endTok];
      if (first === undefined || last === undefined) return;
      const start = first.span.start;
      let slot: MutableSlot;
      switch (first.text) {
        case 'test':
        case 'description':
          slot = this.headerSlot('head', start);
          break;
        case 'source':
          slot = this.headerSlot(`source#${sources++}`, start);
          break;
        case 'locations':
          slot = this.headerSlot('locations', start);
          break;
        case 'filter':
          slot = this.headerSlot('filter', start);
          break;
        default:
          slot = this.slot(start);
      }
      items.push({ start, end: last.span.end, slot, thread: threads.get(start) ?? null });
    });
    return items;
  }

  private isPunct(i: number, text: string): boolean {
    const t = this.tokens[i];
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }
  private isKeyword(i: number, text: string): boolean {
    const t = this.tokens[i];
    return t !== undefined && t.kind === 'keyword' && t.text === text;
  }

  /** The first `{` at or after token index `from`, with its matching `}`. */
  private braceFrom(from: number | undefined): { open: number; close: number } | null {
    if (from === undefined) return null;
    for (let i = from; i < this.tokens.length; i++) {
      if (this.isPunct(i, '{')) {
        const close = this.match.get(i);
        return close === undefined ? null : { open: i, close };
      }
    }
    return null;
  }

  /** Create slots for every statement and block (so blank lines are known even without comments). */
  private walkStmts(stmts: readonly Stmt[]): void {
    for (const s of stmts) {
      this.slot(s.span.start);
      const { groups, elseIf } = this.groups(s);
      for (const g of groups) this.walkStmts(g.stmts);
      if (elseIf !== null) this.walkStmts([elseIf]);
    }
  }

  /** The blocks of a statement (and, for `if … else if`, the inner if written without braces). */
  private groups(s: Stmt): { groups: Group[]; elseIf: IfStmt | null } {
    const cached = this.groupCache.get(s.span.start);
    if (cached !== undefined) return cached;
    const result: { groups: Group[]; elseIf: IfStmt | null } = { groups: [], elseIf: null };
    const at = this.tokenAt.get(s.span.start);
    switch (s.kind) {
      case 'while':
      case 'for':
      case 'critical': {
        const b = this.braceFrom(at);
        if (b !== null) result.groups.push({ ...b, stmts: s.body, block: this.block(s.span.start, 0) });
        break;
      }
      case 'if': {
        const b = this.braceFrom(at);
        if (b === null) break;
        result.groups.push({ ...b, stmts: s.then, block: this.block(s.span.start, 0) });
        if (s.otherwise === null || !this.isKeyword(b.close + 1, 'else')) break;
        const only = s.otherwise.length === 1 ? s.otherwise[0] : undefined;
        const flat = only !== undefined && only.kind === 'if';
        if (this.isPunct(b.close + 2, '{')) {
          const close = this.match.get(b.close + 2);
          if (close !== undefined) result.groups.push({ open: b.close + 2, close, stmts: s.otherwise, block: flat ? only : this.block(s.span.start, 1) });
        } else if (flat) result.elseIf = only;
        break;
      }
      default:
        break;
    }
    this.groupCache.set(s.span.start, result);
    return result;
  }

  private tokStart(i: number): number {
    return this.tokens[i]?.span.start ?? Infinity;
  }

  // ------------------------------------------------------------ routing one comment

  private routeTop(c: SourceComment): void {
    const pos = c.span.start;
    const item = this.items.find((it) => it.start <= pos && pos < it.end);
    if (item !== undefined) {
      if (item.thread !== null) this.routeThread(item, item.thread, c);
      else (c.endOfLine ? item.slot.trailing : item.slot.leading).push(c);
      return;
    }
    let prev: Item | undefined;
    for (const it of this.items) if (it.end <= pos) prev = it;
    const next = this.items.find((it) => it.start > pos);
    if (c.endOfLine && prev !== undefined) prev.slot.trailing.push(c);
    else if (next !== undefined) next.slot.leading.push(c);
    else this.end.push(c);
  }

  private routeThread(item: Item, t: ThreadDecl, c: SourceComment): void {
    const b = this.braceFrom(this.tokenAt.get(t.span.start));
    const pos = c.span.start;
    if (b === null || pos > this.tokStart(b.close)) item.slot.trailing.push(c);
    else if (pos < this.tokStart(b.open)) (c.endOfLine ? this.block(t.span.start, 0).open : item.slot.leading).push(c);
    else this.routeBlock(t.body, this.block(t.span.start, 0), c);
  }

  private routeBlock(stmts: readonly Stmt[], block: MutableBlock, c: SourceComment): void {
    const pos = c.span.start;
    const inside = stmts.find((s) => s.span.start <= pos && pos < s.span.end);
    if (inside !== undefined) {
      this.routeStmt(inside, inside, false, c);
      return;
    }
    let prev: Stmt | undefined;
    for (const s of stmts) if (s.span.end <= pos) prev = s;
    const next = stmts.find((s) => s.span.start > pos);
    if (c.endOfLine) (prev !== undefined ? this.slot(prev.span.start).trailing : block.open).push(c);
    else (next !== undefined ? this.slot(next.span.start).leading : block.close).push(c);
  }

  /** A comment inside statement `s` (part of the if-chain headed by `chain`; `isElseIf` when `s` prints as `else if`). */
  private routeStmt(s: Stmt, chain: Stmt, isElseIf: boolean, c: SourceComment): void {
    const pos = c.span.start;
    const { groups, elseIf } = this.groups(s);
    if (groups.length === 0) {
      (c.endOfLine ? this.slot(chain.span.start).trailing : this.slot(s.span.start).leading).push(c);
      return;
    }
    for (const g of groups) {
      if (this.tokStart(g.open) < pos && pos < this.tokStart(g.close)) {
        if (isBlock(g.block)) this.routeBlock(g.stmts, g.block, c);
        else this.routeFlatElse(g.block, chain, c);
        return;
      }
    }
    if (elseIf !== null && pos >= elseIf.span.start) {
      this.routeStmt(elseIf, chain, true, c);
      return;
    }
    const k = groups.findIndex((g) => this.tokStart(g.open) > pos);
    const g = groups[k];
    if (g === undefined) {
      if (elseIf !== null) this.toInnerHead(elseIf, c);
      else this.slot(chain.span.start).trailing.push(c);
    } else if (!isBlock(g.block)) this.toInnerHead(g.block, c);
    else if (c.endOfLine) g.block.open.push(c);
    else if (k === 0 && !isElseIf) this.slot(s.span.start).leading.push(c);
    else this.toTop(g.stmts, g.block, c);
  }

  /** A comment inside braces the printer drops (`else { if … }` printed as `else if …`). */
  private routeFlatElse(inner: IfStmt, chain: Stmt, c: SourceComment): void {
    const pos = c.span.start;
    if (pos >= inner.span.start && pos < inner.span.end) this.routeStmt(inner, chain, true, c);
    else if (pos < inner.span.start) this.toInnerHead(inner, c);
    else this.slot(chain.span.start).trailing.push(c);
  }

  /** A comment before an `else if`: to the end of the line of its `{`, or the top of its block. */
  private toInnerHead(inner: IfStmt, c: SourceComment): void {
    const g = this.groups(inner).groups[0];
    if (g === undefined || !isBlock(g.block)) {
      this.slot(inner.span.start).leading.push(c); // malformed; printProgram's safety net prints it
      return;
    }
    if (c.endOfLine) g.block.open.push(c);
    else this.toTop(g.stmts, g.block, c);
  }

  /** Own-line comment at the top of a block: leading comment of its first statement, or a closing comment. */
  private toTop(stmts: readonly Stmt[], block: MutableBlock, c: SourceComment): void {
    const first = stmts[0];
    (first !== undefined ? this.slot(first.span.start).leading : block.close).push(c);
  }
}
