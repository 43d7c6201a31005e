/**
 * Name resolution and static checks for a parsed program (.mw or imported .litmus): evaluates
 * params (in order, with -D overrides), lays out shared memory, instantiates thread templates,
 * collects each thread's registers and labels, classifies names, and checks memory-operation
 * modes and constant array indices. Lowering (lower.ts) drives these per statement.
 *
 * Does not check: reachability (lower.ts reports unreachable code, S311), or that registers are assigned before
 * they are read (registers start at 0, so reading one early is legal).
 */
import type { Expr, Ident, LocRef, MemOp, Mode, Program, Stmt, ThreadDecl, CriticalStmt } from './ast.js';
import { WAIT_RESULTS } from './ast.js';
import { NO_SPAN, type SourceFile, type Span } from './source.js';
import { IR_LIMITS, evalBinary, evalUnary, i32 } from '../ir.js';
import type { IrLocation } from '../ir.js';
import { COMMAND_LINE_FILE, diag } from '../diagnostics/diagnostic.js';
import type { Diagnostic, RelatedInfo } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';

// ---------------------------------------------------------------- diagnostics sink

/** Collects diagnostics, dropping exact duplicates (a template body is checked once per instance). */
export interface DiagSink {
  readonly file: string;
  readonly list: Diagnostic[];
  readonly seen: Set<string>;
}

/** A fresh sink for diagnostics pointing into `file`. */
export function newSink(file: string): DiagSink {
  return { file, list: [], seen: new Set() };
}

/** Report one diagnostic (ignored if the same code, span and message were already reported). */
export function report(sink: DiagSink, code: DiagnosticCode, span: Span, message: string, extra: { help?: string; related?: readonly RelatedInfo[] } = {}): void {
  const key = `${code}|${span.start}|${span.end}|${span.line}|${span.col}|${message}`;
  if (sink.seen.has(key)) return;
  sink.seen.add(key);
  sink.list.push(diag(code, sink.file, span, message, extra));
}

// ---------------------------------------------------------------- modes

/** Modes each operation accepts (docs/language.md, "Access modes"). */
export const ALLOWED_MODES = {
  load: ['plain', 'sc', 'acq', 'rlx'],
  store: ['plain', 'sc', 'rel', 'rlx'],
  rmw: ['sc', 'acq', 'rel', 'acq_rel', 'rlx'],
  fence: ['sc', 'acq', 'rel', 'acq_rel'],
} as const satisfies Record<'load' | 'store' | 'rmw' | 'fence', readonly Mode[]>;

/** True when `mode` is allowed for an operation of this kind. */
export function modeAllowed(kind: keyof typeof ALLOWED_MODES, mode: Mode): boolean {
  return (ALLOWED_MODES[kind] as readonly Mode[]).includes(mode);
}

/** Report S301 when a memory operation's mode is not allowed for it. */
export function checkMode(op: MemOp, sink: DiagSink): void {
  switch (op.kind) {
    case 'load':
    case 'store':
    case 'fence':
      if (!modeAllowed(op.kind, op.mode)) {
        report(sink, 'S301', op.span, `${op.kind} cannot have mode '${op.mode}'`, { help: `${op.kind} allows ${ALLOWED_MODES[op.kind].join(', ')}` });
      }
      return;
    case 'rmw':
      if (!modeAllowed('rmw', op.mode)) {
        report(sink, 'S301', op.span, `${op.op} cannot have mode '${op.mode}'`, { help: `read-modify-writes allow ${ALLOWED_MODES.rmw.join(', ')}` });
      }
      return;
    case 'wait':
    case 'notify':
      return;
  }
}

// ---------------------------------------------------------------- globals

/** What a name means at global scope. */
export type GlobalMeaning =
  | { readonly kind: 'param'; readonly value: number }
  | { readonly kind: 'shared'; readonly loc: number }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'index'; readonly value: number };

/** One thread to lower: a named thread or one instance of a template. */
export interface ThreadInstance {
  readonly decl: ThreadDecl;
  /** "P0" or "T[1]" */
  readonly name: string;
  readonly template: { readonly name: string; readonly index: number } | null;
  /** the template variable bound to this instance's index */
  readonly variable: { readonly name: string; readonly value: number } | null;
  /** true for a stand-in instance of an empty template, lowered only to report its errors */
  readonly checkOnly: boolean;
}

