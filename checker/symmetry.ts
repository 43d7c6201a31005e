/**
 * Symmetry reduction for thread templates: states that differ only by a permutation of the
 * instances of one template are one state, stored as a canonical representative (Ip & Dill,
 * "Better verification through symmetry", FMSD 9, 1996 — Murphi's scalarsets).
 *
 * Two kinds of group:
 * - plain: the instances of a template whose lowered code is identical (the index unused). A
 *   thread's block — its words (pc, wait slot, queue position, registers), its occupancy of every
 *   critical region, and the memory model's block for it (its store buffer; compared and moved by
 *   the model's hooks, ModelInstance.compareThreads/moveThread) — moves as a unit; memory stays.
 *   Canonical form: within each group, blocks sorted lexicographically (pc first); the orbit of a
 *   canonical state has prod over groups of k! / prod(m_i!) members (m_i: multiplicities of equal
 *   blocks).
 * - scalarset: one template whose instances' code differs only where it uses its index in ways a
 *   scalarset allows (`flag[i]`, `owner = i`, `r == i`, `cmpxchg(owner, -1, i)`, `1 - i` at N = 2):
 *   checker/scalarset.ts decides it on the lowered program with every param concrete, by
 *   unification of index types and an equivariance check of every index constant over the finite
 *   domain, and says why not when it refuses (an order comparison or arithmetic on an index — a
 *   loop over the threads in index order, bakery's `j < i` tie-break —, a fixed thread index, a
 *   thread index as an initial value, an observed index-valued register or location, …). A
 *   permutation π of the instances moves their blocks, moves the cells lo+j of every
 *   thread-indexed array to lo+π(j), and renames every thread index held in index-valued memory,
 *   in index-valued registers (where they are live: dead ones are 0 under dead-register reset,
 *   which this needs, and stay 0), in a waiting thread's wait slot, and in the model's per-thread
 *   blocks (ModelInstance.permuteThread: tso and pso rename their buffered stores' slots and
 *   values; a model without the hook and with blocks is refused). Canonical form: the
 *   lexicographically least of plainSort(π(s)) over all k! permutations — tried one by one, so
 *   only for k ≤ MAX_SCALARSET = 6 (720 permutations; above it the template is refused with that
 *   reason); |orbit| = k!/|{π : plainSort(π(c)) = c}| × the plain groups' orbit size.
 * At most one scalarset per program; a second template that uses its index is not reduced.
 *
 * Why it is exact: every rule of the semantics (createMachine.ts) and of the memory models treats
 * threads and slots alike apart from the code and the slot numbers the code names (notify wakes in
 * queue order, stored in the block; `enter` asks whether any other thread is inside; a pso buffer
 * re-sorts by slot after renaming), and the analysis checks that instance π(t)'s code is instance
 * t's code with its index values renamed by π; so the transition relation commutes with every π,
 * and the initial state is fixed by it (checked): the reachable state space is a union of whole
 * orbits, exploring representatives is exact, and the checker weights final states by orbit size,
 * so outcome and witness counts are those of the unreduced search. Nothing observed moves: a
 * template whose instances' registers the condition, filter or outcome columns name is not
 * reduced, nor a scalarset whose index-valued data they name.
 *
 * Counterexamples are rebuilt on real states (trace.ts): each stored transition's thread and, for
 * a pso drain, its slot are mapped back through the permutation `canonicalize` chose (`perm`,
 * `realArg`).
 *
 * Hot path: `canonicalize` allocates nothing (insertion sort over a few instances, one scratch
 * copy of the state when the order changes; the scalarset form: k! renamings into two scratch
 * states).
 */
import type { IrCond, IrProgram } from '../model/ir.js';
import type { SlotPermutation } from '../model/memory/model.js';
import { THREAD_PC, THREAD_REGS, THREAD_WAIT } from '../model/semantics/layout.js';
import { TR, type Machine, type MachineStructure } from '../model/semantics/machine.js';
import { liveRegisters } from './deadRegisters.js';
import { analyseScalarset, type ScalarsetResult } from './scalarset.js';

