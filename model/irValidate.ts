/**
 * Structural validation of the program IR: every index in range (registers, locations, regions,
 * branch targets, observables), modes allowed per operation, sizes within IR_LIMITS, memory layout
 * consistent, names printable, constants 32-bit. The worker compiler and the checker refuse IR
 * that fails it; lowerProgram's output always passes.
 *
 * Does not check: that enter/exit are balanced on every path, that indices computed at run time
 * are in bounds (R601), or that the program terminates.
 */
import type { IrAddr, IrCond, IrCondTerm, IrExpr, IrInstr, IrObservable, IrProgram, IrThread, Mode } from './ir.js';
import { IR_INSTR_KINDS, IR_LIMITS, observableKey } from './ir.js';
import { BINARY_OPS, RMW_OPS, UNARY_OPS } from './syntax/ast.js';
import { ALLOWED_MODES } from './syntax/resolve.js';

const LOAD_MODES: readonly Mode[] = ALLOWED_MODES.load;
const STORE_MODES: readonly Mode[] = ALLOWED_MODES.store;
const RMW_MODES: readonly Mode[] = ALLOWED_MODES.rmw;
const FENCE_MODES: readonly Mode[] = ALLOWED_MODES.fence;
const QUANTIFIERS = ['exists', 'not exists', 'forall'];

function isI32(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && (n | 0) === n;
}

function isInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n);
}

/** Printable: a non-empty string without control characters. */
function printable(s: unknown): boolean {
  // eslint-disable-next-line no-control-regex
  return typeof s === 'string' && s.length > 0 && !/[\u0000-\u001f\u007f]/.test(s);
}

/** Check an IR program's structure; returns the problems found (empty = valid). */
export function validateIr(p: IrProgram): string[] {
  const errs: string[] = [];
  const err = (m: string): void => {
    if (errs.length < 200) errs.push(m);
  };

  if (!printable(p.name)) err(`program name ${JSON.stringify(p.name)} is not printable`);
  if (typeof p.file !== 'string') err('file is not a string');
  if (p.description !== null && typeof p.description !== 'string') err('description is neither null nor a string');
  for (const [k, v] of Object.entries(p.params)) {
    if (!printable(k)) err(`param name ${JSON.stringify(k)} is not printable`);
    if (!isI32(v)) err(`param ${k} = ${String(v)} is not a 32-bit integer`);
  }

  // memory layout
  let base = 0;
  const locNames = new Set<string>();
  p.locations.forEach((l, i) => {
    const at = `location ${i} (${l.name})`;
    if (!printable(l.name)) err(`${at}: name is not printable`);
    if (locNames.has(l.name)) err(`${at}: duplicate name`);
    locNames.add(l.name);
    if (l.base !== base) err(`${at}: base ${l.base}, expected ${base}`);
    if (!isInt(l.size) || l.size < 1) err(`${at}: size ${l.size} is not a positive integer`);
    else if (!l.isArray && l.size !== 1) err(`${at}: a scalar has size ${l.size}`);
    if (!Array.isArray(l.init) || l.init.length !== l.size) err(`${at}: init has ${l.init.length} values for size ${l.size}`);
    else l.init.forEach((v, k) => {
      if (!isI32(v)) err(`${at}: init[${k}] = ${String(v)} is not a 32-bit integer`);
    });
    base += isInt(l.size) && l.size > 0 ? l.size : 0;
  });
  if (p.memorySize !== base) err(`memorySize ${p.memorySize} does not match the locations (${base})`);
  if (p.memorySize > IR_LIMITS.maxMemoryWords) err(`memorySize ${p.memorySize} exceeds ${IR_LIMITS.maxMemoryWords}`);

  // regions
  const regionSet = new Set<string>();
  p.regions.forEach((r, i) => {
    if (typeof r !== 'string') err(`region ${i} is not a string`);
    if (regionSet.has(r)) err(`region ${i} (${JSON.stringify(r)}) is duplicated`);
    regionSet.add(r);
  });

  // threads
  if (p.threads.length < 1) err('the program has no threads');
  if (p.threads.length > IR_LIMITS.maxThreads) err(`${p.threads.length} threads exceed ${IR_LIMITS.maxThreads}`);
  const threadNames = new Set<string>();
  p.threads.forEach((t, ti) => {
    if (!printable(t.name)) err(`thread ${ti}: name is not printable`);
    if (threadNames.has(t.name)) err(`thread ${ti}: duplicate name ${t.name}`);
    threadNames.add(t.name);
    if (t.template !== null && t.name !== `${t.template.name}[${t.template.index}]`) err(`thread ${ti}: name ${t.name} does not match its template ${t.template.name}[${t.template.index}]`);
    validateThread(p, t, `thread ${ti} (${t.name})`, err);
  });

  // final condition, filter, observables
  if (p.condition !== null) {
    if (!QUANTIFIERS.includes(p.condition.quantifier)) err(`condition quantifier ${String(p.condition.quantifier)} is unknown`);
    if (typeof p.condition.text !== 'string') err('condition text is not a string');
    validateCond(p, p.condition.cond, 'condition', err, 0);
  }
  if (p.filter !== null) validateCond(p, p.filter, 'filter', err, 0);
  const obsNames = new Set<string>();
  const obsKeys = new Set<string>();
  p.observables.forEach((o, i) => {
    if (!printable(o.name)) err(`observable ${i}: name is not printable`);
    if (obsNames.has(o.name)) err(`observable ${i}: duplicate name ${o.name}`);
    obsNames.add(o.name);
    const key = observableKey(o.what);
    if (obsKeys.has(key)) err(`observable ${i} (${o.name}) is listed twice`);
    obsKeys.add(key);
    validateObservable(p, o.what, `observable ${i} (${o.name})`, err);
  });
  for (const m of p.metadata) {
    if (typeof m.key !== 'string' || typeof m.value !== 'string') err('metadata entries must be strings');
  }
  return errs;
}

