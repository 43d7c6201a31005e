/**
 * The X86 dialect of herd7 litmus tests: the thread table (`P0 | P1 ;` then one row per
 * instruction, cells separated by `|`, rows ended by `;`) in herd's Intel syntax, lowered to
 * memweave statements. Grammar learnt from herdtools7 `lib/X86Parser.mly` / `lib/X86Lexer.mll`.
 *
 * Mapping (docs/litmus-import.md has the table with reasons):
 *   MOV r,$k / MOV r,k / MOV r,r2   → r = k / r = r2                 (register move, no memory)
 *   MOV r,[x]                        → r = load.plain(x)              (TSO ordinary load)
 *   MOV [x],$k / MOV [x],r           → store.plain(x, k|r)            (TSO ordinary store: buffered)
 *   MFENCE                           → fence.sc()
 *   LFENCE, SFENCE                   → skip  (no-ops in x86-TSO for ordinary memory: Owens et al. 2009)
 *   XCHG [x],r / XCHG r,[x]          → r = exchange.sc(x, r)          (implicitly locked)
 *   LOCK XADD [x],r                  → r = fetch_add.sc(x, r)
 *   LOCK CMPXCHG [x],r               → EAX = cmpxchg.sc(x, EAX, r)    (Intel: EAX receives the old value)
 *   LOCK ADD|SUB|AND|OR|XOR [x],v    → fetch_op.sc(x, v)              (result discarded)
 *   LOCK INC|DEC [x]                 → fetch_add|fetch_sub.sc(x, 1)   (result discarded)
 *   ADD|SUB|AND|OR|XOR r,v ; INC|DEC r → r = r op v                   (v may be [x]: a plain load)
 *   CMP a,b                          → ZF = (a == b)                  (ZF is a register of the thread)
 *   JE L / JNE L / JMP L             → if (ZF) goto L / if (!ZF) goto L / goto L
 *   L: …                             → label L
 * Registers are EAX EBX ECX EDX ESI EDI EBP ESP, written in upper case whatever the source case.
 *
 * Does not model (reports H405/H406): register-indirect and absolute addressing (`[EBX]`,
 * `[0]`), symbolic registers (`%r`), non-locked read-modify-writes on memory (`ADD [x],$1`,
 * `CMPXCHG` / `XADD` without LOCK), register-to-register XCHG, CMOVC, SETNB, sized moves other
 * than MOVL, and other flags than ZF (CMPXCHG does not set ZF here).
 */
import type { Expr, Ident, LocRef, MemOp, Mode, RmwOp, Stmt, ThreadDecl } from '../syntax/ast.js';
import type { SourceFile, Span } from '../syntax/source.js';
import { isAlpha, isDigit, skipMlComment } from './litmusText.js';
import { parseIntLit } from './stateParser.js';
import type { LitmusDiags } from './litmusText.js';
import type { Range } from './splitter.js';

/** The 32-bit general-purpose registers herd's X86 dialect knows. */
export const X86_REGISTERS: readonly string[] = ['EAX', 'EBX', 'ECX', 'EDX', 'ESI', 'EDI', 'EBP', 'ESP'];

/** The register CMP writes and JE/JNE read. */
export const X86_FLAG_REGISTER = 'ZF';

/** Normalise a register name: x86 registers are case-insensitive in herd; memweave spells them in upper case. */
export function normaliseX86Reg(name: string): string {
  const up = name.toUpperCase();
  return X86_REGISTERS.includes(up) ? up : name;
}

