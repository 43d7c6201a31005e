/**
 * Compile one thread of a validated IR program to the JavaScript source of a worker function.
 *
 * Safety: the generated text is assembled only from fixed tokens of this file and integers taken
 * from the IR (register numbers, location numbers, constants, jump targets) — never from names,
 * messages or any other string in the input. Strings a report needs (assert messages, source
 * positions) stay on the host side and are looked up by instruction index. `compileProgram`
 * refuses IR that `validateIr` rejects.
 *
 * Mapping (the JavaScript memory model's view of each IR instruction):
 * - `plain` loads/stores → ordinary Int32Array element reads/writes (unordered);
 * - every other mode (sc, rel, acq, rlx, acq_rel) → Atomics.load / Atomics.store (JavaScript
 *   has only SeqCst atomics, which are at least as strong as each mode);
 * - RMWs → Atomics.exchange / compareExchange / add / sub / and / or / xor;
 * - fences → an Atomics.add of 0 on a private slot (a locked instruction on x86: a full fence);
 * - wait / notify → Atomics.wait / Atomics.notify (wait with no timeout waits forever; the
 *   harness watchdog ends a hung run);
 * - await → a spin loop of Atomics.load (a plain spin could legally be hoisted by the JIT),
 *   sleeping 0.1 ms after every S[0] spins when S[0] is not 0 (more threads than cores);
 * - critical regions → an occupancy word per region in each iteration's copy, Atomics.add on
 *   entry; finding it non-zero is a mutual-exclusion violation, recorded in K[2] (the first pc)
 *   while the thread runs on to its end, so the iteration's outcome still counts.
 *
 * Generated function signature (see impl/harness protocol):
 *   (M, B, O, R, S, K) => status
 *   M: Int32Array over the shared buffer (all copies of the locations),
 *   B: base word of this iteration's copy, O: Int32Array of offsets within a copy: one per
 *   location, then one occupancy word per critical region,
 *   R: Int32Array where register values are written at the end (R[rOff + reg]), with rOff = K[0],
 *   S: Int32Array: S[0] how many times an `await` spins before it sleeps 0.1 ms (0: it never
 *   sleeps; the harness sets it when threads outnumber cores), S[1] the index in M of this
 *   thread's private fence slot (always 0), S[2] the index in M of its progress slot (the pc of
 *   its latest blocking point),
 *   K: Int32Array scratch: K[0] register offset, K[1] ← failing pc on a non-ok status,
 *   K[2] the pc of the first mutual-exclusion violation (-1 on entry: none yet).
 * Returns 0 (done), 1 (assert failed), 2 (assume false: discard), 3 (runtime error),
 * 4 (finished, registers written, but a mutual-exclusion violation happened at pc K[1]),
 * 5 (blocked forever on a register-only condition).
 */
import type { IrAddr, IrExpr, IrInstr, IrProgram } from '../model/ir.js';
import { assertNever } from '../model/ir.js';
import { validateIr } from '../model/irValidate.js';

/** Status codes returned by a compiled thread function. */
export const RUN_STATUS = { done: 0, assertFailed: 1, pruned: 2, runtimeError: 3, mutexViolated: 4, blocked: 5 } as const;
export type RunStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS];

/** Binary operators whose JavaScript form is a fixed token. Division and remainder are handled separately (zero check). */
const BINARY_JS: Readonly<Record<string, string>> = {
  '+': '+', '-': '-', '&': '&', '|': '|', '^': '^', '<<': '<<', '>>': '>>',
  '==': '===', '!=': '!==', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
};

/** A compiled thread: its JavaScript source (a function expression) and its register count. */
export interface CompiledThread {
  readonly source: string;
  /** words the thread writes per iteration into R: its registers, then (with a read log) the log's count and entries */
  readonly registers: number;
  /** with a read log: the word (after the registers) holding how many values the thread read; -1 without */
  readonly logAt: number;
}

/** Compile options. */
export interface CompileOptions {
  /**
   * Record, per iteration, the value of every shared read each thread makes (load, the old value
   * of a read-modify-write, the read an `await` returns with), in order, up to this many; the
   * count word holds how many it made (more than the cap: the log is incomplete). 0: no log.
   */
  readonly readLog?: number;
}

/** Thrown only for IR that failed validation: callers validate first, so this is an internal bug. */
export class InvalidIrError extends Error {}

