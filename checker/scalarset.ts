/**
 * Scalarset analysis (Ip & Dill, "Better verification through symmetry", FMSD 9, 1996, §3: the
 * scalarset type): may the instances T[lo..lo+k-1] of one template be permuted together with the
 * thread-index values the program holds and the thread-indexed array cells it uses?
 *
 * The lowering substitutes the template index as a constant, so instance j's code is instance 0's
 * code with some constants changed. This analysis runs over the lowered IR with every param
 * concrete:
 * 1. the instances must have the same shape: the same instructions, registers, locations, modes,
 *    branch targets; they may differ only in register-free subexpressions, which are evaluated per
 *    instance (`1 - i` is 1 in T[0] and 0 in T[1]);
 * 2. types by unification: every register (one per template register for the group, one per
 *    register of any other thread), every location's contents and every location's element index
 *    gets a type variable; a constant that differs between the instances is index-typed; `==` and
 *    `!=` unify their operands; an assignment, load, store, RMW, await or wait unifies the register
 *    or value with the location's contents, and an address's element with the location's index;
 *    every other operator (`<`, `+`, `-`, …), every branch, assert and block condition, and every
 *    arithmetic RMW forces data. A variable forced to both is a refusal (Murphi forbids ordering or
 *    arithmetic on scalarsets, and so does this);
 * 3. constants of index type: one that differs between the instances must be equivariant
 *    (c[π(j)] = π(c[j]) for every adjacent transposition π, which generate the whole group: the
 *    index itself, or `1 - i` when k = 2); one the same in every instance must lie outside
 *    lo..lo+k-1 (a fixed thread index, e.g. `flag[0]` in a loop over the threads in index order,
 *    is not symmetric);
 * 4. thread-indexed arrays hold every index of the domain (in bounds for all or none is not
 *    enough: lo+k ≤ size is required), are accessed only as words, and the initial memory is fixed
 *    by every transposition; index-valued registers must be dead at pc 0 or 0 must be outside the
 *    domain (registers start at 0);
 * 5. nothing the outcomes, the final condition or the filter observe moves: no register of an
 *    instance, no index-valued register of another thread, no cell of an index-typed location.
 * Any doubt is a refusal with the reason, never a guess.
 */
import { evalBinary, evalUnary } from '../model/ir.js';
import type { IrAddr, IrCond, IrExpr, IrInstr, IrObservable, IrProgram } from '../model/ir.js';

/** What the analysis found: the group and the renaming data, or why the group is not a scalarset. */
export type ScalarsetResult =
  | {
      readonly kind: 'ok';
      /** member threads, by template index lo, lo+1, … */
      readonly members: readonly number[];
      readonly lo: number;
      /** per thread: its index-valued registers */
      readonly indexRegs: readonly (readonly number[])[];
      /** per location: thread-indexed (cell lo+j belongs to instance j) */
      readonly indexedLoc: readonly boolean[];
      /** per location: holds thread indices */
      readonly indexValuedLoc: readonly boolean[];
      readonly locations: IrProgram['locations'];
      readonly memorySize: number;
    }
  | { readonly kind: 'refused'; readonly reason: string };

/** A joint expression over the k instances: register-free parts evaluated per instance. */
type JE =
  | { readonly kind: 'const'; readonly values: readonly number[] }
  | { readonly kind: 'reg'; readonly reg: number }
  | { readonly kind: 'binary'; readonly op: string; readonly left: JE; readonly right: JE }
  | { readonly kind: 'unary'; readonly operand: JE };

class Refusal extends Error {}

function hasReg(e: IrExpr): boolean {
  switch (e.kind) {
    case 'const':
      return false;
    case 'reg':
      return true;
    case 'binary':
      return hasReg(e.left) || hasReg(e.right);
    case 'unary':
      return hasReg(e.operand);
  }
}

function evalConst(e: IrExpr, where: string): number {
  switch (e.kind) {
    case 'const':
      return e.value | 0;
    case 'reg':
      throw new Refusal(`internal: register in a constant (${where})`);
    case 'binary': {
      const v = evalBinary(e.op, evalConst(e.left, where), evalConst(e.right, where));
      if (v === null) throw new Refusal(`a constant divides by zero (${where})`);
      return v;
    }
    case 'unary':
      return evalUnary(e.op, evalConst(e.operand, where));
  }
}