/** A token of herd's assembly thread table (shared by the X86 and X86_64 dialects). */
export interface XTok {
  readonly kind: 'num' | 'imm' | 'name' | 'proc' | 'symreg' | 'punct' | 'bad';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Tokens of an assembly thread table: numbers, `$` immediates, names, `P0` headers, `%` registers, punctuation. */
export function lexX86(file: SourceFile, range: Range, d: LitmusDiags): XTok[] {
  const text = file.text;
  const out: XTok[] = [];
  let i = range.start;
  while (i < range.end) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (text.startsWith('(*', i)) {
      const e = skipMlComment(text, i);
      if (e < 0 || e > range.end) {
        d.add('H404', i, i + 2, 'unterminated comment "(*" in the thread table', 'close the comment with *)');
        return out;
      }
      i = e;
      continue;
    }
    const s = i;
    const num = /^-?(?:0[xX][0-9a-fA-F]+|[0-9]+)/;
    if (c === '$') {
      const m = num.exec(text.slice(i + 1, Math.min(range.end, i + 40)));
      if (m !== null) {
        i += 1 + m[0].length;
        out.push({ kind: 'imm', text: text.slice(s, i), start: s, end: i });
        continue;
      }
    }
    if (isDigit(c) || (c === '-' && isDigit(text[i + 1]))) {
      const m = num.exec(text.slice(i, Math.min(range.end, i + 40)));
      i += m === null ? 1 : m[0].length;
      out.push({ kind: 'num', text: text.slice(s, i), start: s, end: i });
      continue;
    }
    if (c === '%' && isAlpha(text[i + 1])) {
      i++;
      while (i < range.end && nameChar(text[i])) i++;
      out.push({ kind: 'symreg', text: text.slice(s, i), start: s, end: i });
      continue;
    }
    if (isAlpha(c) || c === '_') {
      i++;
      while (i < range.end && nameChar(text[i])) i++;
      const word = text.slice(s, i);
      out.push({ kind: /^P[0-9]+$/.test(word) ? 'proc' : 'name', text: word, start: s, end: i });
      continue;
    }
    if (';,|()[]:'.includes(c ?? '')) {
      i++;
      out.push({ kind: 'punct', text: c ?? '', start: s, end: i });
      continue;
    }
    i++;
    out.push({ kind: 'bad', text: c ?? '', start: s, end: i });
  }
  return out;
}

function nameChar(c: string | undefined): boolean {
  return isAlpha(c) || isDigit(c) || c === '_' || c === '.' || c === '/' || (c === '-');
}

/** The threads of an X86 test, parsed from its code section. */
export interface X86Code {
  readonly threads: ThreadDecl[];
}

/** Parse the thread table of an X86 litmus test into one ThreadDecl per column. */
export function parseX86Code(file: SourceFile, range: Range, d: LitmusDiags): X86Code {
  return parseThreadTable(file, range, d, lowerCell);
}

/** Lowers one non-empty cell of a thread table to statements (diagnostics into `d`). */
export type CellLowerer = (file: SourceFile, cell: readonly XTok[], d: LitmusDiags) => Stmt[];

/**
 * herd's thread table (header `P0 | P1 ;`, rows of `|`-separated cells ended by `;`), each cell
 * lowered by `lower`; `finish` may append statements to each thread's body (X86_64's `ret` label).
 */
