/**
 * Statement merging (SPIN's, Holzmann, "The Model Checker SPIN", IEEE TSE 23(5), 1997, §4; the
 * `-o3` switch turns it off there): after a thread takes a step, it goes on at once through the
 * run of thread-local instructions that follows — `assign`, `branch`, `jump` and `skip` whose
 * expressions cannot fail (no `/` or `%` by anything but a non-zero constant) — up to its next
 * instruction that touches memory, can block, can fail or is visible to a property (load, store,
 * RMW, fence, wait, notify, await, block, assert, assume, enter, exit), its end, or MERGE_CAP
 * instructions. The states in between are never stored. The initial state runs every thread's
 * leading local run the same way.
 *
 * Why no answer changes: a local instruction reads and writes only its own thread's registers and
 * pc, is always enabled and always ok, and is deterministic; no other thread's step can enable,
 * disable or change it, or be changed by it. So in any execution, each local instruction can be
 * moved back to right after its thread's previous step (or the start), and the local
 * instructions left pending where an execution ends can be run first. Every final state and
 * deadlock (no thread is ever stopped at a local instruction there), every violating step
 * (assert, run-time error, mutual exclusion: never a local instruction, and independent of the
 * others' local instructions), every data race between two threads' next accesses and every
 * buffer-full store is reached by the merged search, and a stored state can still end iff it
 * could (livelock detection is exact). The cap keeps a purely local infinite loop finite: the
 * thread then stops every MERGE_CAP instructions, so its spinning is a cycle of stored states.
 *
 * Traces: each merged instruction is still its own row, and its own choice in the replay token
 * (trace.ts re-executes the chain), so tokens replay on the unmerged machine as before.
 *
 * It is a reduction: on with partial-order reduction (`--no-por` turns both off, as SPIN's
 * statement merging belongs to its partial-order reduction).
 *
 * Hot path: `run` allocates nothing; it applies the local instructions in place through
 * `Machine.apply` (exact: the same semantics as a separate step).
 */
import type { IrExpr, IrInstr } from '../model/ir.js';
import { THREAD_PC, THREAD_WAIT } from '../model/semantics/layout.js';
import { STEP, TR, type Machine } from '../model/semantics/machine.js';

/** Most local instructions one merged step runs (a purely local infinite loop stops every MERGE_CAP). */
export const MERGE_CAP = 64;

/** Runs the local instructions that follow a thread's step. */
export interface Merger {
  /** run thread t's local instructions from its pc in s[off..] in place; returns how many ran */
  run(s: Int32Array, off: number, t: number): number;
  /** `run` for every thread in turn (the initial state) */
  runAll(s: Int32Array, off: number): number;
  /** true when thread t's next instruction in s[off..] is one `run` would execute */
  atLocal(s: Int32Array, off: number, t: number): boolean;
}

/** Can evaluating e fail (a division or remainder by anything but a non-zero constant)? */
function canFail(e: IrExpr): boolean {
  switch (e.kind) {
    case 'const':
    case 'reg':
      return false;
    case 'unary':
      return canFail(e.operand);
    case 'binary':
      if ((e.op === '/' || e.op === '%') && !(e.right.kind === 'const' && (e.right.value | 0) !== 0)) return true;
      return canFail(e.left) || canFail(e.right);
  }
}

/** Is this instruction thread-local, deterministic, always enabled and always ok? */
export function isLocal(instr: IrInstr): boolean {
  switch (instr.kind) {
    case 'assign':
      return !canFail(instr.value);
    case 'branch':
      return !canFail(instr.cond);
    case 'jump':
    case 'skip':
      return true;
    default:
      return false;
  }
}

/** Set up statement merging for a machine, or null when it is opaque (no structure) or no thread has a local instruction. */
export function mergerFor(machine: Machine): Merger | null {
  if (machine.structure === null) return null;
  const layout = machine.structure.layout;
  const program = machine.program;
  const n = program.threads.length;
  const local = program.threads.map((th) => Uint8Array.from(th.code, (i) => (isLocal(i) ? 1 : 0)));
  if (!local.some((l) => l.includes(1))) return null;
  const threadBase = layout.threadBase;
  const run = (s: Int32Array, off: number, t: number): number => {
    const tb = off + (threadBase[t] as number);
    if ((s[tb + THREAD_WAIT] as number) !== 0) return 0;
    const loc = local[t] as Uint8Array;
    let k = 0;
    while (k < MERGE_CAP && loc[s[tb + THREAD_PC] as number] === 1) {
      if (machine.apply(s, off, TR.exec, t, 0, s, off) !== STEP.ok) {
        throw new Error('internal error: a local instruction did not step ok (this is a bug in memweave)');
      }
      k++;
    }
    return k;
  };
  return {
    run,
    runAll(s, off) {
      let k = 0;
      for (let t = 0; t < n; t++) k += run(s, off, t);
      return k;
    },
    atLocal(s, off, t) {
      const tb = off + (threadBase[t] as number);
      return (s[tb + THREAD_WAIT] as number) === 0 && (local[t] as Uint8Array)[s[tb + THREAD_PC] as number] === 1;
    },
  };
}
