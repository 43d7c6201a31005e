/**
 * `check --format herd`: one check's answer printed as herd7 prints its own, so that it can be
 * diffed against a herd `.expected` file (after dropping the `Time` line, as herd's regression
 * runner does). Learnt from herdtools7 `herd/top_herd.ml` (pp_stats), `lib/constrGen.ml`
 * (condition printing), `lib/location.ml` and `herd/archExtra_herd.ml` (state printing and order),
 * `lib/X86Base.ml` / `lib/X86_64Base.ml` (register order); read and reimplemented, not copied.
 *
 *   Test NAME Allowed|Forbidden|Required   (no final condition: herd's `forall (true)`, Required)
 *   States N                               then one line per final state, in herd's order
 *   Ok|No|Undef                            (`Loop Ok` / `Loop No` when a loop bound cut executions;
 *                                          Undef, and `Flag *undef*` after the witnesses, on a data race)
 *   Witnesses
 *   Positive: P Negative: N                (for `~exists`, herd's are memweave's the other way round)
 *   Condition exists (...)                 (herd's printing: `[x]` for memory, `not (...)` for `!=`)
 *   Observation NAME Never|Sometimes|Always pos neg
 *   Time NAME S.SS
 *   Hash=...                               (only when the caller could compute herd's hash)
 *   (an empty line)
 *
 * State lines: registers first, by thread, then by the architecture's register order (X86:
 * EAX EBX ECX EDX ESI EDI EBP ESP …; X86_64: rip cs rax rbx … r15; C and .mw: by name), then
 * memory by name (`[x]=1;`; an array cell `a[1]=0;`); states are sorted by their values in that
 * order, as herd's state set is. What cannot match herd is in docs/litmus-import.md.
 */
import { assertNever, type IrCond, type IrCondTerm, type IrObservable, type IrProgram } from '../model/ir.js';
import { herdTestKind, ownValue } from '../model/outcome.js';
import type { CheckResult } from '../checker/api.js';
import { LITMUS_ARCHS, type LitmusArch } from '../model/litmus/index.js';

/** The herd dialect a litmus test is in (its first word, spelt as memweave's importer reads it: case aside), or null for a .mw program or another dialect. */
export function litmusArchOf(fileName: string, text: string): LitmusArch | null {
  if (!fileName.toLowerCase().endsWith('.litmus')) return null;
  const first = (/^\s*(\S+)/.exec(text)?.[1] ?? '').toUpperCase();
  return LITMUS_ARCHS.find((a) => a === first) ?? null;
}

/** herd's register order for X86 (the order of `reg` in lib/X86Base.ml). */
const X86_REGS = ['EAX', 'EBX', 'ECX', 'EDX', 'ESI', 'EDI', 'EBP', 'ESP', 'EIP', 'ZF', 'SF', 'CF'];

