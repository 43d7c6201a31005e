/**
 * The JavaScript model: the interleaving (SC) semantics of sc.ts, plus data-race detection in the
 * spirit of the ECMAScript memory model (ECMA-262 §29), where a program with a data race on
 * non-atomic accesses has no SC guarantee.
 *
 * A state has a data race when two different threads' next instructions are accesses to the same
 * memory slot, at least one writes, and at least one is `plain` (non-atomic). Atomics are: every
 * RMW, `wait`, and loads/stores/awaits of any mode other than `plain`; an `await` counts as a load
 * of its mode whether or not its condition holds (it stands for a spin loop that keeps reading).
 * `notify` reads no memory and never races. This is the classic characterisation "two conflicting
 * accesses concurrently enabled", which for SC executions coincides with the existence of
 * conflicting accesses unordered by happens-before.
 *
 * Mixed size (ECMA-262 §29.7 "Races" and "Data Races"): accesses conflict when their byte ranges
 * overlap, not when their words are the same, so an i8 write to byte 0 and one to byte 1 of the
 * same word by two threads do not race. Two atomics race only when their ranges overlap and are
 * not equal (a mixed-size pair of Atomics on the same bytes has no SC guarantee either).
 *
 * Not modelled: the relaxed behaviours the ECMAScript model allows for racy or non-SC atomics
 * (executions are SC; races are reported rather than given weak outcomes), tearing (every
 * access here is aligned inside one word and happens in one step), and the happens-before order
 * itself (the check is per state).
 */
import type { IrInstr, IrProgram } from '../ir.js';
import { evalByteAddr } from '../semantics/eval.js';
import type { MemoryModel, ModelContext, RaceReport, ThreadWords } from './model.js';
import { createScInstance, memoryOnlyWords } from './sc.js';

const READ = 1;
const WRITE = 2;
const ATOMIC = 4;

/** How an instruction accesses memory: a READ/WRITE/ATOMIC bit set, 0 for none. */
function accessClass(instr: IrInstr): number {
  switch (instr.kind) {
    case 'load':
    case 'await':
      return READ | (instr.mode === 'plain' ? 0 : ATOMIC);
    case 'store':
      return WRITE | (instr.mode === 'plain' ? 0 : ATOMIC);
    case 'rmw':
      return READ | WRITE | ATOMIC;
    case 'wait':
      return READ | ATOMIC;
    default:
      return 0;
  }
}

/** Build the race check of one program: (state) → the first racing pair of threads, or null. Allocation-free unless a race is found. */
export function createRaceCheck(program: IrProgram, layout: ThreadWords, slotName: (slot: number) => string): (s: Int32Array, off: number) => RaceReport | null {
  const THREAD_PC = layout.pcOffset;
  const THREAD_WAIT = layout.waitOffset;
  const n = program.threads.length;
  const classes = program.threads.map((th) => Int8Array.from(th.code, accessClass));
  // invariant: for a thread t with cls[t] !== 0, its next access covers the bytes [lo[t], hi[t]) of the flat memory
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const cls = new Int8Array(n);

  return (s, off) => {
    for (let t = 0; t < n; t++) {
      cls[t] = 0;
      const tb = off + (layout.threadBase[t] ?? 0);
      if ((s[tb + THREAD_WAIT] ?? 0) !== 0) continue;
      const pc = s[tb + THREAD_PC] ?? 0;
      const c = classes[t]?.[pc] ?? 0;
      if (c === 0) continue;
      const instr = program.threads[t]?.code[pc];
      if (instr === undefined || !('addr' in instr)) continue;
      const loc = program.locations[instr.addr.loc];
      if (loc === undefined) continue;
      const byte = evalByteAddr(instr.addr, loc, s, off + (layout.regBase[t] ?? 0));
      if (byte < 0) continue;
      lo[t] = byte;
      hi[t] = byte + (instr.addr.width ?? 4);
      cls[t] = c;
    }
    for (let i = 0; i < n; i++) {
      const ci = cls[i] ?? 0;
      if (ci === 0) continue;
      for (let j = i + 1; j < n; j++) {
        const cj = cls[j] ?? 0;
        const li = lo[i] ?? 0;
        const lj = lo[j] ?? 0;
        const hi_ = hi[i] ?? 0;
        const hj = hi[j] ?? 0;
        if (cj === 0 || li >= hj || lj >= hi_) continue; // disjoint byte ranges never race
        if (((ci | cj) & WRITE) === 0) continue;
        if ((ci & ATOMIC) !== 0 && (cj & ATOMIC) !== 0 && li === lj && hi_ === hj) continue; // equal ranges, both atomic
        return { threads: [i, j], message: raceMessage(program, s, off, layout, i, j, slotName(Math.max(li, lj) >> 2), (ci & cj & ATOMIC) !== 0) };
      }
    }
    return null;
  };
}

function raceMessage(program: IrProgram, s: Int32Array, off: number, layout: ThreadWords, i: number, j: number, name: string, mixedAtomics: boolean): string {
  const part = (t: number): string => {
    const th = program.threads[t];
    const instr = th?.code[s[off + (layout.threadBase[t] ?? 0) + layout.pcOffset] ?? 0];
    if (th === undefined || instr === undefined) return `#${t}`;
    return `${th.name} (${instr.origin.text} at ${program.file}:${instr.origin.span.line})`;
  };
  const why = mixedAtomics ? 'atomics of different sizes on overlapping bytes' : 'at least one non-atomic';
  return `data race on ${name}: ${part(i)} and ${part(j)} are concurrent conflicting accesses, ${why}`;
}

/** The JavaScript model: SC executions, with a data-race check on every state. */
export const js: MemoryModel<'js'> = {
  name: 'js',
  summary: 'the JavaScript model: sc, plus data-race detection on non-atomic accesses',
  sameOutcomesAs: 'sc',
  checksRaces: true,
  mixedSize: true,
  drfModel: 'js',
  buffersStore: () => false,
  flushes: () => false,
  words: memoryOnlyWords,
  create: (ctx: ModelContext) => createScInstance(ctx, 'js', createRaceCheck(ctx.program, ctx.threads, ctx.slotName)),
};