/** The joint expression of the same expression in each instance, or a refusal when their shapes differ. */
function joint(es: readonly IrExpr[], where: string): JE {
  if (es.every((e) => !hasReg(e))) return { kind: 'const', values: es.map((e) => evalConst(e, where)) };
  const first = es[0] as IrExpr;
  const differ = (): never => {
    throw new Refusal(`the instances' code differs in shape (${where})`);
  };
  switch (first.kind) {
    case 'const':
      return differ();
    case 'reg':
      if (es.some((e) => e.kind !== 'reg' || e.reg !== first.reg)) differ();
      return { kind: 'reg', reg: first.reg };
    case 'binary': {
      const bs = es.map((e) => (e.kind === 'binary' && e.op === first.op ? e : differ()));
      return { kind: 'binary', op: first.op, left: joint(bs.map((b) => b.left), where), right: joint(bs.map((b) => b.right), where) };
    }
    case 'unary': {
      const us = es.map((e) => (e.kind === 'unary' && e.op === first.op ? e : differ()));
      return { kind: 'unary', operand: joint(us.map((u) => u.operand), where) };
    }
  }
}

/** The analysis of the instances `members` (thread numbers, by template index) of `program`. */
export function analyseScalarset(program: IrProgram, template: string, members: readonly number[], live: Live, deadReset: boolean): ScalarsetResult {
  try {
    return analyse(program, template, members, live, deadReset);
  } catch (e) {
    if (e instanceof Refusal) return { kind: 'refused', reason: `template ${template} uses its index: ${e.message}` };
    throw e;
  }
}

type Live = readonly (readonly (readonly boolean[])[])[];

/** Union-find over type variables, each root with what forced it to index or to data, and the typing rules. */
class Typing {
  readonly parent: number[] = [];
  readonly idxWhy: (string | null)[] = [];
  readonly dataWhy: string[][] = [];
  readonly consts: { readonly values: readonly number[]; readonly v: number; readonly where: string }[] = [];
  /** per thread (the group's members share the first member's row): a variable per register */
  readonly regVar: (number[] | null)[];
  readonly content: number[];
  readonly element: number[];
  readonly narrow = new Set<number>();

  readonly program: IrProgram;
  readonly members: readonly number[];
  readonly groupSet: ReadonlySet<number>;

  constructor(program: IrProgram, members: readonly number[], groupSet: ReadonlySet<number>) {
    this.program = program;
    this.members = members;
    this.groupSet = groupSet;
    this.regVar = program.threads.map((th, t) => (groupSet.has(t) && t !== members[0] ? null : th.registers.map(() => this.fresh())));
    this.content = program.locations.map(() => this.fresh());
    this.element = program.locations.map(() => this.fresh());
  }

  fresh(): number {
    this.parent.push(this.parent.length);
    this.idxWhy.push(null);
    this.dataWhy.push([]);
    return this.parent.length - 1;
  }

  find(v: number): number {
    const parent = this.parent;
    while (parent[v] !== v) {
      const p = parent[v] as number;
      parent[v] = parent[p] as number;
      v = p;
    }
    return v;
  }

  unify(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    this.parent[rb] = ra;
    this.idxWhy[ra] ??= this.idxWhy[rb] ?? null;
    for (const w of this.dataWhy[rb] ?? []) (this.dataWhy[ra] as string[]).push(w);
    this.dataWhy[rb] = [];
  }

  forceData(v: number, why: string): void {
    (this.dataWhy[this.find(v)] as string[]).push(why);
  }

  isIdx(v: number): boolean {
    return this.idxWhy[this.find(v)] !== null;
  }

  regOf(t: number, r: number): number {
    const row = this.regVar[this.groupSet.has(t) ? (this.members[0] as number) : t];
    const v = row?.[r];
    if (v === undefined) throw new Refusal(`internal: register ${r} of thread ${t}`);
    return v;
  }

