/**
 * The operational memory-model interface: what one memory model contributes to a machine. A
 * model is one record (`MemoryModel`) in one file of model/memory/, listed once in registry.ts;
 * nothing outside model/memory/ names a model or reads a model's words.
 *
 * A model owns words of the packed state. It declares them per program (`words`): shared words
 * (the memory, slot k at sharedBase + k under every model here) and, per thread, a block the
 * thread owns (its store buffer, under tso and pso). The machine places them (model/semantics/
 * layout.ts: threads, shared words, critical regions, then the per-thread blocks in thread order)
 * and binds the model to those addresses (`create`), which gives a `ModelInstance`: the guards
 * (may this memory operation happen now?), the action of every memory operation (load, store,
 * RMW, fence, wait, notify) on the successor being built, the memory transitions it enables
 * (drains) as data, including choices, their footprints, its race check and its display.
 *
 * The thread semantics (createMachine.ts) decides *what* a thread does next and never touches
 * these words; the reductions (checker/) see them only through the hooks below: the footprint of
 * a memory transition, whether a thread holds a store to some locations, the room left in a
 * thread's buffer, and the symmetry hooks that compare and move a thread's block (a block holds
 * slots, values and counters, never thread numbers, so moving it is the whole permutation).
 *
 * Guards never write; actions are called only after their guard held, on the successor (already a
 * copy of the source state), and keep the words canonical: equal meanings give equal words.
 *
 * Hot path: every function of `ModelInstance` allocates nothing except those marked cold.
 */
import { maskElement, viewRead, type IrInstr, type IrProgram, type Mode } from '../ir.js';

/** A data race found in a state (js model): two threads whose next accesses conflict, at least one plain. */
export interface RaceReport {
  readonly threads: readonly [number, number];
  /** e.g. "data race on y: P0 (…) and P1 (…) are concurrent conflicting accesses, at least one non-atomic" */
  readonly message: string;
}

/** Results of a store's guard. */
export const STORE_GUARD = {
  /** the store may happen now */
  enabled: 0,
  /** the store must wait until the thread's own buffer(s) drain (tso/pso: a locked `sc` store) */
  blocked: 1,
  /** the store must wait because its buffer is at the bound (an artefact of bounding: reported) */
  full: 2,
} as const;
/** One of the STORE_GUARD values. */
export type StoreGuard = (typeof STORE_GUARD)[keyof typeof STORE_GUARD];

/** A buffered store, for traces (cold). */
export interface BufferEntry {
  readonly slot: number;
  readonly value: number;
  /** pso only: StoreStore barriers before it; it drains after every entry of a lower epoch */
  readonly epoch?: number;
  /** tso, a store of part of the word: the bytes it writes (a 4-bit mask, bit b for byte b); absent for a whole word */
  readonly bytes?: number;
}

/** The words a model needs for one program. */
export interface ModelWords {
  /** words shared by every thread (the memory), never permuted by symmetry */
  readonly shared: number;
  /** per thread, the words of the block it owns (0: none); a block moves with its thread under symmetry */
  readonly perThread: Int32Array;
}

/** Where the machine placed a model's words, and what the model may read of the thread semantics. */
export interface ModelContext {
  readonly program: IrProgram;
  /** the store-buffer bound (entries per buffer: tso per thread, pso per thread and slot) */
  readonly bufferBound: number;
  /** first shared word */
  readonly sharedBase: number;
  /** first word of each thread's block; -1 when its block is empty */
  readonly blockBase: Int32Array;
  /** words of each thread's block (as declared) */
  readonly blockWords: Int32Array;
  /** the thread semantics' words a race check may read: where each thread's pc and registers are */
  readonly threads: ThreadWords;
  /** display name of a memory slot, e.g. "x" or "a[1]" */
  readonly slotName: (slot: number) => string;
}

/** The thread semantics' words that a model's race check reads (the next instruction of each thread). */
export interface ThreadWords {
  /** first word of each thread (its pc, then its wait word, then …) */
  readonly threadBase: Int32Array;
  /** first register word of each thread */
  readonly regBase: Int32Array;
  /** offset of the pc within a thread's words */
  readonly pcOffset: number;
  /** offset of the waiting word (non-zero while blocked in a `wait`) within a thread's words */
  readonly waitOffset: number;
}

