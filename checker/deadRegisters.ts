/**
 * Dead-register reset: a compact-state reduction (as SPIN's dead-variable elimination). After a
 * thread moves, every register of that thread that is dead at its new pc — on every path from
 * there it is written before it is read, or never read again and not observed at the end — is
 * set to 0, so states that differ only in values nobody will ever look at are one state.
 *
 * Liveness is the classic backward data-flow fixpoint over each thread's control-flow graph
 * (Aho, Sethi & Ullman, "Compilers", §10.6): live(pc) = uses(pc) ∪ (live(succ) − defs(pc)).
 * At the end of a thread (pc = code.length) the registers the outcomes, the final condition or
 * the filter observe are live. An `await` reads its own destination through the value it loads,
 * not through the register, so that use does not count. A `wait` blocked in its queue writes its
 * destination only when it wakes, so the destination is dead while it waits unless read later.
 *
 * Sound for every property: two states that differ only in dead registers have the same futures
 * (every instruction reads only live registers), the same final outcomes (observed registers are
 * live at the end) and the same step statuses. What changes: witness counts (Outcome.finalStates,
 * the condition's positive/negative) count final states that differ only in unobserved
 * registers once — keeping finished threads' stale registers would multiply the state space
 * (the ticket lock at N=4, K=3: 15x) for a number nobody reads; --no-dead-registers restores
 * the per-raw-state count. Counterexample traces are rebuilt by re-executing
 * the stored transitions from the initial state (trace.ts), so they show the real register values.
 *
 * Hot path: `reset` allocates nothing.
 */
import { successorPcs } from '../model/ir.js';
import type { IrExpr, IrInstr, IrProgram } from '../model/ir.js';
import { observedTerms } from '../model/outcome.js';
import { THREAD_PC } from '../model/semantics/layout.js';
import type { Machine } from '../model/semantics/machine.js';

/** The registers an expression reads. */
function exprRegs(e: IrExpr | null, out: Set<number>, except = -1): void {
  if (e === null) return;
  switch (e.kind) {
    case 'const':
      return;
    case 'reg':
      if (e.reg !== except) out.add(e.reg);
      return;
    case 'binary':
      exprRegs(e.left, out, except);
      exprRegs(e.right, out, except);
      return;
    case 'unary':
      exprRegs(e.operand, out, except);
      return;
  }
}

/** The registers an instruction reads, and the one it writes (-1: none). */
function usesDefs(instr: IrInstr): { readonly uses: Set<number>; readonly def: number } {
  const uses = new Set<number>();
  switch (instr.kind) {
    case 'load':
      exprRegs(instr.addr.index, uses);
      return { uses, def: instr.dst };
    case 'store':
      exprRegs(instr.addr.index, uses);
      exprRegs(instr.value, uses);
      return { uses, def: -1 };
    case 'rmw':
      exprRegs(instr.addr.index, uses);
      exprRegs(instr.expected, uses);
      exprRegs(instr.value, uses);
      return { uses, def: instr.dst };
    case 'wait':
      exprRegs(instr.addr.index, uses);
      exprRegs(instr.expected, uses);
      exprRegs(instr.timeout, uses);
      return { uses, def: instr.dst };
    case 'notify':
      exprRegs(instr.addr.index, uses);
      exprRegs(instr.count, uses);
      return { uses, def: instr.dst };
    case 'await':
      exprRegs(instr.addr.index, uses);
      exprRegs(instr.cond, uses, instr.dst);
      return { uses, def: instr.dst };
    case 'block':
    case 'branch':
    case 'assert':
    case 'assume':
      exprRegs(instr.cond, uses);
      return { uses, def: -1 };
    case 'assign':
      exprRegs(instr.value, uses);
      return { uses, def: instr.dst };
    case 'fence':
    case 'jump':
    case 'enter':
    case 'exit':
    case 'skip':
      return { uses, def: -1 };
  }
}

/**
 * Per thread and pc (0..code.length), the registers live there, as sorted lists; `observed` are
 * the registers live at the end of each thread.
 */
export function liveRegisters(program: IrProgram): boolean[][][] {
  const observedBy = program.threads.map(() => new Set<number>());
  for (const o of observedTerms(program)) if (o.kind === 'reg') observedBy[o.thread]?.add(o.reg);
  return program.threads.map((th, t) => {
    const R = th.registers.length;
    const len = th.code.length;
    const live: boolean[][] = Array.from({ length: len + 1 }, () => new Array<boolean>(R).fill(false));
    for (const r of observedBy[t] ?? []) if (r < R) (live[len] as boolean[])[r] = true;
    const info = th.code.map(usesDefs);
    let changed = true;
    while (changed) {
      changed = false;
      for (let pc = len - 1; pc >= 0; pc--) {
        const instr = th.code[pc] as IrInstr;
        const succs = successorPcs(instr, pc);
        const { uses, def } = info[pc] as { uses: Set<number>; def: number };
        const row = live[pc] as boolean[];
        for (let r = 0; r < R; r++) {
          let v = uses.has(r);
          if (!v && r !== def) for (const s of succs) if (s >= 0 && s <= len && (live[s] as boolean[])[r] === true) v = true;
          if (v && !row[r]) {
            row[r] = true;
            changed = true;
          }
        }
      }
    }
    return live;
  });
}

/** Resets dead registers of a thread in a state. */
export interface DeadRegisters {
  /** zero the registers of thread t that are dead at its pc in s[off..]; returns how many held a non-zero value */
  reset(s: Int32Array, off: number, t: number): number;
  /** `reset` for every thread; returns how many registers held a non-zero value */
  resetAll(s: Int32Array, off: number): number;
}

/** Set up dead-register reset for a machine, or null when it is opaque (no structure) or no register is ever dead. */
export function deadRegistersFor(machine: Machine): DeadRegisters | null {
  // (the notify of one thread moves others: callers reset every thread after a notify, see check.ts)
  if (machine.structure === null) return null;
  const layout = machine.structure.layout;
  const program = machine.program;
  const live = liveRegisters(program);
  // per thread: flat list of dead register numbers per pc, as [start..end) ranges into `dead`
  const starts: Int32Array[] = [];
  const deads: Int32Array[] = [];
  let any = false;
  live.forEach((rows) => {
    const start = new Int32Array(rows.length + 1);
    const list: number[] = [];
    rows.forEach((row, pc) => {
      start[pc] = list.length;
      row.forEach((isLive, r) => {
        if (!isLive) list.push(r);
      });
    });
    start[rows.length] = list.length;
    if (list.length > 0) any = true;
    starts.push(start);
    deads.push(Int32Array.from(list));
  });
  if (!any) return null;
  const n = program.threads.length;
  const threadBase = layout.threadBase;
  const regBase = layout.regBase;
  const codeLen = Int32Array.from(program.threads, (th) => th.code.length);
  const reset = (s: Int32Array, off: number, t: number): number => {
    const pc = s[off + (threadBase[t] as number) + THREAD_PC] as number;
    const start = starts[t] as Int32Array;
    const dead = deads[t] as Int32Array;
    const p = pc <= (codeLen[t] as number) ? pc : (codeLen[t] as number);
    const rb = off + (regBase[t] as number);
    const hi = start[p + 1] as number;
    let cleared = 0;
    for (let k = start[p] as number; k < hi; k++) {
      const at = rb + (dead[k] as number);
      if (s[at] !== 0) {
        s[at] = 0;
        cleared++;
      }
    }
    return cleared;
  };
  return {
    reset,
    resetAll(s, off) {
      let cleared = 0;
      for (let t = 0; t < n; t++) cleared += reset(s, off, t);
      return cleared;
    },
  };
}