/** herd's register order for X86_64 (lib/X86_64Base.ml: RIP, CS, the integer registers, then the flags). */
const X86_64_REGS = ['rip', 'cs', 'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'zf', 'sf', 'cf'];

/** The rank of a register in herd's order for `arch`: known registers first in their order, then the rest by name (C and .mw: all by name). */
function registerRank(arch: string | null, reg: string): number {
  const table = arch === 'X86' ? X86_REGS : arch === 'X86_64' ? X86_64_REGS : null;
  if (table === null) return 0;
  const i = table.indexOf(reg);
  return i < 0 ? table.length : i;
}

/** Byte-wise string order (OCaml's `compare` on strings), not the locale's. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One observable as herd names and orders it. */
interface HerdLocation {
  /** herd's spelling: `0:EAX`, `[x]`, `a[1]` */
  readonly text: string;
  /** register (0) or memory (1) */
  readonly group: 0 | 1;
  readonly thread: number;
  readonly rank: number;
  readonly name: string;
  readonly index: number;
}

/** herd's name and order key for an observable of `program`. */
export function herdLocation(program: IrProgram, arch: string | null, o: IrObservable): HerdLocation {
  if (o.kind === 'reg') {
    const reg = program.threads[o.thread]?.registers[o.reg] ?? `r${o.reg}`;
    return { text: `${o.thread}:${reg}`, group: 0, thread: o.thread, rank: registerRank(arch, reg), name: reg, index: 0 };
  }
  const loc = program.locations.find((l) => o.slot >= l.base && o.slot < l.base + l.size);
  if (loc === undefined) return { text: `[#${o.slot}]`, group: 1, thread: 0, rank: 0, name: `#${o.slot}`, index: 0 };
  const index = o.slot - loc.base;
  // herd: a scalar in brackets, an array cell without (ConstrGen.dump_rloc of a Deref)
  const text = loc.isArray ? `${loc.name}[${index}]` : `[${loc.name}]`;
  return { text, group: 1, thread: 0, rank: 0, name: loc.name, index };
}

function compareLocations(a: HerdLocation, b: HerdLocation): number {
  return a.group - b.group || a.thread - b.thread || a.rank - b.rank || compareStrings(a.name, b.name) || a.index - b.index;
}

/** A value as herd prints it: decimal, or under herd's `-hexa true` hexadecimal of the 32-bit pattern (`0x1`, `0xffffffff`). */
export function herdValue(v: number, hexa: boolean): string {
  return hexa ? `0x${(v >>> 0).toString(16)}` : String(v);
}

/** The final-state lines herd prints for these outcomes: locations in herd's order, states sorted as herd's state set. */
export function herdStateLines(r: CheckResult, program: IrProgram, arch: string | null, hexa = false): string[] {
  const locs = program.observables.map((o) => ({ name: o.name, loc: herdLocation(program, arch, o.what) })).sort((a, b) => compareLocations(a.loc, b.loc));
  const rows = r.outcomes.map((o) => locs.map((l) => ownValue(o.values, l.name) ?? 0));
  rows.sort((a, b) => {
    for (let i = 0; i < a.length; i++) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
  return rows.map((vals) => locs.map((l, i) => `${l.loc.text}=${herdValue(vals[i] ?? 0, hexa)};`).join(' '));
}

/** Where a sub-proposition sits, for herd's parenthesisation (ConstrGen.is_paren). */
type Above = 'top' | 'and' | 'or' | 'implies';

function needsParens(above: Above, here: 'and' | 'or' | 'implies'): boolean {
  switch (above) {
    case 'top':
      return false;
    case 'implies':
      return here !== 'implies';
    case 'and':
      return here !== 'and';
    case 'or':
      return here === 'implies';
    default:
      return assertNever(above);
  }
}

/** A proposition as herd prints it (ConstrGen.pp_prop with herd's ASCII connectives). */
export function herdProposition(program: IrProgram, arch: string | null, cond: IrCond, hexa = false): string {
  const term = (t: IrCondTerm): string => (t.kind === 'const' ? herdValue(t.value, hexa) : herdLocation(program, arch, t).text);
  const go = (c: IrCond, above: Above): string => {
    switch (c.kind) {
      case 'bool':
        return c.value ? 'true' : 'false';
      case 'cmp': {
        const atom = `${term(c.left)}=${term(c.right)}`;
        // herd has no `!=` atom: its parser reads `x != v` as `not (x=v)`
        return c.op === '=' ? atom : `not (${atom})`;
      }
      case 'not':
        return `not (${go(c.operand, 'top')})`;
      case 'and':
      case 'or':
      case 'implies': {
        const sep = c.kind === 'and' ? ' /\\ ' : c.kind === 'or' ? ' \\/ ' : ' => ';
        const s = `${go(c.left, c.kind)}${sep}${go(c.right, c.kind)}`;
        return needsParens(above, c.kind) ? `(${s})` : s;
      }
      default:
        return assertNever(c);
    }
  };
  return go(cond, 'top');
}

/** The `Condition` text herd prints: `exists (...)`, `~exists (...)`, `forall (...)`; no condition is `forall (true)`. */
export function herdConditionText(program: IrProgram, arch: string | null, hexa = false): string {
  const c = program.condition;
  if (c === null) return 'forall (true)';
  const q = c.quantifier === 'not exists' ? '~exists' : c.quantifier;
  return `${q} (${herdProposition(program, arch, c.cond, hexa)})`;
}

/** What one herd block needs besides the result and the program. */
export interface HerdBlockOptions {
  /** the source's dialect (litmusArchOf), for register names and order */
  readonly arch: string | null;
  /** herd's Hash= value when it could be computed, else null (the line is left out) */
  readonly hash: string | null;
  /** values in hexadecimal, as herd prints them under `-hexa true` (herd's C regression tests' ci.cfg); default false */
  readonly hexa?: boolean;
  /** whether a data race is undefined behaviour under the result's model (rc11: yes; js: a race is defined, only not SC); default true */
  readonly racesUndefined?: boolean;
}

/**
 * One check as herd7's output block, ending in an empty line as herd's does. The result must be
 * complete or cut only by a loop bound (`outcomesComplete`, or budgetExhausted 'unroll': herd's
 * `Loop` prefix); the caller prints nothing herd-like for a partial search.
 */
export function renderHerd(r: CheckResult, program: IrProgram, options: HerdBlockOptions): string {
  const quantifier = program.condition?.quantifier ?? 'forall';
  const name = r.test;
  const hexa = options.hexa ?? false;
  const states = herdStateLines(r, program, options.arch, hexa);
  // memweave counts per condition: positive = where the proposition holds; no condition = forall (true): all positive
  const total = r.outcomes.reduce((n, o) => n + o.finalStates, 0);
  const pos = r.condition?.positive ?? total;
  const neg = r.condition?.negative ?? 0;
  const validated = quantifier === 'exists' ? pos > 0 : quantifier === 'not exists' ? pos === 0 : neg === 0;
  const observation = pos === 0 ? 'Never' : neg === 0 ? 'Always' : 'Sometimes';
  // herd's Witnesses line: for ~exists P, Positive counts the executions that validate ~exists (P false)
  const [wPos, wNeg] = quantifier === 'not exists' ? [neg, pos] : [pos, neg];
  let out = `Test ${name} ${herdTestKind(quantifier)}\n`;
  out += `States ${states.length}\n`;
  for (const s of states) out += `${s}\n`;
  // herd: an execution the model flags undefined (rc11.cat's `undefined_unless empty dr`: a data race) makes the verdict Undef
  const undef = (options.racesUndefined ?? true) && r.violations.some((v) => v.kind === 'race');
  out += `${r.budgetExhausted === 'unroll' ? 'Loop ' : ''}${undef ? 'Undef' : validated ? 'Ok' : 'No'}\n`;
  out += 'Witnesses\n';
  out += `Positive: ${wPos} Negative: ${wNeg}\n`;
  if (undef) out += 'Flag *undef*\n';
  out += `Condition ${herdConditionText(program, options.arch, hexa)}\n`;
  out += `Observation ${name} ${observation} ${pos} ${neg}\n`;
  out += `Time ${name} ${(r.stats.ms / 1000).toFixed(2)}\n`;
  if (options.hash !== null) out += `Hash=${options.hash}\n`;
  return `${out}\n`;
}

/** A herd block with its Time line dropped (herd's regression runner compares without it). */
export function withoutTime(block: string): string {
  return block
    .split('\n')
    .filter((l) => !l.startsWith('Time '))
    .join('\n');
}