/** The memory operations whose guard may make the thread wait for its own buffered stores. */
export type LockedOp = 'rmw' | 'wait' | 'notify';

/** One operational memory model (a file of model/memory/, a line of registry.ts). */
export interface MemoryModel<Name extends string = string> {
  readonly name: Name;
  /** one line for --help and the docs */
  readonly summary: string;
  /** the model whose final outcomes this one always shares, when it only adds checks (js: sc); null otherwise */
  readonly sameOutcomesAs: string | null;
  /** true when the model has a race check (its instances' `race` is not null): the checker then asks every state for a data race */
  readonly checksRaces: boolean;
  /**
   * true when the model gives narrow view accesses (i8, i16 elements of a word) their meaning: the
   * machine performs one as a read-modify of its word in one step (model/semantics/exec.ts), which
   * is right for a model where every access reaches the one memory atomically (sc, js), and passes
   * a store's bytes to `store`, which a model with buffers keeps (tso). false refuses such
   * programs (S316) until the model's buffers or relations see bytes (pso)
   */
  readonly mixedSize: boolean;
  /**
   * the axiomatic model (model/memory/graph/) whose SC-DRF guarantee this machine stands for
   * (js: 'js', ECMA-262 §29.10): with no engine asked for, a complete race-free answer of this
   * machine is that model's answer exactly, and a racy program is answered by that model on the
   * execution-graph engine (checker/check.ts)
   */
  readonly drfModel?: string;
  /** Node's `process.arch` values of the machines this model describes (tso: x64 and ia32, Intel SDM vol. 3A §8.2); `conform` compares a language model's observations with it too */
  readonly hardware?: readonly string[];
  /** true when a store of this mode enters the thread's own block (reaching memory by a later memory transition) */
  buffersStore(mode: Mode): boolean;
  /** true when this instruction waits until its thread's own block holds no store (a locked operation, a full fence) */
  flushes(instr: IrInstr): boolean;
  /** the words this model needs for one program under a buffer bound */
  words(program: IrProgram, bufferBound: number): ModelWords;
  /** bind the model to the words the machine placed */
  create(ctx: ModelContext): ModelInstance;
}