/** The resolved global scope of a program. */
export interface Globals {
  /** final param values, in declaration order */
  readonly params: ReadonlyMap<string, number>;
  readonly locations: readonly IrLocation[];
  readonly locIndex: ReadonlyMap<string, number>;
  readonly memorySize: number;
  readonly instances: readonly ThreadInstance[];
}

/** Look a name up in the global scope (plus, inside a template instance, its index variable). */
export function lookupGlobal(g: Globals, name: string, inst: ThreadInstance | null): GlobalMeaning | null {
  if (inst?.variable && inst.variable.name === name) return { kind: 'index', value: inst.variable.value };
  const p = g.params.get(name);
  if (p !== undefined) return { kind: 'param', value: p };
  const l = g.locIndex.get(name);
  if (l !== undefined) return { kind: 'shared', loc: l };
  if (Object.hasOwn(WAIT_RESULTS, name)) return { kind: 'const', value: WAIT_RESULTS[name as keyof typeof WAIT_RESULTS] };
  return null;
}

/** How a constant expression may resolve a name: a number, or a reason it is not a constant. */
export type ConstLookup = (name: string) => number | 'register' | 'shared' | null;

/**
 * Evaluate a compile-time constant expression (integers, params, constants, template indices,
 * arithmetic). Reports S304 / S310 / N201 and returns null when it is not a constant.
 */
export function evalConst(e: Expr, lookup: ConstLookup, sink: DiagSink, what: string): number | null {
  switch (e.kind) {
    case 'int':
      return i32(e.value);
    case 'name': {
      const v = lookup(e.name);
      if (typeof v === 'number') return v;
      if (v === 'register') report(sink, 'S304', e.span, `${what} must be a compile-time constant, but '${e.name}' is a register`);
      else if (v === 'shared') report(sink, 'S304', e.span, `${what} must be a compile-time constant, but '${e.name}' is a shared location`);
      else report(sink, 'N201', e.span, `undefined name '${e.name}'`);
      return null;
    }
    case 'unary': {
      const a = evalConst(e.operand, lookup, sink, what);
      return a === null ? null : evalUnary(e.op, a);
    }
    case 'binary': {
      const a = evalConst(e.left, lookup, sink, what);
      const b = evalConst(e.right, lookup, sink, what);
      if (a === null || b === null) return null;
      const r = evalBinary(e.op, a, b);
      if (r === null) report(sink, 'S310', e.span, `division by zero in ${what}`);
      return r;
    }
    case 'mem':
      report(sink, 'S304', e.span, `${what} must be a compile-time constant, but it performs a memory operation`);
      return null;
    case 'error':
      report(sink, 'P102', e.span, 'expected an expression');
      return null;
  }
}

/** Display name of an instance of a template. */
export function instanceName(template: string, index: number): string {
  return `${template}[${index}]`;
}

/**
 * Resolve the global scope: params (in order, `defines` override the declared value), shared
 * locations and their layout, and the thread instances. Reports N201/N202/S304/S306/S307/S310/
 * S312/S313/U501/U502 into `sink`.
 */
