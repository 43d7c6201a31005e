/**
 * The X86_64 dialect of herd7 litmus tests: the same thread table as X86 (x86.ts), in AT&T
 * syntax — source first, destination second, `%` registers, `$` immediates, memory as `(x)` —
 * with 64-bit register names and size suffixes. Grammar learnt from herdtools7
 * `lib/X86_64Lexer.mll`, `lib/X86_64Parser.mly` and `lib/X86_64Base.ml` (read, reimplemented).
 *
 * Registers: every alias names one memweave register, spelt as herd prints it (the 64-bit name in
 * lower case): `%rax %eax %ax %al %ah` are all `rax`, `%r8 %r8d %r8w %r8b` are `r8`; also `rip`
 * and `cs` (herd's program counter and code segment: never written by the code). Sizes, within
 * memweave's 32-bit values:
 *   reading  %rax/%eax → rax;  %ax → rax & 0xffff;  %al → rax & 0xff;  %ah → (rax >> 8) & 0xff
 *   writing  %rax/%eax → rax = v (a 32-bit write zero-extends on x86; here the value is 32 bits);
 *            %ax / %al / %ah → the other bits of rax kept, e.g. rax = (rax & ~0xff) | (v & 0xff)
 *   memory   movb/movw store v & 0xff / v & 0xffff and load with the same mask; a location is one
 *            value: mixed-size accesses to overlapping bytes are not modelled
 *
 * Mapping (docs/litmus-import.md has the table):
 *   mov{,b,w,l,q} src,dst          → dst = src; a memory operand is load.plain / store.plain
 *   add|sub|and|or|xor|shl src,%r  → r = r op src             (register arithmetic; src may be memory)
 *   lock add|sub|and|or|xor src,(x) → fetch_op.sc(x, src)      (locked RMW, result discarded)
 *   inc|dec %r / lock inc|dec (x)  → r = r ± 1 / fetch_add|fetch_sub.sc(x, 1)
 *   xchg %r,(x) / xchg (x),%r      → r = exchange.sc(x, r)    (implicitly locked; LOCK allowed)
 *   lock xadd %r,(x)               → r = fetch_add.sc(x, r)
 *   lock cmpxchg %r,(x)            → rax = cmpxchg.sc(x, rax, r)  (either operand order)
 *   cmp src,dst                    → zf = (dst == src)        (zf is a register of the thread)
 *   je / jne / jmp L               → if (zf) goto L / if (!zf) goto L / goto L
 *   mfence → fence.sc(); lfence, sfence, nop, nopl, nopw (any operand), endbr64 → skip
 *   ret                            → goto the end of the thread
 *
 * Does not model (H405/H406): register-indirect, displaced and scaled addressing (`(%rax)`,
 * `8(%rax,%rbx,8)`), addresses in registers, read-modify-writes on memory without LOCK (herd
 * executes them as a read then a write; memweave refuses them, as in the X86 dialect), register
 * to register xchg, cmovc, setnb, movnti, movd, clflush, the other jumps (jle, jlt, …), flags
 * other than zf (cmpxchg does not set zf here), xmm registers, and 64-bit values (H411).
 */
import type { Expr, Ident, LocRef, MemOp, RmwOp, Stmt } from '../syntax/ast.js';
import type { SourceFile, Span } from '../syntax/source.js';
import { parseIntLit } from './stateParser.js';
import type { LitmusDiags } from './litmusText.js';
import type { Range } from './splitter.js';
import { cellLabels, parseThreadTable, type X86Code, type XTok } from './x86.js';

/** The part of a 64-bit register an alias names. */
type RegPart = 'q' | 'l' | 'w' | 'b' | 'h';

const GPR_NAMES = ['ax', 'bx', 'cx', 'dx', 'si', 'di', 'bp', 'sp'] as const;

/** alias (lower case) → the register it is part of, and which part (herd's X86_64Base.ml table). */
const X86_64_ALIASES: ReadonlyMap<string, { readonly reg: string; readonly part: RegPart }> = (() => {
  const m = new Map<string, { reg: string; part: RegPart }>();
  for (const g of GPR_NAMES) {
    const reg = `r${g}`;
    m.set(reg, { reg, part: 'q' });
    m.set(`e${g}`, { reg, part: 'l' });
    m.set(g, { reg, part: 'w' });
    m.set(g.endsWith('x') ? `${g[0] ?? ''}l` : `${g}l`, { reg, part: 'b' });
    if (g.endsWith('x')) m.set(`${g[0] ?? ''}h`, { reg, part: 'h' });
  }
  for (let k = 8; k <= 15; k++) {
    const reg = `r${k}`;
    m.set(reg, { reg, part: 'q' });
    m.set(`${reg}d`, { reg, part: 'l' });
    m.set(`${reg}w`, { reg, part: 'w' });
    m.set(`${reg}b`, { reg, part: 'b' });
  }
  m.set('rip', { reg: 'rip', part: 'q' });
  m.set('cs', { reg: 'cs', part: 'q' });
  return m;
})();

