/**
 * An event source over IR threads: each thread runs its thread-local instructions (assignments,
 * branches, jumps, asserts, assumes, critical-region markers) by itself and stops at each shared
 * memory operation, which it hands out as data (`ThreadOp`); the caller decides the value a read
 * returns and resumes the thread with it. This is the interface the stateless execution-graph
 * explorer (checker/graphExplorer.ts) drives: it never sees registers or program counters, and
 * the thread never sees memory.
 *
 * Determinism: a thread's run is a function of the values its reads returned, so replaying the
 * same values reproduces the same operations (the explorer re-executes threads after a revisit).
 *
 * Loops: a backward jump that closes an iteration in which the thread did nothing but read
 * (no write, RMW or fence) and after which every register live at the loop head holds the value
 * it held when the iteration began is a failed spin iteration: running it again could only read
 * other values, which the explorer offers the first iteration anyway. The thread then blocks
 * ('spin'), as GenMC's spin-assume does (Kokologiannakis, Raad, Vafeiadis, "Effective lock
 * handling in stateless model checking", OOPSLA 2019; "Deciding ... spin loops", FMCAD 2021).
 * Any other loop is bounded: a loop that iterates more than `unroll` times in a row (counted
 * afresh each time the thread enters it from outside) blocks the thread ('bound'), which the
 * explorer reports as an incomplete (inconclusive) search, as GenMC's --unroll does.
 *
 * `wait` and `notify` become read-modify-writes of their word's hidden waiter list and an sc read
 * of the word, as waiterList.ts describes: a `wait` hands out its enter, its read, its leave and,
 * when it sleeps, its resume one after the other; `inWaiterSection()` says the thread is between
 * its enter and its leave (the explorer adds those events at once, as one critical section). The
 * wait's read of a word modelled byte by byte (byteSlots.ts) is its four byte reads.
 */
import { addrWidth, assertNever, rmwResult, toWidth } from '../ir.js';
import type { IrExpr, IrInstr, IrLocation, IrProgram, Mode, Origin, RmwOp } from '../ir.js';
import { addressError, DIVISION_BY_ZERO, evalAddr, evalByteAddr, evalExpr, type RuntimeError, type RuntimeErrorCode } from './eval.js';
import { holds, isWaiterOp, notifyCount, waiterSlot, waiterWrite, type WaiterOp } from './waiterList.js';
import { byteSlot, byteWords, type ByteAccess } from './byteSlots.js';

/** Why a thread cannot go on. 'wait': asleep in a `wait` that no notify removed (the explorer's, never a runner's). */
export type BlockReason = 'assume' | 'await' | 'block' | 'spin' | 'bound' | 'wait';

/** The next thing a thread does, as data. */
export type ThreadOp =
  /** a load, or the load of an `await` (then `awaitCond` decides whether the thread may go on) */
  | { readonly kind: 'read'; readonly slot: number; readonly mode: Mode; readonly isAwait: boolean; readonly origin: Origin; readonly bytes?: ByteAccess }
  | { readonly kind: 'write'; readonly slot: number; readonly value: number; readonly mode: Mode; readonly origin: Origin; readonly bytes?: ByteAccess }
  /** a read-modify-write (or a waiter-list operation: waiterList.ts): the caller picks the value read; `rmwWrite` gives the value written */
  | { readonly kind: 'rmw'; readonly slot: number; readonly op: RmwOp | WaiterOp; readonly operand: number; readonly expected: number; readonly mode: Mode; readonly origin: Origin }
  | { readonly kind: 'fence'; readonly mode: Mode; readonly origin: Origin }
  /** entering or leaving critical region `region` (no memory effect; the explorer checks exclusion) */
  | { readonly kind: 'enter' | 'exit'; readonly region: number; readonly origin: Origin }
  | { readonly kind: 'done' }
  /** `reads`: for 'spin', how many reads the failed iteration made (the thread's last events) */
  | { readonly kind: 'blocked'; readonly reason: BlockReason; readonly origin: Origin; readonly reads: number }
  /** `code`: a run-time error's catalogued code (R601, R602); null for a failed assert */
  | { readonly kind: 'error'; readonly error: 'assert' | 'runtime'; readonly message: string; readonly code: RuntimeErrorCode | null; readonly origin: Origin };