export function resolveGlobals(program: Program, file: SourceFile, defines: Readonly<Record<string, number>>, sink: DiagSink): Globals {
  const declared = new Map<string, Span>();
  const declare = (id: Ident, what: string): boolean => {
    if (Object.hasOwn(WAIT_RESULTS, id.name)) {
      report(sink, 'N202', id.span, `'${id.name}' is a predeclared constant and cannot be redeclared as a ${what}`);
      return false;
    }
    const prev = declared.get(id.name);
    if (prev !== undefined) {
      report(sink, 'N202', id.span, `duplicate declaration of '${id.name}'`, { related: [{ span: prev, message: 'first declared here' }] });
      return false;
    }
    declared.set(id.name, id.span);
    return true;
  };

  // params, in order; each may use earlier params
  const params = new Map<string, number>();
  const paramNames = new Set(program.params.map((p) => p.name.name));
  const programStart = file.span(program.span.start, program.span.start);
  // a -D value is the command line's: its diagnostics point there, not at the file's first line
  const commandLine = { ...sink, file: COMMAND_LINE_FILE };
  for (const name of Object.keys(defines)) {
    if (!paramNames.has(name)) {
      report(commandLine, 'U502', NO_SPAN, `-D ${name}: the program declares no param '${name}'`, { help: paramNames.size > 0 ? `declared params: ${[...paramNames].join(', ')}` : 'this program declares no params' });
    } else {
      const v = defines[name];
      if (v === undefined || !Number.isInteger(v) || v < -2147483648 || v > 4294967295) {
        report(commandLine, 'U501', NO_SPAN, `-D ${name}=${String(v)}: the value must be a 32-bit integer`);
      }
    }
  }
  const locIndex = new Map<string, number>();
  const constLookupGlobal: ConstLookup = (name) => {
    const p = params.get(name);
    if (p !== undefined) return p;
    if (locIndex.has(name)) return 'shared';
    if (Object.hasOwn(WAIT_RESULTS, name)) return WAIT_RESULTS[name as keyof typeof WAIT_RESULTS];
    return null;
  };
  for (const p of program.params) {
    const fresh = declare(p.name, 'param');
    const override = Object.hasOwn(defines, p.name.name) ? defines[p.name.name] : undefined;
    let value: number | null;
    if (override !== undefined) value = i32(override);
    else value = evalConst(p.value, constLookupGlobal, sink, `the value of param '${p.name.name}'`);
    if (fresh) params.set(p.name.name, value ?? 0);
  }

  // shared locations
  const locations: IrLocation[] = [];
  let base = 0;
  for (const s of program.shared) {
    const fresh = declare(s.name, 'shared location');
    let size = 1;
    let isArray = false;
    if (s.size !== null) {
      isArray = true;
      const n = evalConst(s.size, constLookupGlobal, sink, `the size of array '${s.name.name}'`);
      if (n !== null && n < 1) {
        report(sink, 'S306', s.size.span, `array '${s.name.name}' has size ${n}; sizes must be at least 1`);
      } else if (n !== null && n > IR_LIMITS.maxMemoryWords) {
        report(sink, 'S312', s.size.span, `array '${s.name.name}' has ${n} words; memory is limited to ${IR_LIMITS.maxMemoryWords} words`);
      } else if (n !== null) {
        size = n;
      }
    }
    const init = new Array<number>(size).fill(0);
    const initWhat = `the initial value of '${s.name.name}'`;
    switch (s.init.kind) {
      case 'none':
        break;
      case 'fill': {
        const v = evalConst(s.init.value, constLookupGlobal, sink, initWhat);
        if (v !== null) init.fill(v);
        break;
      }
      case 'list': {
        if (!isArray) {
          report(sink, 'S303', s.span, `scalar location '${s.name.name}' cannot take a list of initial values`, { help: `declare an array, e.g. shared ${s.name.name}[${s.init.values.length}] = {…}` });
        } else if (s.init.values.length > size) {
          const extra = s.init.values[size];
          report(sink, 'S307', extra?.span ?? s.span, `array '${s.name.name}' has ${size} elements but ${s.init.values.length} initial values`);
        }
        s.init.values.forEach((e, k) => {
          const v = evalConst(e, constLookupGlobal, sink, initWhat);
          if (v !== null && k < size) init[k] = v;
        });
        break;
      }
    }
    if (fresh) {
      locIndex.set(s.name.name, locations.length);
      locations.push({ name: s.name.name, base, size, isArray, init, span: s.span });
      base += size;
    }
  }
  if (base > IR_LIMITS.maxMemoryWords) {
    report(sink, 'S312', programStart, `the program uses ${base} memory words; the limit is ${IR_LIMITS.maxMemoryWords}`);
  }

  // threads and template instances
  const threadNames = new Map<string, Span>();
  const instances: ThreadInstance[] = [];
  let total = 0;
  let rangeFailed = false;
  for (const t of program.threads) {
    const prev = threadNames.get(t.name.name);
    if (prev !== undefined) {
      report(sink, 'N202', t.name.span, `duplicate thread '${t.name.name}'`, { related: [{ span: prev, message: 'first declared here' }] });
    } else {
      threadNames.set(t.name.name, t.name.span);
    }
    if (t.template === null) {
      total += 1;
      if (total <= IR_LIMITS.maxThreads) instances.push({ decl: t, name: t.name.name, template: null, variable: null, checkOnly: false });
      continue;
    }
    const v = t.template.variable;
    if (declared.has(v.name) || Object.hasOwn(WAIT_RESULTS, v.name)) {
      report(sink, 'N202', v.span, `template variable '${v.name}' has the name of a param, shared location or constant`);
    }
    const what = `the range of template '${t.name.name}'`;
    const lo = evalConst(t.template.from, constLookupGlobal, sink, what);
    const hi = evalConst(t.template.to, constLookupGlobal, sink, what);
    if (lo === null || hi === null) {
      rangeFailed = true;
      continue;
    }
    if (hi < lo) {
      rangeFailed = true;
      report(sink, 'S306', joinLoose(t.template.from.span, t.template.to.span), `template range ${lo}..${hi} is decreasing`);
      continue;
    }
    if (lo < 0) {
      rangeFailed = true;
      report(sink, 'S306', t.template.from.span, `template range starts at ${lo}; instance indices must be non-negative`);
      continue;
    }
    if (hi === lo) {
      // no instances: still check the body once
      instances.push({ decl: t, name: instanceName(t.name.name, lo), template: { name: t.name.name, index: lo }, variable: { name: v.name, value: lo }, checkOnly: true });
      continue;
    }
    total += hi - lo;
    if (total > IR_LIMITS.maxThreads) continue;
    for (let k = lo; k < hi; k++) {
      instances.push({ decl: t, name: instanceName(t.name.name, k), template: { name: t.name.name, index: k }, variable: { name: v.name, value: k }, checkOnly: false });
    }
  }
  // at the template ranges that decide it (a -D param usually sets them), else the program start
  const ranges = program.threads.flatMap((t) => (t.template === null ? [] : [joinLoose(t.template.from.span, t.template.to.span)]));
  const rangeAt = ranges[0] ?? programStart;
  if (total > IR_LIMITS.maxThreads) {
    report(sink, 'S312', rangeAt, `the program has ${total} threads; the limit is ${IR_LIMITS.maxThreads}`);
  } else if (total === 0 && !rangeFailed) {
    report(sink, 'S313', ranges.length > 0 ? rangeAt : programStart, ranges.length > 0 ? 'the program declares no threads: every template range is empty' : 'the program declares no threads');
  }

  return { params, locations, locIndex, memorySize: base, instances };
}