/** A memory model bound to one program's state layout. */
export interface ModelInstance {
  /** the model's name (for messages; decisions go through the hooks) */
  readonly name: string;
  /** write the initial contents of the model's words (memory: the locations' initial values; blocks: 0) */
  initial(out: Int32Array, off: number): void;
  /** most memory transitions one thread can have enabled at once */
  maxMemoryTransitions(thread: number): number;
  /** true when loads may read one of several writes (then `loadChoices` is asked); false under every model here */
  readonly loadsChoose: boolean;
  /** how many writes a load of `slot` by `thread` may read here (1 under every model here) */
  loadChoices(s: Int32Array, off: number, thread: number, slot: number): number;
  /** the value a load of `slot` by `thread` reads, for choice `choice` (< loadChoices); no guard */
  load(s: Int32Array, off: number, thread: number, slot: number, choice: number): number;
  /** guard of a store */
  storeGuard(s: Int32Array, off: number, thread: number, slot: number, mode: Mode): StoreGuard;
  /**
   * action of a store (after its guard was `enabled`) on the successor n; returns true when the
   * store was buffered. `value` is the whole word as the store leaves it; `bytes` (a 4-bit mask,
   * bit b for byte b; 0xf, the default, for a word) says which of its bytes the store writes, for a
   * model that buffers part-word stores (tso); a model where every store reaches memory at once
   * writes the word
   */
  store(n: Int32Array, nOff: number, thread: number, slot: number, value: number, mode: Mode, bytes?: number): boolean;
  /** guard of a locked operation (RMW, wait, notify): true when it may happen now */
  lockedGuard(s: Int32Array, off: number, thread: number, op: LockedOp): boolean;
  /** the value a locked operation (RMW, wait) reads: memory, after its guard held */
  lockedRead(s: Int32Array, off: number, thread: number, slot: number): number;
  /** the write of an RMW (after its guard held) on the successor n */
  lockedWrite(n: Int32Array, nOff: number, thread: number, slot: number, value: number): void;
  /** guard of a fence: true when it may happen now */
  fenceGuard(s: Int32Array, off: number, thread: number, mode: Mode): boolean;
  /** action of a fence (after its guard held) on the successor n */
  fence(n: Int32Array, nOff: number, thread: number, mode: Mode): void;
  /** write this thread's enabled memory transitions (drains) into out at triple index `count` as (TR.drain, thread, arg); returns the new count */
  memoryTransitions(s: Int32Array, off: number, thread: number, out: Int32Array, count: number): number;
  /** action of a memory transition (arg as produced by `memoryTransitions`) on the successor n */
  applyMemory(n: Int32Array, nOff: number, thread: number, arg: number): void;
  /** footprint of the memory transition (thread, arg) in s: the memory slot it writes */
  memoryWrites(s: Int32Array, off: number, thread: number, arg: number): number;
  /** true when `thread`'s block holds a store to a slot in [lo, hi) (a write other threads will see later) */
  holdsStoreTo(s: Int32Array, off: number, thread: number, lo: number, hi: number): boolean;
  /** how many more stores `thread` may buffer before one could find its buffer full (partial-order reduction's bound proviso); large when unbounded */
  bufferRoom(s: Int32Array, off: number, thread: number): number;
  /** the value of memory slot `slot` (final states: outcomes, rendering) */
  memoryValue(s: Int32Array, off: number, slot: number): number;
  /** true when `thread` holds no buffered store */
  isEmpty(s: Int32Array, off: number, thread: number): boolean;
  /** symmetry: compare the blocks of threads a and b (negative: a's first); 0 when the model keeps no per-thread words */
  compareThreads(s: Int32Array, off: number, a: number, b: number): number;
  /** symmetry: copy thread `from`'s block in src to thread `to`'s place in dst */
  moveThread(src: Int32Array, sOff: number, from: number, dst: Int32Array, dOff: number, to: number): void;
  /**
   * scalarset symmetry (checker/symmetry.ts): write thread `from`'s block of src into thread `to`'s
   * place in dst with every memory slot it names renamed by `p.slotTo` and every value stored to an
   * index-valued slot renamed by `p.value`; the result is in the model's canonical encoding. null
   * when the model cannot rename its blocks (the checker then refuses such symmetry, with a reason).
   */
  readonly permuteThread: ((src: Int32Array, sOff: number, from: number, dst: Int32Array, dOff: number, to: number, p: SlotPermutation) => void) | null;
  /** scalarset symmetry: write the model's shared words of src into dst with slot q moved to p.slotTo[q] and its value renamed by p; null when the model cannot */
  readonly permuteShared: ((src: Int32Array, sOff: number, dst: Int32Array, dOff: number, p: SlotPermutation) => void) | null;
  /** the race check on a state (js); null when the model has none */
  readonly race: ((s: Int32Array, off: number) => RaceReport | null) | null;
  /** the thread's buffered stores, oldest first (cold) */
  entries(s: Int32Array, off: number, thread: number): BufferEntry[];
  /** the store the memory transition (thread, arg) moves to memory, or null if it is not enabled (cold) */
  drainEntry(s: Int32Array, off: number, thread: number, arg: number): BufferEntry | null;
  /** each thread's buffer rendered, e.g. ["[x=1, y=2]", "[]"]; [] for a model without buffers (cold) */
  renderBuffers(s: Int32Array, off: number): string[];
}

/**
 * A renaming of memory for scalarset symmetry: slot q moves to slotTo[q]; a value v stored in a slot
 * q with indexValued[q] = 1 becomes value(v) (a thread index lo..lo+k-1 is permuted, any other value
 * stays).
 */
export interface SlotPermutation {
  readonly slotTo: Int32Array;
  readonly indexValued: Uint8Array;
  /** the thread-index domain lo..lo+k-1 and its permutation: index lo+j becomes lo+valueTo[j] */
  readonly lo: number;
  readonly valueTo: Int32Array;
}

/** `v` renamed by p when it is stored in slot `slot`. */
export function renameValue(p: SlotPermutation, slot: number, v: number): number {
  if (p.indexValued[slot] !== 1) return v;
  const j = v - p.lo;
  return j >= 0 && j < p.valueTo.length ? p.lo + (p.valueTo[j] as number) : v;
}

