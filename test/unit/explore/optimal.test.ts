/**
 * Optimal DPOR (explore/optimal.ts) against brute force on generated small systems: 2–4 threads,
 * each a short list of reads and writes of a few locations, and — with blocking — awaits that park
 * a thread until another writes the location they found zero. The brute force runs
 * every interleaving and collects the distinct Mazurkiewicz traces (traceKey over the footprints);
 * DPOR must reach exactly that set, each complete execution a trace of its own, and with no
 * blocking none ends sleep-blocked (Abdulla et al., JACM 2017, Theorems 6.3–6.4). The classic
 * search (Flanagan–Godefroid + sleep sets) is held to the same set, without the optimality part.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addEvent, traceKey, type Bounds, type Ev, type System } from '../../../explore/dpor.js';
import type { Footprint } from '../../../explore/execution.js';
import { search } from '../../../explore/explore.js';
import { assertSeeded, seedFromEnv } from '../../arbitraries/irProgram.js';

const SEED = seedFromEnv(1616);

/** One operation of a generated thread: a read or write of a 4-byte location, or an await on one. */
type Op = { readonly kind: 'read'; readonly loc: number } | { readonly kind: 'write'; readonly loc: number; readonly value: number } | { readonly kind: 'await'; readonly loc: number };

interface State {
  readonly mem: number[];
  readonly pc: number[];
  /** invariant: parked[t] is the location thread t sleeps on, or -1 */
  readonly parked: number[];
}

const NONE: readonly (readonly [number, number])[] = [];
const range = (loc: number): readonly [number, number] => [loc * 4, loc * 4 + 4];

/**
 * The system of generated threads, deterministic. An await is a step that reads its location and
 * passes when it is non-zero, else parks the thread (as explore/execution.ts's Atomics.wait and
 * spin collapse do): a parked thread cannot move until another thread writes that location, and
 * then re-runs the await. So a thread is disabled only by its own step, and enabled by a step
 * dependent with its next one, as in the executions explore() runs.
 */
function systemOf(threads: readonly (readonly Op[])[], locs: number): System<State> {
  const next = (s: State, t: number): Op | undefined => threads[t]?.[s.pc[t] as number];
  return {
    begin: () => ({ mem: new Array<number>(locs).fill(0), pc: threads.map(() => 0), parked: threads.map(() => -1) }),
    threads: () => threads.length,
    enabled: (s, t) => next(s, t) !== undefined && s.parked[t] === -1,
    step: (s, t): Footprint => {
      const op = next(s, t);
      if (op === undefined) throw new Error('a step of a finished thread');
      if (op.kind === 'await' && s.mem[op.loc] === 0) s.parked[t] = op.loc;
      else s.pc[t] = (s.pc[t] as number) + 1;
      if (op.kind !== 'write') return { reads: [range(op.loc)], writes: NONE, waitList: -1 };
      s.mem[op.loc] = op.value;
      s.parked.forEach((l, u) => {
        if (l === op.loc && u !== t) s.parked[u] = -1;
      });
      return { reads: [range(op.loc)], writes: [range(op.loc)], waitList: -1 };
    },
    over: (s) => s.pc.every((p, t) => p >= (threads[t]?.length ?? 0)),
    end: () => false,
  };
}

/** Every interleaving: the set of distinct traces of maximal executions (deadlocked ones included). */
function bruteTraces(sys: System<State>): Set<string> {
  const out = new Set<string>();
  const walk = (prefix: number[]): void => {
    const s = sys.begin();
    const n = sys.threads(s);
    const events: Ev[] = [];
    const lastOf: (Ev | undefined)[] = new Array<Ev | undefined>(n).fill(undefined);
    for (const t of prefix) addEvent(events, lastOf, t, sys.step(s, t), n);
    const en: number[] = [];
    if (!sys.over(s)) for (let t = 0; t < n; t++) if (sys.enabled(s, t)) en.push(t);
    if (en.length === 0) out.add(traceKey(events));
    for (const t of en) walk([...prefix, t]);
  };
  walk([]);
  return out;
}

function run(sys: System<State>, n: number, algorithm: 'optimal' | 'classic', maxPreemptions = Infinity): { executions: number; sleepBlocked: number; traces: string[]; bound: string | null } {
  const traces: string[] = [];
  const bounds: Bounds = { maxPreemptions, maxSteps: 1000, maxExecutions: 1e6, order: Array.from({ length: n }, (_, i) => i), algorithm, onTrace: (k) => void traces.push(k) };
  const st = search(sys, bounds);
  if (maxPreemptions === Infinity) expect(st.bound).toBeNull();
  return { executions: st.executions, sleepBlocked: st.sleepBlocked, traces, bound: st.bound };
}