/** The value an RMW writes after reading `old`, or null when a cmpxchg's compare failed or a resume found its thread woken (no write). */
export function rmwWrite(op: { readonly op: RmwOp | WaiterOp; readonly operand: number; readonly expected: number }, old: number, failedCasWrites = false): number | null {
  if (isWaiterOp(op.op)) return waiterWrite(op.op, old, op.operand, op.expected);
  if (op.op === 'cmpxchg' && old !== op.expected) return failedCasWrites ? old : null;
  return rmwResult(op.op, old, op.operand, op.expected);
}

/** An RMW's operation, as `rmwWrite` takes it. */
type RmwArgs = { readonly op: RmwOp; readonly operand: number; readonly expected: number };

/** Options of a thread runner. */
export interface ThreadRunnerOptions {
  /** live[pc][r]: register r is live at pc (checker/liveness.ts's analysis); without it every register counts */
  readonly live?: readonly (readonly boolean[])[];
  /** most iterations of one loop, per entry into it, before the thread blocks with 'bound' */
  readonly unroll: number;
  /** a compareExchange whose compare fails still writes the value it read back (ES2017's rule: GraphModel.failedCasWrites) */
  readonly failedCasWrites?: boolean;
}

/** Most thread-local instructions in a row before the runner calls it a local infinite loop. */
const LOCAL_STEP_LIMIT = 1_000_000;

/** One IR thread, run until its next memory operation. Reset it to re-execute from the start. */
export class IrThreadRunner {
  private readonly code: readonly IrInstr[];
  private readonly regs: Int32Array;
  private pc = 0;
  /** the operation the thread is stopped at, until `resume` */
  private pending: ThreadOp | null = null;
  /** per loop head: iterations since the loop was last entered from outside */
  private readonly iterations = new Map<number, number>();
  /** the loop head the last backward jump went to (-1: the last step was no backward jump) */
  private viaBackJump = -1;
  /** loopHead[pc] = 1 when some backward jump targets pc */
  private readonly loopHead: Uint8Array;
  /** per loop head pc: the live registers and the effect count when the thread was last there */
  private readonly atHead = new Map<number, { readonly regs: Int32Array; readonly effects: number; readonly resumed: number }>();
  /** operations resumed so far */
  private resumed = 0;
  /** writes, RMWs, fences and region markers performed so far */
  private effects = 0;
  private finalOp: ThreadOp | null = null;
  /** inside a `wait`: 0 before its enter, 1 before its read, 2 before its leave, 3 asleep (before its resume) */
  private waitPhase = 0;
  /** the wait's read found the expected value (it sleeps) */
  private waitMatch = false;
  /** the base of waiter-list states: threads + 1 */
  private readonly listBase: number;
  /** per word: modelled byte by byte (byteSlots.ts); null when no word is */
  private readonly byteWords: Uint8Array | null;
  /**
   * the access of a byte-by-byte location in progress: its first byte in the flat memory, its
   * width, the bytes done, the bytes read so far (little-endian) or the value to write; for an
   * RMW, its operation (the expected value converted to the width) and whether its reads are
   * done (then `value` is what it writes and `done` counts its written bytes).
   * invariant: non-null only between the byte events of one load, await, store, RMW or wait's read
   */
  private part: { readonly byte: number; readonly width: number; done: number; acc: number; value: number; readonly rmw: RmwArgs | null; writing: boolean } | null = null;

  private readonly program: IrProgram;
  private readonly options: ThreadRunnerOptions;
  /** the thread's index in the program */
  readonly thread: number;

  constructor(program: IrProgram, thread: number, options: ThreadRunnerOptions) {
    this.program = program;
    this.thread = thread;
    this.options = options;
    const th = program.threads[thread];
    if (th === undefined) throw new Error(`internal error: no thread ${thread} (this is a bug in memweave)`);
    this.code = th.code;
    this.regs = new Int32Array(th.registers.length);
    this.listBase = program.threads.length + 1;
    this.byteWords = byteWords(program);
    this.loopHead = new Uint8Array(th.code.length + 1);
    th.code.forEach((instr, pc) => {
      if ((instr.kind === 'jump' || instr.kind === 'branch') && instr.target <= pc) this.loopHead[instr.target] = 1;
    });
  }

