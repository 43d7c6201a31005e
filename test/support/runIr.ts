/**
 * A tiny sequential IR interpreter for tests: runs one thread of an IrProgram alone, as if no other
 * thread existed (so every memory model agrees). Blocking with no one to wake it up, failed asserts,
 * false assumes, run-time errors and step-limit overruns throw, naming the pc.
 *
 * Not modelled: other threads, store buffers, critical-region exclusion (enter/exit are no-ops).
 */
import type { IrAddr, IrExpr, IrInstr, IrProgram } from '../../model/ir.js';
import { assertNever, evalBinary, evalUnary } from '../../model/ir.js';

/** Run thread `thread` of `p` alone from the initial state; returns its registers and the memory. */
export function runSingleThread(p: IrProgram, thread: number, maxSteps = 100_000): { regs: number[]; mem: number[] } {
  const th = p.threads[thread];
  if (th === undefined) throw new Error(`no thread ${thread}`);
  const regs = th.registers.map(() => 0);
  const mem: number[] = [];
  for (const l of p.locations) mem.push(...l.init);
  const fail = (pc: number, ins: IrInstr, why: string): never => {
    throw new Error(`${th.name} pc ${pc} (${ins.origin.text}): ${why}`);
  };
  const ev = (e: IrExpr, pc: number, ins: IrInstr): number => {
    switch (e.kind) {
      case 'const': return e.value;
      case 'reg': return regs[e.reg] ?? fail(pc, ins, `bad register ${e.reg}`);
      case 'unary': return evalUnary(e.op, ev(e.operand, pc, ins));
      case 'binary': return evalBinary(e.op, ev(e.left, pc, ins), ev(e.right, pc, ins)) ?? fail(pc, ins, 'division by zero');
      default: return assertNever(e);
    }
  };
  const slot = (a: IrAddr, pc: number, ins: IrInstr): number => {
    const l = p.locations[a.loc] ?? fail(pc, ins, `bad location ${a.loc}`);
    const i = ev(a.index, pc, ins);
    if (i < 0 || i >= l.size) fail(pc, ins, `index ${i} out of bounds for ${l.name}`);
    return l.base + i;
  };
  const set = (dst: number, v: number): void => {
    if (dst >= 0) regs[dst] = v | 0;
  };
  let pc = 0;
  for (let steps = 0; pc < th.code.length; steps++) {
    if (steps >= maxSteps) throw new Error(`${th.name}: no termination within ${maxSteps} steps`);
    const ins = th.code[pc] as IrInstr;
    let next = pc + 1;
    switch (ins.kind) {
      case 'load': set(ins.dst, mem[slot(ins.addr, pc, ins)] ?? 0); break;
      case 'store': { const s = slot(ins.addr, pc, ins); mem[s] = ev(ins.value, pc, ins); break; }
      case 'rmw': {
        const s = slot(ins.addr, pc, ins);
        const old = mem[s] ?? 0;
        const v = ev(ins.value, pc, ins);
        let nv: number;
        switch (ins.op) {
          case 'exchange': nv = v; break;
          case 'cmpxchg': nv = old === ev(ins.expected ?? { kind: 'const', value: 0 }, pc, ins) ? v : old; break;
          case 'fetch_add': nv = (old + v) | 0; break;
          case 'fetch_sub': nv = (old - v) | 0; break;
          case 'fetch_and': nv = old & v; break;
          case 'fetch_or': nv = old | v; break;
          case 'fetch_xor': nv = old ^ v; break;
          default: nv = assertNever(ins.op);
        }
        mem[s] = nv;
        set(ins.dst, old);
        break;
      }
      case 'fence': case 'enter': case 'exit': case 'skip': break;
      case 'wait': {
        const s = slot(ins.addr, pc, ins);
        if (mem[s] !== ev(ins.expected, pc, ins)) set(ins.dst, 1);
        else if (ins.timeout !== null) set(ins.dst, 2);
        else fail(pc, ins, 'wait blocks forever (no other thread)');
        break;
      }
      case 'notify': set(ins.dst, 0); break;
      case 'await': {
        set(ins.dst, mem[slot(ins.addr, pc, ins)] ?? 0);
        if (ev(ins.cond, pc, ins) === 0) fail(pc, ins, 'await blocks forever (no other thread)');
        break;
      }
      case 'block': if (ev(ins.cond, pc, ins) === 0) fail(pc, ins, 'blocked forever'); break;
      case 'assign': set(ins.dst, ev(ins.value, pc, ins)); break;
      case 'branch': if (ev(ins.cond, pc, ins) !== 0) next = ins.target; break;
      case 'jump': next = ins.target; break;
      case 'assert': if (ev(ins.cond, pc, ins) === 0) fail(pc, ins, `assertion failed: ${ins.message}`); break;
      case 'assume': if (ev(ins.cond, pc, ins) === 0) fail(pc, ins, 'assume is false'); break;
      default: assertNever(ins);
    }
    pc = next;
  }
  return { regs, mem };
}

/** Register value by name after running a thread alone (convenience for tests). */
export function regsByName(p: IrProgram, thread: number): Record<string, number> {
  const { regs } = runSingleThread(p, thread);
  const names = p.threads[thread]?.registers ?? [];
  return Object.fromEntries(names.map((n, i) => [n, regs[i] ?? 0]));
}