  /** the type variable of a joint expression of thread t (or of the group, t its first member) */
  type(t: number, e: JE, where: string): number {
    switch (e.kind) {
      case 'const': {
        const v = this.fresh();
        if (e.values.some((x) => x !== e.values[0])) this.idxWhy[v] = where;
        this.consts.push({ values: e.values, v, where });
        return v;
      }
      case 'reg':
        return this.regOf(t, e.reg);
      case 'binary': {
        const l = this.type(t, e.left, where);
        const r = this.type(t, e.right, where);
        if (e.op === '==' || e.op === '!=') this.unify(l, r);
        else {
          this.forceData(l, `${where}: operator ${e.op}`);
          this.forceData(r, `${where}: operator ${e.op}`);
        }
        const out = this.fresh();
        this.forceData(out, where);
        return out;
      }
      case 'unary': {
        this.forceData(this.type(t, e.operand, where), `${where}: a unary operator`);
        const out = this.fresh();
        this.forceData(out, where);
        return out;
      }
    }
  }

  /** type the instruction at `pc` of each thread in `ts` (one thread, or the group's members, which must agree in shape) */
  instr(ts: readonly number[], pc: number): void {
    const program = this.program;
    const is = ts.map((t) => program.threads[t]?.code[pc] as IrInstr);
    const i0 = is[0] as IrInstr;
    const where = `${program.threads[ts[0] as number]?.name ?? '?'} pc ${pc}: ${i0.origin.text}`;
    const t0 = ts[0] as number;
    const same = (f: (i: IrInstr) => unknown): void => {
      const a = JSON.stringify(f(i0));
      for (const i of is) if (JSON.stringify(f(i)) !== a) throw new Refusal(`the instances' code differs in shape (${where})`);
    };
    same((i) => [i.kind, 'dst' in i ? i.dst : null, 'mode' in i ? i.mode : null, 'target' in i ? i.target : null, 'op' in i ? i.op : null, 'region' in i ? i.region : null]);
    const ex = (f: (i: IrInstr) => IrExpr): number => this.type(t0, joint(is.map(f), where), where);
    const exData = (f: (i: IrInstr) => IrExpr): void => this.forceData(ex(f), where);
    const opt = (f: (i: IrInstr) => IrExpr | null): IrExpr | null => {
      same((i) => f(i) === null);
      return f(i0);
    };
    const addr = (f: (i: IrInstr) => IrAddr): number => {
      same((i) => [f(i).loc, f(i).width ?? 4]);
      const a = f(i0);
      if ((a.width ?? 4) !== 4) this.narrow.add(a.loc);
      this.unify(ex((i) => f(i).index), this.element[a.loc] as number);
      return this.content[a.loc] as number;
    };
    const dst = (d: number, c: number | null): void => {
      if (d < 0) return;
      if (c === null) this.forceData(this.regOf(t0, d), where);
      else this.unify(this.regOf(t0, d), c);
    };
    type I<K extends IrInstr['kind']> = Extract<IrInstr, { kind: K }>;
    switch (i0.kind) {
      case 'load':
        dst(i0.dst, addr((i) => (i as I<'load'>).addr));
        return;
      case 'store':
        this.unify(ex((i) => (i as I<'store'>).value), addr((i) => (i as I<'store'>).addr));
        return;
      case 'rmw': {
        const c = addr((i) => (i as I<'rmw'>).addr);
        dst(i0.dst, c);
        this.unify(ex((i) => (i as I<'rmw'>).value), c);
        if (opt((i) => (i as I<'rmw'>).expected) !== null) this.unify(ex((i) => (i as I<'rmw'>).expected as IrExpr), c);
        if (i0.op !== 'exchange' && i0.op !== 'cmpxchg') this.forceData(c, `${where}: ${i0.op}`);
        return;
      }
      case 'wait':
        this.unify(ex((i) => (i as I<'wait'>).expected), addr((i) => (i as I<'wait'>).addr));
        if (opt((i) => (i as I<'wait'>).timeout) !== null) exData((i) => (i as I<'wait'>).timeout as IrExpr);
        dst(i0.dst, null);
        return;
      case 'notify':
        addr((i) => (i as I<'notify'>).addr);
        if (opt((i) => (i as I<'notify'>).count) !== null) exData((i) => (i as I<'notify'>).count as IrExpr);
        dst(i0.dst, null);
        return;
      case 'await':
        dst(i0.dst, addr((i) => (i as I<'await'>).addr));
        exData((i) => (i as I<'await'>).cond);
        return;
      case 'assign':
        dst(i0.dst, ex((i) => (i as I<'assign'>).value));
        return;
      case 'block':
      case 'branch':
      case 'assert':
      case 'assume':
        exData((i) => (i as I<'block'>).cond);
        return;
      case 'fence':
      case 'jump':
      case 'enter':
      case 'exit':
      case 'skip':
        return;
    }
  }
}