  /** Back to the thread's start: registers 0, pc 0. */
  reset(): void {
    this.regs.fill(0);
    this.pc = 0;
    this.pending = null;
    this.iterations.clear();
    this.viaBackJump = -1;
    this.atHead.clear();
    this.effects = 0;
    this.resumed = 0;
    this.finalOp = null;
    this.waitPhase = 0;
    this.waitMatch = false;
    this.part = null;
  }

  /** Between the byte writes of one store or RMW of a byte-by-byte location: its next event is another byte of that write. */
  inByteWrite(): boolean {
    const part = this.part;
    return part !== null && (part.writing || this.code[this.pc]?.kind === 'store');
  }

  /** Between a wait's enter and its leave: the thread's next event belongs to the same critical section. */
  inWaiterSection(): boolean {
    return this.waitPhase === 1 || this.waitPhase === 2;
  }

  /** The thread's registers (read-only view, for outcomes). */
  registers(): Int32Array {
    return this.regs;
  }

  /** The next operation (the same one until `resume`); 'done', 'blocked' and errors are final. */
  next(): ThreadOp {
    if (this.pending !== null) return this.pending;
    if (this.finalOp !== null) return this.finalOp;
    const op = this.run();
    if (op.kind === 'done' || op.kind === 'blocked' || op.kind === 'error') this.finalOp = op;
    else this.pending = op;
    return op;
  }

  /** Perform the pending operation with `value` as what it read (ignored for writes, fences, markers). */
  resume(value: number): void {
    const op = this.pending;
    if (op === null) throw new Error('internal error: resume without a pending operation (this is a bug in memweave)');
    this.pending = null;
    this.resumed++;
    const instr = this.code[this.pc] as IrInstr;
    if (instr.kind === 'wait' || instr.kind === 'notify') {
      const part = this.part;
      if (part !== null) {
        // a byte of a wait's read of a byte-by-byte word: the word is known once its four bytes are read
        part.acc |= (value & 0xff) << (8 * part.done);
        if (++part.done < part.width) return;
        this.part = null;
        value = part.acc | 0;
      }
      this.resumeWaiter(instr, value);
      return;
    }
    switch (op.kind) {
      case 'read': {
        const part = this.part;
        if (part !== null) {
          // one byte of a byte-by-byte read: the value is known once every byte is read
          part.acc |= (value & 0xff) << (8 * part.done);
          if (++part.done < part.width) return;
          value = toWidth(part.acc, part.width);
          if (part.rmw !== null && instr.kind === 'rmw') {
            // an RMW's reads are done: its writes follow (none when a compareExchange failed: the
            // graph engine refuses failedCasWrites here, checker/graphCheck.ts casWriteBackUnsupported)
            this.setReg(instr.dst, value);
            const w = rmwWrite(part.rmw, value);
            if (w !== null) {
              part.writing = true;
              part.done = 0;
              part.value = w;
              return;
            }
            this.part = null;
            break;
          }
          this.part = null;
        }
        if (instr.kind === 'await') {
          const c = evalExpr(instr.cond, this.regs, 0, instr.dst, value);
          if (c !== c) {
            this.finalOp = this.runtime(instr.origin);
            return;
          }
          if (c === 0) {
            this.finalOp = { kind: 'blocked', reason: 'await', origin: instr.origin, reads: this.byteWise(instr) ? addrWidth(instr.addr) : 1 };
            return;
          }
        }
        if (instr.kind === 'load' || instr.kind === 'await') this.setReg(instr.dst, value);
        break;
      }
      case 'rmw':
        if (instr.kind === 'rmw') this.setReg(instr.dst, value);
        if (rmwWrite(op, value, this.options.failedCasWrites === true) !== null) this.effects++; // a failed cmpxchg only reads (except under failedCasWrites)
        break;
      case 'write':
        this.effects++;
        if (this.part !== null) {
          if (++this.part.done < this.part.width) return;
          this.part = null;
        }
        break;
      case 'fence':
      case 'enter':
      case 'exit':
        this.effects++;
        break;
      default:
        throw new Error(`internal error: resume of a '${op.kind}' operation (this is a bug in memweave)`);
    }
    this.pc++;
  }

