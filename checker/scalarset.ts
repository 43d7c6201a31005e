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
export function analyseScalarset(program: IrProgram, template: string, members: readonly number[], live: readonly (readonly (readonly boolean[])[])[], deadReset: boolean): ScalarsetResult {
  try {
    return analyse(program, template, members, live, deadReset);
  } catch (e) {
    if (e instanceof Refusal) return { kind: 'refused', reason: `template ${template} uses its index: ${e.message}` };
    throw e;
  }
}

function analyse(program: IrProgram, template: string, members: readonly number[], live: readonly (readonly (readonly boolean[])[])[], deadReset: boolean): ScalarsetResult {
  const k = members.length;
  const threads = members.map((t) => program.threads[t]);
  const lo = threads[0]?.template?.index ?? 0;
  threads.forEach((th, j) => {
    if (th?.template?.index !== lo + j) throw new Refusal('its instances are not numbered lo, lo+1, …');
  });
  const first = threads[0];
  if (first === undefined) throw new Refusal('no instances');
  const inDomain = (v: number): boolean => v >= lo && v < lo + k;

  // union-find over type variables, each root with what forced it to index or to data
  const parent: number[] = [];
  const idxWhy: (string | null)[] = [];
  const dataWhy: string[][] = [];
  const fresh = (): number => {
    parent.push(parent.length);
    idxWhy.push(null);
    dataWhy.push([]);
    return parent.length - 1;
  };
  const find = (v: number): number => {
    while (parent[v] !== v) {
      const p = parent[v] as number;
      parent[v] = parent[p] as number;
      v = p;
    }
    return v;
  };
  const unify = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    parent[rb] = ra;
    idxWhy[ra] ??= idxWhy[rb] ?? null;
    for (const w of dataWhy[rb] ?? []) (dataWhy[ra] as string[]).push(w);
    dataWhy[rb] = [];
  };
  const forceData = (v: number, why: string): void => {
    (dataWhy[find(v)] as string[]).push(why);
  };
  const forceIdx = (v: number, why: string): void => {
    const r = find(v);
    idxWhy[r] ??= why;
  };

  // variables: the group's registers (shared by its members), other threads' registers, locations
  const groupSet = new Set(members);
  const regVar = program.threads.map((th, t) => (groupSet.has(t) && t !== members[0] ? null : th.registers.map(() => fresh())));
  const regOf = (t: number, r: number): number => {
    const row = regVar[groupSet.has(t) ? (members[0] as number) : t];
    const v = row?.[r];
    if (v === undefined) throw new Refusal(`internal: register ${r} of thread ${t}`);
    return v;
  };
  const content = program.locations.map(() => fresh());
  const element = program.locations.map(() => fresh());
  const consts: { readonly values: readonly number[]; readonly v: number; readonly where: string }[] = [];

  const type = (t: number, e: JE, where: string): number => {
    switch (e.kind) {
      case 'const': {
        const v = fresh();
        if (e.values.some((x) => x !== e.values[0])) forceIdx(v, where);
        consts.push({ values: e.values, v, where });
        return v;
      }
      case 'reg':
        return regOf(t, e.reg);
      case 'binary': {
        const l = type(t, e.left, where);
        const r = type(t, e.right, where);
        if (e.op === '==' || e.op === '!=') unify(l, r);
        else {
          forceData(l, `${where}: operator ${e.op}`);
          forceData(r, `${where}: operator ${e.op}`);
        }
        const out = fresh();
        forceData(out, where);
        return out;
      }
      case 'unary': {
        forceData(type(t, e.operand, where), `${where}: a unary operator`);
        const out = fresh();
        forceData(out, where);
        return out;
      }
    }
  };

  const narrow = new Set<number>();
  /** type the same instruction at `pc` of each thread in `ts` (one thread, or the group's members) */
  const instr = (ts: readonly number[], pc: number): void => {
    const is = ts.map((t) => program.threads[t]?.code[pc] as IrInstr);
    const i0 = is[0] as IrInstr;
    const where = `${program.threads[ts[0] as number]?.name ?? '?'} pc ${pc}: ${i0.origin.text}`;
    const t0 = ts[0] as number;
    const same = (f: (i: IrInstr) => unknown): void => {
      const a = JSON.stringify(f(i0));
      for (const i of is) if (JSON.stringify(f(i)) !== a) throw new Refusal(`the instances' code differs in shape (${where})`);
    };
    same((i) => [i.kind, 'dst' in i ? i.dst : null, 'mode' in i ? i.mode : null, 'target' in i ? i.target : null, 'op' in i ? i.op : null, 'region' in i ? i.region : null]);
    const ex = (f: (i: IrInstr) => IrExpr): number => type(t0, joint(is.map(f), where), where);
    const exData = (f: (i: IrInstr) => IrExpr): void => forceData(ex(f), where);
    const addr = (f: (i: IrInstr) => IrAddr): number => {
      same((i) => [f(i).loc, f(i).width ?? 4]);
      const a = f(i0);
      if ((a.width ?? 4) !== 4) narrow.add(a.loc);
      unify(ex((i) => f(i).index), element[a.loc] as number);
      return content[a.loc] as number;
    };
    const dst = (d: number): number | null => (d < 0 ? null : regOf(t0, d));
    switch (i0.kind) {
      case 'load': {
        const c = addr((i) => (i as typeof i0).addr);
        const d = dst(i0.dst);
        if (d !== null) unify(d, c);
        return;
      }
      case 'store': {
        const c = addr((i) => (i as typeof i0).addr);
        unify(ex((i) => (i as typeof i0).value), c);
        return;
      }
      case 'rmw': {
        const c = addr((i) => (i as typeof i0).addr);
        const d = dst(i0.dst);
        if (d !== null) unify(d, c);
        unify(ex((i) => (i as typeof i0).value), c);
        same((i) => (i as typeof i0).expected === null);
        if (i0.expected !== null) unify(ex((i) => (i as typeof i0).expected as IrExpr), c);
        if (i0.op !== 'exchange' && i0.op !== 'cmpxchg') forceData(c, `${where}: ${i0.op}`);
        return;
      }
      case 'wait': {
        const c = addr((i) => (i as typeof i0).addr);
        unify(ex((i) => (i as typeof i0).expected), c);
        same((i) => (i as typeof i0).timeout === null);
        if (i0.timeout !== null) exData((i) => (i as typeof i0).timeout as IrExpr);
        const d = dst(i0.dst);
        if (d !== null) forceData(d, where);
        return;
      }
      case 'notify': {
        addr((i) => (i as typeof i0).addr);
        same((i) => (i as typeof i0).count === null);
        if (i0.count !== null) exData((i) => (i as typeof i0).count as IrExpr);
        const d = dst(i0.dst);
        if (d !== null) forceData(d, where);
        return;
      }
      case 'await': {
        const c = addr((i) => (i as typeof i0).addr);
        const d = dst(i0.dst);
        if (d !== null) unify(d, c);
        exData((i) => (i as typeof i0).cond);
        return;
      }
      case 'assign': {
        const d = dst(i0.dst);
        const v = ex((i) => (i as typeof i0).value);
        if (d !== null) unify(d, v);
        return;
      }
      case 'block':
      case 'branch':
      case 'assert':
      case 'assume':
        exData((i) => (i as typeof i0 & { cond: IrExpr }).cond);
        return;
      case 'fence':
      case 'jump':
      case 'enter':
      case 'exit':
      case 'skip':
        return;
    }
  };

  for (const th of threads) {
    if (th === undefined || th.code.length !== first.code.length || th.registers.length !== first.registers.length) {
      throw new Refusal("the instances' code differs in shape (length or registers)");
    }
  }
  for (let pc = 0; pc < first.code.length; pc++) instr(members, pc);
  program.threads.forEach((th, t) => {
    if (groupSet.has(t)) return;
    for (let pc = 0; pc < th.code.length; pc++) instr([t], pc);
  });

  // the verdicts of the unification
  const isIdx = (v: number): boolean => idxWhy[find(v)] !== null;
  const conflicts: string[] = [];
  let enters: string | null = null;
  for (let v = 0; v < parent.length; v++) {
    if (find(v) !== v || idxWhy[v] === null || (dataWhy[v] as string[]).length === 0) continue;
    enters ??= idxWhy[v] ?? null;
    for (const w of dataWhy[v] as string[]) if (!conflicts.includes(w)) conflicts.push(w);
  }
  if (conflicts.length > 0) {
    const order = conflicts.filter((w) => / operator (<|<=|>|>=)$/.test(w));
    const shown = [...order, ...conflicts.filter((w) => !order.includes(w))].slice(0, 3).map((w) => w.replace(/: operator (\S+)$/, ' [$1]'));
    throw new Refusal(
      `${order.length > 0 ? 'it orders thread indices' : 'it computes with thread indices'}: ${shown.join('; ')}${conflicts.length > 3 ? '; …' : ''} (the index enters at ${enters}); a scalarset allows only = and != on indices, so a loop over the threads in index order or a tie-break by index is not symmetric`,
    );
  }
  const generators: Int32Array[] = [];
  for (let j = 0; j + 1 < k; j++) {
    const p = Int32Array.from({ length: k }, (_, x) => x);
    p[j] = j + 1;
    p[j + 1] = j;
    generators.push(p);
  }
  const rename = (p: Int32Array, v: number): number => (inDomain(v) ? lo + (p[v - lo] as number) : v);
  for (const c of consts) {
    if (!isIdx(c.v)) continue;
    if (c.values.length === 1 || c.values.every((x) => x === c.values[0])) {
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

  const indexedLoc = program.locations.map((_, l) => isIdx(element[l] as number));
  const indexValuedLoc = program.locations.map((_, l) => isIdx(content[l] as number));
  program.locations.forEach((loc, l) => {
    if (!indexedLoc[l] && !indexValuedLoc[l]) return;
    if (narrow.has(l)) throw new Refusal(`${loc.name} holds or is indexed by thread indices and is accessed through a narrow view`);
    if (indexedLoc[l] && loc.size < lo + k) throw new Refusal(`${loc.name} is indexed by thread indices but has ${loc.size} cells, not all of ${lo}..${lo + k - 1}`);
  });
  // the initial memory is fixed by every generator
  for (const p of generators) {
    for (const loc of program.locations) {
      const l = program.locations.indexOf(loc);
      for (let c = 0; c < loc.size; c++) {
        const to = indexedLoc[l] ? rename(p, c) : c;
        const v = loc.init[c] ?? 0;
        const mapped = indexValuedLoc[l] ? rename(p, v) : v;
        if ((loc.init[to] ?? 0) !== mapped) {
          throw new Refusal(`the initial state is not symmetric: ${loc.name}${loc.isArray ? `[${c}]` : ''} starts at ${v}${indexValuedLoc[l] ? ', a thread index' : ''}${indexedLoc[l] ? ` and the cells of the instances start unequal` : ''}`);
        }
      }
    }
  }
  // index-valued registers start at 0
  const indexRegs = program.threads.map((th, t) => th.registers.map((_, r) => r).filter((r) => isIdx(regOf(t, r))));
  indexRegs.forEach((regs, t) => {
    for (const r of regs) {
      const name = `${program.threads[t]?.name}:${program.threads[t]?.registers[r]}`;
      if (!deadReset) throw new Refusal(`register ${name} holds thread indices: renaming it needs dead-register reset (--no-dead-registers)`);
      if (live[t]?.[0]?.[r] === true && inDomain(0)) throw new Refusal(`register ${name} holds thread indices and is read before it is written (its initial 0 is a thread index)`);
    }
  });
  // nothing observed moves
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
  for (const o of observed) {
    if (o.kind === 'reg') {
      if (groupSet.has(o.thread)) throw new Refusal(`the condition or outcomes name registers of ${program.threads[o.thread]?.name}`);
      if (indexRegs[o.thread]?.includes(o.reg) === true) throw new Refusal(`the condition or outcomes name ${program.threads[o.thread]?.name}:${program.threads[o.thread]?.registers[o.reg]}, which holds thread indices`);
    } else {
      const l = program.locations.findIndex((loc) => o.slot >= loc.base && o.slot < loc.base + loc.size);
      if (indexedLoc[l] === true || indexValuedLoc[l] === true) throw new Refusal(`the condition or outcomes name ${program.locations[l]?.name}, which moves with the threads`);
    }
  }
  void template;
  return { kind: 'ok', members, lo, indexRegs, indexedLoc, indexValuedLoc, locations: program.locations };
}