const arbSystem = (blocking: boolean): fc.Arbitrary<{ threads: Op[][]; locs: number }> =>
  fc.integer({ min: 1, max: 3 }).chain((locs) => {
    const loc = fc.integer({ min: 0, max: locs - 1 });
    const ops: fc.Arbitrary<Op>[] = [
      loc.map((l) => ({ kind: 'read' as const, loc: l })),
      fc.tuple(loc, fc.integer({ min: blocking ? 0 : 1, max: 2 })).map(([l, v]) => ({ kind: 'write' as const, loc: l, value: v })),
    ];
    if (blocking) ops.push(loc.map((l) => ({ kind: 'await' as const, loc: l })));
    // at most 3 steps a thread, 2 with 4 threads: the brute force stays below ~10^4 interleavings
    const thread = (max: number): fc.Arbitrary<Op[]> => fc.array(fc.oneof(...ops), { minLength: 1, maxLength: max });
    return fc.integer({ min: 2, max: 4 }).chain((n) => fc.array(thread(n === 4 ? 2 : 3), { minLength: n, maxLength: n }).map((threads) => ({ threads, locs })));
  });

describe('optimal DPOR against brute force on generated systems', () => {
  it('a trace the brute force finds and DPOR misses fails the comparison (the check can fail)', () => {
    const sys = systemOf([[{ kind: 'write', loc: 0, value: 1 }], [{ kind: 'read', loc: 0 }]], 1);
    const all = bruteTraces(sys);
    expect(all.size).toBe(2);
    const one = [...all][0] as string;
    expect(new Set([one])).not.toEqual(all);
  });

  it('without blocking: DPOR reaches every trace, one execution each, none sleep-blocked', () => {
    assertSeeded(
      fc.property(arbSystem(false), ({ threads, locs }) => {
        const sys = systemOf(threads, locs);
        const all = bruteTraces(sys);
        const o = run(sys, threads.length, 'optimal');
        expect(o.sleepBlocked).toBe(0);
        expect(o.executions).toBe(all.size);
        expect(new Set(o.traces).size).toBe(o.traces.length);
        expect(new Set(o.traces)).toEqual(all);
        const c = run(sys, threads.length, 'classic');
        expect(new Set(c.traces)).toEqual(all);
        expect(c.executions).toBeGreaterThanOrEqual(o.executions);
        // a preemption bound of 0 explores a subset, and says so when it is a proper one
        const b = run(sys, threads.length, 'optimal', 0);
        for (const k of b.traces) expect(all.has(k)).toBe(true);
        if (new Set(b.traces).size < all.size) expect(b.bound).toBe('preemptions');
      }),
      SEED,
      300,
    );
  });

  it('with blocking (awaits that park until a write): every trace, each once; sleep-blocked executions are counted apart', () => {
    let blocked = 0;
    assertSeeded(
      fc.property(arbSystem(true), ({ threads, locs }) => {
        const sys = systemOf(threads, locs);
        const all = bruteTraces(sys);
        const o = run(sys, threads.length, 'optimal');
        blocked += o.sleepBlocked;
        expect(new Set(o.traces).size).toBe(o.traces.length);
        expect(o.executions - o.sleepBlocked).toBe(all.size);
        expect(new Set(o.traces)).toEqual(all);
        expect(new Set(run(sys, threads.length, 'classic').traces)).toEqual(all);
      }),
      SEED,
      300,
    );
    expect(blocked).toBe(0);
  });

  it('a 3-thread system the classic search wastes executions on runs one per trace', () => {
    // Abdulla et al., POPL 2014, §2's shape: p writes x; q reads y then x; r reads z then x
    const sys = systemOf(
      [
        [{ kind: 'write', loc: 0, value: 1 }],
        [{ kind: 'read', loc: 1 }, { kind: 'read', loc: 0 }],
        [{ kind: 'read', loc: 2 }, { kind: 'read', loc: 0 }],
      ],
      3,
    );
    const all = bruteTraces(sys);
    const o = run(sys, 3, 'optimal');
    const c = run(sys, 3, 'classic');
    expect(all.size).toBe(4);
    expect([o.executions, o.sleepBlocked, new Set(o.traces).size]).toEqual([4, 0, 4]);
    expect(new Set(c.traces)).toEqual(all);
    expect([c.executions, c.sleepBlocked]).toEqual([5, 1]);
  });
});
