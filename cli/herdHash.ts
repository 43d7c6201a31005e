/**
 * herd7's `Hash=` for a litmus test, computed as herd computes it, for the X86, X86_64 and C
 * dialects. Learnt from herdtools7 `lib/testHash.ml`, `lib/CTestHash.ml`, `lib/genParser.ml`,
 * `lib/CGenParser_lib.ml`, `lib/dumpCAst.ml`, `lib/misc.ml` (string_of_prog) and the instruction
 * printers of `lib/X86Base.ml` / `lib/X86_64Base.ml` (read and reimplemented, not copied):
 *
 *   hash = hex(MD5(info ++ MD5(init) ++ MD5(code) ++ MD5(observed)))     (raw 16-byte digests)
 *
 * - info: MD5 of `key=value` for the metadata keys MemoryType, MT, CacheType (lower-cased key,
 *   in reverse key order), or nothing at all when the test has none of them;
 * - init: the init block's entries sorted by location (registers by thread then name, then
 *   memory by name), each `loc=value` (`type loc=value` when typed), joined by `; `;
 * - code: the threads as herd's `Misc.string_of_prog` lays them out — one column per thread, each
 *   cell ` %-*s ` padded to the column's widest, cells joined by `|`, each row ended by `;\n` —
 *   where an asm cell is the instruction re-printed by herd's printer after normalisation (empty
 *   cells dropped, labels renamed L00, L01… in name order, X86's MOVB/W/L/Q as MOV), and a C
 *   thread is one cell `Pn(type* a, …) {\n<body text as written>\n}\n`;
 * - observed: the locations of `locations [...]` and of the final condition (not the filter),
 *   sorted as the init, joined by `; `.
 * A test whose metadata carries `Hash=` keeps it (herd prints the given hash). Anything this
 * module does not know how to print as herd does (an unknown instruction or operand, a typed
 * array, a fault atom, an unusual C parameter type) gives null: the line is left out rather than
 * guessed.
 */
import { createHash } from 'node:crypto';
import { SourceFile } from '../model/syntax/source.js';
import { splitLitmus } from '../model/litmus/splitter.js';
import { LitmusDiags } from '../model/litmus/litmusText.js';

function md5(data: string | Buffer): Buffer {
  return createHash('md5').update(data).digest();
}

/** herd's hash of a litmus test (its text as read), or null when this dialect or this test is beyond this module. */
export function herdHash(arch: string | null, text: string): string | null {
  if (arch !== 'X86' && arch !== 'X86_64' && arch !== 'C') return null;
  const file = new SourceFile('t.litmus', text);
  const split = splitLitmus(file, new LitmusDiags(file), (a) => a.toUpperCase() === 'C');
  if (split === null) return null;
  const given = split.metadata.find((m) => m.key.toUpperCase() === 'HASH');
  if (given !== undefined) return given.value;
  const init = initText(text.slice(split.init.start, split.init.end));
  const code = arch === 'C' ? cCode(text.slice(split.code.start, split.code.end)) : asmCode(arch, text.slice(split.code.start, split.code.end));
  const observed = observedText(text.slice(split.constraints.start, split.constraints.end));
  if (init === null || code === null || observed === null) return null;
  const parts = [infoDigest(split.metadata), md5(init), md5(code), md5(observed)];
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

/** The metadata part: MD5 of the digested keys' `key=value`, or nothing (herd's "backward compatibility"). */
function infoDigest(metadata: readonly { readonly key: string; readonly value: string }[]): Buffer {
  const digested = ['MEMORYTYPE', 'MT', 'CACHETYPE'];
  const kept = [...metadata].sort((a, b) => compareStrings(a.key, b.key)).filter((m) => digested.includes(m.key.toUpperCase()));
  if (kept.length === 0) return Buffer.alloc(0);
  return md5(kept.map((m) => `${m.key.toLowerCase()}=${m.value}`).reverse().join(''));
}

/** Byte-wise string order (OCaml's String.compare). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `text` with ML comments `(* … *)` (nested) replaced by a space. */
function stripMlComments(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('(*', i)) {
      depth++;
      i++;
    } else if (depth > 0 && text.startsWith('*)', i)) {
      depth--;
      i++;
      if (depth === 0) out += ' ';
    } else if (depth === 0) out += text[i];
  }
  return out;
}