/** The 64-bit registers of the X86_64 dialect, as herd prints them. */
export const X86_64_REGISTERS: readonly string[] = [...new Set([...X86_64_ALIASES.values()].map((a) => a.reg))];

/** The register `cmp` writes and `je`/`jne` read (herd's flag name). */
export const X86_64_FLAG_REGISTER = 'zf';

/** The label `ret` jumps to: the end of the thread. */
export const X86_64_RET_LABEL = '__ret';

/** A register name from a condition or init block (any case, any alias) as the register it names; other names unchanged. */
export function normaliseX86_64Reg(name: string): string {
  return X86_64_ALIASES.get(name.toLowerCase())?.reg ?? name;
}

/** Parse the thread table of an X86_64 litmus test into one ThreadDecl per column. */
export function parseX86_64Code(file: SourceFile, range: Range, d: LitmusDiags): X86Code {
  return parseThreadTable(file, range, d, lowerCell64, (body, end) => {
    const jumpsToEnd = body.some((s) => s.kind === 'goto' && s.target.name === X86_64_RET_LABEL);
    return jumpsToEnd ? [...body, { kind: 'label', name: { name: X86_64_RET_LABEL, span: end }, span: end }] : body;
  });
}

// ---------------------------------------------------------------- one cell

type Operand64 =
  | { readonly kind: 'reg'; readonly reg: string; readonly part: RegPart; readonly span: Span }
  | { readonly kind: 'mem'; readonly loc: string; readonly span: Span; readonly locSpan: Span }
  | { readonly kind: 'imm'; readonly value: number; readonly span: Span };

type Size = 'b' | 'w' | 'l' | 'q';

/** Thrown to abandon one cell after its diagnostic; never escapes lowerCell64. */
class CellBail64 {
  readonly tag = 'bail';
}

type Fail = (code: 'H405' | 'H406' | 'H411', s: number, e: number, message: string, help?: string) => never;

function lowerCell64(file: SourceFile, cell: readonly XTok[], d: LitmusDiags): Stmt[] {
  const out: Stmt[] = [];
  const i = cellLabels(file, cell, out);
  if (i >= cell.length) return out;
  const span = file.span((cell[i] as XTok).start, (cell[cell.length - 1] as XTok).end);
  const fail: Fail = (code, s, e, message, help) => {
    d.add(code, s, e, message, help);
    throw new CellBail64();
  };
  try {
    out.push(...lowerInstr64(file, cell.slice(i), span, fail));
  } catch (e) {
    if (!(e instanceof CellBail64)) throw e;
    out.push({ kind: 'error', span });
  }
  return out;
}

/** Mnemonics with a size suffix, by base name. */
const SIZED = new Set(['mov', 'add', 'sub', 'and', 'or', 'xor', 'inc', 'dec', 'cmp', 'xchg', 'xadd', 'cmpxchg', 'shl']);
const NOPS = new Set(['nop', 'nopl', 'nopw', 'endbr64']);
const SUPPORTED = 'mov, add, sub, and, or, xor, shl, inc, dec, cmp (with b/w/l/q suffixes), xchg, lock add/sub/and/or/xor/inc/dec/xadd/cmpxchg, mfence, lfence, sfence, nop, endbr64, je, jne, jmp and ret';

/** The base mnemonic and its size suffix (`movl` → mov, l); null suffix when unsized. */
function splitMnemonic(word: string): { base: string; size: Size | null } {
  const w = word.toLowerCase();
  if (SIZED.has(w) || NOPS.has(w)) return { base: w, size: null };
  const last = w.slice(-1);
  const base = w.slice(0, -1);
  if ((last === 'b' || last === 'w' || last === 'l' || last === 'q') && SIZED.has(base)) return { base, size: last };
  return { base: w, size: null };
}

