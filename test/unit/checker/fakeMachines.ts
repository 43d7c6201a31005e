/**
 * Hand-made transition systems for testing the checker without the real semantics: a counter
 * system (N threads each counting to K) and an explicit graph machine.
 */
import type { IrCond, IrFinalCondition, IrProgram } from '../../../model/ir.js';
import { NO_SPAN } from '../../../model/syntax/source.js';
import { STEP, TR, type Machine, type StepStatus } from '../../../model/semantics/machine.js';

/** A minimal IrProgram with `threads` empty threads and observables over memory slots. */
export function fakeProgram(threads: number, slots: number, condition: IrFinalCondition | null = null, filter: IrCond | null = null): IrProgram {
  return {
    name: 'fake',
    description: null,
    file: 'fake.mw',
    params: {},
    locations: [],
    memorySize: slots,
    threads: Array.from({ length: threads }, (_, i) => ({ name: `P${i}`, template: null, registers: [], code: [], span: NO_SPAN })),
    regions: [],
    condition,
    filter,
    observables: Array.from({ length: slots }, (_, i) => ({ name: `c${i}`, what: { kind: 'mem', slot: i } as const })),
    metadata: [],
  };
}

/** N threads; thread i increments counter i up to K. States: (K+1)^N; final when every counter is K. */
export function counterMachine(n: number, k: number, condition: IrFinalCondition | null = null): Machine {
  return {
    program: fakeProgram(n, n, condition),
    structure: null,
    stateLength: n,
    maxTransitions: n,
    bufferBoundHit: false,
    initial(out, off) {
      for (let i = 0; i < n; i++) out[off + i] = 0;
    },
    enabled(s, off, out) {
      let c = 0;
      for (let i = 0; i < n; i++) {
        if ((s[off + i] as number) < k) {
          out[3 * c] = TR.exec;
          out[3 * c + 1] = i;
          out[3 * c + 2] = 0;
          c++;
        }
      }
      return c;
    },
    apply(s, off, _kind, thread, _arg, next, nOff) {
      for (let i = 0; i < n; i++) next[nOff + i] = s[off + i] as number;
      next[nOff + thread] = (s[off + thread] as number) + 1;
      return STEP.ok;
    },
    isFinal(s, off) {
      for (let i = 0; i < n; i++) if ((s[off + i] as number) < k) return false;
      return true;
    },
    observe(s, off, what) {
      return what.kind === 'mem' ? (s[off + what.slot] as number) : 0;
    },
    race: () => null,
    describe(s, off, kind, thread) {
      return { thread, action: 'instr', text: `c${thread}++`, location: `fake.mw:${thread + 1}`, effect: `write c${thread} = ${(s[off + thread] as number) + 1}`, message: kind === 0 ? null : 'odd' };
    },
    renderState(s, off) {
      const r: Record<string, number> = {};
      for (let i = 0; i < n; i++) r[`c${i}`] = s[off + i] as number;
      return r;
    },
    renderBuffers: () => [],
    describeThreads(s, off) {
      return Array.from({ length: n }, (_, i) => ((s[off + i] as number) < k ? `running at fake.mw:${i + 1}` : 'finished'));
    },
  };
}

/** One edge of a graph machine: the target node and the step status of taking it. */
export interface GraphEdge {
  readonly to: number;
  readonly status?: StepStatus;
  /** which thread takes it (default 0) */
  readonly thread?: number;
}

/** One node of a graph machine. */
export interface GraphNode {
  readonly edges: readonly GraphEdge[];
  readonly final?: boolean;
  /** value of observable slot 0 */
  readonly value?: number;
  /** a race report on this node (js) */
  readonly race?: boolean;
}

/** A machine over an explicit graph: state = [node]; transition arg = edge index. Two threads. */
export function graphMachine(nodes: readonly GraphNode[], condition: IrFinalCondition | null = null): Machine {
  const maxT = Math.max(1, ...nodes.map((n) => n.edges.length));
  const node = (s: Int32Array, off: number): GraphNode => nodes[s[off] as number] as GraphNode;
  return {
    program: fakeProgram(2, 1, condition),
    structure: null,
    stateLength: 1,
    maxTransitions: maxT,
    bufferBoundHit: false,
    initial(out, off) {
      out[off] = 0;
    },
    enabled(s, off, out) {
      const es = node(s, off).edges;
      es.forEach((e, i) => {
        out[3 * i] = TR.exec;
        out[3 * i + 1] = e.thread ?? 0;
        out[3 * i + 2] = i;
      });
      return es.length;
    },
    apply(s, off, _kind, _thread, arg, next, nOff) {
      const e = node(s, off).edges[arg] as GraphEdge;
      next[nOff] = e.to;
      return e.status ?? STEP.ok;
    },
    isFinal: (s, off) => node(s, off).final === true,
    observe: (s, off) => node(s, off).value ?? 0,
    race: (s, off) => (node(s, off).race === true ? { threads: [0, 1], message: `race at n${s[off] as number}` } : null),
    describe(s, off, kind, thread, arg) {
      const from = s[off] as number;
      const e = node(s, off).edges[arg] as GraphEdge;
      return { thread, action: kind === TR.exec ? 'instr' : 'drain', text: `n${from} -> n${e.to}`, location: `g.mw:${from}`, effect: '', message: e.status === undefined || e.status === STEP.ok ? null : `bad edge n${from}->n${e.to}` };
    },
    renderState: (s, off) => ({ node: s[off] as number }),
    renderBuffers: () => [],
    describeThreads: (s, off) => [node(s, off).final === true ? 'finished' : `at n${s[off] as number}`, 'finished'],
  };
}