/** `permuteShared` of a model whose shared words are exactly the flat memory at sharedBase (every model here). */
export function flatMemoryRenaming(ctx: ModelContext): Pick<ModelInstance, 'permuteShared'> {
  const base = ctx.sharedBase;
  const size = ctx.program.memorySize;
  return {
    permuteShared(src, sOff, dst, dOff, p) {
      for (let q = 0; q < size; q++) dst[dOff + base + (p.slotTo[q] ?? q)] = renameValue(p, q, src[sOff + base + q] ?? 0);
    },
  };
}

/** Write the locations' initial values into the memory words at sharedBase (every model here keeps memory flat). */
export function writeInitialMemory(program: IrProgram, sharedBase: number, out: Int32Array, off: number): void {
  for (const loc of program.locations) for (let i = 0; i < loc.size; i++) out[off + sharedBase + loc.base + i] = (loc.init[i] ?? 0) | 0;
}

/** The symmetry hooks of a model whose per-thread blocks hold no thread numbers: compare and copy them word by word. */
export function blockSymmetry(ctx: ModelContext): Pick<ModelInstance, 'compareThreads' | 'moveThread' | 'permuteThread'> {
  const base = ctx.blockBase;
  const words = ctx.blockWords;
  return {
    // the words of such a block are the model's own; it does not say which name slots or values
    permuteThread: null,
    compareThreads(s, off, a, b) {
      const len = words[a] ?? 0;
      if (len === 0) return 0;
      const pa = off + (base[a] ?? 0);
      const pb = off + (base[b] ?? 0);
      for (let i = 0; i < len; i++) {
        const d = (s[pa + i] ?? 0) - (s[pb + i] ?? 0);
        if (d !== 0) return d;
      }
      return 0;
    },
    moveThread(src, sOff, from, dst, dOff, to) {
      const len = words[from] ?? 0;
      if (len === 0) return;
      const pf = sOff + (base[from] ?? 0);
      const pt = dOff + (base[to] ?? 0);
      for (let i = 0; i < len; i++) dst[pt + i] = src[pf + i] ?? 0;
    },
  };
}

/** Number of memory slots thread `t` may write with a buffered store (sum of the sizes of those locations). */
export function bufferedStoreSlots(program: IrProgram, buffers: (mode: Mode) => boolean, t: number): number {
  const thread = program.threads[t];
  if (thread === undefined) return 0;
  const locs = new Set<number>();
  for (const instr of thread.code) {
    if (instr.kind === 'store' && buffers(instr.mode)) locs.add(instr.addr.loc);
  }
  let slots = 0;
  for (const l of locs) slots += program.locations[l]?.size ?? 0;
  return slots;
}

/** The locked operations and the full fence, which wait for an empty own buffer under x86 and SPARC (tso, pso). */
export function isLockedOrFullFence(instr: IrInstr): boolean {
  return instr.kind === 'rmw' || instr.kind === 'wait' || instr.kind === 'notify' || (instr.kind === 'store' && instr.mode === 'sc') || (instr.kind === 'fence' && instr.mode === 'sc');
}

/** A buffered store of part of a word, for display: the slot's name with its bytes, "x{byte 1}" or "x{bytes 2-3}", then `eq` and the element's value (cold). */
export function partEntryText(slotName: string, bytes: number, value: number, eq = '='): string {
  const { byte, width } = maskElement(bytes);
  return `${slotName}{${width === 1 ? `byte ${byte}` : `bytes ${byte}-${byte + width - 1}`}}${eq}${viewRead(value, width, byte)}`;
}

/** Render each thread's buffer from its entries: "[x=1, y=2]"; pso: ' | ' marks a StoreStore barrier (entries after it drain after the ones before it) (cold). */
export function renderEntryBuffers(inst: Pick<ModelInstance, 'entries'>, threads: number, slotName: (slot: number) => string, s: Int32Array, off: number): string[] {
  const out: string[] = [];
  for (let t = 0; t < threads; t++) {
    const all = inst.entries(s, off, t);
    out.push(`[${all.map((e, i) => `${i === 0 ? '' : e.epoch !== all[i - 1]?.epoch ? ' | ' : ', '}${e.bytes === undefined ? `${slotName(e.slot)}=${e.value}` : partEntryText(slotName(e.slot), e.bytes, e.value)}`).join('')}]`);
  }
  return out;
}