/** Render an integer constant; the only way a value from the IR reaches the text. */
function int(n: number): string {
  if (!Number.isInteger(n)) throw new InvalidIrError(`internal error: non-integer in IR (${String(n)})`);
  const v = n | 0;
  return v < 0 ? `(${v})` : String(v);
}

class ThreadCompiler {
  private readonly lines: string[] = [];

  private readonly program: IrProgram;
  private readonly thread: number;
  /** read-log capacity (0: none) */
  private readonly logCap: number;
  /** the thread's register count: the log's count word follows them */
  private readonly nregs: number;
  /** set once an expression divides (the body then needs its division-by-zero catch) */
  private divides = false;
  /** set once an access goes through a narrow view (the function then makes its i8/i16 views) */
  private narrow = false;

  constructor(program: IrProgram, thread: number, logCap: number) {
    this.program = program;
    this.thread = thread;
    this.logCap = logCap;
    this.nregs = program.threads[thread]?.registers.length ?? 0;
  }

  /** With a read log: append the value in local `v` (the count `n` goes on past the cap, so an overflow is seen). */
  private logRead(): void {
    if (this.logCap === 0) return;
    this.lines.push(`      if (n < ${int(this.logCap)}) R[K[0] + ${int(this.nregs + 1)} + n] = v; n++;`);
  }

  /** Assign `rhs` (a read) to register `dst` (-1: none), logging the value read. */
  private read(dst: number, rhs: string): void {
    if (this.logCap === 0) {
      this.lines.push(dst >= 0 ? `      r${int(dst)} = ${rhs};` : `      ${rhs};`);
      return;
    }
    this.lines.push(`      v = ${rhs};`);
    if (dst >= 0) this.lines.push(`      r${int(dst)} = v;`);
    this.logRead();
  }

  /** An expression; division and remainder go through a checked helper. */
  expr(e: IrExpr): string {
    switch (e.kind) {
      case 'const':
        return int(e.value);
      case 'reg':
        return `r${int(e.reg)}`;
      case 'unary': {
        const a = this.expr(e.operand);
        switch (e.op) {
          case '-': return `(-${a} | 0)`;
          case '!': return `(${a} === 0 ? 1 : 0)`;
          case '~': return `(~${a})`;
          default: return assertNever(e);
        }
      }
      case 'binary': {
        const a = this.expr(e.left);
        const b = this.expr(e.right);
        switch (e.op) {
          case '+': case '-': return `((${a} ${BINARY_JS[e.op]} ${b}) | 0)`;
          case '*': return `Math.imul(${a}, ${b})`;
          case '/': this.divides = true; return `div(${a}, ${b})`;
          case '%': this.divides = true; return `rem(${a}, ${b})`;
          case '&': case '|': case '^': return `(${a} ${BINARY_JS[e.op]} ${b})`;
          case '<<': case '>>': return `(${a} ${BINARY_JS[e.op]} (${b} & 31))`;
          case '==': case '!=': case '<': case '<=': case '>': case '>=': return `((${a} ${BINARY_JS[e.op]} ${b}) ? 1 : 0)`;
          case '&&': return `((${a} !== 0 && ${b} !== 0) ? 1 : 0)`;
          case '||': return `((${a} !== 0 || ${b} !== 0) ? 1 : 0)`;
          default: return assertNever(e);
        }
      }
      default:
        return assertNever(e);
    }
  }

  /** Address computation with a bounds check; yields the name of a local holding the word index (for a narrow view: the element index in M8 / M16). */
  addr(instr: { readonly addr: IrAddr }, pc: number): string {
    const loc = this.program.locations[instr.addr.loc];
    if (loc === undefined) throw new InvalidIrError('internal error: bad location');
    const idx = this.expr(instr.addr.index);
    const w = instr.addr.width ?? 4;
    if (w !== 1 && w !== 2 && w !== 4) throw new InvalidIrError('internal error: bad access width');
    const per = 4 / w; // elements of the view per word
    this.lines.push(`      a = ${idx};`);
    this.lines.push(`      if (a < 0 || a >= ${int(loc.size * per)}) { K[1] = ${int(pc)}; return 3; }`);
    // an element of the i8/i16 view over the same SharedArrayBuffer: the word index of this copy of the location, times elements per word, plus the element
    this.lines.push(per === 1 ? `      a = B + O[${int(instr.addr.loc)}] + a;` : `      a = (B + O[${int(instr.addr.loc)}]) * ${int(per)} + a;`);
    return 'a';
  }

