/**
 * Syntax colouring of a herd7 `.litmus` text for the playground's editor, from the importer's own
 * splitter and lexers (no second tokenizer): splitter.ts finds the header, the init block, the
 * code and the constraints as herd's splitter does; the init block and the constraints are
 * tokenised by herd's state lexer (stateParser.ts `lexState`), the code by the dialect's lexer
 * (x86.ts `lexX86` for X86 and X86_64, c.ts `lexC` for C). The classes are the `.mw` ones
 * (model/syntax/highlight.ts):
 * - keyword: the architecture, the constraint words (exists, forall, ~exists, final, locations,
 *   filter), x86 mnemonics, C keywords, types and the C11/kernel atomic operations;
 * - mode: C's memory_order_* arguments;
 * - thread: P0, P1, … (as a thread's name and in `P0:EAX`);
 * - register: `P0:EAX`'s register, x86 registers in code, C locals;
 * - location: other names in the init block and the constraints, a C thread's pointer parameters,
 *   x86 memory operands ([x]);
 * - number: numbers and x86 immediates ($1); string: the test's name and its "description".
 * Not coloured: comments (the lexers skip them) and punctuation. Pure; never throws.
 */
import type { HighlightClass, HighlightSpan } from '../syntax/highlight.js';
import { SourceFile } from '../syntax/source.js';
import { lexC, MEMORY_ORDERS, TYPE_WORDS } from './c.js';
import { LitmusDiags } from './litmusText.js';
import { splitLitmus } from './splitter.js';
import { lexState } from './stateParser.js';
import { lexX86, X86_REGISTERS } from './x86.js';
import { X86_64_REGISTERS } from './x86_64.js';

const CONSTRAINT_WORDS: ReadonlySet<string> = new Set(['exists', 'forall', 'final', 'locations', 'filter', 'cases', 'observed', 'Observed', 'with', 'and', 'not', 'true', 'false']);

const C_KEYWORDS: ReadonlySet<string> = new Set(['void', 'if', 'else', 'while', 'for', 'do', 'return', 'break', 'continue', 'goto', 'sizeof', 'struct', 'typedef']);

/** x86 register names in any spelling herd takes (EAX, eax, rax, %eax without its %). */
const X86_REGS: ReadonlySet<string> = new Set([...X86_REGISTERS, ...X86_64_REGISTERS, 'ZF'].flatMap((r) => [r.toUpperCase(), r.toLowerCase()]));

/** C11 atomics and the Linux-kernel macros the importer takes, by prefix or name. */
function isAtomicCall(name: string): boolean {
  return /^(atomic_|smp_|spin_|__atomic_)/.test(name) || ['READ_ONCE', 'WRITE_ONCE', 'xchg', 'cmpxchg', 'xchg_relaxed', 'xchg_acquire', 'xchg_release', 'cmpxchg_relaxed', 'cmpxchg_acquire', 'cmpxchg_release'].includes(name);
}

/** The coloured ranges of a `.litmus` text, in order and never overlapping. */
export function highlightLitmus(text: string): HighlightSpan[] {
  const file = new SourceFile('highlight.litmus', text.replace(/\r(?!\n)/g, '\n'));
  const d = new LitmusDiags(file);
  const spans: HighlightSpan[] = [];
  const push = (start: number, end: number, cls: HighlightClass): void => {
    if (end > start) spans.push({ start, end, cls });
  };
  let split: ReturnType<typeof splitLitmus>;
  try {
    split = splitLitmus(file, d, (arch) => arch.toUpperCase() === 'C');
  } catch {
    return [];
  }
  if (split === null) return [];
  push(split.archSpan.start, split.archSpan.end, 'keyword');
  // the name and the description sit between the architecture and the init block's brace
  const head = file.text.slice(split.archSpan.end, split.init.start);
  const nameAt = head.indexOf(split.name);
  if (split.name.length > 0 && nameAt >= 0) push(split.archSpan.end + nameAt, split.archSpan.end + nameAt + split.name.length, 'string');
  const quote = /"[^"\n]*"/.exec(head);
  if (quote !== null) push(split.archSpan.end + quote.index, split.archSpan.end + quote.index + quote[0].length, 'string');
  stateSpans(file, split.init, d, push);
  const arch = split.arch.toUpperCase();
  if (arch === 'C') cSpans(file, split.code, d, push);
  else x86Spans(file, split.code, d, push);
  stateSpans(file, split.constraints, d, push);
  spans.sort((a, b) => a.start - b.start);
  // never overlapping (a header word the code lexer also saw, say): keep the first of each overlap
  const out: HighlightSpan[] = [];
  for (const s of spans) if (out.length === 0 || s.start >= (out[out.length - 1] as HighlightSpan).end) out.push(s);
  return out;
}