function validateThread(p: IrProgram, t: IrThread, at: string, err: (m: string) => void): void {
  const nregs = t.registers.length;
  if (nregs > IR_LIMITS.maxRegisters) err(`${at}: ${nregs} registers exceed ${IR_LIMITS.maxRegisters}`);
  const regNames = new Set<string>();
  t.registers.forEach((r, i) => {
    if (!printable(r)) err(`${at}: register ${i} name is not printable`);
    if (regNames.has(r)) err(`${at}: duplicate register ${r}`);
    regNames.add(r);
  });
  if (t.code.length > IR_LIMITS.maxCodeLength) err(`${at}: ${t.code.length} instructions exceed ${IR_LIMITS.maxCodeLength}`);
  t.code.forEach((ins, pc) => validateInstr(p, ins, nregs, t.code.length, `${at} pc ${pc} (${ins.kind})`, err));
}

function validateInstr(p: IrProgram, ins: IrInstr, nregs: number, codeLength: number, at: string, err: (m: string) => void): void {
  const expr = (e: IrExpr, what: string): void => validateExpr(e, nregs, `${at} ${what}`, err, 0);
  const dst = (d: number, discardable: boolean): void => {
    if (!isInt(d) || d >= nregs || d < (discardable ? -1 : 0)) err(`${at}: dst ${d} out of range (${nregs} registers)`);
  };
  const addr = (a: IrAddr, wordOnly = false): void => {
    if (!isInt(a.loc) || a.loc < 0 || a.loc >= p.locations.length) err(`${at}: location ${a.loc} out of range`);
    expr(a.index, 'index');
    if (a.width === undefined) return;
    if (a.width !== 1 && a.width !== 2 && a.width !== 4) {
      err(`${at}: access width ${String(a.width)} is not 1, 2 or 4 bytes`);
      return;
    }
    if (wordOnly && a.width !== 4) err(`${at}: ${ins.kind} takes a 32-bit word, not a ${a.width}-byte element (Atomics.${ins.kind} takes an Int32Array)`);
    const loc = p.locations[a.loc];
    // a constant element index must lie inside the location's bytes (a dynamic one is checked when evaluated: R601)
    if (loc !== undefined && a.index.kind === 'const' && (a.index.value < 0 || a.index.value * a.width >= loc.size * 4)) err(`${at}: element ${a.index.value} of a ${a.width}-byte view is outside ${loc.name}'s ${loc.size * 4} bytes`);
  };
  const mode = (m: Mode, allowed: readonly Mode[]): void => {
    if (!allowed.includes(m)) err(`${at}: mode ${String(m)} not allowed`);
  };
  const target = (t: number): void => {
    if (!isInt(t) || t < 0 || t > codeLength) err(`${at}: target ${t} out of range [0, ${codeLength}]`);
  };
  const region = (r: number): void => {
    if (!isInt(r) || r < 0 || r >= p.regions.length) err(`${at}: region ${r} out of range`);
  };
  if (typeof ins.origin?.text !== 'string' || typeof ins.origin.span !== 'object') err(`${at}: missing origin`);
  if (!(IR_INSTR_KINDS as readonly string[]).includes(ins.kind)) {
    err(`${at}: unknown instruction kind`);
    return;
  }
  switch (ins.kind) {
    case 'load':
      dst(ins.dst, true); addr(ins.addr); mode(ins.mode, LOAD_MODES);
      return;
    case 'store':
      addr(ins.addr); expr(ins.value, 'value'); mode(ins.mode, STORE_MODES);
      return;
    case 'rmw':
      if (!(RMW_OPS as readonly string[]).includes(ins.op)) err(`${at}: unknown rmw op ${String(ins.op)}`);
      dst(ins.dst, true); addr(ins.addr); mode(ins.mode, RMW_MODES); expr(ins.value, 'value');
      if ((ins.op === 'cmpxchg') !== (ins.expected !== null)) err(`${at}: expected must be present exactly for cmpxchg`);
      if (ins.expected !== null) expr(ins.expected, 'expected');
      return;
    case 'fence':
      mode(ins.mode, FENCE_MODES);
      return;
    case 'wait':
      dst(ins.dst, true); addr(ins.addr, true); expr(ins.expected, 'expected');
      if (ins.timeout !== null) expr(ins.timeout, 'timeout');
      return;
    case 'notify':
      dst(ins.dst, true); addr(ins.addr, true);
      if (ins.count !== null) expr(ins.count, 'count');
      return;
    case 'await':
      dst(ins.dst, false); addr(ins.addr); mode(ins.mode, LOAD_MODES); expr(ins.cond, 'cond');
      return;
    case 'block':
    case 'assume':
      expr(ins.cond, 'cond');
      return;
    case 'assign':
      dst(ins.dst, false); expr(ins.value, 'value');
      return;
    case 'branch':
      expr(ins.cond, 'cond'); target(ins.target);
      return;
    case 'jump':
      target(ins.target);
      return;
    case 'assert':
      expr(ins.cond, 'cond');
      if (typeof ins.message !== 'string') err(`${at}: message is not a string`);
      return;
    case 'enter':
    case 'exit':
      region(ins.region);
      return;
    case 'skip':
      return;
  }
}