  /** The typed array an access goes through: M (Int32Array), M16 (Int16Array) or M8 (Int8Array), all over the one shared buffer. */
  view(instr: { readonly addr: IrAddr }): string {
    const w = instr.addr.width ?? 4;
    if (w !== 4) this.narrow = true;
    return w === 1 ? 'M8' : w === 2 ? 'M16' : 'M';
  }

  instr(ins: IrInstr, pc: number): void {
    const L = this.lines;
    switch (ins.kind) {
      case 'load': {
        const a = this.addr(ins, pc);
        const V = this.view(ins);
        const rhs = ins.mode === 'plain' ? `${V}[${a}]` : `Atomics.load(${V}, ${a})`;
        this.read(ins.dst, rhs);
        return;
      }
      case 'store': {
        const v = this.expr(ins.value);
        L.push(`      v = ${v};`);
        const a = this.addr(ins, pc);
        const V = this.view(ins);
        L.push(ins.mode === 'plain' ? `      ${V}[${a}] = v;` : `      Atomics.store(${V}, ${a}, v);`);
        return;
      }
      case 'rmw': {
        const v = this.expr(ins.value);
        L.push(`      v = ${v};`);
        let call: string;
        if (ins.op === 'cmpxchg') {
          if (ins.expected === null) throw new InvalidIrError('internal error: cmpxchg without expected');
          L.push(`      e = ${this.expr(ins.expected)};`);
          const a = this.addr(ins, pc);
          call = `Atomics.compareExchange(${this.view(ins)}, ${a}, e, v)`;
        } else {
          const a = this.addr(ins, pc);
          const fn = (
            { exchange: 'exchange', fetch_add: 'add', fetch_sub: 'sub', fetch_and: 'and', fetch_or: 'or', fetch_xor: 'xor' } as const
          )[ins.op];
          call = `Atomics.${fn}(${this.view(ins)}, ${a}, v)`;
        }
        this.read(ins.dst, call);
        return;
      }
      case 'fence':
        L.push(`      Atomics.add(M, S[1], 0);`);
        return;
      case 'wait': {
        L.push(`      e = ${this.expr(ins.expected)};`);
        if (ins.timeout !== null) L.push(`      t = ${this.expr(ins.timeout)};`);
        const a = this.addr(ins, pc);
        L.push(`      Atomics.store(M, S[2], ${int(pc)});`);
        const call = ins.timeout === null ? `Atomics.wait(M, ${a}, e)` : `Atomics.wait(M, ${a}, e, t < 0 ? 0 : t)`;
        L.push(`      w = ${call};`);
        if (ins.dst >= 0) L.push(`      r${int(ins.dst)} = w === 'ok' ? 0 : w === 'not-equal' ? 1 : 2;`);
        return;
      }
      case 'notify': {
        if (ins.count !== null) L.push(`      c = ${this.expr(ins.count)};`);
        const a = this.addr(ins, pc);
        const call = ins.count === null ? `Atomics.notify(M, ${a})` : `Atomics.notify(M, ${a}, c < 0 ? 0 : c)`;
        L.push(ins.dst >= 0 ? `      r${int(ins.dst)} = ${call};` : `      ${call};`);
        return;
      }
      case 'await': {
        const a = this.addr(ins, pc);
        L.push(`      Atomics.store(M, S[2], ${int(pc)});`);
        // after S[0] spins (0: never) sleep 0.1 ms on the private fence slot (always 0), so a thread
        // waiting for one that is not running gives up its core when threads outnumber cores
        L.push(`      for (y = 0;;) { r${int(ins.dst)} = Atomics.load(${this.view(ins)}, ${a}); if (${this.expr(ins.cond)} !== 0) break; if (S[0] !== 0 && ++y >= S[0]) { y = 0; Atomics.wait(M, S[1], 0, 0.1); } }`);
        // the read the await returns with is its one read (the model's await is one step)
        if (this.logCap !== 0) {
          L.push(`      v = r${int(ins.dst)};`);
          this.logRead();
        }
        return;
      }
      case 'block':
        L.push(`      if (${this.expr(ins.cond)} === 0) { K[1] = ${int(pc)}; return 5; }`);
        return;
      case 'assign':
        L.push(`      r${int(ins.dst)} = ${this.expr(ins.value)};`);
        return;
      case 'branch':
        L.push(`      if (${this.expr(ins.cond)} !== 0) { pc = ${int(ins.target)}; continue; }`);
        return;
      case 'jump':
        L.push(`      pc = ${int(ins.target)}; continue;`);
        return;
      case 'assert':
        L.push(`      if (${this.expr(ins.cond)} === 0) { K[1] = ${int(pc)}; return 1; }`);
        return;
      case 'assume':
        L.push(`      if (${this.expr(ins.cond)} === 0) { K[1] = ${int(pc)}; return 2; }`);
        return;
      case 'enter':
        // a violation is recorded (first pc in K[2]) and the thread goes on: a region observes, it never cuts an execution
        L.push(`      if (Atomics.add(M, B + O[${int(this.program.locations.length + ins.region)}], 1) !== 0 && K[2] < 0) K[2] = ${int(pc)};`);
        return;
      case 'exit':
        L.push(`      Atomics.sub(M, B + O[${int(this.program.locations.length + ins.region)}], 1);`);
        return;
      case 'skip':
        return;
      default:
        assertNever(ins);
    }
  }

