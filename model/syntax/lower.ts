/**
 * Lowering from the AST to the program IR: params substituted, templates instantiated, names
 * resolved to numbers, structured control flow flattened to branch/jump, and every memory
 * operation made a separate instruction (loads inside expressions go to `$tN` temporaries,
 * evaluated left to right before the expression). Resolution and static checks come from
 * resolve.ts; every error is reported, not just the first.
 *
 * Origins: each instruction carries the span and one-line source text of the statement it came
 * from (sliced from the SourceFile under the span, whitespace collapsed; the printer is the
 * fallback for synthesised nodes whose spans point nowhere). Compound statements use their head: `if (c)`, `while (c)`,
 * `for r in lo..hi`, `critical NAME` (and `end critical NAME` for the exit).
 *
 * Does not: optimise beyond folding constant subexpressions. Unreachable code is reported as
 * warning S311 (for a template, only code unreachable in every instance).
 */
import type { CondExpr, CondTerm, CriticalStmt, Expr, FinalCondition, LocRef, MemOp, Program, Stmt, BinaryOp, ThreadDecl } from './ast.js';
import type { SourceFile, Span } from './source.js';
import type { IrAddr, IrCond, IrCondTerm, IrExpr, IrInstr, IrObservable, IrProgram, IrThread, Origin } from '../ir.js';
import { IR_LIMITS, evalBinary, evalUnary, observableKey } from '../ir.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { Result } from '../diagnostics/diagnostic.js';
import {
  checkConstIndex, checkConstViewIndex, checkMode, collectThreadScope, evalConst, lookupGlobal, newSink, regionName, registerNumber, report, resolveGlobals, resolveLocRef,
} from './resolve.js';
import { printExpr, printFinalCondition, printStmtHead } from './printer.js';
import type { ConstLookup, DiagSink, Globals, ThreadInstance, ThreadScope } from './resolve.js';

/** Options for lowering: `defines` override params (-D NAME=VALUE). */
export interface LowerOptions {
  readonly defines?: Readonly<Record<string, number>>;
}

/** Resolve, check and lower a parsed program to the IR; all errors are reported. */
export function lowerProgram(program: Program, file: SourceFile, options: LowerOptions = {}): Result<IrProgram> {
  const sink = newSink(file.name);
  const g = resolveGlobals(program, file, options.defines ?? {}, sink);
  const regions: string[] = [];
  const threads: IrThread[] = [];
  const scopes: ThreadScope[] = [];
  for (const inst of g.instances) {
    // a check-only instance (empty template) must not add regions no thread uses
    const { thread, scope } = lowerThread(g, inst, file, sink, inst.checkOnly ? [...regions] : regions);
    if (inst.checkOnly) continue;
    threads.push(thread);
    scopes.push(scope);
  }

  reportUnreachable(g, threads, sink);

  const conds = new CondResolver(g, threads, scopes, sink);
  const condition = program.condition === null ? null : conds.final(program.condition);
  const filter = program.filter === null ? null : conds.cond(program.filter);
  for (const t of program.locations) conds.location(t);
  if (program.condition === null && program.locations.length === 0) conds.everything();

  if (hasErrors(sink.list)) return { ok: false, diagnostics: sink.list };
  const ir: IrProgram = {
    name: irName(program.name ?? baseName(file.name), file.name),
    description: program.description,
    file: file.name,
    params: Object.fromEntries(g.params),
    locations: g.locations,
    memorySize: g.memorySize,
    threads,
    regions,
    condition,
    filter,
    observables: conds.observables,
    metadata: program.metadata.map((m) => ({ key: m.key, value: m.value })),
  };
  return { ok: true, value: ir, diagnostics: sink.list };
}

