/**
 * Symmetry reduction for thread templates: states that differ only by a permutation of the
 * instances of one template are one state, stored as a canonical representative (Ip & Dill,
 * "Better verification through symmetry", FMSD 9, 1996 — Murphi's scalarsets; here the simple,
 * sound special case of fully interchangeable processes).
 *
 * Which instances are interchangeable: the instances of one template whose lowered code is
 * identical. The lowering substitutes the template index as a constant, so a template that uses
 * its index (`flag[i]`, `turn = 1 - i`) gives instances with different code; such a template is
 * not reduced and the statistics say why ("off (template T uses its index: …)"). A template whose
 * instances' registers are observed (the condition, the filter or the outcome columns name
 * `T[1]:r`) is not reduced either. Murphi-style permutation of index-valued data is not done.
 *
 * A thread's block — its words (pc, wait slot, queue position, registers), its occupancy of every
 * critical region, and the memory model's block for it (its store buffer; compared and moved by
 * the model's hooks, ModelInstance.compareThreads/moveThread) — moves as a unit; everything else (memory) is shared and
 * never permuted. Every rule of the semantics (createMachine.ts) treats threads alike apart from
 * their code (notify wakes in queue order, stored in the block; `enter` asks whether any other
 * thread is inside), so the transition relation commutes with these permutations and the
 * initial state (all instances at pc 0, registers 0) is fixed by them: the reachable state space
 * is a union of whole orbits, and exploring representatives is exact.
 *
 * Canonical form: within each group, blocks sorted lexicographically (pc first). The orbit of a
 * canonical state has  prod over groups of k! / prod(m_i!)  members (m_i: multiplicities of
 * equal blocks); the checker weights final states by it, so outcome and witness counts are those
 * of the unreduced search.
 *
 * Hot path: `canonicalize` allocates nothing (insertion sort over a few instances, one scratch
 * copy of the state when the order changes).
 */
import type { IrCond, IrProgram } from '../model/ir.js';
import type { Machine, MachineStructure } from '../model/semantics/machine.js';

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

/** The interchangeable groups of a program (thread indices, ascending), plus the reasons templates were left out. */
export function symmetryGroups(program: IrProgram): { readonly groups: number[][]; readonly reasons: string[] } {
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
  const reasons: string[] = [];
  for (const [name, members] of byTemplate) {
    if (members.length < 2) continue;
    const code = (t: number): string => {
      const th = program.threads[t];
      return JSON.stringify([th?.registers, th?.code], (key, value: unknown) => (key === 'origin' ? undefined : value));
    };
    const first = code(members[0] as number);
    if (members.some((t) => code(t) !== first)) {
      reasons.push(`template ${name} uses its index: its instances' code differs`);
      continue;
    }
    const seen = members.filter((t) => observed.has(t));
    if (seen.length > 0) {
      reasons.push(`the condition or outcomes name registers of ${seen.map((t) => program.threads[t]?.name ?? `#${t}`).join(', ')}`);
      continue;
    }
    groups.push(members);
  }
  return { groups, reasons };
}

/** Set up symmetry reduction for a machine, or say why it does not apply. */
export function symmetryFor(machine: Machine): SymmetrySetup {
  const structure = machine.structure;
  if (structure === null) return { kind: 'none', status: 'n/a (an opaque machine: no structure to permute)' };
  const { groups, reasons } = symmetryGroups(machine.program);
  if (groups.length === 0) return { kind: 'none', status: reasons.length > 0 ? `off (${reasons.join('; ')})` : 'n/a' };
  return { kind: 'on', symmetry: createCanonicalizer(structure, machine.stateLength, groups) };
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