export function parseThreadTable(file: SourceFile, range: Range, d: LitmusDiags, lower: CellLowerer, finish?: (body: Stmt[], end: Span) => Stmt[]): X86Code {
  const toks = lexX86(file, range, d);
  // split into rows (ended by ';') and cells (separated by '|')
  const rows: { cells: XTok[][]; cellStarts: number[]; start: number; end: number; terminated: boolean }[] = [];
  let cells: XTok[][] = [[]];
  let cellStarts: number[] = [range.start];
  let rowStart = -1;
  let k = 0;
  if (toks[0]?.text === ';' && toks[0].kind === 'punct') k = 1; // herd allows a leading ';'
  for (; k < toks.length; k++) {
    const t = toks[k] as XTok;
    if (rowStart < 0) rowStart = t.start;
    if (t.kind === 'punct' && t.text === ';') {
      rows.push({ cells, cellStarts, start: rowStart, end: t.end, terminated: true });
      cells = [[]];
      cellStarts = [t.end];
      rowStart = -1;
    } else if (t.kind === 'punct' && t.text === '|') {
      cells.push([]);
      cellStarts.push(t.end);
    } else (cells[cells.length - 1] as XTok[]).push(t);
  }
  if (rowStart >= 0) {
    const last = toks[toks.length - 1] as XTok;
    d.add('H404', rowStart, last.end, 'the last row of the thread table does not end with ";"', 'end every row of the table with ";"');
    rows.push({ cells, cellStarts, start: rowStart, end: last.end, terminated: false });
  }
  const header = rows[0];
  if (header === undefined) {
    d.add('H404', range.start, range.end, 'missing thread table: expected a header row such as "P0 | P1 ;"');
    return { threads: [] };
  }
  // header: one PROC per cell, P0, P1, … in order
  const names: { name: string; span: Span }[] = [];
  let headerOk = true;
  header.cells.forEach((cell, col) => {
    const t = cell[0];
    if (cell.length !== 1 || t === undefined || t.kind !== 'proc') {
      const s = cell[0]?.start ?? header.cellStarts[col] ?? header.start;
      const e = cell[cell.length - 1]?.end ?? s + 1;
      d.add('H404', s, e, `expected a thread name "P${col}" in column ${col + 1} of the header row`, 'the first row of the table names the threads: P0 | P1 | … ;');
      headerOk = false;
      return;
    }
    if (t.text !== `P${col}`) {
      d.add('H404', t.start, t.end, `thread columns must be named P0, P1, … in order: expected "P${col}", found "${t.text}"`);
      headerOk = false;
    }
    names.push({ name: `P${col}`, span: file.span(t.start, t.end) });
  });
  if (!headerOk) return { threads: [] };
  const n = names.length;
  const bodies: Stmt[][] = names.map(() => []);
  const ends: number[] = names.map((x) => x.span.end);
  for (const row of rows.slice(1)) {
    if (row.cells.length > n) {
      const extra = row.cells[n];
      const s = extra?.[0]?.start ?? row.cellStarts[n] ?? row.start;
      d.add('H404', s, row.end, `this row has ${row.cells.length} columns but the header names ${n} thread${n === 1 ? '' : 's'}`);
    }
    row.cells.slice(0, n).forEach((cell, col) => {
      if (cell.length === 0) return;
      const body = bodies[col] as Stmt[];
      body.push(...lower(file, cell, d));
      ends[col] = (cell[cell.length - 1] as XTok).end;
    });
  }
  const threads: ThreadDecl[] = names.map((nm, col) => ({
    kind: 'thread',
    name: { name: nm.name, span: nm.span },
    template: null,
    body: finish === undefined ? (bodies[col] as Stmt[]) : finish(bodies[col] as Stmt[], file.span(ends[col] ?? nm.span.end, ends[col] ?? nm.span.end)),
    span: file.span(nm.span.start, Math.max(nm.span.end, ends[col] ?? nm.span.end)),
  }));
  return { threads };
}

// ---------------------------------------------------------------- one cell

type Operand =
  | { readonly kind: 'reg'; readonly name: string; readonly span: Span }
  | { readonly kind: 'mem'; readonly loc: string; readonly span: Span; readonly locSpan: Span }
  | { readonly kind: 'imm'; readonly value: number; readonly span: Span };

/** Thrown to abandon one cell after its diagnostic; never escapes lowerCell. */
class CellBail {
  readonly tag = 'bail';
}

/** A cell's leading labels (NAME ':'), pushed onto `out`; the index of the first token after them. */
export function cellLabels(file: SourceFile, cell: readonly XTok[], out: Stmt[]): number {
  let i = 0;
  while (cell[i]?.kind === 'name' && cell[i + 1]?.text === ':' && cell[i + 1]?.kind === 'punct') {
    const t = cell[i] as XTok;
    out.push({ kind: 'label', name: { name: t.text, span: file.span(t.start, t.end) }, span: file.span(t.start, (cell[i + 1] as XTok).end) });
    i += 2;
  }
  return i;
}

function lowerCell(file: SourceFile, cell: readonly XTok[], d: LitmusDiags): Stmt[] {
  const out: Stmt[] = [];
  const i = cellLabels(file, cell, out);
  if (i >= cell.length) return out;
  const first = cell[i] as XTok;
  const last = cell[cell.length - 1] as XTok;
  const span = file.span(first.start, last.end);
  try {
    out.push(...lowerInstr(file, cell.slice(i), span, d));
  } catch (e) {
    if (!(e instanceof CellBail)) throw e;
    out.push({ kind: 'error', span });
  }
  return out;
}

const KNOWN_MNEMONICS: ReadonlySet<string> = new Set(['MOV', 'MOVL', 'MFENCE', 'LFENCE', 'SFENCE', 'XCHG', 'XADD', 'CMPXCHG', 'ADD', 'SUB', 'AND', 'OR', 'XOR', 'INC', 'DEC', 'CMP']);

