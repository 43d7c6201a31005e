/**
 * The executions the execution-graph engine never builds, and when they can matter.
 *
 * The explorer adds events in po ∪ rf order (a read reads an existing write, or is revisited by a
 * later one outside its prefix), so every graph it builds has an acyclic po ∪ rf; and an RMW's
 * write is placed right after the write its read reads, in coherence. Models with coherence and
 * atomicity (sc, tso, ra, rc11) have no other executions. The ECMAScript model has: it has no
 * no-thin-air axiom (load buffering with Unordered accesses is allowed) and no atomicity against
 * Unordered writes. This file decides, from the program text alone, whether such an execution can
 * exist at all:
 *
 * - a po ∪ rf cycle passes through at least two threads, each entered at a read and left at a
 *   po-later write (within one thread a read cannot read a po-later write: Coherent Reads), and
 *   a shortest one visits each thread once; so it needs threads t1 … tk (k ≥ 2) where ti reads
 *   location ai and later writes ai+1 (an RMW counts: its read comes before its write), with a(k+1) = a1;
 * - an RMW whose atomicity can fail reads a location that also has Unordered writes (not on a
 *   location modelled byte by byte, whose RMWs are built with every coherence placement of their
 *   byte writes, non-atomic ones included).
 *
 * Locations are whole arrays (an index is not evaluated), loops make every instruction of the
 * loop reachable from each other: the answer errs towards "possible", never the other way.
 */
import { successorPcs } from '../model/ir.js';
import type { IrInstr, IrProgram } from '../model/ir.js';
import { byteWords } from '../model/semantics/byteSlots.js';

/** Why some execution the graph engine does not build may exist, or null when none can. */
export function unbuiltExecutionsPossible(program: IrProgram): string | null {
  const cycle = porfCycleShape(program);
  if (cycle !== null) return cycle;
  const plainWritten = new Set<number>();
  for (const th of program.threads) for (const i of th.code) if (i.kind === 'store' && i.mode === 'plain') plainWritten.add(i.addr.loc);
  // a location modelled byte by byte has its RMWs built as byte reads and byte writes, each
  // write placed anywhere in its byte's coherence (model/semantics/byteSlots.ts): non-atomic ones too
  const bw = byteWords(program);
  const byteWise = (loc: number): boolean => bw !== null && bw[program.locations[loc]?.base ?? -1] === 1;
  for (const th of program.threads) {
    for (const i of th.code) {
      if (i.kind === 'rmw' && plainWritten.has(i.addr.loc) && !byteWise(i.addr.loc)) {
        return `an RMW of ${locationName(program, i.addr.loc)} (${program.file}:${i.origin.span.line}) races with Unordered writes to it, and such an RMW need not be atomic`;
      }
    }
  }
  return null;
}

/** The read-then-write location pairs of each thread, and a cycle through two or more threads, as text; null when none exists. */
function porfCycleShape(program: IrProgram): string | null {
  // node (thread, location read); edge to (u, b) when the thread reads the location and later writes b, u ≠ thread, u reads b and later writes
  const pairs = program.threads.map((th) => readThenWrite(th.code));
  const entries = pairs.map((ps) => new Set(ps.map(([a]) => a)));
  const nodes: [number, number][] = [];
  pairs.forEach((ps, t) => {
    for (const a of new Set(ps.map(([x]) => x))) nodes.push([t, a]);
  });
  const key = (t: number, a: number): string => `${t}:${a}`;
  const succ = new Map<string, [number, number][]>();
  for (const [t, a] of nodes) {
    const out: [number, number][] = [];
    for (const [x, b] of pairs[t] ?? []) {
      if (x !== a) continue;
      entries.forEach((es, u) => {
        if (u !== t && es.has(b)) out.push([u, b]);
      });
    }
    succ.set(key(t, a), out);
  }
  // depth-first search for a cycle (repeated threads allowed: a superset of the simple cycles)
  const colour = new Map<string, number>();
  const path: [number, number][] = [];
  const dfs = (n: [number, number]): [number, number][] | null => {
    const k = key(n[0], n[1]);
    colour.set(k, 1);
    path.push(n);
    for (const m of succ.get(k) ?? []) {
      const c = colour.get(key(m[0], m[1])) ?? 0;
      if (c === 1) return path.slice(path.findIndex(([t, a]) => t === m[0] && a === m[1]));
      if (c === 0) {
        const found = dfs(m);
        if (found !== null) return found;
      }
    }
    path.pop();
    colour.set(k, 2);
    return null;
  };
  for (const n of nodes) {
    if ((colour.get(key(n[0], n[1])) ?? 0) !== 0) continue;
    const cyc = dfs(n);
    if (cyc !== null) {
      const steps = cyc.map(([t, a]) => `${program.threads[t]?.name ?? `#${t}`} reads ${locationName(program, a)}`);
      return `a po ∪ rf cycle (load buffering) may be possible: ${steps.join(', then writes what ')}, …`;
    }
  }
  return null;
}

function locationName(program: IrProgram, loc: number): string {
  return program.locations[loc]?.name ?? `#${loc}`;
}

const READS = new Set<IrInstr['kind']>(['load', 'await', 'rmw', 'wait']);
const WRITES = new Set<IrInstr['kind']>(['store', 'rmw']);

/** (location read, location written po-later) pairs of one thread's code, over its control-flow graph. */
function readThenWrite(code: readonly IrInstr[]): [number, number][] {
  const out = new Map<string, [number, number]>();
  code.forEach((instr, pc) => {
    if (!READS.has(instr.kind) || !('addr' in instr)) return;
    const a = instr.addr.loc;
    // an RMW writes after its own read
    if (instr.kind === 'rmw') out.set(`${a}:${a}`, [a, a]);
    for (const j of reachableFrom(code, pc)) {
      const w = code[j] as IrInstr;
      if (WRITES.has(w.kind) && 'addr' in w) out.set(`${a}:${w.addr.loc}`, [a, w.addr.loc]);
    }
  });
  return [...out.values()];
}

/** The pcs reachable from `pc` in one or more steps. */
function reachableFrom(code: readonly IrInstr[], pc: number): Set<number> {
  const seen = new Set<number>();
  const todo = [...successors(code, pc)];
  while (todo.length > 0) {
    const p = todo.pop() as number;
    if (p < 0 || p >= code.length || seen.has(p)) continue;
    seen.add(p);
    todo.push(...successors(code, p));
  }
  return seen;
}

function successors(code: readonly IrInstr[], pc: number): number[] {
  const i = code[pc];
  return i === undefined ? [] : successorPcs(i, pc);
}
