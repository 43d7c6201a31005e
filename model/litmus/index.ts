/**
 * The herd7 `.litmus` importer: reads a litmus test unchanged and produces the same AST the .mw
 * parser does, so checking and lowering are shared. Dispatches on the architecture in the first
 * line: `X86` (x86.ts), `X86_64` (x86_64.ts) and `C` (c.ts); the rest of the file (metadata, init block, final
 * condition) is common (common.ts). docs/litmus-import.md documents the mapping.
 *
 * Assembly of the program:
 *   - threads P0, P1, … (plain ThreadDecls, no templates);
 *   - every location mentioned in the init block, the code, the condition, `locations` or `filter`
 *     becomes a scalar SharedDecl (initial value from the init block, else 0), in order of first
 *     mention;
 *   - a register initialisation `0:EAX=1` becomes an assignment at the start of thread 0, and a
 *     register the condition observes but the thread never writes gets an explicit `r = 0` there
 *     (herd's registers start at 0; memweave's registers are the names a thread assigns);
 *   - the test name, doc string and `key=value` lines become name, description and metadata.
 * Never throws: every problem is a diagnostic (H4xx), and a Program is returned for any input.
 */
import type { CondExpr, CondTerm, FinalCondition, Program, SharedDecl, Stmt, ThreadDecl } from '../syntax/ast.js';
import type { SourceFile, Span } from '../syntax/source.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { LitmusDiags } from './litmusText.js';
import { assignedRegs, collectLocRefs, condLocs, condRegs, mapCondRegs } from './astWalks.js';
import { parseConstraints, parseInit } from './stateParser.js';
import { splitLitmus } from './splitter.js';
import type { InitEntry } from './stateParser.js';
import { normaliseX86Reg, parseX86Code } from './x86.js';
import { parseCCode } from './c.js';
import { normaliseX86_64Reg, parseX86_64Code } from './x86_64.js';

/** The architectures memweave imports, by the name in the first line of the file. */
export const LITMUS_ARCHS = ['X86', 'X86_64', 'C'] as const;
/** One of the supported architectures. */
export type LitmusArch = (typeof LITMUS_ARCHS)[number];

