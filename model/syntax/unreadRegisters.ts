/**
 * Warning S320: a register that is written (by a load, an RMW or an assignment) and never read.
 * A value no instruction, final condition, filter or `locations` line ever reads is usually a bug: the dropped result of a
 * `cmpxchg` was exactly the bug in a first test-and-test-and-set lock (`cmpxchg.sc(lock, 0, 1);`
 * where `t = cmpxchg…; while (t != 0)` was meant). Runs on the lowered IR, per thread; a template's
 * instances share their code, so each write is reported once.
 */
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { IrCond, IrExpr, IrInstr, IrProgram } from '../ir.js';

/** Add the registers `e` reads to `out`. */
function readsOf(e: IrExpr | null, out: Set<number>): void {
  if (e === null) return;
  switch (e.kind) {
    case 'const':
      return;
    case 'reg':
      out.add(e.reg);
      return;
    case 'binary':
      readsOf(e.left, out);
      readsOf(e.right, out);
      return;
    case 'unary':
      readsOf(e.operand, out);
      return;
  }
}

/** The registers an instruction reads, and the one it writes (-1: none). */
function access(i: IrInstr, reads: Set<number>): number {
  if ('addr' in i) readsOf(i.addr.index, reads);
  switch (i.kind) {
    case 'load':
      return i.dst;
    case 'store':
      readsOf(i.value, reads);
      return -1;
    case 'rmw':
      readsOf(i.expected, reads);
      readsOf(i.value, reads);
      return i.dst;
    // a wait's or notify's result is a status (woken / not equal / timed out, how many woken):
    // ignoring it is ordinary, so it is not reported
    case 'wait':
      readsOf(i.expected, reads);
      readsOf(i.timeout, reads);
      return -1;
    case 'notify':
      readsOf(i.count, reads);
      return -1;
    case 'await':
      readsOf(i.cond, reads);
      return i.dst;
    case 'assign':
      readsOf(i.value, reads);
      return i.dst;
    case 'block':
    case 'branch':
    case 'assert':
    case 'assume':
      readsOf(i.cond, reads);
      return -1;
    case 'fence':
    case 'jump':
    case 'enter':
    case 'exit':
    case 'skip':
      return -1;
  }
}

/** The registers of `thread` a final condition or filter names. */
function condReads(c: IrCond | null, thread: number, out: Set<number>): void {
  if (c === null) return;
  switch (c.kind) {
    case 'cmp':
      for (const t of [c.left, c.right]) if (t.kind === 'reg' && t.thread === thread) out.add(t.reg);
      return;
    case 'and':
    case 'or':
    case 'implies':
      condReads(c.left, thread, out);
      condReads(c.right, thread, out);
      return;
    case 'not':
      condReads(c.operand, thread, out);
      return;
    case 'bool':
      return;
  }
}

/** S320 warnings for the registers of `program` that are written and never read. */
export function unreadRegisterWarnings(program: IrProgram): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reported = new Set<number>();
  program.threads.forEach((th, t) => {
    const reads = new Set<number>();
    const firstWrite = new Map<number, IrInstr>();
    for (const i of th.code) {
      const w = access(i, reads);
      if (w >= 0 && !firstWrite.has(w)) firstWrite.set(w, i);
    }
    for (const o of program.observables) if (o.what.kind === 'reg' && o.what.thread === t) reads.add(o.what.reg);
    condReads(program.condition?.cond ?? null, t, reads);
    condReads(program.filter, t, reads);
    for (const [reg, i] of firstWrite) {
      if (reads.has(reg) || reported.has(i.origin.span.start)) continue;
      reported.add(i.origin.span.start);
      const name = th.registers[reg] ?? `r${reg}`;
      out.push(diag('S320', program.file, i.origin.span, `register '${name}' is written here and never read`, { help: `read it (e.g. in a condition: while (${name} != 0) …), name it in the final condition, or drop the assignment` }));
    }
  });
  return out;
}