function lowerInstr64(file: SourceFile, toks: readonly XTok[], span: Span, fail: Fail): Stmt[] {
  const m = toks[0] as XTok;
  if (m.kind !== 'name') fail('H405', m.start, m.end, `expected an instruction, found "${m.text}"`);
  let word = m.text;
  let rest = toks.slice(1);
  let locked = false;
  if (word.toLowerCase() === 'lock') {
    const m2 = rest[0];
    if (m2 === undefined || m2.kind !== 'name') return fail('H405', m.start, m.end, 'lock must prefix an instruction, e.g. lock incl (x)');
    locked = true;
    word = m2.text;
    rest = rest.slice(1);
  }
  const mnemEnd = locked ? (toks[1] as XTok).end : m.end;
  const { base, size } = splitMnemonic(word);
  const shown = `${locked ? 'lock ' : ''}${word}`;
  const noLock = (): void => {
    if (locked) fail('H405', m.start, mnemEnd, `"${shown}" is not supported`, 'lock applies to read-modify-write instructions with a memory destination');
  };
  if (NOPS.has(base)) {
    noLock();
    return [{ kind: 'skip', span }]; // herd: NOP with any operand, and endbr64, do nothing
  }
  if (base === 'ret' || base === 'retq') {
    noLock();
    if (rest.length > 0) fail('H406', span.start, span.end, 'ret takes no operand');
    return [{ kind: 'goto', target: { name: X86_64_RET_LABEL, span }, span }];
  }
  if (base === 'je' || base === 'jne' || base === 'jmp') {
    noLock();
    const target = rest[0];
    if (rest.length !== 1 || target === undefined || target.kind !== 'name') return fail('H406', span.start, span.end, `${base} takes one label, e.g. ${base} L0`);
    const gotoStmt: Stmt = { kind: 'goto', target: { name: target.text, span: file.span(target.start, target.end) }, span };
    if (base === 'jmp') return [gotoStmt];
    const zf: Expr = { kind: 'name', name: X86_64_FLAG_REGISTER, span: file.span(m.start, m.end) };
    return [{ kind: 'if', cond: base === 'je' ? zf : { kind: 'unary', op: '!', operand: zf, span: zf.span }, then: [gotoStmt], otherwise: null, span }];
  }
  if (base === 'mfence' || base === 'lfence' || base === 'sfence') {
    noLock();
    if (rest.length > 0) fail('H406', span.start, span.end, `${base} takes no operand`);
    // x86-TSO: lfence and sfence have no effect on ordinary (write-back) memory (Owens, Sarkar, Sewell 2009)
    return [base === 'mfence' ? { kind: 'memstmt', op: { kind: 'fence', mode: 'sc', span }, span } : { kind: 'skip', span }];
  }
  if (!SIZED.has(base)) return fail('H405', m.start, mnemEnd, `unsupported X86_64 instruction "${shown}"`, `memweave imports ${SUPPORTED}`);
  const ops = splitOperands(rest).map((g) => parseOperand64(file, g, span, fail));
  return lowerSized(base, size, locked, ops, { file, span, fail, mnem: m, mnemEnd, shown });
}

interface Ctx {
  readonly file: SourceFile;
  readonly span: Span;
  readonly fail: Fail;
  readonly mnem: XTok;
  readonly mnemEnd: number;
  readonly shown: string;
}

function splitOperands(rest: readonly XTok[]): XTok[][] {
  const groups: XTok[][] = [];
  if (rest.length === 0) return groups;
  groups.push([]);
  let depth = 0;
  for (const t of rest) {
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth--;
    if (depth === 0 && t.kind === 'punct' && t.text === ',') groups.push([]);
    else (groups[groups.length - 1] as XTok[]).push(t);
  }
  return groups;
}

/** The mask of a size below 32 bits, or null for l and q (the whole 32-bit value). */
function maskOf(size: Size | null): number | null {
  return size === 'b' ? 0xff : size === 'w' ? 0xffff : null;
}