/** Parse a herd7 litmus test into a memweave Program. Never throws; problems are H4xx diagnostics. */
export function parseLitmus(file: SourceFile): { program: Program; diagnostics: Diagnostic[] } {
  const d = new LitmusDiags(file);
  const whole = file.span(0, file.text.length);
  const empty: Program = { name: null, description: null, params: [], shared: [], threads: [], condition: null, locations: [], filter: null, metadata: [], span: whole };
  const split = splitLitmus(file, d, (arch) => arch.toUpperCase() === 'C');
  if (split === null) return { program: empty, diagnostics: d.list };
  const arch = archOf(split.arch);
  const base: Program = { ...empty, name: split.name, description: split.description, metadata: split.metadata };
  if (arch === null) {
    d.add('H402', split.archSpan.start, split.archSpan.end, `unsupported litmus architecture "${split.arch}"`, 'memweave imports the X86, X86_64 and C dialects of herd7 litmus tests');
    return { program: base, diagnostics: d.list };
  }

  const init = parseInit(file, split.init, d);
  let threads: ThreadDecl[] = arch === 'X86' ? parseX86Code(file, split.code, d).threads : arch === 'X86_64' ? parseX86_64Code(file, split.code, d).threads : parseCCode(file, split.code, d).threads;
  const constraints = parseConstraints(file, split.constraints, d);
  let condition: FinalCondition | null = constraints.condition;
  let filter: CondExpr | null = constraints.filter;
  let locations: readonly CondTerm[] = constraints.locations;
  let regInits = init.filter((e): e is Extract<InitEntry, { kind: 'reg' }> => e.kind === 'reg');

  if (arch === 'X86' || arch === 'X86_64') {
    // herd's x86 registers are case-insensitive; memweave spells X86's in upper case everywhere,
    // and X86_64's as herd prints them (the 64-bit name in lower case: %eax, EAX and RAX are rax)
    const norm = arch === 'X86' ? normaliseX86Reg : normaliseX86_64Reg;
    if (condition !== null) condition = { ...condition, expr: mapCondRegs(condition.expr, norm) };
    if (filter !== null) filter = mapCondRegs(filter, norm);
    locations = locations.map((t) => (t.kind === 'reg' ? { ...t, reg: norm(t.reg) } : t));
    regInits = regInits.map((e) => ({ ...e, reg: norm(e.reg) }));
  }

  // register initialisations: an assignment at the start of the thread
  if (threads.length > 0) {
    const pre: Stmt[][] = threads.map(() => []);
    for (const e of regInits) {
      const slot = pre[e.thread];
      if (slot === undefined) {
        d.add('H403', e.span.start, e.span.end, `register ${e.thread}:${e.reg} is initialised, but the test has ${threads.length} thread${threads.length === 1 ? '' : 's'} (P0…P${threads.length - 1})`);
        continue;
      }
      slot.push({ kind: 'assign', target: { name: e.reg, span: e.span }, value: { kind: 'int', value: e.value, span: e.span }, span: e.span });
    }
    // herd: a register the condition observes but the thread never writes holds 0 at the end;
    // memweave only knows registers a thread assigns, so make that initial 0 explicit
    const observed = [...condRegs(condition === null ? null : condition.expr), ...condRegs(filter), ...locations.filter((t) => t.kind === 'reg')];
    for (const t of observed) {
      const k = 'ordinal' in t.thread ? t.thread.ordinal : /^P[0-9]+$/.test(t.thread.name) && t.thread.index === null ? Number(t.thread.name.slice(1)) : -1;
      const thread = threads[k];
      const slot = pre[k];
      if (thread === undefined || slot === undefined) continue;
      if (assignedRegs(thread.body).has(t.reg) || assignedRegs(slot).has(t.reg)) continue;
      slot.push({ kind: 'assign', target: { name: t.reg, span: t.span }, value: { kind: 'int', value: 0, span: t.span }, span: t.span });
    }
    threads = threads.map((t, k) => ((pre[k] ?? []).length === 0 ? t : { ...t, body: [...(pre[k] ?? []), ...t.body] }));
  }

  // shared locations, in order of first mention
  const shared = new Map<string, { span: Span; value: number | null; valueSpan: Span | null }>();
  const mention = (name: string, span: Span): void => {
    if (!shared.has(name)) shared.set(name, { span, value: null, valueSpan: null });
  };
  for (const e of init) {
    if (e.kind !== 'loc') continue;
    mention(e.name, e.nameSpan);
    const s = shared.get(e.name);
    if (s !== undefined) shared.set(e.name, { ...s, value: e.value, valueSpan: e.span });
  }
  for (const t of threads) for (const r of collectLocRefs(t.body)) mention(r.name.name, r.name.span);
  for (const l of condLocs(condition === null ? null : condition.expr)) mention(l.name, l.span);
  for (const t of locations) if (t.kind === 'loc') mention(t.name, t.span);
  for (const l of condLocs(filter)) mention(l.name, l.span);
  const decls: SharedDecl[] = [...shared].map(([name, s]) => ({
    kind: 'shared',
    name: { name, span: s.span },
    size: null,
    init: s.value === null || s.valueSpan === null ? { kind: 'none' } : { kind: 'fill', value: { kind: 'int', value: s.value, span: s.valueSpan } },
    span: s.valueSpan ?? s.span,
  }));

  return {
    program: { ...base, shared: decls, threads, condition, locations, filter },
    diagnostics: d.list,
  };
}

function archOf(s: string): LitmusArch | null {
  const up = s.toUpperCase();
  return up === 'X86' ? 'X86' : up === 'X86_64' ? 'X86_64' : up === 'C' ? 'C' : null;
}