  compile(): CompiledThread {
    const t = this.program.threads[this.thread];
    if (t === undefined) throw new InvalidIrError('internal error: bad thread index');
    const nregs = t.registers.length;
    const code = t.code;
    // the body first (it says whether the function needs its views and its division catch), then the frame around it
    const L = this.lines;
    // code without jumps runs straight through (the common litmus test: a few accesses, no loop to dispatch)
    const straight = code.every((ins) => ins.kind !== 'branch' && ins.kind !== 'jump');
    for (let pc = 0; pc < code.length; pc++) {
      const ins = code[pc];
      if (ins === undefined) continue;
      if (!straight) L.push(`    case ${pc}:`);
      L.push(`      pc = ${pc};`);
      this.instr(ins, pc);
    }
    const body = L.splice(0, L.length);
    L.push('"use strict";');
    if (this.divides) {
      L.push('const div = (a, b) => { if (b === 0) throw DIV0; return (a / b) | 0; };');
      L.push('const rem = (a, b) => { if (b === 0) throw DIV0; return (a % b) | 0; };');
      L.push('const DIV0 = { div0: true };');
    }
    // the i8 and i16 views of the shared memory (little-endian on every engine memweave runs on), made once per M
    // (comparing the Int32Array itself: reading a typed array's .buffer on every call costs more than a litmus test's body)
    if (this.narrow) L.push('let M8 = null, M16 = null, MV = null;');
    L.push('return function (M, B, O, R, S, K) {');
    if (this.narrow) L.push('  if (MV !== M) { MV = M; M8 = new Int8Array(M.buffer, M.byteOffset, M.length * 4); M16 = new Int16Array(M.buffer, M.byteOffset, M.length * 2); }');
    const decl = [];
    for (let r = 0; r < nregs; r++) decl.push(`r${r} = 0`);
    L.push(`  let pc = 0, a = 0, v = 0, e = 0, t = 0, c = 0, y = 0, n = 0, w = ''${decl.length > 0 ? ', ' + decl.join(', ') : ''};`);
    if (this.divides) L.push('  try {');
    if (straight) {
      L.push(...body);
    } else {
      L.push('  loop: for (;;) {');
      L.push('    switch (pc) {');
      L.push(...body);
      L.push(`    case ${code.length}:`);
      L.push('      break loop;');
      L.push('    default:');
      L.push('      K[1] = pc; return 3;');
      L.push('    }');
      L.push('  }');
    }
    if (this.divides) L.push('  } catch (err) { if (err === DIV0) { K[1] = pc; return 3; } throw err; }');
    for (let r = 0; r < nregs; r++) L.push(`  R[K[0] + ${r}] = r${r};`);
    if (this.logCap !== 0) L.push(`  R[K[0] + ${int(nregs)}] = n;`);
    L.push('  if (K[2] >= 0) { K[1] = K[2]; return 4; }');
    L.push('  return 0;');
    L.push('};');
    return { source: L.join('\n'), registers: this.logCap === 0 ? nregs : nregs + 1 + this.logCap, logAt: this.logCap === 0 ? -1 : nregs };
  }
}

/** Compile every thread of a program; throws InvalidIrError when the IR does not validate (callers validate first). */
export function compileProgram(program: IrProgram, options: CompileOptions = {}): CompiledThread[] {
  const problems = validateIr(program);
  if (problems.length > 0) throw new InvalidIrError(`internal error: refusing to compile invalid IR: ${problems.slice(0, 3).join('; ')}`);
  const cap = Math.max(0, Math.floor(options.readLog ?? 0));
  return program.threads.map((_, i) => new ThreadCompiler(program, i, cap).compile());
}