/** A canonicaliser for one machine's states. */
export interface Symmetry {
  /** number of interchangeable groups */
  readonly groups: number;
  /**
   * Rewrite s[off..] in place into its canonical representative. Afterwards `perm[p]` is the
   * thread of the original state whose block now sits at thread position p. Returns true when
   * the state changed.
   */
  canonicalize(s: Int32Array, off: number): boolean;
  /** after `canonicalize`: canonical position p holds the block of original thread perm[p] */
  readonly perm: Int32Array;
  /** the number of distinct states in the orbit of a canonical state */
  orbitSize(s: Int32Array, off: number): number;
  /**
   * after `canonicalize`: the argument a transition of the canonical state has in the original
   * state (a pso drain names a slot, and scalarset symmetry renames thread-indexed slots)
   */
  realArg(kind: number, arg: number): number;
}

/** The verdict of `symmetryFor`: a canonicaliser, or why there is none ('off (…)' or 'n/a'). */
export type SymmetrySetup = { readonly kind: 'on'; readonly symmetry: Symmetry } | { readonly kind: 'none'; readonly status: string };

/** Threads whose registers an IrCond mentions. */
function condThreads(c: IrCond | null, out: Set<number>): void {
  if (c === null) return;
  switch (c.kind) {
    case 'bool':
      return;
    case 'cmp':
      if (c.left.kind === 'reg') out.add(c.left.thread);
      if (c.right.kind === 'reg') out.add(c.right.thread);
      return;
    case 'not':
      condThreads(c.operand, out);
      return;
    case 'and':
    case 'or':
    case 'implies':
      condThreads(c.left, out);
      condThreads(c.right, out);
      return;
  }
}

/**
 * The interchangeable groups of a program (thread indices, ascending): templates whose instances'
 * code is identical; the templates whose instances' code differs (scalarset candidates, members by
 * thread number); and the reasons templates were left out.
 */