/** The pcs of a thread's code that no path from pc 0 reaches. */
export function unreachablePcs(code: readonly IrInstr[]): number[] {
  const seen = new Uint8Array(code.length + 1);
  const stack = [0];
  while (stack.length > 0) {
    const pc = stack.pop() ?? 0;
    if (pc < 0 || pc > code.length || seen[pc] === 1) continue;
    seen[pc] = 1;
    const ins = code[pc];
    if (ins === undefined) continue;
    if (ins.kind === 'jump') stack.push(ins.target);
    else if (ins.kind === 'branch') {
      const c = ins.cond;
      if (c.kind === 'const') stack.push(c.value !== 0 ? ins.target : pc + 1);
      else stack.push(ins.target, pc + 1);
    } else stack.push(pc + 1);
  }
  const out: number[] = [];
  for (let pc = 0; pc < code.length; pc++) if (seen[pc] === 0) out.push(pc);
  return out;
}

/** S311 warnings: the first statement of each unreachable run, per declaration (templates: unreachable in every instance). */
function reportUnreachable(g: Globals, threads: readonly IrThread[], sink: DiagSink): void {
  const byDecl = new Map<ThreadDecl, Set<string> | null>();
  const spans = new Map<string, Span>();
  let t = 0;
  for (const inst of g.instances) {
    if (inst.checkOnly) continue;
    const thread = threads[t++];
    if (thread === undefined) continue;
    const code = thread.code;
    const dead = new Set(unreachablePcs(code));
    const heads = new Set<string>();
    for (const pc of dead) {
      if (dead.has(pc - 1)) continue;
      const span = code[pc]?.origin.span;
      if (span === undefined || span.line === 0) continue;
      const key = `${span.start}:${span.end}`;
      spans.set(key, span);
      heads.add(key);
    }
    const prev = byDecl.get(inst.decl);
    if (prev === undefined) byDecl.set(inst.decl, heads);
    else if (prev !== null) byDecl.set(inst.decl, new Set([...prev].filter((k) => heads.has(k))));
  }
  for (const heads of byDecl.values()) {
    for (const key of heads ?? []) {
      const span = spans.get(key);
      if (span !== undefined) report(sink, 'S311', span, 'unreachable code: no execution of this thread reaches this statement');
    }
  }
}

/**
 * The IR's program name, which IR validation requires printable (non-empty, no control
 * characters): a test name written `test ""` falls back to the file's base name, and control
 * characters (tab, CR and LF included) are written as `\uXXXX`.
 */
