/**
 * A deliberately simple exhaustive DFS over a Machine, for tests of the semantics (the real search
 * lives in checker/). States are keyed by their words joined as a string; not fast, obviously right.
 */
import type { Machine } from '../../model/semantics/machine.js';
import { STEP } from '../../model/semantics/machine.js';

/** What exploreAll found. */
export interface Exploration {
  /** final outcomes, each "name=value name=value …" over program.observables */
  readonly finals: Set<string>;
  /** reachable states with no enabled transition that are not final */
  readonly deadlocks: number;
  /** one line per violation found: "assert: msg", "runtime: …", "mutex: …", "race: …" (deduplicated) */
  readonly violations: string[];
  /** number of distinct states visited */
  readonly states: number;
}

/** Explore every reachable state of `machine` (throws past `maxStates`, to keep tests bounded). */
export function exploreAll(machine: Machine, maxStates = 200_000): Exploration {
  const L = machine.stateLength;
  const finals = new Set<string>();
  const violations = new Set<string>();
  const visited = new Set<string>();
  let deadlocks = 0;
  const init = new Int32Array(L);
  machine.initial(init, 0);
  const stack: Int32Array[] = [init];
  visited.add(init.join(','));
  const out = new Int32Array(3 * machine.maxTransitions);
  while (stack.length > 0) {
    const s = stack.pop()!;
    const race = machine.race(s, 0);
    if (race !== null) violations.add(`race: ${race.message}`);
    if (machine.isFinal(s, 0)) {
      finals.add(machine.program.observables.map((o) => `${o.name}=${machine.observe(s, 0, o.what)}`).join(' '));
      continue;
    }
    const k = machine.enabled(s, 0, out);
    if (k > machine.maxTransitions) throw new Error(`exploreAll: ${k} transitions exceed maxTransitions ${machine.maxTransitions}`);
    if (k === 0) deadlocks++;
    for (let i = 0; i < k; i++) {
      const kind = out[3 * i]!;
      const thread = out[3 * i + 1]!;
      const arg = out[3 * i + 2]!;
      const next = new Int32Array(L);
      const status = machine.apply(s, 0, kind, thread, arg, next, 0);
      if (status === STEP.pruned) continue;
      if (status === STEP.assertFailed || status === STEP.runtimeError) {
        const d = machine.describe(s, 0, kind, thread, arg);
        violations.add(`${status === STEP.assertFailed ? 'assert' : 'runtime'}: ${d.message ?? ''}`);
        continue;
      }
      if (status === STEP.mutexViolated) violations.add(`mutex: ${machine.describe(s, 0, kind, thread, arg).message ?? ''}`);
      const key = next.join(',');
      if (visited.has(key)) continue;
      visited.add(key);
      if (visited.size > maxStates) throw new Error(`exploreAll: more than ${maxStates} states`);
      stack.push(next);
    }
  }
  return { finals, deadlocks, violations: [...violations], states: visited.size };
}

/** Does some final outcome contain all of these "name=value" parts? */
export function hasOutcome(finals: Set<string>, ...parts: string[]): boolean {
  for (const f of finals) {
    const words = f.split(' ');
    if (parts.every((p) => words.includes(p))) return true;
  }
  return false;
}

/** Apply one transition, first checking that `enabled` lists it; returns the successor and status. */
export function step(machine: Machine, s: Int32Array, kind: number, thread: number, arg = kind === 1 ? -1 : 0): { next: Int32Array; status: number } {
  const out = new Int32Array(3 * machine.maxTransitions);
  const k = machine.enabled(s, 0, out);
  let found = false;
  for (let i = 0; i < k; i++) if (out[3 * i] === kind && out[3 * i + 1] === thread && out[3 * i + 2] === arg) found = true;
  if (!found) throw new Error(`step: transition (${kind}, ${thread}, ${arg}) is not enabled; enabled: ${[...out.subarray(0, 3 * k)].join(',')}`);
  const next = new Int32Array(machine.stateLength);
  const status = machine.apply(s, 0, kind, thread, arg, next, 0);
  return { next, status };
}

/** Run a sequence of transitions from the initial state (each must be enabled and return STEP.ok). */
export function runPath(machine: Machine, path: readonly (readonly [number, number] | readonly [number, number, number])[]): Int32Array {
  let s: Int32Array = new Int32Array(machine.stateLength);
  machine.initial(s, 0);
  for (const [kind, thread, arg] of path) {
    const r = step(machine, s, kind, thread, arg);
    if (r.status !== STEP.ok) throw new Error(`runPath: (${kind}, ${thread}) returned status ${r.status}`);
    s = r.next;
  }
  return s;
}

/** The enabled transitions of a state, as [kind, thread, arg] triples. */
export function enabledList(machine: Machine, s: Int32Array): [number, number, number][] {
  const out = new Int32Array(3 * machine.maxTransitions);
  const k = machine.enabled(s, 0, out);
  const list: [number, number, number][] = [];
  for (let i = 0; i < k; i++) list.push([out[3 * i]!, out[3 * i + 1]!, out[3 * i + 2]!]);
  return list;
}