const MAX_DEPTH = 1000;

function validateExpr(e: IrExpr, nregs: number, at: string, err: (m: string) => void, depth: number): void {
  if (depth > MAX_DEPTH) {
    err(`${at}: expression nested deeper than ${MAX_DEPTH}`);
    return;
  }
  switch (e.kind) {
    case 'const':
      if (!isI32(e.value)) err(`${at}: constant ${String(e.value)} is not a 32-bit integer`);
      return;
    case 'reg':
      if (!isInt(e.reg) || e.reg < 0 || e.reg >= nregs) err(`${at}: register ${e.reg} out of range (${nregs} registers)`);
      return;
    case 'unary':
      if (!(UNARY_OPS as readonly string[]).includes(e.op)) err(`${at}: unknown unary operator ${String(e.op)}`);
      validateExpr(e.operand, nregs, at, err, depth + 1);
      return;
    case 'binary':
      if (!(BINARY_OPS as readonly string[]).includes(e.op)) err(`${at}: unknown binary operator ${String(e.op)}`);
      validateExpr(e.left, nregs, at, err, depth + 1);
      validateExpr(e.right, nregs, at, err, depth + 1);
      return;
    default:
      err(`${at}: unknown expression kind ${JSON.stringify((e as { kind?: unknown }).kind)}`);
  }
}

function validateObservable(p: IrProgram, o: IrObservable, at: string, err: (m: string) => void): void {
  switch (o.kind) {
    case 'reg': {
      const t = p.threads[o.thread];
      if (!isInt(o.thread) || t === undefined) err(`${at}: thread ${o.thread} out of range`);
      else if (!isInt(o.reg) || o.reg < 0 || o.reg >= t.registers.length) err(`${at}: register ${o.reg} out of range for ${t.name}`);
      return;
    }
    case 'mem':
      if (!isInt(o.slot) || o.slot < 0 || o.slot >= p.memorySize) err(`${at}: slot ${o.slot} out of range`);
      if (o.view !== undefined && ((o.view.width !== 1 && o.view.width !== 2) || !isInt(o.view.byte) || o.view.byte < 0 || o.view.byte > 3 || o.view.byte % o.view.width !== 0)) {
        err(`${at}: view of ${String(o.view.width)} bytes at byte ${String(o.view.byte)} is not an aligned element of a word`);
      }
      return;
    default:
      err(`${at}: unknown observable kind`);
  }
}

function validateTerm(p: IrProgram, t: IrCondTerm, at: string, err: (m: string) => void): void {
  if (t.kind === 'const') {
    if (!isI32(t.value)) err(`${at}: constant ${String(t.value)} is not a 32-bit integer`);
  } else {
    validateObservable(p, t, at, err);
  }
}

function validateCond(p: IrProgram, c: IrCond, at: string, err: (m: string) => void, depth: number): void {
  if (depth > MAX_DEPTH) {
    err(`${at}: nested deeper than ${MAX_DEPTH}`);
    return;
  }
  switch (c.kind) {
    case 'cmp':
      if (c.op !== '=' && c.op !== '!=') err(`${at}: unknown comparison ${String(c.op)}`);
      validateTerm(p, c.left, at, err);
      validateTerm(p, c.right, at, err);
      return;
    case 'and':
    case 'or':
    case 'implies':
      validateCond(p, c.left, at, err, depth + 1);
      validateCond(p, c.right, at, err, depth + 1);
      return;
    case 'not':
      validateCond(p, c.operand, at, err, depth + 1);
      return;
    case 'bool':
      if (typeof c.value !== 'boolean') err(`${at}: bool without a boolean value`);
      return;
    default:
      err(`${at}: unknown condition kind`);
  }
}