// ---------------------------------------------------------------- locations

/** A location as herd's MiscParser holds it: a register of a thread (as written), or a memory name. */
type Loc = { readonly kind: 'reg'; readonly thread: number; readonly reg: string } | { readonly kind: 'mem'; readonly name: string };

/** A location's text: `0:EAX`, `[x]`, `x`; null for anything else (an array cell, a fault, a pointer deref). */
function parseLoc(s: string): Loc | null {
  const t = s.trim();
  const reg = /^(\d+)\s*:\s*(%?[A-Za-z_][A-Za-z0-9_]*)$/.exec(t);
  if (reg !== null) return { kind: 'reg', thread: Number(reg[1]), reg: reg[2] ?? '' };
  const mem = /^\[\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\]$/.exec(t) ?? /^([A-Za-z_][A-Za-z0-9_.]*)$/.exec(t);
  return mem === null ? null : { kind: 'mem', name: mem[1] ?? '' };
}

/** herd's order of locations (MiscParser.location_compare): registers by thread then name, then memory by name. */
function compareLocs(a: Loc, b: Loc): number {
  if (a.kind === 'reg' && b.kind === 'reg') return a.thread - b.thread || compareStrings(a.reg, b.reg);
  if (a.kind === 'mem' && b.kind === 'mem') return compareStrings(a.name, b.name);
  return a.kind === 'reg' ? -1 : 1;
}

/** A location as herd's hash prints it (no brackets). */
function locText(l: Loc): string {
  return l.kind === 'reg' ? `${l.thread}:${l.reg}` : l.name;
}

// ---------------------------------------------------------------- init

/** The init part: `loc=value` entries (typed: `type loc=value`) sorted by location, joined by `; `. */
function initText(raw: string): string | null {
  const entries: { loc: Loc; text: string }[] = [];
  for (const item of stripMlComments(raw).split(';')) {
    const e = item.trim();
    if (e === '') continue;
    // [type] [*] loc [= value]: herd's atom_init forms; a missing value is 0
    const m = /^(.*?)(\d+\s*:\s*%?[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\]|[A-Za-z_][A-Za-z0-9_.]*)\s*(?:=\s*(-?[A-Za-z0-9_.]+))?$/.exec(e);
    if (m === null) return null; // arrays, address-of values, vectors, instructions: not printed here
    const loc = parseLoc(m[2] ?? '');
    const prefix = (m[1] ?? '').trim();
    const star = prefix.endsWith('*');
    const words = (star ? prefix.slice(0, -1) : prefix).trim().split(/\s+/).filter((w) => w !== '');
    // one type name, or `_Atomic name` (herd's `typ=NAME` and `ATOMIC typ=NAME`)
    const typed = words.length === 0 || (words.length === 1 && /^[A-Za-z_]\w*$/.test(words[0] ?? '')) || (words.length === 2 && words[0] === '_Atomic');
    if (loc === null || !typed || (star && words[0] === '_Atomic')) return null;
    const body = `${star ? '*' : ''}${locText(loc)}=${m[3] ?? '0'}`;
    entries.push({ loc, text: words.length === 0 ? body : `${words.join(' ')} ${body}` });
  }
  entries.sort((a, b) => compareLocs(a.loc, b.loc));
  const unique = entries.filter((e, i) => i === 0 || compareLocs(e.loc, (entries[i - 1] as { loc: Loc }).loc) !== 0);
  return unique.map((e) => e.text).join('; ');
}

// ---------------------------------------------------------------- observed locations

