/**
 * A brute-force oracle for the execution-graph explorer: it enumerates every execution graph of a
 * small program and keeps the ones a memory model calls consistent, with no search, no revisits
 * and no maximality rules — so it can be held against checker/graphExplorer.ts, which must find
 * exactly the same complete executions, each once.
 *
 * 1. Each thread is run alone (model/semantics/irThreads.ts) with every combination of read
 *    values drawn from a value domain; the domain starts with the initial values and grows with
 *    every value a run writes, until it is stable. Runs that finish are kept.
 * 2. For every combination of one finished run per thread, every reads-from assignment (each read
 *    reads a write of its location that wrote the value the run read, or the initial write) and
 *    every coherence order (every permutation of each location's writes) is built as a graph and
 *    judged by the model's predicate.
 * 3. The consistent graphs are the complete executions; each is counted with its outcome.
 *
 * Mixed size (issue 15): a location accessed through narrow views is modelled byte by byte
 * (model/semantics/byteSlots.ts), so its accesses are byte events and step 2 chooses a write per
 * byte of each read and an order per byte; each byte slot has its own value domain (its initial
 * byte and the bytes written to it, which is all a read of it can read), a graph must pass the
 * model's complete-execution clauses too (`judgeComplete`: Tear Free Reads), and a memory outcome
 * is composed from each byte's coherence-last write. An RMW of such a
 * location is byte reads then byte writes (irThreads.ts), so every per-byte order of its writes is
 * enumerated like a store's: the oracle assumes no atomicity the model does not state.
 *
 * Exponential in everything: meant for programs of 2–3 threads and a handful of accesses.
 */
import type { IrProgram } from '../../model/ir.js';
import { ExecutionGraph, eventRef, initRef, toExecution } from '../../model/memory/graph/index.js';
import type { GraphEvent, GraphModel } from '../../model/memory/graph/index.js';
import { IrThreadRunner, rmwWrite } from '../../model/semantics/irThreads.js';
import { outcomeKey } from '../../model/outcome.js';
import { observeWord } from '../../model/ir.js';
import { byteSlot, byteWords, wordFromBytes } from '../../model/semantics/byteSlots.js';
import { initialValues } from '../../checker/graphExplorer.js';

/** One finished run of a thread: its events (rf unset) and final registers. */
interface Run {
  readonly events: readonly Omit<GraphEvent, 'rf' | 'stamp' | 'index'>[];
  readonly regs: readonly number[];
}

/** What the oracle found: complete consistent executions, and how many per outcome key. */
export interface GraphOracleResult {
  readonly executions: number;
  readonly outcomes: ReadonlyMap<string, number>;
}

const MAX_DOMAIN = 24;
const MAX_RUNS = 4096;

/** The values each byte slot may hold: its initial byte and every byte written to it (a byte read reads one of them). */
type ByteDomain = ReadonlyMap<number, ReadonlySet<number>>;

