/**
 * The thread semantics on the cold path: a transition described for a counterexample trace (its
 * source text, location, effect and structured memory event), and each thread's situation for a
 * deadlock report. Nothing here is on the search's path; it may allocate.
 */
import { assertNever, byteMaskBits, toWidth, viewRead } from '../ir.js';
import type { IrInstr } from '../ir.js';
import { partEntryText, STORE_GUARD } from '../memory/model.js';
import { addressError, DIVISION_BY_ZERO, evalExpr, type RuntimeError } from './eval.js';
import type { Core, Exec } from './exec.js';
import { THREAD_PC, THREAD_QPOS, THREAD_WAIT } from './layout.js';
import { STEP, TR, type StepDescription, type StepEvent, type StepStatus } from './machine.js';
import { branchEffect } from './branchText.js';

/** The cold-path descriptions of one program's machine. */
export interface Describer {
  describe(s: Int32Array, off: number, kind: number, thread: number, arg: number): StepDescription;
  describeThreads(s: Int32Array, off: number): string[];
}

/** Build the describer over the thread semantics `exec`. */
export function createDescriber(core: Core, exec: Exec): Describer {
  const { program, layout, model, codes, slotName } = core;
  const threadBase = layout.threadBase;
  const regBase = layout.regBase;
  const lineOf = (instr: IrInstr): string => `${program.file}:${instr.origin.span.line}`;

  /** why an instruction cannot run: the run-time error in it, given it failed */
  const runtimeErrorOf = (instr: IrInstr, s: Int32Array, off: number, t: number): RuntimeError => {
    if ('addr' in instr) {
      const loc = core.locations[instr.addr.loc];
      const slot = exec.slotOf(instr.addr, s, off, t);
      if (slot < 0 && loc !== undefined) return addressError(slot, loc, evalExpr(instr.addr.index, s, off + (regBase[t] ?? 0), -1, 0), instr.addr.width);
    }
    return DIVISION_BY_ZERO;
  };

  const describeExec = (s: Int32Array, off: number, t: number, choice: number): StepDescription => {
    const pc = s[off + (threadBase[t] ?? 0) + THREAD_PC] ?? 0;
    const instr = codes[t]?.[pc];
    if (instr === undefined) throw new Error(`internal error: describe of finished thread ${t} (this is a bug in memweave)`);
    const next = new Int32Array(core.L);
    const status = exec.execApply(s, off, t, choice, next, 0);
    const base = { thread: t, action: 'instr' as const, text: instr.origin.text, location: lineOf(instr) };
    if (status === STEP.runtimeError) {
      const e = runtimeErrorOf(instr, s, off, t);
      return { ...base, effect: 'run-time error', message: e.text, errorCode: e.code };
    }
    const { effect, message, event } = effectOf(core, exec, instr, s, off, t, choice, next, status, pc);
    return event === null ? { ...base, effect, message } : { ...base, effect, message, event };
  };

  const describe = (s: Int32Array, off: number, kind: number, thread: number, arg: number): StepDescription => {
    switch (kind) {
      case TR.exec:
        return describeExec(s, off, thread, arg);
      case TR.drain: {
        const e = model.drainEntry(s, off, thread, arg);
        if (e === null) return { thread, action: 'drain', text: 'drain (nothing buffered)', location: '', effect: 'write (nothing buffered)', message: null };
        // the event carries the word the drain leaves in memory: a part-word store's bytes merge into it
        const name = slotName(e.slot);
        const word = e.bytes === undefined ? e.value : ((model.memoryValue(s, off, e.slot) & ~byteMaskBits(e.bytes)) | e.value) | 0;
        const what = e.bytes === undefined ? `${name} = ${e.value}` : `${partEntryText(name, e.bytes, e.value, ' = ')} (${name} = ${word})`;
        return { thread, action: 'drain', text: `drain ${what}`, location: '', effect: `write ${what}`, message: null, event: { kind: 'drain', slot: e.slot, value: word } };
      }
      case TR.timeout: {
        const tb = off + (threadBase[thread] ?? 0);
        const instr = codes[thread]?.[s[tb + THREAD_PC] ?? 0];
        const slot = (s[tb + THREAD_WAIT] ?? 0) - 1;
        return {
          thread, action: 'timeout', text: instr?.origin.text ?? 'wait', location: instr === undefined ? '' : lineOf(instr),
          effect: `wait on ${slotName(slot)} → timed_out`, message: null,
        };
      }
      default:
        throw new Error(`internal error: unknown transition kind ${kind} (this is a bug in memweave)`);
    }
  };

  return { describe, describeThreads: threadDescriber(core, exec) };
}