  /** Resume a wait or a notify (waiterList.ts); the pc moves on when the instruction is over. */
  private resumeWaiter(instr: Extract<IrInstr, { kind: 'wait' | 'notify' }>, value: number): void {
    this.effects++; // its critical sections write the waiter list: a loop around it is no spin loop
    if (instr.kind === 'notify') {
      const count = instr.count === null ? null : this.eval(instr.count);
      this.setReg(instr.dst, notifyCount(value, this.listBase, count));
      this.pc++;
      return;
    }
    switch (this.waitPhase) {
      case 0:
        this.waitPhase = 1;
        return;
      case 1:
        this.waitMatch = value === this.eval(instr.expected);
        this.waitPhase = 2;
        return;
      case 2:
        if (this.waitMatch) {
          this.waitPhase = 3;
          return;
        }
        this.setReg(instr.dst, 1); // not-equal
        break;
      default:
        this.setReg(instr.dst, holds(value, this.listBase, this.thread) ? 2 : 0); // still listed: timed out; else woken
    }
    this.waitPhase = 0;
    this.pc++;
  }

  private setReg(r: number, v: number): void {
    if (r >= 0) this.regs[r] = v;
  }

  private eval(e: IrExpr): number {
    return evalExpr(e, this.regs, 0, -1, 0);
  }

  private slot(instr: Extract<IrInstr, { addr: unknown }>): number {
    const loc = this.program.locations[instr.addr.loc];
    if (loc === undefined) throw new Error(`internal error: location ${instr.addr.loc} does not exist (this is a bug in memweave)`);
    return evalAddr(instr.addr, loc, this.regs, 0);
  }

  private runtime(origin: Origin, e: RuntimeError = DIVISION_BY_ZERO): ThreadOp {
    return { kind: 'error', error: 'runtime', message: e.text, code: e.code, origin };
  }

  private addrError(instr: Extract<IrInstr, { addr: unknown }>, slot: number): ThreadOp {
    const loc = this.program.locations[instr.addr.loc] as IrLocation;
    return this.runtime(instr.origin, addressError(slot, loc, this.eval(instr.addr.index), instr.addr.width));
  }

  /** Is this access to a location modelled byte by byte (byteSlots.ts)? */
  private byteWise(instr: Extract<IrInstr, { addr: unknown }>): boolean {
    const loc = this.program.locations[instr.addr.loc];
    return this.byteWords !== null && loc !== undefined && this.byteWords[loc.base] === 1;
  }

  /** The next byte event of the byte-by-byte access in progress. */
  private bytePart(instr: IrInstr): ThreadOp {
    const part = this.part as NonNullable<IrThreadRunner['part']>;
    const flat = part.byte + part.done;
    const slot = byteSlot(flat >> 2, flat & 3);
    const bytes: ByteAccess = { lo: part.byte & 3, size: part.width, part: part.done };
    if (instr.kind === 'store') return { kind: 'write', slot, value: (part.value >>> (8 * part.done)) & 0xff, mode: instr.mode, origin: instr.origin, bytes };
    if (instr.kind === 'load' || instr.kind === 'await') return { kind: 'read', slot, mode: instr.mode, isAwait: instr.kind === 'await', origin: instr.origin, bytes };
    if (instr.kind === 'wait') return { kind: 'read', slot, mode: 'sc', isAwait: false, origin: instr.origin, bytes };
    if (instr.kind === 'rmw') {
      // an RMW: its byte reads, then its byte writes (parts width … 2·width-1), one access
      if (!part.writing) return { kind: 'read', slot, mode: instr.mode, isAwait: false, origin: instr.origin, bytes: { ...bytes, rmw: true } };
      return { kind: 'write', slot, value: (part.value >>> (8 * part.done)) & 0xff, mode: instr.mode, origin: instr.origin, bytes: { ...bytes, part: part.width + part.done, rmw: true } };
    }
    throw new Error(`internal error: a byte-by-byte access of a ${instr.kind} (this is a bug in memweave)`);
  }