function irName(name: string, path: string): string {
  const n = name === '' ? baseName(path) : name;
  return n.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The base name of a path without its extension ("dir/sb.mw" → "sb"). */
export function baseName(path: string): string {
  const last = path.split(/[\\/]/).pop() ?? path;
  const dot = last.lastIndexOf('.');
  const b = dot > 0 ? last.slice(0, dot) : last;
  return b === '' ? 'program' : b;
}

// ---------------------------------------------------------------- threads

interface Ctx {
  readonly g: Globals;
  readonly inst: ThreadInstance;
  readonly scope: ThreadScope;
  readonly file: SourceFile;
  readonly sink: DiagSink;
  readonly code: IrInstr[];
  readonly labelPc: Map<string, number>;
  readonly gotos: { readonly at: number; readonly label: string }[];
  readonly regions: string[];
  /** next temporary of the current statement (temps are dead after their statement, so reused) */
  temp: number;
}

interface Nest {
  /** innermost enclosing critical statement */
  readonly critical: CriticalStmt | null;
  /** names of the enclosing critical regions */
  readonly names: readonly string[];
}

function lowerThread(g: Globals, inst: ThreadInstance, file: SourceFile, sink: DiagSink, regions: string[]): { thread: IrThread; scope: ThreadScope } {
  const scope = collectThreadScope(g, inst, sink);
  const c: Ctx = { g, inst, scope, file, sink, code: [], labelPc: new Map(), gotos: [], regions, temp: 0 };
  lowerStmts(c, inst.decl.body, { critical: null, names: [] });
  for (const { at, label } of c.gotos) {
    const target = c.labelPc.get(label);
    if (target !== undefined) patchTarget(c, at, target);
  }
  if (scope.registers.length > IR_LIMITS.maxRegisters) {
    report(sink, 'S312', inst.decl.name.span, `thread ${inst.name} uses ${scope.registers.length} registers; the limit is ${IR_LIMITS.maxRegisters}`);
  }
  if (c.code.length > IR_LIMITS.maxCodeLength) {
    report(sink, 'S312', inst.decl.name.span, `thread ${inst.name} lowers to ${c.code.length} instructions; the limit is ${IR_LIMITS.maxCodeLength}`);
  }
  return { thread: { name: inst.name, template: inst.template, registers: scope.registers, code: c.code, span: inst.decl.span }, scope };
}

function patchTarget(c: Ctx, at: number, target: number): void {
  const ins = c.code[at];
  if (ins === undefined) return;
  if (ins.kind === 'branch' || ins.kind === 'jump') c.code[at] = { ...ins, target };
}

function emit(c: Ctx, ins: IrInstr): number {
  c.code.push(ins);
  return c.code.length - 1;
}

function lowerStmts(c: Ctx, stmts: readonly Stmt[], nest: Nest): void {
  for (const s of stmts) lowerStmt(c, s, nest);
}

function lowerStmt(c: Ctx, s: Stmt, nest: Nest): void {
  c.temp = 0;
  const origin: Origin = { span: s.span, text: stmtText(c.file, s) };
  switch (s.kind) {
    case 'assign': {
      const dst = c.scope.regIndex.get(s.target.name) ?? -1;
      if (s.value.kind === 'mem') {
        lowerMemOp(c, s.value.op, dst, origin, true);
      } else {
        const value = lowerExpr(c, s.value, origin);
        if (dst >= 0) emit(c, { kind: 'assign', dst, value, origin });
      }
      return;
    }
    case 'memstmt':
      lowerMemOp(c, s.op, -1, origin, false);
      return;
    case 'if': {
      const cond = lowerExpr(c, s.cond, origin);
      const br = emit(c, { kind: 'branch', cond: negate(cond), target: -1, origin });
      lowerStmts(c, s.then, nest);
      if (s.otherwise === null) {
        patchTarget(c, br, c.code.length);
      } else {
        const j = emit(c, { kind: 'jump', target: -1, origin });
        patchTarget(c, br, c.code.length);
        lowerStmts(c, s.otherwise, nest);
        patchTarget(c, j, c.code.length);
      }
      return;
    }
    case 'while': {
      const top = c.code.length;
      const cond = lowerExpr(c, s.cond, origin);
      const br = emit(c, { kind: 'branch', cond: negate(cond), target: -1, origin });
      lowerStmts(c, s.body, nest);
      emit(c, { kind: 'jump', target: top, origin });
      patchTarget(c, br, c.code.length);
      return;
    }
    case 'for': {
      const lookup = threadConstLookup(c);
      const what = `a bound of the loop over '${s.variable.name}'`;
      const lo = evalConst(s.from, lookup, c.sink, what);
      const hi = evalConst(s.to, lookup, c.sink, what);
      const r = c.scope.regIndex.get(s.variable.name);
      if (lo === null || hi === null || r === undefined) {
        lowerStmts(c, s.body, nest);
        return;
      }
      emit(c, { kind: 'assign', dst: r, value: { kind: 'const', value: lo }, origin });
      const top = c.code.length;
      const br = emit(c, { kind: 'branch', cond: { kind: 'binary', op: '>=', left: { kind: 'reg', reg: r }, right: { kind: 'const', value: hi } }, target: -1, origin });
      lowerStmts(c, s.body, nest);
      emit(c, { kind: 'assign', dst: r, value: { kind: 'binary', op: '+', left: { kind: 'reg', reg: r }, right: { kind: 'const', value: 1 } }, origin });
      emit(c, { kind: 'jump', target: top, origin });
      patchTarget(c, br, c.code.length);
      return;
    }
    case 'await': {
      const start = c.code.length;
      const cond = lowerExpr(c, s.cond, origin);
      const loads = c.code.splice(start);
      const only = loads[0];
      if (loads.length === 0) {
        emit(c, { kind: 'block', cond, origin });
      } else if (loads.length === 1 && only !== undefined && only.kind === 'load') {
        emit(c, { kind: 'await', dst: only.dst, addr: only.addr, mode: only.mode, cond, origin });
      } else {
        const top = c.code.length;
        for (const l of loads) emit(c, l);
        emit(c, { kind: 'branch', cond: negate(cond), target: top, origin });
      }
      return;
    }
    case 'assert': {
      const cond = lowerExpr(c, s.cond, origin);
      emit(c, { kind: 'assert', cond, message: s.message ?? origin.text, origin });
      return;
    }
    case 'assume': {
      const cond = lowerExpr(c, s.cond, origin);
      emit(c, { kind: 'assume', cond, origin });
      return;
    }
    case 'critical': {
      const name = regionName(s);
      if (nest.names.includes(name)) {
        report(c.sink, 'S308', s.name?.span ?? s.span, name === '' ? 'critical region nested inside another unnamed critical region' : `critical region '${name}' nested inside a region of the same name`, { help: 'a thread cannot enter a region it already holds; use a different name or remove the inner region' });
      }
      let region = c.regions.indexOf(name);
      if (region < 0) {
        c.regions.push(name);
        region = c.regions.length - 1;
      }
      emit(c, { kind: 'enter', region, origin });
      lowerStmts(c, s.body, { critical: s, names: [...nest.names, name] });
      const endSpan = s.span.end > s.span.start ? c.file.span(s.span.end - 1, s.span.end) : s.span;
      emit(c, { kind: 'exit', region, origin: { span: endSpan, text: `end ${origin.text}` } });
      return;
    }
    case 'label':
      if (!c.labelPc.has(s.name.name)) c.labelPc.set(s.name.name, c.code.length);
      return;
    case 'goto': {
      const info = c.scope.labels.get(s.target.name);
      if (info === undefined) {
        report(c.sink, 'N203', s.target.span, `undefined label '${s.target.name}'`);
        return;
      }
      if (info.critical !== nest.critical) {
        const into = info.critical !== null;
        report(c.sink, 'S309', s.span, into ? `goto ${s.target.name} jumps into a critical region` : `goto ${s.target.name} jumps out of a critical region`, { related: [{ span: info.span, message: 'label defined here' }] });
        return;
      }
      c.gotos.push({ at: emit(c, { kind: 'jump', target: -1, origin }), label: s.target.name });
      return;
    }
    case 'skip':
      emit(c, { kind: 'skip', origin });
      return;
    case 'error':
      report(c.sink, 'P103', s.span, 'expected a statement');
      return;
  }
}

function threadConstLookup(c: Ctx): ConstLookup {
  return (name) => {
    const m = lookupGlobal(c.g, name, c.inst);
    if (m !== null) return m.kind === 'shared' ? 'shared' : m.value;
    return c.scope.regIndex.has(name) ? 'register' : null;
  };
}

// ---------------------------------------------------------------- expressions and memory operations

function tempReg(c: Ctx): number {
  const r = registerNumber(c.scope, `$t${c.temp}`);
  c.temp += 1;
  return r;
}

const ZERO: IrExpr = { kind: 'const', value: 0 };

/** Lower a pure expression; loads are emitted (left to right) into temps before it. */
function lowerExpr(c: Ctx, e: Expr, origin: Origin): IrExpr {
  switch (e.kind) {
    case 'int':
      return { kind: 'const', value: e.value | 0 };
    case 'name': {
      const m = lookupGlobal(c.g, e.name, c.inst);
      if (m !== null) {
        if (m.kind !== 'shared') return { kind: 'const', value: m.value };
        report(c.sink, 'N208', e.span, `'${e.name}' is a shared location; read it with a load, e.g. load.sc(${e.name})`);
        return ZERO;
      }
      const r = c.scope.regIndex.get(e.name);
      if (r !== undefined) return { kind: 'reg', reg: r };
      report(c.sink, 'N201', e.span, `undefined name '${e.name}'`, { help: 'a register exists once the thread assigns it (r = …); params and shared locations are declared at top level' });
      return ZERO;
    }
    case 'unary': {
      const a = lowerExpr(c, e.operand, origin);
      return a.kind === 'const' ? { kind: 'const', value: evalUnary(e.op, a.value) } : { kind: 'unary', op: e.op, operand: a };
    }
    case 'binary': {
      const a = lowerExpr(c, e.left, origin);
      const b = lowerExpr(c, e.right, origin);
      return fold(e.op, a, b);
    }
    case 'mem': {
      if (e.op.kind !== 'load') {
        report(c.sink, 'S305', e.span, `${memOpName(e.op)} cannot appear inside an expression`);
        return ZERO;
      }
      checkMode(e.op, c.sink);
      const addr = lowerAddr(c, e.op.loc, origin);
      const dst = tempReg(c);
      if (addr !== null) emit(c, { kind: 'load', dst, addr, mode: e.op.mode, origin });
      return { kind: 'reg', reg: dst };
    }
    case 'error':
      report(c.sink, 'P102', e.span, 'expected an expression');
      return ZERO;
  }
}

function fold(op: BinaryOp, a: IrExpr, b: IrExpr): IrExpr {
  if (a.kind === 'const' && b.kind === 'const') {
    const v = evalBinary(op, a.value, b.value);
    // division by zero stays in the code: it is a run-time error (R602) if reached
    if (v !== null) return { kind: 'const', value: v };
  }
  return { kind: 'binary', op, left: a, right: b };
}

const NEGATED: Partial<Record<BinaryOp, BinaryOp>> = { '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };

/** A condition true exactly when `e` is false (only truthiness matters: used for branches). */
function negate(e: IrExpr): IrExpr {
  if (e.kind === 'const') return { kind: 'const', value: e.value === 0 ? 1 : 0 };
  if (e.kind === 'unary' && e.op === '!') return e.operand;
  if (e.kind === 'binary') {
    const op = NEGATED[e.op];
    if (op !== undefined) return { kind: 'binary', op, left: e.left, right: e.right };
  }
  return { kind: 'unary', op: '!', operand: e };
}

function lowerAddr(c: Ctx, ref: LocRef, origin: Origin): IrAddr | null {
  const loc = resolveLocRef(c.g, c.inst, c.scope, ref, c.sink);
  const index = ref.index === null ? ZERO : lowerExpr(c, ref.index, origin);
  if (loc === null) return null;
  const l = c.g.locations[loc];
  if (l === undefined) return null;
  const view = ref.view;
  if (view === undefined) {
    if (index.kind === 'const' && !checkConstIndex(l, index.value, ref.index?.span ?? ref.span, c.sink)) return null;
    return { loc, index };
  }
  if (index.kind === 'const' && !checkConstViewIndex(l, view.width, index.value, ref.index?.span ?? ref.span, c.sink)) return null;
  // an i32 view is the word itself: it lowers exactly as `a[k]` (or `x`), so views change no word program
  return view.width === 4 ? { loc, index } : { loc, index, width: view.width };
}

/** S317: Atomics.wait and Atomics.notify take an Int32Array only. */
function checkWaitView(c: Ctx, ref: LocRef, op: 'wait' | 'notify'): void {
  const v = ref.view;
  if (v !== undefined && v.width !== 4) report(c.sink, 'S317', ref.span, `${op} on ${ref.name.name}.i${v.width * 8}: Atomics.${op} takes only an Int32Array (or a BigInt64Array)`);
}

function memOpName(op: MemOp): string {
  switch (op.kind) {
    case 'rmw': return op.op;
    case 'load':
    case 'store':
    case 'fence':
    case 'wait':
    case 'notify':
      return op.kind;
  }
}

/** Lower a memory operation that is a whole statement (dst -1) or a whole assignment right-hand side. */
function lowerMemOp(c: Ctx, op: MemOp, dst: number, origin: Origin, asValue: boolean): void {
  checkMode(op, c.sink);
  switch (op.kind) {
    case 'load': {
      const addr = lowerAddr(c, op.loc, origin);
      if (addr !== null) emit(c, { kind: 'load', dst, addr, mode: op.mode, origin });
      return;
    }
    case 'store': {
      if (asValue) report(c.sink, 'S305', op.span, 'a store has no result value; write it as a statement');
      const addr = lowerAddr(c, op.loc, origin);
      const value = lowerExpr(c, op.value, origin);
      if (addr !== null) emit(c, { kind: 'store', addr, value, mode: op.mode, origin });
      return;
    }
    case 'rmw': {
      const addr = lowerAddr(c, op.loc, origin);
      if ((op.op === 'cmpxchg') !== (op.expected !== null)) {
        report(c.sink, 'P106', op.span, op.op === 'cmpxchg' ? 'cmpxchg takes (location, expected, replacement)' : `${op.op} takes (location, value)`);
      }
      const expected = op.expected === null ? null : lowerExpr(c, op.expected, origin);
      const value = lowerExpr(c, op.value, origin);
      if (addr !== null) emit(c, { kind: 'rmw', op: op.op, dst, addr, expected: op.op === 'cmpxchg' ? (expected ?? ZERO) : null, value, mode: op.mode, origin });
      return;
    }
    case 'fence':
      if (asValue) report(c.sink, 'S305', op.span, 'a fence has no result value; write it as a statement');
      emit(c, { kind: 'fence', mode: op.mode, origin });
      return;
    case 'wait': {
      checkWaitView(c, op.loc, 'wait');
      const addr = lowerAddr(c, op.loc, origin);
      const expected = lowerExpr(c, op.expected, origin);
      const timeout = op.timeout === null ? null : lowerExpr(c, op.timeout, origin);
      if (addr !== null) emit(c, { kind: 'wait', dst, addr, expected, timeout, origin });
      return;
    }
    case 'notify': {
      checkWaitView(c, op.loc, 'notify');
      const addr = lowerAddr(c, op.loc, origin);
      const count = op.count === null ? null : lowerExpr(c, op.count, origin);
      if (addr !== null) emit(c, { kind: 'notify', dst, addr, count, origin });
      return;
    }
  }
}

// ---------------------------------------------------------------- final condition, filter, observables

class CondResolver {
  readonly observables: { name: string; what: IrObservable }[] = [];
  private readonly seen = new Set<string>();
  private readonly slotNames: string[] = [];
  private readonly g: Globals;
  private readonly threads: readonly IrThread[];
  private readonly scopes: readonly ThreadScope[];
  private readonly sink: DiagSink;

  constructor(g: Globals, threads: readonly IrThread[], scopes: readonly ThreadScope[], sink: DiagSink) {
    this.g = g;
    this.threads = threads;
    this.scopes = scopes;
    this.sink = sink;
    for (const l of g.locations) {
      for (let k = 0; k < l.size; k++) this.slotNames.push(l.isArray ? `${l.name}[${k}]` : l.name);
    }
  }

  final(fc: FinalCondition): { quantifier: FinalCondition['quantifier']; cond: IrCond; text: string } {
    return { quantifier: fc.quantifier, cond: this.cond(fc.expr), text: printFinalCondition(fc) };
  }

  cond(e: CondExpr): IrCond {
    switch (e.kind) {
      case 'cmp': {
        const left = this.term(e.left);
        const right = this.term(e.right);
        return { kind: 'cmp', op: e.op, left, right };
      }
      case 'and':
      case 'or':
      case 'implies': {
        const left = this.cond(e.left);
        const right = this.cond(e.right);
        return { kind: e.kind, left, right };
      }
      case 'not':
        return { kind: 'not', operand: this.cond(e.operand) };
      case 'bool':
        return { kind: 'bool', value: e.value };
      case 'error':
        report(this.sink, 'P109', e.span, 'expected a condition term');
        return { kind: 'bool', value: false };
    }
  }

  /** Add a `locations` entry (a whole array when unindexed). */
  location(t: CondTerm): void {
    if (t.kind === 'loc' && t.index === null) {
      const m = lookupGlobal(this.g, t.name, null);
      const l = m?.kind === 'shared' ? this.g.locations[m.loc] : undefined;
      if (l !== undefined && l.isArray) {
        for (let k = 0; k < l.size; k++) this.add({ kind: 'mem', slot: l.base + k });
        return;
      }
    }
    this.term(t);
  }

  /** Every user register of every thread, then every memory word. */
  everything(): void {
    this.threads.forEach((th, t) => {
      th.registers.forEach((name, reg) => {
        if (!name.startsWith('$')) this.add({ kind: 'reg', thread: t, reg });
      });
    });
    for (let s = 0; s < this.g.memorySize; s++) this.add({ kind: 'mem', slot: s });
  }

  private add(o: IrObservable): void {
    const key = observableKey(o);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const name = o.kind === 'reg' ? `${this.threads[o.thread]?.name ?? '?'}:${this.threads[o.thread]?.registers[o.reg] ?? '?'}` : o.view === undefined ? (this.slotNames[o.slot] ?? '?') : this.viewName(o.slot, o.view.width, o.view.byte);
    this.observables.push({ name, what: o });
  }

  /** `x.i8[1]`, `a.i16[3]`: the display name of a narrow element of word `slot`. */
  private viewName(slot: number, width: number, byte: number): string {
    const l = this.g.locations.find((x) => slot >= x.base && slot < x.base + x.size);
    return l === undefined ? '?' : `${l.name}.i${width * 8}[${((slot - l.base) * 4 + byte) / width}]`;
  }

  private term(t: CondTerm): IrCondTerm {
    const bad: IrCondTerm = { kind: 'const', value: 0 };
    switch (t.kind) {
      case 'int':
        return { kind: 'const', value: t.value | 0 };
      case 'reg': {
        const thread = this.thread(t);
        if (thread === null) return bad;
        const scope = this.scopes[thread];
        const reg = scope?.regIndex.get(t.reg);
        if (reg === undefined || t.reg.startsWith('$')) {
          report(this.sink, 'N206', t.span, `thread ${this.threads[thread]?.name ?? '?'} has no register '${t.reg}'`, { help: userRegs(scope) });
          return bad;
        }
        const o: IrObservable = { kind: 'reg', thread, reg };
        this.add(o);
        return o;
      }
      case 'loc': {
        const m = lookupGlobal(this.g, t.name, null);
        if (m === null) {
          report(this.sink, 'N201', t.span, `undefined name '${t.name}' in the condition`, { help: 'conditions name shared locations (x, a[1]), params, and registers as THREAD:REG (P0:r0, 0:r0, T[1]:r)' });
          return bad;
        }
        if (m.kind !== 'shared') {
          if (t.index !== null) {
            report(this.sink, 'S303', t.span, `'${t.name}' is not an array and cannot be indexed`);
            return bad;
          }
          return { kind: 'const', value: m.value };
        }
        const l = this.g.locations[m.loc];
        if (l === undefined) return bad;
        if (t.view !== undefined) {
          const w = t.view.width;
          const index = t.index ?? 0;
          if (!checkConstViewIndex(l, w, index, t.span, this.sink)) return bad;
          const byte = index * w;
          const slot = l.base + (byte >> 2);
          const o: IrObservable = w === 4 ? { kind: 'mem', slot } : { kind: 'mem', slot, view: { width: w, byte: byte & 3 } };
          this.add(o);
          return o;
        }
        if (l.isArray && t.index === null) {
          report(this.sink, 'S303', t.span, `'${t.name}' is an array of ${l.size}; index it, e.g. ${t.name}[0]`);
          return bad;
        }
        if (!l.isArray && t.index !== null) {
          report(this.sink, 'S303', t.span, `'${t.name}' is a scalar location and cannot be indexed`);
          return bad;
        }
        const index = t.index ?? 0;
        if (!checkConstIndex(l, index, t.span, this.sink)) return bad;
        const o: IrObservable = { kind: 'mem', slot: l.base + index };
        this.add(o);
        return o;
      }
    }
  }

  private thread(t: Extract<CondTerm, { kind: 'reg' }>): number | null {
    const th = t.thread;
    if ('ordinal' in th) {
      if (th.ordinal >= 0 && th.ordinal < this.threads.length) return th.ordinal;
      report(this.sink, 'N205', t.span, `there is no thread ${th.ordinal}: the program has ${this.threads.length} thread${this.threads.length === 1 ? '' : 's'}`);
      return null;
    }
    const idx = this.threads.findIndex((x) => (th.index === null ? x.template === null && x.name === th.name : x.template !== null && x.template.name === th.name && x.template.index === th.index));
    if (idx >= 0) return idx;
    const isTemplate = this.threads.some((x) => x.template?.name === th.name);
    const shown = th.index === null ? th.name : `${th.name}[${th.index}]`;
    report(this.sink, 'N205', t.span, `unknown thread '${shown}'`, {
      help: isTemplate && th.index === null ? `${th.name} is a template; name an instance, e.g. ${th.name}[0]:${t.reg}` : `threads: ${this.threads.map((x) => x.name).join(', ')}`,
    });
    return null;
  }
}

function userRegs(scope: ThreadScope | undefined): string {
  const regs = scope?.registers.filter((r) => !r.startsWith('$')) ?? [];
  return regs.length === 0 ? 'this thread has no registers' : `its registers: ${regs.join(', ')}`;
}

// ---------------------------------------------------------------- text for traces

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function sliceText(file: SourceFile, span: Span): string | null {
  if (span.end <= span.start || span.end > file.text.length) return null;
  const t = oneLine(file.text.slice(span.start, span.end));
  return t === '' ? null : t;
}

function exprText(file: SourceFile, e: Expr): string {
  return sliceText(file, e.span) ?? printExpr(e);
}

/**
 * The longest origin text an instruction carries (longer statements are cut, with `…`). Every
 * instruction a statement lowers to shares its text, so an unbounded text would make the IR (and
 * `parse --ir`) quadratic in the length of a statement with many loads.
 */
export const MAX_ORIGIN_TEXT = 120;

/** One-line text of a statement (its head for compound statements), at most MAX_ORIGIN_TEXT characters. */
function stmtText(file: SourceFile, s: Stmt): string {
  const t = fullStmtText(file, s);
  if (t.length <= MAX_ORIGIN_TEXT) return t;
  // never cut between the two halves of a surrogate pair
  const cut = (t.charCodeAt(MAX_ORIGIN_TEXT - 2) & 0xfc00) === 0xd800 ? MAX_ORIGIN_TEXT - 2 : MAX_ORIGIN_TEXT - 1;
  return `${t.slice(0, cut)}…`;
}

function fullStmtText(file: SourceFile, s: Stmt): string {
  switch (s.kind) {
    case 'if':
      return `if (${exprText(file, s.cond)})`;
    case 'while':
      return `while (${exprText(file, s.cond)})`;
    case 'for':
      return `for ${s.variable.name} in ${exprText(file, s.from)}..${exprText(file, s.to)}`;
    case 'critical':
      return s.name === null ? 'critical' : `critical ${s.name.name}`;
    case 'assign':
    case 'memstmt':
    case 'await':
    case 'assert':
    case 'assume':
    case 'label':
    case 'goto':
    case 'skip':
    case 'error': {
      const t = sliceText(file, s.span);
      return t === null ? printStmtHead(s) : t.replace(/\s*;$/, '');
    }
  }
}