/** An exec's effect text, message and memory event. */
interface Effect {
  readonly effect: string;
  readonly message: string | null;
  readonly event: StepEvent | null;
}

/** The effect text, message and memory event of an exec of `instr` that did not fail at run time (next: its successor at 0). */
/** the effect text, message and memory event of an exec that did not fail at run time */
function effectOf(core: Core, exec: Exec, instr: IrInstr, s: Int32Array, off: number, t: number, choice: number, next: Int32Array, status: StepStatus, pc: number): Effect {
const { program, layout, model, slotName } = core;
const threadBase = layout.threadBase;
const regBase = layout.regBase;
  const slot = 'addr' in instr ? exec.slotOf(instr.addr, s, off, t) : -1;
  const name = slotName(slot);
  const n = core.threads;
  // a narrow view element (x.i8[1]): the effect shows the element, the event the word (memory is word-addressed)
  const width = 'addr' in instr ? (instr.addr.width ?? 4) : 4;
  const byte = 'addr' in instr ? exec.byteOf(instr.addr, s, off, t) : 0;
  const element = 'addr' in instr && width !== 4 ? `${core.locations[instr.addr.loc]?.name ?? '?'}.i${width * 8}[${evalExpr(instr.addr.index, s, off + (regBase[t] ?? 0), -1, 0)}]` : null;
  switch (instr.kind) {
    case 'load':
    case 'await': {
      const value = model.load(s, off, t, slot, choice);
      const effect = element === null ? `read ${name} = ${value}` : `read ${element} = ${viewRead(value, width, byte)} (${name} = ${value})`;
      return { effect, message: null, event: element === null ? { kind: 'read', slot, value } : { kind: 'read', slot, value, element: viewRead(value, width, byte) } };
    }
    case 'store': {
      const v = evalExpr(instr.value, s, off + (regBase[t] ?? 0), -1, 0);
      const buffered = core.memoryModel.buffersStore(instr.mode);
      if (element !== null) {
        // the word as the thread sees it after the store (a buffered one is not in memory yet)
        const word = buffered ? model.load(next, 0, t, slot, 0) : model.memoryValue(next, 0, slot);
        return { effect: `write ${element} = ${toWidth(v, width)} (${name} = ${word})${buffered ? ' (buffered)' : ''}`, message: null, event: { kind: 'write', slot, value: word, buffered } };
      }
      return { effect: `write ${name} = ${v}${buffered ? ' (buffered)' : ''}`, message: null, event: { kind: 'write', slot, value: v, buffered } };
    }
    case 'rmw': {
      const old = model.lockedRead(s, off, t, slot);
      const now = model.memoryValue(next, 0, slot);
      if (element !== null) {
        const eOld = viewRead(old, width, byte);
        const eNow = viewRead(now, width, byte);
        const failed = instr.op === 'cmpxchg' && eNow === eOld && toWidth(evalExpr(instr.value, s, off + (regBase[t] ?? 0), -1, 0), width) !== eOld;
        const effect = failed ? `read ${element} = ${eOld} (compare failed, no write)` : `read ${element} = ${eOld}, write ${element} = ${eNow} (${name} = ${now})`;
        return { effect, message: null, event: { kind: 'rmw', slot, read: old, written: failed ? null : now, element: eOld } };
      }
      const failed = instr.op === 'cmpxchg' && now === old && evalExpr(instr.value, s, off + (regBase[t] ?? 0), -1, 0) !== old;
      const effect = failed ? `read ${name} = ${old} (compare failed, no write)` : `read ${name} = ${old}, write ${name} = ${now}`;
      return { effect, message: null, event: { kind: 'rmw', slot, read: old, written: failed ? null : now } };
    }
    case 'fence':
      return { effect: `fence.${instr.mode}`, message: null, event: { kind: 'fence', mode: instr.mode } };
    case 'wait': {
      const value = model.lockedRead(s, off, t, slot);
      const waiting = next[(threadBase[t] ?? 0) + THREAD_WAIT] ?? 0;
      const effect = waiting !== 0
        ? `wait on ${name}: ${name} = ${value}, blocked (queue position ${next[(threadBase[t] ?? 0) + THREAD_QPOS] ?? 0})`
        : `wait on ${name}: ${name} = ${value} → not_equal`;
      return { effect, message: null, event: { kind: 'read', slot, value } };
    }
    case 'notify': {
      // in wake order: queue position in the state before
      const woken: number[] = [];
      for (let w = 0; w < n; w++) {
        if ((s[off + (threadBase[w] ?? 0) + THREAD_WAIT] ?? 0) !== 0 && (next[(threadBase[w] ?? 0) + THREAD_WAIT] ?? 0) === 0) woken.push(w);
      }
      woken.sort((a, b) => (s[off + (threadBase[a] ?? 0) + THREAD_QPOS] ?? 0) - (s[off + (threadBase[b] ?? 0) + THREAD_QPOS] ?? 0));
      const names = woken.map((w) => program.threads[w]?.name ?? `#${w}`);
      return { effect: `notify ${name}: woke ${woken.length}${woken.length > 0 ? ` (${names.join(', ')})` : ''}`, message: null, event: { kind: 'notify', slot, woken } };
    }
    case 'assign':
      return { effect: `${program.threads[t]?.registers[instr.dst] ?? `r#${instr.dst}`} = ${next[(regBase[t] ?? 0) + instr.dst] ?? 0}`, message: null, event: null };
    case 'branch': {
      const taken = (next[(threadBase[t] ?? 0) + THREAD_PC] ?? 0) === instr.target && instr.target !== pc + 1;
      return { effect: branchEffect(program.threads[t]?.code ?? [], pc, taken), message: null, event: null };
    }
    case 'assert':
      return status === STEP.assertFailed ? { effect: 'assertion failed', message: instr.message, event: null } : { effect: 'assertion holds', message: null, event: null };
    case 'assume':
      return status === STEP.pruned ? { effect: 'assumption false: execution discarded', message: 'assume failed', event: null } : { effect: 'assumption holds', message: null, event: null };
    case 'enter':
    case 'exit': {
      const region = program.regions[instr.region] ?? '';
      const label = region === '' ? 'the critical region' : `critical region ${region}`;
      let message: string | null = null;
      if (status === STEP.mutexViolated) {
        const inside: string[] = [];
        for (let w = 0; w < n; w++) if (w !== t && (s[off + layout.regionBase + instr.region * n + w] ?? 0) > 0) inside.push(program.threads[w]?.name ?? `#${w}`);
        message = `${program.threads[t]?.name ?? t} entered ${label} while ${inside.join(', ')} ${inside.length > 1 ? 'are' : 'is'} inside`;
      }
      return { effect: `${instr.kind} ${label}`, message, event: null };
    }
    case 'jump':
    case 'block':
    case 'skip':
      return { effect: '', message: null, event: null };
    default:
      return assertNever(instr);
  }
}

/** Each thread's situation in a state: running, blocked and why, finished (deadlock reports). */
function threadDescriber(core: Core, exec: Exec): Describer['describeThreads'] {
  const { program, layout, model, slotName } = core;
  const threadBase = layout.threadBase;
  const lineOf = (instr: IrInstr): string => `${program.file}:${instr.origin.span.line}`;
  return (s: Int32Array, off: number): string[] =>
    program.threads.map((th, t) => {
      const tb = off + (threadBase[t] ?? 0);
      const instr = th.code[s[tb + THREAD_PC] ?? 0];
      if (instr === undefined) return model.isEmpty(s, off, t) ? 'finished' : 'finished (stores still buffered)';
      const at = lineOf(instr);
      const waiting = s[tb + THREAD_WAIT] ?? 0;
      if (waiting !== 0) return `blocked in wait on ${slotName(waiting - 1)} at ${at}`;
      if (exec.execEnabled(s, off, t)) return `running at ${at}`;
      switch (instr.kind) {
        case 'await': return `blocked in await on ${slotName(exec.slotOf(instr.addr, s, off, t))} at ${at} (condition false)`;
        case 'block': return `blocked at ${at} (condition false)`;
        case 'store': {
          const slot = exec.slotOf(instr.addr, s, off, t);
          return model.storeGuard(s, off, t, slot, instr.mode) === STORE_GUARD.full
            ? `blocked at ${at} (store buffer full)`
            : `blocked at ${at} (waiting for its buffered stores to drain)`;
        }
        default: return `blocked at ${at} (waiting for its buffered stores to drain)`;
      }
    });
}