function lowerSized(base: string, size: Size | null, locked: boolean, ops: readonly Operand64[], c: Ctx): Stmt[] {
  const { span, fail } = c;
  const int = (value: number): Expr => ({ kind: 'int', value, span });
  const bin = (op: '&' | '|' | '<<' | '>>' | '+' | '-' | '^' | '==', left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right, span });
  const masked = (e: Expr, mask: number | null): Expr => (mask === null ? e : bin('&', e, int(mask)));
  const ident = (name: string, s: Span): Ident => ({ name, span: s });
  const locref = (o: Extract<Operand64, { kind: 'mem' }>): LocRef => ({ kind: 'locref', name: ident(o.loc, o.locSpan), index: null, span: o.span });
  const memSize = (other: Operand64 | undefined): Size | null => size ?? (other?.kind === 'reg' ? partSize(other.part) : null);
  /** The value an operand reads (a memory operand: a plain load of `sz`). */
  const read = (o: Operand64, sz: Size | null): Expr => {
    switch (o.kind) {
      case 'imm':
        return int(o.value);
      case 'mem':
        return masked({ kind: 'mem', op: { kind: 'load', mode: 'plain', loc: locref(o), span: o.span }, span: o.span }, maskOf(sz));
      case 'reg': {
        const r: Expr = { kind: 'name', name: o.reg, span: o.span };
        return o.part === 'h' ? bin('&', bin('>>', r, int(8)), int(0xff)) : masked(r, maskOf(partSize(o.part)));
      }
    }
  };
  /** Assign `v` to a register part, keeping the other bits of the register. */
  const write = (o: Extract<Operand64, { kind: 'reg' }>, v: Expr): Stmt => {
    const r: Expr = { kind: 'name', name: o.reg, span: o.span };
    const value =
      o.part === 'q' || o.part === 'l' ? v : o.part === 'h' ? bin('|', bin('&', r, int(~0xff00)), bin('<<', bin('&', v, int(0xff)), int(8))) : bin('|', bin('&', r, int(~(maskOf(partSize(o.part)) ?? 0))), masked(v, maskOf(partSize(o.part))));
    return { kind: 'assign', target: ident(o.reg, o.span), value, span };
  };
  const memStmt = (op: MemOp): Stmt => ({ kind: 'memstmt', op, span });
  const rmw = (op: RmwOp, o: Extract<Operand64, { kind: 'mem' }>, value: Expr, expected: Expr | null = null): MemOp => ({ kind: 'rmw', op, mode: 'sc', loc: locref(o), expected, value, span });
  const arity = (n: number): void => {
    if (ops.length !== n) fail('H406', span.start, span.end, `${c.shown} takes ${n} operand${n === 1 ? '' : 's'}, found ${ops.length}`);
  };
  const noLock = (): void => {
    if (locked) fail('H405', c.mnem.start, c.mnemEnd, `"${c.shown}" is not supported`, 'lock applies to read-modify-write instructions with a memory destination');
  };
  const needLock = (): void => {
    if (!locked) fail('H405', c.mnem.start, c.mnemEnd, `${c.shown} on memory without lock is not supported`, `memweave models locked (atomic) read-modify-writes only: write lock ${c.shown} …`);
  };
  const twoMem = (a: Operand64, b: Operand64): void => {
    if (a.kind === 'mem' && b.kind === 'mem') fail('H406', b.span.start, b.span.end, `${c.shown} cannot take two memory operands`, 'x86 instructions access at most one memory operand');
  };
  switch (base) {
    case 'mov': {
      noLock();
      arity(2);
      const [src, dst] = ops as [Operand64, Operand64];
      twoMem(src, dst);
      if (dst.kind === 'reg') return [write(dst, read(src, memSize(dst)))];
      if (dst.kind === 'mem') return [memStmt({ kind: 'store', mode: 'plain', loc: locref(dst), value: masked(read(src, null), maskOf(memSize(src))), span })];
      return fail('H406', dst.span.start, dst.span.end, 'the destination of mov must be a register or a memory location (x)');
    }
    case 'add':
    case 'sub':
    case 'and':
    case 'or':
    case 'xor':
    case 'shl': {
      arity(2);
      const [src, dst] = ops as [Operand64, Operand64];
      twoMem(src, dst);
      const op = ({ add: '+', sub: '-', and: '&', or: '|', xor: '^', shl: '<<' } as const)[base];
      if (dst.kind === 'reg') {
        noLock();
        return [write(dst, bin(op, read(dst, null), read(src, memSize(dst))))];
      }
      if (dst.kind === 'mem') {
        if (base === 'shl') return fail('H405', c.mnem.start, c.mnemEnd, 'shl on memory is not supported', 'shift a register');
        needLock();
        const fop = ({ add: 'fetch_add', sub: 'fetch_sub', and: 'fetch_and', or: 'fetch_or', xor: 'fetch_xor' } as const)[base];
        return [memStmt(rmw(fop, dst, read(src, null)))];
      }
      return fail('H406', dst.span.start, dst.span.end, `the destination of ${c.shown} must be a register or a memory location (x)`);
    }
    case 'inc':
    case 'dec': {
      arity(1);
      const [dst] = ops as [Operand64];
      if (dst.kind === 'reg') {
        noLock();
        return [write(dst, bin(base === 'inc' ? '+' : '-', read(dst, null), int(1)))];
      }
      if (dst.kind === 'mem') {
        needLock();
        return [memStmt(rmw(base === 'inc' ? 'fetch_add' : 'fetch_sub', dst, int(1)))];
      }
      return fail('H406', dst.span.start, dst.span.end, `the operand of ${c.shown} must be a register or a memory location (x)`);
    }
    case 'cmp': {
      noLock();
      arity(2);
      const [src, dst] = ops as [Operand64, Operand64];
      twoMem(src, dst);
      if (dst.kind === 'imm') return fail('H406', dst.span.start, dst.span.end, 'the second operand of cmp must be a register or a memory location');
      return [{ kind: 'assign', target: ident(X86_64_FLAG_REGISTER, c.file.span(c.mnem.start, c.mnem.end)), value: bin('==', read(dst, memSize(src)), read(src, memSize(dst))), span }];
    }
    case 'xchg':
    case 'xadd':
    case 'cmpxchg': {
      arity(2);
      const [a, b] = ops as [Operand64, Operand64];
      const mem = a.kind === 'mem' ? a : b.kind === 'mem' ? b : null;
      const reg = a.kind === 'reg' ? a : b.kind === 'reg' ? b : null;
      if (mem === null || reg === null) return fail('H405', span.start, span.end, `${c.shown} is supported between a register and a memory location only`, `write ${base} %eax,(x)`);
      if (base !== 'xchg') needLock(); // xchg with memory is implicitly locked: a full barrier
      const regVal = read(reg, null);
      if (base === 'xchg') return [write(reg, { kind: 'mem', op: rmw('exchange', mem, regVal), span })];
      if (base === 'xadd') return [write(reg, { kind: 'mem', op: rmw('fetch_add', mem, regVal), span })];
      // Intel: if (x) == rax then (x) := r else rax := (x); either way rax ends with the old value
      const rax: Extract<Operand64, { kind: 'reg' }> = { kind: 'reg', reg: 'rax', part: 'q', span: mem.span };
      return [write(rax, { kind: 'mem', op: rmw('cmpxchg', mem, regVal, read(rax, null)), span })];
    }
    default:
      return fail('H405', c.mnem.start, c.mnemEnd, `unsupported X86_64 instruction "${c.shown}"`, `memweave imports ${SUPPORTED}`);
  }
}