/** The observed part: the locations of `locations [...]` and of the final condition, sorted, joined by `; `. */
function observedText(raw: string): string | null {
  let text = stripMlComments(raw);
  const locs: Loc[] = [];
  const listed = /\blocations\s*\[([^\]]*)\]/.exec(text);
  if (listed !== null) {
    for (const item of (listed[1] ?? '').split(';')) {
      if (item.trim() === '') continue;
      const l = parseLoc(item);
      if (l === null) return null;
      locs.push(l);
    }
    text = text.slice(0, listed.index) + text.slice(listed.index + listed[0].length);
  }
  // the condition starts at its quantifier; a filter before it is not observed
  const q = /~\s*exists\b|\bexists\b|\bforall\b|\bfinal\b/.exec(text);
  const cond = q === null ? (/\bfilter\b/.test(text) ? '' : text) : text.slice(q.index);
  if (/\bfault\b|\bcases\b|\bobserved\b/i.test(cond)) return null;
  const atom = /(\d+\s*:\s*%?[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\]|[A-Za-z_][A-Za-z0-9_.]*(?:\[\d+\])?)\s*(?:==|!=|=)\s*(\[[^\]]*\]|\d+\s*:\s*%?[A-Za-z_][A-Za-z0-9_]*)?/g;
  for (const m of cond.matchAll(atom)) {
    for (const side of [m[1], m[2]]) {
      if (side === undefined) continue;
      const l = parseLoc(side);
      if (l === null) return null;
      locs.push(l);
    }
  }
  locs.sort(compareLocs);
  const unique = locs.filter((l, i) => i === 0 || compareLocs(l, locs[i - 1] as Loc) !== 0);
  return unique.map(locText).join('; ');
}

// ---------------------------------------------------------------- code layout

/** herd's Misc.string_of_prog: columns side by side, each cell ` %-*s `, joined by `|`, rows ended by `;\n`. */
function layout(columns: readonly (readonly string[])[]): string {
  const widths = columns.map((c) => Math.max(0, ...c.map((s) => s.length)));
  const rows = Math.max(0, ...columns.map((c) => c.length));
  let out = '';
  for (let i = 0; i < rows; i++) out += `${columns.map((c, k) => ` ${(c[i] ?? '').padEnd(widths[k] ?? 0)} `).join('|')};\n`;
  return out;
}

/** A cell's entries: an optional label definition, then an optional instruction. */
interface Cell {
  readonly label: string | null;
  readonly instr: string | null;
}

/** The asm code part: rows split at `;` (not LOCK's), cells at `|`, the header row dropped, each instruction re-printed. */
function asmCode(arch: 'X86' | 'X86_64', raw: string): string | null {
  const text = stripMlComments(raw);
  const rows = text.split(/(?<!\block\s*);/i).map((r) => r.trim());
  while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  const header = rows.shift();
  if (header === undefined) return null;
  const procs = header.split('|').map((h) => h.trim());
  if (!procs.every((p) => /^P\d+$/.test(p))) return null;
  const columns: Cell[][] = procs.map(() => []);
  for (const row of rows) {
    const cells = row.split('|');
    if (cells.length > procs.length) return null;
    cells.forEach((c, k) => {
      const t = c.trim();
      if (t === '') return;
      const lbl = /^([A-Za-z_][A-Za-z0-9_.]*)\s*:(?!:)\s*(.*)$/.exec(t);
      const cell: Cell = lbl === null ? { label: null, instr: t } : { label: lbl[1] ?? '', instr: (lbl[2] ?? '') === '' ? null : (lbl[2] ?? '') };
      columns[k]?.push(cell);
    });
  }
  // every label the code defines or jumps to, renamed L00, L01, … in name order (TestHash.norm_labels)
  const names = new Set<string>();
  for (const col of columns) {
    for (const c of col) {
      if (c.label !== null) names.add(c.label);
      const target = c.instr === null ? null : jumpTarget(c.instr);
      if (target !== null) names.add(target);
    }
  }
  const renamed = new Map([...names].sort(compareStrings).map((n, i) => [n, `L${String(i).padStart(2, '0')}`]));
  const printed: string[][] = [];
  for (const col of columns) {
    const out: string[] = [];
    for (const c of col) {
      if (c.label !== null) out.push(`${renamed.get(c.label) ?? c.label}:`);
      if (c.instr === null) continue;
      const p = arch === 'X86' ? printX86(c.instr, renamed) : printX86_64(c.instr, renamed);
      if (p === null) return null;
      out.push(p);
    }
    printed.push(out);
  }
  return layout(printed);
}