export function symmetryGroups(program: IrProgram): { readonly groups: number[][]; readonly differing: { readonly name: string; readonly members: number[] }[]; readonly reasons: string[] } {
  const byTemplate = new Map<string, number[]>();
  program.threads.forEach((th, t) => {
    if (th.template === null) return;
    const list = byTemplate.get(th.template.name) ?? [];
    list.push(t);
    byTemplate.set(th.template.name, list);
  });
  const observed = new Set<number>();
  for (const o of program.observables) if (o.what.kind === 'reg') observed.add(o.what.thread);
  condThreads(program.condition?.cond ?? null, observed);
  condThreads(program.filter, observed);
  const groups: number[][] = [];
  const differing: { name: string; members: number[] }[] = [];
  const reasons: string[] = [];
  for (const [name, members] of byTemplate) {
    if (members.length < 2) continue;
    const code = (t: number): string => {
      const th = program.threads[t];
      return JSON.stringify([th?.registers, th?.code], (key, value: unknown) => (key === 'origin' ? undefined : value));
    };
    const first = code(members[0] as number);
    if (members.some((t) => code(t) !== first)) {
      differing.push({ name, members });
      continue;
    }
    const seen = members.filter((t) => observed.has(t));
    if (seen.length > 0) {
      reasons.push(`the condition or outcomes name registers of ${seen.map((t) => program.threads[t]?.name ?? `#${t}`).join(', ')}`);
      continue;
    }
    groups.push(members);
  }
  return { groups, differing, reasons };
}

/** The most instances a scalarset is canonicalised for: all k! permutations are tried (720 at k = 6). */
export const MAX_SCALARSET = 6;

/**
 * Set up symmetry reduction for a machine, or say why it does not apply. `deadReset`: the search
 * resets dead registers (scalarset symmetry renames index-valued registers only where they are
 * live, so it needs dead registers zeroed).
 */
export function symmetryFor(machine: Machine, deadReset = true): SymmetrySetup {
  const structure = machine.structure;
  if (structure === null) return { kind: 'none', status: 'n/a (an opaque machine: no structure to permute)' };
  const program = machine.program;
  const { groups, differing, reasons } = symmetryGroups(program);
  let scalar: (ScalarsetResult & { kind: 'ok' }) | null = null;
  for (const d of differing) {
    if (scalar !== null) {
      reasons.push(`template ${d.name} uses its index too: one scalarset per program`);
      continue;
    }
    const what = analyseScalarset(program, d.name, d.members, liveRegisters(program), deadReset);
    if (what.kind === 'refused') {
      reasons.push(what.reason);
      continue;
    }
    if (d.members.length > MAX_SCALARSET) {
      reasons.push(`template ${d.name} uses its index and has ${d.members.length} instances: scalarset symmetry tries all k! permutations, so it stops at k = ${MAX_SCALARSET}`);
      continue;
    }
    const { layout, model } = structure;
    if (model.permuteShared === null) {
      reasons.push(`template ${d.name} uses its index: the ${model.name} model cannot rename its shared words`);
      continue;
    }
    if (model.permuteThread === null && Array.from(layout.blockWords).some((w) => w > 0)) {
      reasons.push(`template ${d.name} uses its index: the ${model.name} model's per-thread blocks cannot be renamed`);
      continue;
    }
    scalar = what;
  }
  if (groups.length === 0 && scalar === null) return { kind: 'none', status: reasons.length > 0 ? `off (${reasons.join('; ')})` : 'n/a' };
  if (scalar === null) return { kind: 'on', symmetry: createCanonicalizer(structure, machine.stateLength, groups) };
  return { kind: 'on', symmetry: createScalarsetCanonicalizer(structure, machine.stateLength, groups, scalar, liveRegisters(program), program.threads.map((th) => th.code.length)) };
}

/** The canonicaliser over the given groups of interchangeable threads. */
export function createCanonicalizer(structure: Pick<MachineStructure, 'layout' | 'model'>, stateLength: number, groupList: readonly (readonly number[])[]): Symmetry {
  const { layout, model } = structure;
  const n = layout.threads;
  const threadBase = layout.threadBase;
  const regionBase = layout.regionBase;
  const regions = layout.regions;
  const threadWords = layout.threadWords;
  // the model's block of each thread: its extent (compared and moved by the model's hooks)
  const bufWords = layout.blockWords;
  const groups = groupList.map((g) => Int32Array.from(g));
  const order = new Int32Array(n);
  const perm = new Int32Array(n);
  const scratch = new Int32Array(stateLength);
  // every member of a group has a block of the same shape (same code, same registers, same buffer)
  for (const g of groups) {
    const w = threadWords[g[0] as number] as number;
    for (const t of g) {
      if (threadWords[t] !== w || bufWords[t] !== bufWords[g[0] as number]) {
        throw new Error('internal error: interchangeable threads with different state blocks (this is a bug in memweave)');
      }
    }
  }

  /** compare the blocks of threads a and b in s (negative: a first) */
  const compare = (s: Int32Array, off: number, a: number, b: number): number => {
    const w = threadWords[a] as number;
    const ba = off + (threadBase[a] as number);
    const bb = off + (threadBase[b] as number);
    for (let i = 0; i < w; i++) {
      const d = (s[ba + i] as number) - (s[bb + i] as number);
      if (d !== 0) return d;
    }
    for (let g = 0; g < regions; g++) {
      const d = (s[off + regionBase + g * n + a] as number) - (s[off + regionBase + g * n + b] as number);
      if (d !== 0) return d;
    }
    return model.compareThreads(s, off, a, b);
  };

  /** copy thread `from`'s block in src (at sOff) to thread `to`'s place in dst (at dOff) */
  const moveBlock = (src: Int32Array, sOff: number, from: number, dst: Int32Array, dOff: number, to: number): void => {
    const w = threadWords[from] as number;
    const bf = sOff + (threadBase[from] as number);
    const bt = dOff + (threadBase[to] as number);
    for (let i = 0; i < w; i++) dst[bt + i] = src[bf + i] as number;
    for (let g = 0; g < regions; g++) dst[dOff + regionBase + g * n + to] = src[sOff + regionBase + g * n + from] as number;
    model.moveThread(src, sOff, from, dst, dOff, to);
  };

  return {
    groups: groups.length,
    perm,
    realArg: (_kind, arg) => arg,
    canonicalize(s, off) {
      for (let t = 0; t < n; t++) perm[t] = t;
      let changed = false;
      for (const g of groups) {
        const k = g.length;
        // insertion sort of the members by block; order[j] = the member thread placed j-th
        for (let j = 0; j < k; j++) {
          const t = g[j] as number;
          let i = j;
          while (i > 0 && compare(s, off, order[i - 1] as number, t) > 0) {
            order[i] = order[i - 1] as number;
            i--;
          }
          order[i] = t;
        }
        let identity = true;
        for (let j = 0; j < k; j++) if (order[j] !== g[j]) identity = false;
        if (identity) continue;
        // groups are disjoint: this group's blocks in the scratch are still the original ones
        if (!changed) {
          for (let i = 0; i < stateLength; i++) scratch[i] = s[off + i] as number;
          changed = true;
        }
        for (let j = 0; j < k; j++) {
          const from = order[j] as number;
          const to = g[j] as number;
          moveBlock(scratch, 0, from, s, off, to);
          perm[to] = from;
        }
      }
      return changed;
    },
    orbitSize(s, off) {
      let size = 1;
      for (const g of groups) {
        const k = g.length;
        let run = 1;
        let denom = 1;
        let num = 1;
        for (let j = 1; j <= k; j++) num *= j;
        for (let j = 1; j < k; j++) {
          if (compare(s, off, g[j - 1] as number, g[j] as number) === 0) {
            run++;
            denom *= run;
          } else run = 1;
        }
        size *= num / denom;
      }
      return size;
    },
  };
}

/** Every permutation of 0..k-1, the identity first. */
function allPermutations(k: number): Int32Array[] {
  const out: Int32Array[] = [];
  const cur: number[] = [];
  const used = new Array<boolean>(k).fill(false);
  const go = (): void => {
    if (cur.length === k) {
      out.push(Int32Array.from(cur));
      return;
    }
    for (let x = 0; x < k; x++) {
      if (used[x]) continue;
      used[x] = true;
      cur.push(x);
      go();
      cur.pop();
      used[x] = false;
    }
  };
  go();
  return out;
}

/** Per thread and pc: the index-valued registers live there, as [liveStart[t][pc], liveStart[t][pc + 1]) in liveList[t]. */
function liveIndexRegisters(sc: ScalarsetResult & { kind: 'ok' }, live: readonly (readonly (readonly boolean[])[])[], codeLength: readonly number[]): { liveStart: Int32Array[]; liveList: Int32Array[] } {
  const liveStart: Int32Array[] = [];
  const liveList: Int32Array[] = [];
  codeLength.forEach((len, t) => {
    const start = new Int32Array(len + 2);
    const list: number[] = [];
    for (let pc = 0; pc <= len; pc++) {
      start[pc] = list.length;
      for (const r of sc.indexRegs[t] ?? []) if (live[t]?.[pc]?.[r] === true) list.push(r);
    }
    start[len + 1] = list.length;
    liveStart.push(start);
    liveList.push(Int32Array.from(list));
  });
  return { liveStart, liveList };
}

/** The memory slots holding thread indices (1), and the first slot of every thread-indexed array. */
function indexSlots(sc: ScalarsetResult & { kind: 'ok' }): { indexValued: Uint8Array; indexedBases: number[] } {
  const indexValued = new Uint8Array(sc.memorySize);
  const indexedBases: number[] = [];
  sc.locations.forEach((loc, l) => {
    if (sc.indexValuedLoc[l] === true) for (let c = 0; c < loc.size; c++) indexValued[loc.base + c] = 1;
    if (sc.indexedLoc[l] === true) indexedBases.push(loc.base);
  });
  return { indexValued, indexedBases };
}

/**
 * The canonicaliser with one scalarset (checker/scalarset.ts) and any plain groups: the canonical
 * form of s is the lexicographically least of plainSort(π(s)) over all k! permutations π of the
 * scalarset's instances (k ≤ MAX_SCALARSET; symmetryFor refuses above), where π moves thread blocks,
 * thread-indexed cells and renames thread indices in index-valued memory, in the model's blocks (its
 * `permuteThread` hook) and in index-valued registers where they are live (dead ones are 0: the
 * search resets them, and they stay 0). The plain groups' permutations commute with π, so this is a
 * canonical form for the product group; |orbit| = k!/|{π : plainSort(π(c)) = c}| × the plain groups'
 * orbit size.
 */
export function createScalarsetCanonicalizer(
  structure: Pick<MachineStructure, 'layout' | 'model'>,
  stateLength: number,
  plainGroups: readonly (readonly number[])[],
  sc: ScalarsetResult & { kind: 'ok' },
  live: readonly (readonly (readonly boolean[])[])[],
  codeLength: readonly number[],
): Symmetry {
  const { layout, model } = structure;
  const permuteShared = model.permuteShared;
  if (permuteShared === null) throw new Error('internal error: scalarset symmetry under a model that cannot rename its shared words (this is a bug in memweave)');
  const n = layout.threads;
  const members = Int32Array.from(sc.members);
  const k = members.length;
  const lo = sc.lo;
  const M = sc.memorySize;
  const regionBase = layout.regionBase;
  const regions = layout.regions;
  const threadBase = layout.threadBase;
  const threadWords = layout.threadWords;
  const blockWords = layout.blockWords;
  const plain = plainGroups.length > 0 ? createCanonicalizer(structure, stateLength, plainGroups) : null;
  const perms = allPermutations(k);
  const memberPos = new Int32Array(n).fill(-1);
  members.forEach((t, j) => {
    memberPos[t] = j;
  });
  const { liveStart, liveList } = liveIndexRegisters(sc, live, codeLength);
  const { indexValued, indexedBases } = indexSlots(sc);
  const slotTo = Int32Array.from({ length: M }, (_, q) => q);
  const valueTo = new Int32Array(k);
  const P: SlotPermutation = { slotTo, indexValued, lo, valueTo };
  const permPi = new Int32Array(n);
  const candPerm = new Int32Array(n);
  const perm = new Int32Array(n);
  const slotFrom = Int32Array.from({ length: M }, (_, q) => q);
  const buf = new Int32Array(stateLength);
  const best = new Int32Array(stateLength);
  const bestPerm = new Int32Array(n);
  let bestPi = 0;

  /** set slotTo and valueTo to permutation number `p` */
  const setPerm = (p: number): void => {
    const pi = perms[p] as Int32Array;
    for (let j = 0; j < k; j++) valueTo[j] = pi[j] as number;
    for (const b of indexedBases) for (let j = 0; j < k; j++) slotTo[b + lo + j] = b + lo + (pi[j] as number);
  };
  /** buf := plainSort(π(s[off..])) for the permutation set by setPerm; permPi/perm: where each block came from */
  const apply = (s: Int32Array, off: number): void => {
    permuteShared(s, off, buf, 0, P);
    for (let t = 0; t < n; t++) {
      const j = memberPos[t] as number;
      const to = j >= 0 ? (members[valueTo[j] as number] as number) : t;
      const bf = off + (threadBase[t] as number);
      const bt = threadBase[to] as number;
      const w = threadWords[t] as number;
      for (let i = 0; i < w; i++) buf[bt + i] = s[bf + i] as number;
      const wait = s[bf + THREAD_WAIT] as number;
      if (wait > 0) buf[bt + THREAD_WAIT] = (slotTo[wait - 1] as number) + 1;
      const pc = s[bf + THREAD_PC] as number;
      const st = liveStart[t] as Int32Array;
      const list = liveList[t] as Int32Array;
      for (let x = st[pc] as number, end = st[pc + 1] as number; x < end; x++) {
        const r = THREAD_REGS + (list[x] as number);
        const jj = (s[bf + r] as number) - lo;
        if (jj >= 0 && jj < k) buf[bt + r] = lo + (valueTo[jj] as number);
      }
      for (let g = 0; g < regions; g++) buf[regionBase + g * n + to] = s[off + regionBase + g * n + t] as number;
      if ((blockWords[t] as number) > 0) model.permuteThread?.(s, off, t, buf, 0, to, P);
      permPi[to] = t;
    }
    if (plain === null) {
      candPerm.set(permPi);
      return;
    }
    plain.canonicalize(buf, 0);
    for (let p = 0; p < n; p++) candPerm[p] = permPi[plain.perm[p] as number] as number;
  };
  /** compare buf with s[off..] (negative: buf first) */
  const cmp = (a: Int32Array, s: Int32Array, off: number): number => {
    for (let i = 0; i < stateLength; i++) {
      const d = (a[i] as number) - (s[off + i] as number);
      if (d !== 0) return d;
    }
    return 0;
  };

  return {
    groups: plainGroups.length + 1,
    perm,
    realArg: (kind, arg) => (kind === TR.drain && arg >= 0 ? (slotFrom[arg] as number) : arg),
    canonicalize(s, off) {
      for (let p = 0; p < perms.length; p++) {
        setPerm(p);
        apply(s, off);
        if (p === 0 || cmp(buf, best, 0) < 0) {
          best.set(buf);
          bestPerm.set(candPerm);
          bestPi = p;
        }
      }
      setPerm(bestPi);
      for (let q = 0; q < M; q++) slotFrom[slotTo[q] as number] = q;
      perm.set(bestPerm);
      const changed = cmp(best, s, off) !== 0;
      if (changed) for (let i = 0; i < stateLength; i++) s[off + i] = best[i] as number;
      return changed;
    },
    orbitSize(s, off) {
      let stab = 0;
      for (let p = 0; p < perms.length; p++) {
        setPerm(p);
        apply(s, off);
        if (cmp(buf, s, off) === 0) stab++;
      }
      if (stab === 0) throw new Error('internal error: orbitSize of a state that is not canonical (this is a bug in memweave)');
      return (perms.length / stab) * (plain === null ? 1 : plain.orbitSize(s, off));
    },
  };
}
