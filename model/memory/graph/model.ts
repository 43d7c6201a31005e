/**
 * The contract of an axiomatic memory model: a consistency predicate over an execution graph
 * (executionGraph.ts), written clause by clause after the paper or standard that defines it,
 * as herd's `.cat` models are. The execution-graph explorer (checker/graphExplorer.ts) keeps
 * exactly the graphs a model calls consistent.
 */
import type { Mode } from '../../ir.js';
import type { ExecEvent, Execution } from './executionGraph.js';
import type { Relation } from './relation.js';

/** What a model says of one execution. */
export interface Judgement {
  /** the name of the first clause the execution violates, or null when it is consistent */
  readonly violated: string | null;
  /** the model's happens-before (or, for hardware models, its global order): orders critical regions and decides races */
  readonly hb: Relation;
}

/** An axiomatic memory model. */
export interface GraphModel {
  /** the name users pass to --model */
  readonly name: string;
  /** one line for listings */
  readonly title: string;
  /** the paper or standard the clauses follow */
  readonly source: string;
  /** what the model leaves out, said once in its listing and its docs */
  readonly notModelled: string;
  /** judge one execution */
  judge(x: Execution): Judgement;
  /** a data race between these two conflicting, hb-unordered events of different threads is undefined behaviour (rc11: one is non-atomic); absent: races are not a property of the model */
  readonly racy?: (a: ExecEvent, b: ExecEvent) => boolean;
  /** with `racy`: what a race means under the model, for messages (default 'undefined behaviour') */
  readonly raceMeans?: string;
  /** with `racy`: whether an access of this mode can be part of a racy pair (a program without such an access has no race to look for) */
  readonly mayRace?: (mode: Mode) => boolean;
  /** sc fences are modelled as RMWs of one hidden location (ra: Lahav et al.'s encoding of SC fences in RA) */
  readonly scFenceAsRmw?: boolean;
  /**
   * false when the model does not include coherence per location (SC-per-location): the explorer
   * then offers a read every write of its location, not only those no earlier access of its
   * thread has seen superseded (js: Unordered accesses may read older values). Default true.
   */
  readonly perLocationCoherence?: boolean;
  /**
   * present when the model allows executions the graph engine never builds: po ∪ rf cycles, and
   * RMWs whose write is not next to the write they read in coherence (atomicity does not hold
   * against Unordered writes). `scDrf`: the model is SC for data-race-free programs, so a
   * race-free exploration is complete all the same. checker/graphCheck.ts decides when the
   * answer must be inconclusive.
   */
  readonly beyondPorf?: { readonly scDrf: boolean };
  /**
   * true when final memory is not the coherence-last write but what a SeqCst read after joining
   * every thread may read (js: racing Unordered writes have no last one). The explorer then asks
   * the model, through `judge`, which combinations of final writes are consistent, adding such
   * reads to the execution in a thread that joins all the others (toExecution's joinLast).
   */
  readonly finalReads?: boolean;
  /**
   * true when the model gives mixed-size accesses their meaning (byte ranges, reads-bytes-from:
   * js and js2017, jsBytes.ts): the explorer then models a location accessed through narrow
   * views byte by byte (semantics/byteSlots.ts); the others refuse such programs (S316)
   */
  readonly mixedSize?: boolean;
  /**
   * true when a compareExchange whose compare fails is still a read-modify-write that writes the
   * value it read back (ES2017 §24.4.4: its modification function returns the bytes read), so it
   * is in the memory order and a SeqCst read of it synchronizes; absent, a failed compareExchange
   * only reads (the current text, since tc39/ecma262#2250, and C11's failed CAS)
   */
  readonly failedCasWrites?: boolean;
  /**
   * clauses judged on complete executions only, because the explorer's maximal extensions do not
   * preserve them (js: Tear Free Reads, jsBytes.ts): the violated clause's name, or null
   */
  readonly judgeComplete?: (x: Execution) => string | null;
  /** the modes this model gives a meaning to, per operation (programs using others are not checked under it) */
  readonly modes?: { readonly load: readonly Mode[]; readonly store: readonly Mode[]; readonly rmw: readonly Mode[]; readonly fence: readonly Mode[] };
}

/** herd's `empty rmw & (fre ; coe)` (atomicity): no write of another thread between an RMW's read and its write (trivially true without RMWs). */
export function atomic(x: Execution): boolean {
  return x.rmw.isEmpty() || x.rmw.inter(x.fr.inter(x.ext).seq(x.co.inter(x.ext))).isEmpty();
}

/** eco = (rf ∪ co ∪ fr)+, computed as rf ∪ (co ∪ fr) ; rf? (co is transitive and fr ; co ⊆ fr). */
export function extendedCoherence(x: Execution): Relation {
  const cofr = x.co.union(x.fr);
  return x.rf.union(cofr, cofr.seq(x.rf));
}

/** herd's `irreflexive hb ; eco?`, as irreflexive hb and hb ∩ eco⁻¹ = ∅ (no seq needed). */
export function coherent(hb: Relation, eco: Relation): boolean {
  return hb.irreflexive() && !hb.meetsInverse(eco);
}

/** An event set from a predicate over events. */
export function eventsWhere(x: Execution, p: (e: ExecEvent) => boolean): Uint8Array {
  const ev = x.events;
  const out = new Uint8Array(ev.length);
  for (let i = 0; i < ev.length; i++) if (p(ev[i] as ExecEvent)) out[i] = 1;
  return out;
}