/** Refuse when a type variable is both a thread index and data (an order comparison, arithmetic). */
function checkConflicts(ty: Typing): void {
  const conflicts: string[] = [];
  let enters: string | null = null;
  for (let v = 0; v < ty.parent.length; v++) {
    if (ty.find(v) !== v || ty.idxWhy[v] === null || (ty.dataWhy[v] as string[]).length === 0) continue;
    enters ??= ty.idxWhy[v] ?? null;
    for (const w of ty.dataWhy[v] as string[]) if (!conflicts.includes(w)) conflicts.push(w);
  }
  if (conflicts.length === 0) return;
  const order = conflicts.filter((w) => / operator (<|<=|>|>=)$/.test(w));
  const shown = [...order, ...conflicts.filter((w) => !order.includes(w))].slice(0, 3).map((w) => w.replace(/: operator (\S+)$/, ' [$1]'));
  throw new Refusal(
    `${order.length > 0 ? 'it orders thread indices' : 'it computes with thread indices'}: ${shown.join('; ')}${conflicts.length > 3 ? '; …' : ''} (the index enters at ${enters}); a scalarset allows only = and != on indices, so a loop over the threads in index order or a tie-break by index is not symmetric`,
  );
}

/** The adjacent transpositions of 0..k-1 (they generate every permutation). */
function transpositions(k: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let j = 0; j + 1 < k; j++) {
    const p = Int32Array.from({ length: k }, (_, x) => x);
    p[j] = j + 1;
    p[j + 1] = j;
    out.push(p);
  }
  return out;
}

/** Index constants: equivariant when they differ between the instances, outside the domain when they do not. */
function checkConstants(ty: Typing, lo: number, k: number, generators: readonly Int32Array[]): void {
  const inDomain = (v: number): boolean => v >= lo && v < lo + k;
  const rename = (p: Int32Array, v: number): number => (inDomain(v) ? lo + (p[v - lo] as number) : v);
  for (const c of ty.consts) {
    if (!ty.isIdx(c.v)) continue;
    if (c.values.every((x) => x === c.values[0])) {
      const x = c.values[0] as number;
      if (inDomain(x)) throw new Refusal(`a fixed thread index ${x} is used where indices are permuted (${c.where}): a loop over the threads in index order, or a special thread, is not symmetric`);
      continue;
    }
    for (const p of generators) {
      for (let j = 0; j < k; j++) {
        if (rename(p, c.values[j] as number) !== c.values[p[j] as number]) throw new Refusal(`an index expression is not symmetric (${c.where}: ${c.values.join(', ')} in instances ${lo}..${lo + k - 1})`);
      }
    }
  }
}

/** Thread-indexed arrays hold the whole domain and are word-accessed; the initial memory is fixed by every generator. */
function checkMemory(program: IrProgram, ty: Typing, indexedLoc: readonly boolean[], indexValuedLoc: readonly boolean[], lo: number, k: number, generators: readonly Int32Array[]): void {
  const inDomain = (v: number): boolean => v >= lo && v < lo + k;
  const rename = (p: Int32Array, v: number): number => (inDomain(v) ? lo + (p[v - lo] as number) : v);
  program.locations.forEach((loc, l) => {
    if (!indexedLoc[l] && !indexValuedLoc[l]) return;
    if (ty.narrow.has(l)) throw new Refusal(`${loc.name} holds or is indexed by thread indices and is accessed through a narrow view`);
    if (indexedLoc[l] && loc.size < lo + k) throw new Refusal(`${loc.name} is indexed by thread indices but has ${loc.size} cells, not all of ${lo}..${lo + k - 1}`);
  });
  for (const p of generators) {
    program.locations.forEach((loc, l) => {
      for (let c = 0; c < loc.size; c++) {
        const to = indexedLoc[l] ? rename(p, c) : c;
        const v = loc.init[c] ?? 0;
        const mapped = indexValuedLoc[l] ? rename(p, v) : v;
        if ((loc.init[to] ?? 0) !== mapped) {
          throw new Refusal(`the initial state is not symmetric: ${loc.name}${loc.isArray ? `[${c}]` : ''} starts at ${v}${indexValuedLoc[l] ? ', a thread index' : ''}${indexedLoc[l] ? ` and the cells of the instances start unequal` : ''}`);
        }
      }
    });
  }
}