function partSize(p: RegPart): Size {
  return p === 'h' ? 'b' : p;
}

const INDIRECT_HELP = 'memweave models integer values only: pointers and addresses in registers are out of scope; name the location, e.g. (x)';

function parseOperand64(file: SourceFile, g: readonly XTok[], cellSpan: Span, fail: Fail): Operand64 {
  const a = g[0];
  const z = g[g.length - 1];
  if (a === undefined || z === undefined) return fail('H406', cellSpan.start, cellSpan.end, 'missing operand');
  const span = file.span(a.start, z.end);
  const text = file.text.slice(a.start, z.end);
  if (g.length === 1 && (a.kind === 'imm' || a.kind === 'num')) {
    const v = parseIntLit(a.kind === 'imm' ? a.text.slice(1) : a.text);
    if (v === null) return fail('H411', a.start, a.end, `immediate ${a.text} does not fit in memweave's 32-bit values`);
    return { kind: 'imm', value: v, span };
  }
  if (g.length === 1 && a.kind === 'symreg') {
    const alias = X86_64_ALIASES.get(a.text.slice(1).toLowerCase());
    if (alias !== undefined) return { kind: 'reg', reg: alias.reg, part: alias.part, span };
    return fail('H406', a.start, a.end, `"${a.text}" is not an X86_64 register memweave models`, 'use %rax … %r15 or one of their 32/16/8-bit names');
  }
  if (g.length === 1 && a.kind === 'name') {
    return fail('H406', a.start, a.end, `"${a.text}" is not an operand in AT&T syntax`, `write (${a.text}) for the memory location ${a.text}, $1 for an immediate, or %rax for a register`);
  }
  const bracketed = g.length === 3 && a.kind === 'punct' && z.kind === 'punct' && ((a.text === '(' && z.text === ')') || (a.text === '[' && z.text === ']'));
  if (bracketed) {
    const inner = g[1] as XTok;
    if (inner.kind === 'name') return { kind: 'mem', loc: inner.text, span, locSpan: file.span(inner.start, inner.end) };
    if (inner.kind === 'symreg') return fail('H406', span.start, span.end, `register-indirect addressing "${text}" is not supported`, INDIRECT_HELP);
    if (inner.kind === 'num') return fail('H406', span.start, span.end, `absolute address "${text}" is not supported`, 'name the location, e.g. (x)');
  }
  if (g.some((t) => t.kind === 'symreg') && g.some((t) => t.text === '(')) {
    return fail('H406', span.start, span.end, `indirect addressing "${text}" is not supported`, INDIRECT_HELP);
  }
  return fail('H406', span.start, span.end, `malformed operand "${text}"`, 'operands are a register (%rax), a memory location ((x)) or an immediate ($1)');
}