function joinLoose(a: Span, b: Span): Span {
  return { start: a.start, end: Math.max(a.end, b.end), line: a.line, col: a.col };
}

// ---------------------------------------------------------------- per-thread scope

/** A thread's registers and labels. */
export interface ThreadScope {
  /** register names by number (user registers first-appearance order; `$` temps appended later) */
  readonly registers: string[];
  readonly regIndex: Map<string, number>;
  /** label name → the innermost critical statement around it (null: none) and its span */
  readonly labels: ReadonlyMap<string, { readonly span: Span; readonly critical: CriticalStmt | null }>;
}

/** Add a register (or return its number if it exists). */
export function registerNumber(scope: ThreadScope, name: string): number {
  const r = scope.regIndex.get(name);
  if (r !== undefined) return r;
  scope.registers.push(name);
  scope.regIndex.set(name, scope.registers.length - 1);
  return scope.registers.length - 1;
}

/**
 * Collect a thread's registers (assignment targets and for-loop variables, in order of first
 * appearance) and labels. Reports N209 (assignment to a global), N210 (for-variable named like
 * a global) and N204 (duplicate label).
 */
export function collectThreadScope(g: Globals, inst: ThreadInstance, sink: DiagSink): ThreadScope {
  const scope: ThreadScope = { registers: [], regIndex: new Map(), labels: new Map() };
  const labels = scope.labels as Map<string, { span: Span; critical: CriticalStmt | null }>;
  const describe = (m: GlobalMeaning): string => {
    switch (m.kind) {
      case 'param': return 'a param';
      case 'shared': return 'a shared location';
      case 'const': return 'a predeclared constant';
      case 'index': return 'the template index variable';
    }
  };
  const walk = (stmts: readonly Stmt[], critical: CriticalStmt | null): void => {
    for (const s of stmts) {
      switch (s.kind) {
        case 'assign': {
          const m = lookupGlobal(g, s.target.name, inst);
          if (m !== null) {
            const help = m.kind === 'shared' ? `write shared memory with a store, e.g. store.sc(${s.target.name}, …)` : undefined;
            report(sink, 'N209', s.target.span, `cannot assign to '${s.target.name}': it is ${describe(m)}, not a register`, help !== undefined ? { help } : {});
          } else {
            registerNumber(scope, s.target.name);
          }
          break;
        }
        case 'for': {
          const m = lookupGlobal(g, s.variable.name, inst);
          if (m !== null) report(sink, 'N210', s.variable.span, `loop variable '${s.variable.name}' has the name of ${describe(m)}`);
          else registerNumber(scope, s.variable.name);
          walk(s.body, critical);
          break;
        }
        case 'if':
          walk(s.then, critical);
          if (s.otherwise !== null) walk(s.otherwise, critical);
          break;
        case 'while':
          walk(s.body, critical);
          break;
        case 'critical':
          walk(s.body, s);
          break;
        case 'label': {
          const prev = labels.get(s.name.name);
          if (prev !== undefined) report(sink, 'N204', s.name.span, `duplicate label '${s.name.name}'`, { related: [{ span: prev.span, message: 'first defined here' }] });
          else labels.set(s.name.name, { span: s.name.span, critical });
          break;
        }
        case 'memstmt':
        case 'await':
        case 'assert':
        case 'assume':
        case 'goto':
        case 'skip':
        case 'error':
          break;
      }
    }
  };
  walk(inst.decl.body, null);
  return scope;
}

