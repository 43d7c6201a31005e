/**
 * Syntax colouring of a `.mw` text, from the lexer itself (lexer.ts `lexWithComments`): the
 * playground's editor colours what this returns, so its keywords, numbers, strings and comments
 * are exactly the lexer's tokens and trivia — there is no second tokenizer. Names are classified
 * from the token stream with the language's rules (docs/language.md): a `shared` name is a
 * location, a `param` a param, the name after `thread` a thread, a mode is one of MODES after
 * `op.` (`load.acq`), and a thread's registers are the names it assigns (`r = …`, `for r in`)
 * plus `P0:r0` in the final condition. Pure; never throws, whatever the text.
 *
 * `.litmus` files are coloured by model/litmus/highlight.ts, from the importer's lexers. A name is
 * classified by these rules only, not by the resolver (a misspelt register is plain).
 */
import { lexWithComments, type Token } from './lexer.js';
import { MODES } from './ast.js';
import { SourceFile } from './source.js';

/** The classes of coloured text, as the editor's CSS names them (`tok-keyword`, …). */
export const HIGHLIGHT_CLASSES = ['keyword', 'mode', 'register', 'location', 'param', 'thread', 'number', 'string', 'comment'] as const;
export type HighlightClass = (typeof HIGHLIGHT_CLASSES)[number];

/** One coloured range [start, end) of the text (UTF-16 offsets). */
export interface HighlightSpan {
  readonly start: number;
  readonly end: number;
  readonly cls: HighlightClass;
}

const MODE_SET: ReadonlySet<string> = new Set(MODES);

/** The memory operations whose `.mode` suffix is a mode (`load.acq`, `fence.sc`, `fetch_add.rel`). */
const MODAL_OPS: ReadonlySet<string> = new Set(['load', 'store', 'exchange', 'cmpxchg', 'fetch_add', 'fetch_sub', 'fetch_and', 'fetch_or', 'fetch_xor', 'fence', 'wait', 'notify']);

const isPunct = (t: Token | undefined, text: string): boolean => t !== undefined && t.kind === 'punct' && t.text === text;

/** The coloured ranges of a `.mw` text, in order and never overlapping. */
export function highlightMw(text: string): HighlightSpan[] {
  // lone CRs as LFs, as the front end reads them (normaliseSourceText): same length, same offsets
  const file = new SourceFile('highlight.mw', text.replace(/\r(?!\n)/g, '\n'));
  const { tokens, comments } = lexWithComments(file);
  const locations = new Set<string>();
  const params = new Set<string>();
  const threads = new Set<string>();
  /** per token index inside a thread body: that body's number; -1 outside */
  const body: number[] = new Array<number>(tokens.length).fill(-1);
  const registers: Set<string>[] = [];
  let current = -1;
  let depth = 0;
  let pendingThread = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const prev = tokens[i - 1];
    if (t.kind === 'ident' && prev?.kind === 'keyword') {
      if (prev.text === 'shared') locations.add(t.text);
      else if (prev.text === 'param') params.add(t.text);
      else if (prev.text === 'thread') threads.add(t.text);
    }
    if (t.kind === 'keyword' && t.text === 'thread' && current < 0) pendingThread = true;
    if (isPunct(t, '{')) {
      if (pendingThread && current < 0) {
        pendingThread = false;
        current = registers.length;
        registers.push(new Set());
        depth = 0;
      }
      if (current >= 0) depth++;
    }
    if (current >= 0) {
      body[i] = current;
      const regs = registers[current] as Set<string>;
      if (t.kind === 'ident' && isPunct(tokens[i + 1], '=') && !isPunct(prev, '.')) regs.add(t.text);
      if (t.kind === 'ident' && prev?.kind === 'keyword' && prev.text === 'for') regs.add(t.text);
      if (isPunct(t, '}') && --depth === 0) current = -1;
    }
  }
  const spans: HighlightSpan[] = comments.map((c) => ({ start: c.span.start, end: c.span.end, cls: 'comment' as const }));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const cls = classOf(t, i);
    if (cls !== null && t.span.end > t.span.start) spans.push({ start: t.span.start, end: t.span.end, cls });
  }
  return spans.sort((a, b) => a.start - b.start);

  function classOf(t: Token, i: number): HighlightClass | null {
    switch (t.kind) {
      case 'keyword':
        return 'keyword';
      case 'int':
        return 'number';
      case 'string':
        return 'string';
      case 'punct':
      case 'eof':
        return null;
      case 'ident': {
        const prev = tokens[i - 1];
        const before = tokens[i - 2];
        if (isPunct(prev, '.') && before?.kind === 'keyword' && MODAL_OPS.has(before.text) && MODE_SET.has(t.text)) return 'mode';
        if (isPunct(prev, '.')) return null;
        const b = body[i] ?? -1;
        if (b >= 0 && registers[b]?.has(t.text) === true) return 'register';
        // the final condition's P0:r0, 0:r0 and T[1]:r
        if (b < 0 && isPunct(prev, ':') && (before?.kind === 'ident' || before?.kind === 'int' || isPunct(before, ']'))) return 'register';
        if (b < 0 && isPunct(tokens[i + 1], ':') && threads.has(t.text)) return 'thread';
        if (locations.has(t.text)) return 'location';
        if (params.has(t.text)) return 'param';
        if (threads.has(t.text) && tokens[i - 1]?.text === 'thread') return 'thread';
        return null;
      }
    }
  }
}