type Push = (start: number, end: number, cls: HighlightClass) => void;

/** The init block and the constraints: herd's state language. */
function stateSpans(file: SourceFile, range: { start: number; end: number }, d: LitmusDiags, push: Push): void {
  const toks = lexState(file, range, d, 'H404');
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t === undefined) continue;
    const prev = toks[i - 1];
    const before = toks[i - 2];
    switch (t.kind) {
      case 'num':
        push(t.start, t.end, 'number');
        break;
      case 'proc':
        push(t.start, t.end, 'thread');
        break;
      case 'name':
        if (CONSTRAINT_WORDS.has(t.text) || TYPE_WORDS.has(t.text)) push(t.start, t.end, 'keyword');
        else if (prev?.kind === 'punct' && prev.text === ':' && (before?.kind === 'proc' || before?.kind === 'num')) push(t.start, t.end, 'register');
        else push(t.start, t.end, 'location');
        break;
      case 'punct':
        if (t.text === '~' && toks[i + 1]?.text === 'exists') push(t.start, t.end, 'keyword');
        break;
      default:
        break;
    }
  }
}

/** An x86 thread table. */
function x86Spans(file: SourceFile, range: { start: number; end: number }, d: LitmusDiags, push: Push): void {
  const toks = lexX86(file, range, d);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t === undefined) continue;
    switch (t.kind) {
      case 'num':
      case 'imm':
        push(t.start, t.end, 'number');
        break;
      case 'proc':
        push(t.start, t.end, 'thread');
        break;
      case 'symreg':
        push(t.start, t.end, 'register');
        break;
      case 'name': {
        const prev = toks[i - 1];
        if (X86_REGS.has(t.text)) push(t.start, t.end, 'register');
        // a memory operand [x], or a label's use: a location; the first word of an instruction: its mnemonic
        else if (prev?.kind === 'punct' && prev.text === '[') push(t.start, t.end, 'location');
        else if (prev === undefined || (prev.kind === 'punct' && (prev.text === '|' || prev.text === ';' || prev.text === ':')) || prev.text.toUpperCase() === 'LOCK') push(t.start, t.end, 'keyword');
        else push(t.start, t.end, 'location');
        break;
      }
      default:
        break;
    }
  }
}

/** A C code section: threads `P0(atomic_int* x, …) { … }`. */
function cSpans(file: SourceFile, range: { start: number; end: number }, d: LitmusDiags, push: Push): void {
  const toks = lexC(file, range, d);
  // names declared in a thread's parameter list are locations; inside a body, declared names are registers
  const params = new Set<string>();
  let inParams = false;
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t === undefined || t.kind === 'eof') continue;
    const next = toks[i + 1];
    if (t.kind === 'punct') {
      if (t.text === '(' && depth === 0 && toks[i - 1]?.kind === 'ident' && /^P[0-9]+$/.test(toks[i - 1]?.text ?? '')) inParams = true;
      else if (t.text === ')' && inParams) inParams = false;
      else if (t.text === '{') depth++;
      else if (t.text === '}') depth = Math.max(0, depth - 1);
      continue;
    }
    if (t.kind === 'num') {
      push(t.start, t.end, 'number');
      continue;
    }
    if (t.kind !== 'ident') continue;
    if (/^P[0-9]+$/.test(t.text) && depth === 0) push(t.start, t.end, 'thread');
    else if (t.text in MEMORY_ORDERS) push(t.start, t.end, 'mode');
    else if (TYPE_WORDS.has(t.text) || C_KEYWORDS.has(t.text) || (isAtomicCall(t.text) && next?.text === '(')) push(t.start, t.end, 'keyword');
    else if (inParams) {
      params.add(t.text);
      push(t.start, t.end, 'location');
    } else if (params.has(t.text)) push(t.start, t.end, 'location');
    else if (depth > 0) push(t.start, t.end, 'register');
  }
}