  /** Start a byte-by-byte load, await, store or RMW (its address checked); its first byte event, or the address error. */
  private startBytes(instr: Extract<IrInstr, { kind: 'load' | 'await' | 'store' | 'rmw' }>, value: number, rmw: RmwArgs | null = null): ThreadOp {
    const loc = this.program.locations[instr.addr.loc] as IrLocation;
    const byte = evalByteAddr(instr.addr, loc, this.regs, 0);
    if (byte < 0) return this.addrError(instr, byte);
    this.part = { byte, width: addrWidth(instr.addr), done: 0, acc: 0, value, rmw, writing: false };
    return this.bytePart(instr);
  }

  /** Run thread-local instructions until a memory operation or the end. */
  private run(): ThreadOp {
    // between the byte events of one access: its next byte, with no loop bookkeeping (the pc has not moved)
    if (this.part !== null) return this.bytePart(this.code[this.pc] as IrInstr);
    for (let steps = 0; steps < LOCAL_STEP_LIMIT; steps++) {
      const instr = this.code[this.pc];
      if (instr === undefined) return { kind: 'done' };
      if (this.loopHead[this.pc] === 1) {
        this.atHead.set(this.pc, { regs: this.liveSnapshot(this.options.live?.[this.pc]), effects: this.effects, resumed: this.resumed });
        if (this.viaBackJump !== this.pc) this.iterations.set(this.pc, 0); // entered from outside: a new run of the loop
      }
      this.viaBackJump = -1;
      switch (instr.kind) {
        case 'load':
        case 'await': {
          if (this.byteWise(instr)) return this.startBytes(instr, 0);
          const slot = this.slot(instr);
          if (slot < 0) return this.addrError(instr, slot);
          return { kind: 'read', slot, mode: instr.mode, isAwait: instr.kind === 'await', origin: instr.origin };
        }
        case 'store': {
          if (this.byteWise(instr)) {
            const v = this.eval(instr.value);
            return v !== v ? this.runtime(instr.origin) : this.startBytes(instr, v);
          }
          const slot = this.slot(instr);
          if (slot < 0) return this.addrError(instr, slot);
          const value = this.eval(instr.value);
          if (value !== value) return this.runtime(instr.origin);
          return { kind: 'write', slot, value, mode: instr.mode, origin: instr.origin };
        }
        case 'rmw': {
          if (this.byteWise(instr)) {
            // an RMW of a byte-by-byte location: on the element, the expected value converted
            // to its width (as Atomics.compareExchange does, ECMA-262 §25.4), carries dropped at its edge
            const operand = this.eval(instr.value);
            const expected = instr.expected === null ? 0 : this.eval(instr.expected);
            if (operand !== operand || expected !== expected) return this.runtime(instr.origin);
            return this.startBytes(instr, 0, { op: instr.op, operand, expected: toWidth(expected, addrWidth(instr.addr)) });
          }
          const slot = this.slot(instr);
          if (slot < 0) return this.addrError(instr, slot);
          const operand = this.eval(instr.value);
          const expected = instr.expected === null ? 0 : this.eval(instr.expected);
          if (operand !== operand || expected !== expected) return this.runtime(instr.origin);
          return { kind: 'rmw', slot, op: instr.op, operand, expected, mode: instr.mode, origin: instr.origin };
        }
        case 'fence':
          return { kind: 'fence', mode: instr.mode, origin: instr.origin };
        case 'enter':
        case 'exit':
          return { kind: instr.kind, region: instr.region, origin: instr.origin };
        case 'wait': {
          const slot = this.slot(instr);
          if (slot < 0) return this.addrError(instr, slot);
          const expected = this.eval(instr.expected);
          const timeout = instr.timeout === null ? 0 : this.eval(instr.timeout); // evaluated, not interpreted
          if (expected !== expected || timeout !== timeout) return this.runtime(instr.origin);
          return this.waitOp(instr, slot);
        }
        case 'notify': {
          const slot = this.slot(instr);
          if (slot < 0) return this.addrError(instr, slot);
          const count = instr.count === null ? -1 : this.eval(instr.count);
          if (count !== count) return this.runtime(instr.origin);
          return { kind: 'rmw', slot: waiterSlot(this.program.memorySize, slot), op: 'wl_notify', operand: instr.count === null ? -1 : Math.max(count, 0), expected: this.listBase, mode: 'sc', origin: instr.origin };
        }
        case 'block': {
          const c = this.eval(instr.cond);
          if (c !== c) return this.runtime(instr.origin);
          if (c === 0) return { kind: 'blocked', reason: 'block', origin: instr.origin, reads: 0 };
          break;
        }
        case 'assign': {
          const v = this.eval(instr.value);
          if (v !== v) return this.runtime(instr.origin);
          this.setReg(instr.dst, v);
          break;
        }
        case 'branch': {
          const c = this.eval(instr.cond);
          if (c !== c) return this.runtime(instr.origin);
          if (c !== 0) {
            const blocked = this.jumpTo(instr.target, instr.origin);
            if (blocked !== null) return blocked;
            continue;
          }
          break;
        }
        case 'jump': {
          const blocked = this.jumpTo(instr.target, instr.origin);
          if (blocked !== null) return blocked;
          continue;
        }
        case 'assert': {
          const c = this.eval(instr.cond);
          if (c !== c) return this.runtime(instr.origin);
          if (c === 0) return { kind: 'error', error: 'assert', message: instr.message, code: null, origin: instr.origin };
          break;
        }
        case 'assume': {
          const c = this.eval(instr.cond);
          if (c !== c) return this.runtime(instr.origin);
          if (c === 0) return { kind: 'blocked', reason: 'assume', origin: instr.origin, reads: 0 };
          break;
        }
        case 'skip':
          break;
        default:
          return assertNever(instr);
      }
      this.pc++;
    }
    const origin = this.code[this.pc]?.origin ?? this.code[0]?.origin;
    if (origin === undefined) return { kind: 'done' };
    return { kind: 'blocked', reason: 'bound', origin, reads: 0 };
  }