function lowerInstr(file: SourceFile, toks: readonly XTok[], span: Span, d: LitmusDiags): Stmt[] {
  const fail = (code: 'H405' | 'H406', s: number, e: number, message: string, help?: string): never => {
    d.add(code, s, e, message, help);
    throw new CellBail();
  };
  const m = toks[0] as XTok;
  if (m.kind !== 'name') fail('H405', m.start, m.end, `expected an instruction, found "${m.text}"`);
  let mnem = m.text.toUpperCase();
  let locked = false;
  let rest = toks.slice(1);
  if (mnem === 'LOCK') {
    const m2 = rest[0];
    if (m2 === undefined || m2.kind !== 'name') return fail('H405', m.start, m.end, 'LOCK must prefix an instruction, e.g. LOCK INC [x]');
    locked = true;
    mnem = m2.text.toUpperCase();
    rest = rest.slice(1);
  }
  const mnemEnd = locked ? (toks[1] as XTok).end : m.end;
  const noLockEarly = (): void => {
    if (locked) fail('H405', m.start, mnemEnd, `LOCK ${mnem} is not supported`, 'LOCK applies to read-modify-write instructions with a memory destination');
  };
  if (mnem === 'JE' || mnem === 'JNE' || mnem === 'JMP') {
    noLockEarly();
    const target = rest[0];
    if (rest.length !== 1 || target === undefined || target.kind !== 'name' || X86_REGISTERS.includes(target.text.toUpperCase())) {
      return fail('H406', span.start, span.end, `${mnem} takes one label, e.g. ${mnem} L0`);
    }
    const gotoStmt: Stmt = { kind: 'goto', target: { name: target.text, span: file.span(target.start, target.end) }, span };
    if (mnem === 'JMP') return [gotoStmt];
    const zfName: Expr = { kind: 'name', name: X86_FLAG_REGISTER, span: file.span(m.start, m.end) };
    const cond: Expr = mnem === 'JE' ? zfName : { kind: 'unary', op: '!', operand: zfName, span: zfName.span };
    return [{ kind: 'if', cond, then: [gotoStmt], otherwise: null, span }];
  }
  if (!KNOWN_MNEMONICS.has(mnem)) {
    return fail('H405', m.start, mnemEnd, `unsupported X86 instruction "${locked ? 'LOCK ' : ''}${mnem}"`, 'memweave imports MOV, MFENCE, LFENCE, SFENCE, XCHG, LOCK ADD/SUB/AND/OR/XOR/INC/DEC/XADD/CMPXCHG, register ADD/SUB/AND/OR/XOR/INC/DEC, CMP, JE, JNE and JMP');
  }
  // operands, split on top-level commas
  const groups: XTok[][] = [];
  if (rest.length > 0) {
    groups.push([]);
    let depth = 0;
    for (const t of rest) {
      if (t.kind === 'punct' && (t.text === '[' || t.text === '(')) depth++;
      if (t.kind === 'punct' && (t.text === ']' || t.text === ')')) depth--;
      if (depth === 0 && t.kind === 'punct' && t.text === ',') groups.push([]);
      else (groups[groups.length - 1] as XTok[]).push(t);
    }
  }
  const ops: Operand[] = groups.map((g) => parseOperand(file, g, span, fail));
  const arity = (n: number): void => {
    if (ops.length !== n) fail('H406', span.start, span.end, `${mnem} takes ${n} operand${n === 1 ? '' : 's'}, found ${ops.length}`);
  };
  const ident = (name: string, s: Span): Ident => ({ name, span: s });
  const locref = (o: Extract<Operand, { kind: 'mem' }>): LocRef => ({ kind: 'locref', name: ident(o.loc, o.locSpan), index: null, span: o.span });
  const valueOf = (o: Operand, allowMem: boolean): Expr => {
    switch (o.kind) {
      case 'imm':
        return { kind: 'int', value: o.value, span: o.span };
      case 'reg':
        return { kind: 'name', name: o.name, span: o.span };
      case 'mem':
        if (!allowMem) return fail('H406', o.span.start, o.span.end, `${mnem} cannot take two memory operands`, 'x86 instructions access at most one memory operand');
        return { kind: 'mem', op: { kind: 'load', mode: 'plain', loc: locref(o), span: o.span }, span: o.span };
    }
  };
  const memStmt = (op: MemOp): Stmt => ({ kind: 'memstmt', op, span });
  const assign = (reg: string, regSpan: Span, value: Expr): Stmt => ({ kind: 'assign', target: ident(reg, regSpan), value, span });
  const rmw = (op: RmwOp, o: Extract<Operand, { kind: 'mem' }>, value: Expr, expected: Expr | null = null, mode: Mode = 'sc'): MemOp => ({ kind: 'rmw', op, mode, loc: locref(o), expected, value, span });
  const needLock = (): void => {
    if (!locked) fail('H405', m.start, mnemEnd, `${mnem} on memory without LOCK is not supported`, `memweave models locked (atomic) read-modify-writes only: write LOCK ${mnem} …`);
  };
  const noLock = noLockEarly;

  switch (mnem) {
    case 'MOV':
    case 'MOVL': {
      noLock();
      arity(2);
      const [dst, src] = ops as [Operand, Operand];
      if (dst.kind === 'reg') return [assign(dst.name, dst.span, valueOf(src, true))];
      if (dst.kind === 'mem') {
        if (src.kind === 'mem') return fail('H406', src.span.start, src.span.end, 'MOV cannot copy memory to memory', 'x86 instructions access at most one memory operand: load into a register first');
        return [memStmt({ kind: 'store', mode: 'plain', loc: locref(dst), value: valueOf(src, false), span })];
      }
      return fail('H406', dst.span.start, dst.span.end, 'the destination of MOV must be a register or a memory location [x]');
    }
    case 'MFENCE':
      noLock();
      arity(0);
      return [memStmt({ kind: 'fence', mode: 'sc', span })];
    case 'LFENCE':
    case 'SFENCE':
      noLock();
      arity(0);
      // x86-TSO: LFENCE and SFENCE have no effect on ordinary (write-back) memory accesses.
      return [{ kind: 'skip', span }];
    case 'XCHG': {
      arity(2);
      const [a, b] = ops as [Operand, Operand];
      const mem = a.kind === 'mem' ? a : b.kind === 'mem' ? b : null;
      const reg = a.kind === 'reg' ? a : b.kind === 'reg' ? b : null;
      if (mem === null || reg === null) return fail('H405', span.start, span.end, 'XCHG is supported between a register and a memory location only', 'write XCHG [x],EAX or XCHG EAX,[x]');
      // XCHG with memory is implicitly locked: a full barrier, modelled as an sc exchange.
      return [assign(reg.name, reg.span, { kind: 'mem', op: rmw('exchange', mem, { kind: 'name', name: reg.name, span: reg.span }), span })];
    }
    case 'XADD': {
      arity(2);
      const [dst, src] = ops as [Operand, Operand];
      if (dst.kind !== 'mem' || src.kind !== 'reg') return fail('H405', span.start, span.end, 'XADD is supported as LOCK XADD [x],r only');
      needLock();
      return [assign(src.name, src.span, { kind: 'mem', op: rmw('fetch_add', dst, { kind: 'name', name: src.name, span: src.span }), span })];
    }
    case 'CMPXCHG': {
      arity(2);
      const [dst, src] = ops as [Operand, Operand];
      if (dst.kind !== 'mem' || src.kind !== 'reg') return fail('H405', span.start, span.end, 'CMPXCHG is supported as LOCK CMPXCHG [x],r only');
      needLock();
      // Intel: if [x] == EAX then [x] := r else EAX := [x]; either way EAX ends up holding the old value.
      const eax: Expr = { kind: 'name', name: 'EAX', span: dst.span };
      return [assign('EAX', dst.span, { kind: 'mem', op: rmw('cmpxchg', dst, { kind: 'name', name: src.name, span: src.span }, eax), span })];
    }
    case 'ADD':
    case 'SUB':
    case 'AND':
    case 'OR':
    case 'XOR': {
      arity(2);
      const [dst, src] = ops as [Operand, Operand];
      const bin = ({ ADD: '+', SUB: '-', AND: '&', OR: '|', XOR: '^' } as const)[mnem];
      const fop = ({ ADD: 'fetch_add', SUB: 'fetch_sub', AND: 'fetch_and', OR: 'fetch_or', XOR: 'fetch_xor' } as const)[mnem];
      if (dst.kind === 'reg') {
        noLock();
        return [assign(dst.name, dst.span, { kind: 'binary', op: bin, left: { kind: 'name', name: dst.name, span: dst.span }, right: valueOf(src, true), span })];
      }
      if (dst.kind === 'mem') {
        needLock();
        return [memStmt(rmw(fop, dst, valueOf(src, false)))];
      }
      return fail('H406', dst.span.start, dst.span.end, `the destination of ${mnem} must be a register or a memory location [x]`);
    }
    case 'INC':
    case 'DEC': {
      arity(1);
      const [dst] = ops as [Operand];
      const one: Expr = { kind: 'int', value: 1, span };
      if (dst.kind === 'reg') {
        noLock();
        return [assign(dst.name, dst.span, { kind: 'binary', op: mnem === 'INC' ? '+' : '-', left: { kind: 'name', name: dst.name, span: dst.span }, right: one, span })];
      }
      if (dst.kind === 'mem') {
        needLock();
        return [memStmt(rmw(mnem === 'INC' ? 'fetch_add' : 'fetch_sub', dst, one))];
      }
      return fail('H406', dst.span.start, dst.span.end, `the operand of ${mnem} must be a register or a memory location [x]`);
    }
    case 'CMP': {
      noLock();
      arity(2);
      const [a, b] = ops as [Operand, Operand];
      if (a.kind === 'imm') return fail('H406', a.span.start, a.span.end, 'the first operand of CMP must be a register or a memory location');
      if (a.kind === 'mem' && b.kind === 'mem') return fail('H406', b.span.start, b.span.end, 'CMP cannot compare two memory operands');
      const zf: Expr = { kind: 'binary', op: '==', left: valueOf(a, true), right: valueOf(b, true), span };
      return [assign(X86_FLAG_REGISTER, file.span(m.start, m.end), zf)];
    }
    default:
      return fail('H405', m.start, mnemEnd, `unsupported X86 instruction "${locked ? 'LOCK ' : ''}${mnem}"`, 'memweave imports MOV, MFENCE, LFENCE, SFENCE, XCHG, LOCK ADD/SUB/AND/OR/XOR/INC/DEC/XADD/CMPXCHG, register ADD/SUB/AND/OR/XOR/INC/DEC, CMP, JE, JNE and JMP');
  }
}