/** The terms the outcomes, the final condition and the filter observe. */
function observedTerms(program: IrProgram): IrObservable[] {
  const observed: IrObservable[] = program.observables.map((o) => o.what);
  const condTerms = (c: IrCond | null): void => {
    if (c === null) return;
    switch (c.kind) {
      case 'bool':
        return;
      case 'cmp':
        for (const x of [c.left, c.right]) if (x.kind !== 'const') observed.push(x);
        return;
      case 'not':
        condTerms(c.operand);
        return;
      case 'and':
      case 'or':
      case 'implies':
        condTerms(c.left);
        condTerms(c.right);
        return;
    }
  };
  condTerms(program.condition?.cond ?? null);
  condTerms(program.filter);
  return observed;
}

function analyse(program: IrProgram, template: string, members: readonly number[], live: Live, deadReset: boolean): ScalarsetResult {
  const k = members.length;
  const threads = members.map((t) => program.threads[t]);
  const lo = threads[0]?.template?.index ?? 0;
  threads.forEach((th, j) => {
    if (th?.template?.index !== lo + j) throw new Refusal('its instances are not numbered lo, lo+1, …');
  });
  const first = threads[0];
  if (first === undefined) throw new Refusal('no instances');
  for (const th of threads) {
    if (th === undefined || th.code.length !== first.code.length || th.registers.length !== first.registers.length) {
      throw new Refusal("the instances' code differs in shape (length or registers)");
    }
  }
  const groupSet = new Set(members);
  const ty = new Typing(program, members, groupSet);
  for (let pc = 0; pc < first.code.length; pc++) ty.instr(members, pc);
  program.threads.forEach((th, t) => {
    if (groupSet.has(t)) return;
    for (let pc = 0; pc < th.code.length; pc++) ty.instr([t], pc);
  });
  checkConflicts(ty);
  const generators = transpositions(k);
  checkConstants(ty, lo, k, generators);
  const indexedLoc = program.locations.map((_, l) => ty.isIdx(ty.element[l] as number));
  const indexValuedLoc = program.locations.map((_, l) => ty.isIdx(ty.content[l] as number));
  checkMemory(program, ty, indexedLoc, indexValuedLoc, lo, k, generators);
  // index-valued registers start at 0
  const indexRegs = program.threads.map((th, t) => th.registers.map((_, r) => r).filter((r) => ty.isIdx(ty.regOf(t, r))));
  indexRegs.forEach((regs, t) => {
    for (const r of regs) {
      const name = `${program.threads[t]?.name}:${program.threads[t]?.registers[r]}`;
      if (!deadReset) throw new Refusal(`register ${name} holds thread indices: renaming it needs dead-register reset (--no-dead-registers)`);
      if (live[t]?.[0]?.[r] === true && lo <= 0 && lo + k > 0) throw new Refusal(`register ${name} holds thread indices and is read before it is written (its initial 0 is a thread index)`);
    }
  });
  // nothing observed moves
  for (const o of observedTerms(program)) {
    if (o.kind === 'reg') {
      if (groupSet.has(o.thread)) throw new Refusal(`the condition or outcomes name registers of ${program.threads[o.thread]?.name}`);
      if (indexRegs[o.thread]?.includes(o.reg) === true) throw new Refusal(`the condition or outcomes name ${program.threads[o.thread]?.name}:${program.threads[o.thread]?.registers[o.reg]}, which holds thread indices`);
    } else {
      const l = program.locations.findIndex((loc) => o.slot >= loc.base && o.slot < loc.base + loc.size);
      if (indexedLoc[l] === true || indexValuedLoc[l] === true) throw new Refusal(`the condition or outcomes name ${program.locations[l]?.name}, which moves with the threads`);
    }
  }
  void template;
  return { kind: 'ok', members, lo, indexRegs, indexedLoc, indexValuedLoc, locations: program.locations, memorySize: program.memorySize };
}