/** The label a jump instruction names, else null. */
function jumpTarget(instr: string): string | null {
  const m = /^(j[a-z]*)\s+([A-Za-z_][A-Za-z0-9_.]*)$/i.exec(instr.trim());
  return m === null ? null : (m[2] ?? null);
}

/** herd's integer reading of an immediate (Misc.string_as_int: decimal or 0x hexadecimal, signed). */
function immediate(s: string): number | null {
  const m = /^(-?)(0[xX][0-9a-fA-F]+|\d+)$/.exec(s.trim());
  if (m === null) return null;
  const v = Number(m[2]);
  return m[1] === '-' ? -v : v;
}

/** Operands split at top-level commas (not those inside parentheses). */
function operands(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

// ---------------------------------------------------------------- X86 (Intel syntax, lib/X86Base.ml dump_instruction)

const X86_REG_NAMES = new Set(['EAX', 'EBX', 'ECX', 'EDX', 'ESI', 'EDI', 'EBP', 'ESP', 'EIP', 'ZF', 'SF', 'CF']);

/** An X86 operand as herd prints it: `EAX`, `[x]`, `[EAX]`, `$1`; null when unknown. */
function x86Operand(s: string): string | null {
  const t = s.trim();
  if (X86_REG_NAMES.has(t)) return t;
  const mem = /^[[(]\s*([A-Za-z_][A-Za-z0-9_]*|\d+)\s*[\])]$/.exec(t);
  if (mem !== null) return `[${mem[1] ?? ''}]`;
  const imm = immediate(t.startsWith('$') ? t.slice(1) : t);
  return imm === null ? null : `$${imm}`;
}

/** An X86 instruction re-printed by herd's X86 printer, after its normalisation (sized MOVs are MOV). */
function printX86(instr: string, labels: ReadonlyMap<string, string>): string | null {
  const m = /^([A-Za-z]+)\s*(.*)$/.exec(instr.trim());
  if (m === null) return null;
  const op = (m[1] ?? '').toUpperCase();
  const rest = (m[2] ?? '').trim();
  if (op === 'LOCK') {
    const inner = printX86(rest.replace(/^;\s*/, ''), labels);
    return inner === null ? null : `LOCK; ${inner}`;
  }
  if (['MFENCE', 'LFENCE', 'SFENCE', 'MOVSD'].includes(op) && rest === '') return op;
  if (op === 'JMP' || op === 'JE' || op === 'JNE') return labels.has(rest) ? `${op} ${labels.get(rest) ?? ''}` : null;
  const args = operands(rest).map(x86Operand);
  if (args.some((a) => a === null)) return null;
  const a = args as string[];
  const name = /^MOV[BWLQT]$/.test(op) ? 'MOV' : op;
  const arity: Record<string, number> = { MOV: 2, ADD: 2, XOR: 2, OR: 2, XCHG: 2, CMPXCHG: 2, CMOVC: 2, 'CMP ': 2, 'INC ': 1, 'DEC ': 1, SETNB: 1 };
  // herd's printer spells CMP, INC and DEC with a trailing space before the operand's space
  const spelled = name === 'CMP' || name === 'INC' || name === 'DEC' ? `${name} ` : name;
  if (arity[spelled] !== a.length) return null;
  return `${spelled} ${a.join(',')}`;
}

// ---------------------------------------------------------------- X86_64 (AT&T syntax, lib/X86_64Base.ml dump_instruction)

/** An X86_64 operand as herd prints it: `%eax`, `$1`, `(x)`, `(%rax)`, `8(%rax)`, `o(%r1, %r2,s)`; null when unknown. */
function x86_64Operand(s: string): string | null {
  const t = s.trim();
  const reg = (r: string): string | null => (/^%[A-Za-z][A-Za-z0-9]*$/.test(r.trim()) ? r.trim().toLowerCase() : null);
  if (t.startsWith('%')) return reg(t);
  if (t.startsWith('$')) {
    const v = immediate(t.slice(1));
    return v === null ? null : `$${v}`;
  }
  const abs = /^[[(]\s*([A-Za-z_][A-Za-z0-9_]*)\s*[\])]$/.exec(t);
  if (abs !== null) return `(${abs[1] ?? ''})`;
  const offset = (o: string | undefined): string | null => {
    if (o === undefined || o.trim() === '') return '';
    const v = immediate(o.trim().replace(/^\$/, ''));
    return v === null ? null : v === 0 ? '' : String(v);
  };
  const deref = /^(\$?-?[0-9a-fA-FxX]*)\s*[[(]\s*(%[A-Za-z0-9]+)\s*[\])]$/.exec(t);
  if (deref !== null) {
    const o = offset(deref[1]);
    const r = reg(deref[2] ?? '');
    return o === null || r === null ? null : `${o}(${r})`;
  }
  const scaled = /^(\$?-?[0-9a-fA-FxX]*)\s*\(\s*(%[A-Za-z0-9]+)\s*,\s*(%[A-Za-z0-9]+)\s*,\s*(\$?-?[0-9a-fA-FxX]+)\s*\)$/.exec(t);
  if (scaled !== null) {
    const [o1, r1, r2, o2] = [offset(scaled[1]), reg(scaled[2] ?? ''), reg(scaled[3] ?? ''), offset(scaled[4])];
    return o1 === null || r1 === null || r2 === null || o2 === null ? null : `${o1}(${r1}, ${r2},${o2})`;
  }
  const v = immediate(t);
  return v === null ? null : `$${v}`;
}

/** The X86_64 jumps as herd prints them (jump if equal, …, if sign, if not sign), and the long spellings of two of them. */
const X86_64_JUMPS: ReadonlyMap<string, string> = new Map([...'jmp je jne jle jl jg jge js jns'.split(' ').map((j) => [j, j] as const), ['jlt', 'jl'], ['jgt', 'jg']]);

/** The X86_64 mnemonics whose operands herd prints in source order after the (lower-cased) mnemonic. */
const X86_64_PLAIN = /^(add|or|and|xor|mov|cmp|shl|dec|inc|setnb|xchg|uxch|cmpxchg|cmovc|movnti)[bwlq]?$/;

/** An X86_64 instruction re-printed by herd's X86_64 printer. */
function printX86_64(instr: string, labels: ReadonlyMap<string, string>): string | null {
  const m = /^([A-Za-z0-9]+)\s*(.*)$/.exec(instr.trim());
  if (m === null) return null;
  const op = (m[1] ?? '').toLowerCase();
  const rest = (m[2] ?? '').trim();
  if (op === 'lock') {
    const inner = printX86_64(rest.replace(/^;\s*/, ''), labels);
    return inner === null ? null : `lock; ${inner}`;
  }
  // every nop form (with or without an operand) and endbr64 are herd's I_NOP, printed in capitals
  if (/^nop[bwlq]?$/.test(op) || op === 'endbr64') return 'NOP';
  if (op === 'ret' || op === 'mfence' || op === 'lfence' || op === 'sfence') return rest === '' ? op : null;
  const jump = X86_64_JUMPS.get(op);
  if (jump !== undefined) return labels.has(rest) ? `${jump} ${labels.get(rest) ?? ''}` : null;
  if (!X86_64_PLAIN.test(op)) return null;
  const args = operands(rest).map(x86_64Operand);
  if (args.length === 0 || args.some((a) => a === null)) return null;
  return `${op} ${(args as string[]).join(',')}`;
}

// ---------------------------------------------------------------- C (lib/dumpCAst.ml dump_prog, preserving hashes)

/** A C parameter's type after herd strips its outer pointer, as CType.dump prints it, with the `*` herd adds back; null when unusual. */
function cParamType(type: string): string | null {
  const stars = (type.match(/\*/g) ?? []).length;
  if (stars === 0) return null;
  const words = type.replace(/\*/g, ' ').trim().split(/\s+/);
  const base = (w: string): string | null => (/^(int|char|long|u?int(8|16|32|64)_t|__u?int128(_t)?|u?intptr_t|mtx_t|spinlock_t|atomic_t)$/.test(w) ? w : null);
  let dumped: string | null = null;
  if (words.length === 1 && words[0] === 'atomic_int') dumped = '_Atomic int';
  else if (words.length === 1) dumped = base(words[0] ?? '');
  else if (words.length === 2) {
    const [a = '', b = ''] = words;
    if (a === 'volatile' && base(b) !== null) dumped = `volatile ${b}`;
    else if (b === 'volatile' && base(a) !== null) dumped = `volatile ${a}`;
    else if (a === 'const' && base(b) !== null) dumped = `${b} const`;
    else if (b === 'const' && base(a) !== null) dumped = `${a} const`;
    else if (a === '_Atomic' && base(b) !== null) dumped = `_Atomic ${b}`;
  }
  return dumped === null ? null : `${dumped}${'*'.repeat(stars - 1)}*`;
}

/** The C code part: one column per top-level item (`{…}` global block or thread), each one cell as herd's dumpCAst prints it. */
function cCode(raw: string): string | null {
  const columns: string[][] = [];
  let i = 0;
  const skip = (): void => {
    for (;;) {
      while (i < raw.length && /\s/.test(raw[i] ?? '')) i++;
      if (raw.startsWith('/*', i)) {
        const e = raw.indexOf('*/', i + 2);
        i = e < 0 ? raw.length : e + 2;
      } else if (raw.startsWith('//', i)) {
        const e = raw.indexOf('\n', i);
        i = e < 0 ? raw.length : e + 1;
      } else return;
    }
  };
  /** The body from just after `{` to its matching `}` (herd's get_body: braces counted, nothing else), and where it ends. */
  const body = (from: number): { text: string; end: number } | null => {
    let depth = 0;
    for (let k = from; k < raw.length; k++) {
      if (raw[k] === '{') depth++;
      else if (raw[k] === '}') {
        if (depth === 0) return { text: raw.slice(from, k), end: k + 1 };
        depth--;
      }
    }
    return null;
  };
  for (skip(); i < raw.length; skip()) {
    if (raw[i] === '{') {
      const b = body(i + 1);
      if (b === null) return null;
      columns.push([`{${b.text}}\n\n`]);
      i = b.end;
      continue;
    }
    const head = /^(?:void\s+)?P(\d+)\s*\(([^)]*)\)/.exec(raw.slice(i));
    if (head === null) return null;
    i += head[0].length;
    skip(); // herd's lexer skips comments between the parameters and the body
    if (raw[i] !== '{') return null;
    const params: string[] = [];
    for (const p of (head[2] ?? '').split(',')) {
      if (p.trim() === '') continue;
      const pm = /^(.*?)([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(p.trim());
      const type = pm === null ? null : cParamType(pm[1] ?? '');
      if (pm === null || type === null) return null;
      params.push(`${type} ${pm[2] ?? ''}`);
    }
    const b = body(i + 1);
    if (b === null) return null;
    columns.push([`P${head[1] ?? ''}(${params.join(', ')}) {\n${b.text}\n}\n`]);
    i = b.end;
  }
  return layout(columns);
}