function parseOperand(
  file: SourceFile,
  g: readonly XTok[],
  cellSpan: Span,
  fail: (code: 'H405' | 'H406', s: number, e: number, message: string, help?: string) => never,
): Operand {
  const a = g[0];
  const z = g[g.length - 1];
  if (a === undefined || z === undefined) return fail('H406', cellSpan.start, cellSpan.end, 'missing operand');
  const span = file.span(a.start, z.end);
  const text = file.text.slice(a.start, z.end);
  if (g.length === 1 && (a.kind === 'imm' || a.kind === 'num')) {
    const v = parseIntLit(a.kind === 'imm' ? a.text.slice(1) : a.text);
    if (v === null) return fail('H406', a.start, a.end, `immediate ${a.text} does not fit in 32 bits`);
    return { kind: 'imm', value: v, span };
  }
  if (g.length === 1 && a.kind === 'name') {
    const up = a.text.toUpperCase();
    if (X86_REGISTERS.includes(up)) return { kind: 'reg', name: up, span };
    return fail('H406', a.start, a.end, `"${a.text}" is not an X86 register`, `write [${a.text}] for the memory location ${a.text}, $1 for an immediate, or one of ${X86_REGISTERS.join(' ')}`);
  }
  if (g.length === 1 && a.kind === 'symreg') return fail('H406', a.start, a.end, `symbolic register "${a.text}" is not supported`, `use one of ${X86_REGISTERS.join(' ')}`);
  if (a.kind === 'punct' && a.text === '[' && z.kind === 'punct' && z.text === ']' && g.length === 3) {
    const inner = g[1] as XTok;
    if (inner.kind === 'name' && X86_REGISTERS.includes(inner.text.toUpperCase())) {
      return fail('H406', span.start, span.end, `register-indirect addressing "${text}" is not supported`, 'memweave models integer values only: pointers and addresses in registers are out of scope; name the location, e.g. [x]');
    }
    if (inner.kind === 'name') return { kind: 'mem', loc: inner.text, span, locSpan: file.span(inner.start, inner.end) };
    if (inner.kind === 'num') return fail('H406', span.start, span.end, `absolute address "${text}" is not supported`, 'name the location, e.g. [x]');
  }
  if (a.kind === 'punct' && a.text === '(') {
    return fail('H406', span.start, span.end, `register-indirect addressing "${text}" is not supported`, 'memweave models integer values only: pointers and addresses in registers are out of scope; name the location, e.g. [x]');
  }
  return fail('H406', span.start, span.end, `malformed operand "${text}"`, 'operands are a register (EAX), a memory location ([x]) or an immediate ($1)');
}