function runsOf(program: IrProgram, t: number, domain: readonly number[], model: GraphModel, byteDomain: ByteDomain, initial: (slot: number) => number): { runs: Run[]; written: Set<number>; bytesWritten: Map<number, Set<number>> } {
  const runs: Run[] = [];
  const written = new Set<number>();
  const bytesWritten = new Map<number, Set<number>>();
  const fenceSlot = program.memorySize;
  const explore = (prefix: readonly number[]): void => {
    if (runs.length > MAX_RUNS) throw new TooBig('graph oracle: too many runs');
    const runner = new IrThreadRunner(program, t, { unroll: 4, failedCasWrites: model.failedCasWrites === true });
    const events: Omit<GraphEvent, 'rf' | 'stamp' | 'index'>[] = [];
    let k = 0;
    for (;;) {
      const op = runner.next();
      const base = { thread: t, rmwArgs: null, addedMax: true, revisitable: true, region: -1, origin: null } as const;
      if (op.kind === 'done') {
        runs.push({ events, regs: [...runner.registers()] });
        return;
      }
      if (op.kind === 'blocked' || op.kind === 'error') return;
      if (op.kind === 'write') {
        if (op.bytes === undefined) written.add(op.value);
        else {
          let set = bytesWritten.get(op.slot);
          if (set === undefined) bytesWritten.set(op.slot, (set = new Set()));
          set.add(op.value);
        }
        events.push({ ...base, kind: 'write', slot: op.slot, mode: op.mode, value: op.value, rmw: 'none', ...(op.bytes === undefined ? {} : { bytes: op.bytes }) });
        runner.resume(0);
        continue;
      }
      if (op.kind === 'fence' || op.kind === 'enter' || op.kind === 'exit') {
        if (op.kind === 'fence' && model.scFenceAsRmw === true && op.mode === 'sc') {
          // sc fence as an RMW (fetch_add 1) of the hidden location: its value is its position in the fence order
          if (k >= prefix.length) {
            for (const v of domain) explore([...prefix, v]);
            return;
          }
          const v = prefix[k++] as number;
          written.add(v + 1);
          events.push({ ...base, kind: 'read', slot: fenceSlot, mode: 'sc', value: v, rmw: 'read', rmwArgs: { op: 'fetch_add', operand: 1, expected: 0 } });
          events.push({ ...base, kind: 'write', slot: fenceSlot, mode: 'sc', value: v + 1, rmw: 'write' });
        } else {
          events.push({ ...base, kind: op.kind, slot: -1, mode: op.kind === 'fence' ? op.mode : 'plain', value: 0, rmw: 'none', region: op.kind === 'fence' ? -1 : op.region });
        }
        runner.resume(0);
        continue;
      }
      // a read or an RMW: branch on the value it reads (a byte event's: a byte, as every byte write writes one)
      if (op.kind !== 'read' && op.kind !== 'rmw') throw new Error(`oracle: unexpected ${op.kind}`);
      if (k >= prefix.length) {
        for (const v of op.kind === 'read' && op.bytes !== undefined ? (byteDomain.get(op.slot) ?? [initial(op.slot)]) : domain) explore([...prefix, v]);
        return;
      }
      const v = prefix[k++] as number;
      if (op.kind === 'read') {
        events.push({ ...base, kind: 'read', slot: op.slot, mode: op.mode, value: v, rmw: 'none', ...(op.bytes === undefined ? {} : { bytes: op.bytes }) });
      } else {
        events.push({ ...base, kind: 'read', slot: op.slot, mode: op.mode, value: v, rmw: 'read', rmwArgs: { op: op.op, operand: op.operand, expected: op.expected } });
        const w = rmwWrite(op, v, model.failedCasWrites === true);
        if (w !== null) {
          written.add(w);
          events.push({ ...base, kind: 'write', slot: op.slot, mode: op.mode, value: w, rmw: 'write' });
        }
      }
      runner.resume(v);
    }
  };
  explore([]);
  return { runs, written, bytesWritten };
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  const out: T[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

/** Every complete consistent execution of `program` under `model`, by brute force; null when the program is too big for it. */
export function graphOracle(program: IrProgram, model: GraphModel): GraphOracleResult | null {
  try {
    return bruteForce(program, model);
  } catch (e) {
    if (e instanceof TooBig) return null;
    throw e;
  }
}

class TooBig extends Error {}

function bruteForce(program: IrProgram, model: GraphModel): GraphOracleResult {
  const initial = initialValues(program);
  // a value read is the initial value or one some write wrote; in a loop-free program a chain of
  // writes whose values depend on reads is at most as long as the program has writing instructions
  const writers = program.threads.reduce((n, th) => n + th.code.filter((i) => i.kind === 'store' || i.kind === 'rmw' || i.kind === 'fence').length, 0);
  const domain = new Set<number>([0, ...program.locations.flatMap((l) => l.init)]);
  // byte-by-byte locations: each byte slot's own values, its initial byte first
  const bytes = new Map<number, Set<number>>();
  const bw = byteWords(program);
  if (bw !== null) bw.forEach((on, w) => on === 1 && [0, 1, 2, 3].forEach((b) => bytes.set(byteSlot(w, b), new Set([initial(byteSlot(w, b))]))));
  const size = (): number => domain.size + [...bytes.values()].reduce((n, set) => n + set.size, 0);
  let perThread: Run[][] = [];
  for (let round = 0; round <= writers + 1; round++) {
    const before = size();
    const runs = program.threads.map((_, t) => runsOf(program, t, [...domain], model, bytes, initial));
    perThread = runs.map((r) => r.runs);
    for (const r of runs) {
      for (const v of r.written) domain.add(v);
      for (const [slot, vs] of r.bytesWritten) for (const v of vs) bytes.get(slot)?.add(v);
    }
    if (size() === before) break;
    if (domain.size > MAX_DOMAIN) throw new TooBig('graph oracle: value domain too large');
  }
  let executions = 0;
  const outcomes = new Map<string, number>();
  const combine = (t: number, chosen: Run[]): void => {
    if (t === perThread.length) {
      countGraphs(program, model, chosen, initial, (g, regs) => {
        executions++;
        const key = outcomeKey(outcomeTuple(program, g, regs, initial));
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      });
      return;
    }
    for (const run of perThread[t] as Run[]) combine(t + 1, [...chosen, run]);
  };
  combine(0, []);
  return { executions, outcomes };
}

function outcomeTuple(program: IrProgram, g: ExecutionGraph, regs: readonly (readonly number[])[], initial: (slot: number) => number): number[] {
  const bw = byteWords(program);
  const last = (slot: number): number => {
    const co = g.co.get(slot) ?? [];
    const w = co[co.length - 1];
    return w === undefined ? initial(slot) : g.writeValue(w, initial);
  };
  return program.observables.map((o) => {
    if (o.what.kind === 'reg') return regs[o.what.thread]?.[o.what.reg] ?? 0;
    const s = o.what.slot;
    const word = bw !== null && bw[s] === 1 ? wordFromBytes(last(byteSlot(s, 0)), last(byteSlot(s, 1)), last(byteSlot(s, 2)), last(byteSlot(s, 3))) : last(s);
    return observeWord(o.what, word);
  });
}

function countGraphs(program: IrProgram, model: GraphModel, runs: readonly Run[], initial: (slot: number) => number, found: (g: ExecutionGraph, regs: readonly (readonly number[])[]) => void): void {
  const writesBySlot = new Map<number, number[]>();
  const reads: { t: number; i: number; slot: number; value: number }[] = [];
  runs.forEach((run, t) =>
    run.events.forEach((e, i) => {
      if (e.kind === 'write') {
        const ws = writesBySlot.get(e.slot) ?? [];
        ws.push(eventRef(t, i));
        writesBySlot.set(e.slot, ws);
      } else if (e.kind === 'read') reads.push({ t, i, slot: e.slot, value: e.value });
    }),
  );
  const valueOf = (ref: number, slot: number): number => (ref < 0 ? initial(slot) : ((runs[Math.floor(ref / (1 << 20))] as Run).events[ref % (1 << 20)] as { value: number }).value);
  const rfChoices = reads.map((r) => [initRef(r.slot), ...(writesBySlot.get(r.slot) ?? [])].filter((w) => valueOf(w, r.slot) === r.value));
  if (rfChoices.some((c) => c.length === 0)) return;
  const slots = [...writesBySlot.keys()];
  const coChoices = slots.map((s) => permutations(writesBySlot.get(s) ?? []));
  const rf: number[] = new Array<number>(reads.length).fill(0);
  const co: number[][][] = [];
  const regs = runs.map((r) => r.regs);
  const build = (): ExecutionGraph => {
    const g = new ExecutionGraph(runs.length);
    runs.forEach((run, t) => {
      run.events.forEach((e) => g.push({ ...e, rf: -1 }));
      void t;
    });
    reads.forEach((r, k) => {
      const ref = eventRef(r.t, r.i);
      g.replace(ref, { ...(g.event(ref) as GraphEvent), rf: rf[k] as number });
    });
    slots.forEach((s, k) => g.co.set(s, (co[k] as number[][])[0]?.slice() ?? []));
    return g;
  };
  const pickCo = (k: number): void => {
    if (k === slots.length) {
      const g = build();
      const x = toExecution(g, initial);
      if (model.judge(x).violated === null && (model.judgeComplete === undefined || model.judgeComplete(x) === null)) found(g, regs);
      return;
    }
    for (const order of coChoices[k] as number[][]) {
      co[k] = [order];
      pickCo(k + 1);
    }
  };
  const pickRf = (k: number): void => {
    if (k === reads.length) {
      pickCo(0);
      return;
    }
    for (const w of rfChoices[k] as number[]) {
      rf[k] = w;
      pickRf(k + 1);
    }
  };
  pickRf(0);
}