/** The critical-region name of a critical statement ("" for the unnamed region). */
export function regionName(s: CriticalStmt): string {
  return s.name === null ? '' : s.name.name;
}

/**
 * Resolve the location of a memory operation: N201 (unknown) / N207 (not shared), S303 (index
 * mismatch). Returns the location number or null.
 */
export function resolveLocRef(g: Globals, inst: ThreadInstance, scope: ThreadScope, ref: LocRef, sink: DiagSink): number | null {
  const name = ref.name.name;
  const m = lookupGlobal(g, name, inst);
  if (m === null || m.kind !== 'shared') {
    if (m !== null || scope.regIndex.has(name)) {
      const what = m === null ? 'a register' : m.kind === 'param' ? 'a param' : m.kind === 'index' ? 'the template index variable' : 'a constant';
      report(sink, 'N207', ref.name.span, `'${name}' is ${what}, not a shared location`);
    } else {
      report(sink, 'N201', ref.name.span, `undefined shared location '${name}'`, { help: `declare it, e.g. shared ${name} = 0;` });
    }
    return null;
  }
  const loc = g.locations[m.loc];
  if (loc === undefined) return null;
  if (ref.view !== undefined) return m.loc; // a view indexes the location's bytes, scalar or array alike
  if (loc.isArray && ref.index === null) {
    report(sink, 'S303', ref.span, `'${name}' is an array of ${loc.size}; index it, e.g. ${name}[0]`);
    return null;
  }
  if (!loc.isArray && ref.index !== null) {
    report(sink, 'S303', ref.span, `'${name}' is a scalar location and cannot be indexed`);
    return null;
  }
  return m.loc;
}

/** The number of elements of `width` bytes a view of `loc` has (its 4 × size bytes). */
export function viewLength(loc: IrLocation, width: number): number {
  return (loc.size * 4) / width;
}

/** Report S315 when a constant view element index is outside the location's bytes. */
export function checkConstViewIndex(loc: IrLocation, width: number, index: number, span: Span, sink: DiagSink): boolean {
  const n = viewLength(loc, width);
  if (index < 0 || index >= n) {
    const bytes = loc.size * 4;
    report(sink, 'S315', span, `element ${index} of ${loc.name}.i${width * 8} is outside '${loc.name}': its ${bytes} bytes hold ${n} element${n === 1 ? '' : 's'} of ${width} byte${width === 1 ? '' : 's'} (indices 0..${n - 1})`);
    return false;
  }
  return true;
}

/** Report S302 when a constant index is outside [0, size). */
export function checkConstIndex(loc: IrLocation, index: number, span: Span, sink: DiagSink): boolean {
  if (index < 0 || index >= loc.size) {
    report(sink, 'S302', span, `index ${index} is out of bounds for '${loc.name}' (size ${loc.size})`);
    return false;
  }
  return true;
}