  /** The next event of a wait, by its phase. */
  private waitOp(instr: Extract<IrInstr, { kind: 'wait' }>, slot: number): ThreadOp {
    const origin = instr.origin;
    const list = waiterSlot(this.program.memorySize, slot);
    const rmw = (op: WaiterOp, operand: number): ThreadOp => ({ kind: 'rmw', slot: list, op, operand, expected: this.listBase, mode: 'sc', origin });
    switch (this.waitPhase) {
      case 0:
        return rmw('wl_enter', 0);
      case 1:
        // the wait's SeqCst read of its word (Atomics.wait reads the Int32Array element): one
        // event, or four byte events of a byte-by-byte word, composed as any word read is
        if (this.byteWise(instr)) {
          this.part = { byte: 4 * slot, width: 4, done: 0, acc: 0, value: 0, rmw: null, writing: false };
          return this.bytePart(instr);
        }
        return { kind: 'read', slot, mode: 'sc', isAwait: false, origin };
      case 2:
        return rmw('wl_leave', this.waitMatch ? this.thread : -1);
      default:
        return rmw(instr.timeout === null ? 'wl_resume' : 'wl_resume_t', this.thread);
    }
  }

  /** Take a jump to `target`; a backward jump closes a loop iteration: spin detection and the bound. */
  private jumpTo(target: number, origin: Origin): ThreadOp | null {
    const from = this.pc;
    this.pc = target;
    if (target > from) return null;
    const before = this.atHead.get(target);
    if (before !== undefined && before.effects === this.effects && sameWords(before.regs, this.liveSnapshot(this.options.live?.[target]))) {
      return { kind: 'blocked', reason: 'spin', origin, reads: this.resumed - before.resumed };
    }
    const n = (this.iterations.get(target) ?? 0) + 1;
    this.iterations.set(target, n);
    if (n > this.options.unroll) return { kind: 'blocked', reason: 'bound', origin, reads: 0 };
    this.viaBackJump = target;
    return null;
  }

  private liveSnapshot(live: readonly boolean[] | undefined): Int32Array {
    const out = new Int32Array(this.regs.length);
    for (let r = 0; r < this.regs.length; r++) out[r] = live === undefined || live[r] === true ? (this.regs[r] ?? 0) : 0;
    return out;
  }
}

function sameWords(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
