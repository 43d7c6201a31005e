/**
 * Conformance beyond final states: does one iteration's record of what each thread read have a
 * sequentially consistent explanation? The check V8's `atomics-stress` test makes of its
 * workers' logs (v8/test/mjsunit/wasm/atomics-stress.js: random sequences of Atomics operations,
 * each worker logs the values it read, and the main thread searches for one interleaving that
 * explains every log), here for any program whose shared accesses are all `sc`.
 *
 * The harness (impl/harness.ts, RunOptions.readLog) records, per iteration and per thread, the
 * values of the thread's reads in program order (a load, the old value of a read-modify-write,
 * the value an `await` returned with), with the iteration's final outcome. An entry is explained
 * when some interleaving of the threads under sequential consistency makes every thread read
 * exactly its logged values, in order, and ends in the logged outcome: a depth-first search over
 * the SC machine of the program in which a thread may take a read step only when the value it
 * would read is the next one of its log. Final values alone can hide a non-SC execution whose
 * registers were overwritten (a loop, a re-used register); the read log cannot.
 *
 * Which programs: every load, store, read-modify-write and await `sc` — or `plain` in a program
 * the js race detector proved data-race-free (SC-DRF) — and no wait or notify (a wait's timing
 * is not in the log). Under every memory model memweave has, and in JavaScript
 * (Atomics are sequentially consistent for a race-free program, and a program of Atomics only has
 * no race), such a program must behave sequentially consistently, so an unexplained entry is an
 * observation no model allows. The search is bounded by `maxStates` per entry: past it the entry
 * is 'unknown', never read as explained.
 */
import type { IrProgram } from '../model/ir.js';
import { SC_MODEL } from '../model/memory/registry.js';
import { createMachine } from '../model/semantics/createMachine.js';
import { STEP, TR } from '../model/semantics/machine.js';

/**
 * Why a program's read logs cannot be checked this way, or null when they can. `raceFree`: the
 * program is known to be data-race-free under JavaScript's rules (plain accesses never race with
 * another thread's conflicting access: the js race detector found none in a complete search), so
 * its plain accesses are allowed too: a data-race-free program has only sequentially consistent
 * executions (ECMA-262 §29.10, SC-DRF; compiled, plain accesses are typed-array element accesses
 * and sc ones Atomics).
 */
export function readLogIneligible(program: IrProgram, raceFree = false): string | null {
  // what no race freedom can mend first (another mode, a wait), then a plain access
  let plain: string | null = null;
  for (const th of program.threads) {
    for (const ins of th.code) {
      switch (ins.kind) {
        case 'load':
        case 'store':
        case 'rmw':
        case 'await':
          if (ins.mode === 'plain') plain ??= raceFree ? null : `${th.name} makes a plain access (${ins.origin.text}): only programs whose shared accesses are all sc, or data-race-free, have an SC explanation to find`;
          else if (ins.mode !== 'sc') return `${th.name} makes a ${ins.mode} access (${ins.origin.text}): only programs whose shared accesses are all sc (or plain and data-race-free) have an SC explanation to find`;
          break;
        case 'wait':
        case 'notify':
          return `${th.name} uses ${ins.kind} (${ins.origin.text}): a wait's timing is not in the read log`;
        default:
          break;
      }
    }
  }
  return plain;
}

/** Whether only the program's plain accesses keep its reads from being checked: race freedom would make it checkable. */
export function readLogNeedsRaceFreedom(program: IrProgram): boolean {
  return readLogIneligible(program) !== null && readLogIneligible(program, true) === null;
}

/** One logged iteration: the final outcome (program.observables order) and each thread's reads. */
export interface ReadLogEntry {
  readonly outcome: readonly number[];
  readonly reads: readonly (readonly number[])[];
}

/** Parse a key of RunResult.readLogs: [outcome, reads of thread 0, …]. */
export function parseReadLogKey(key: string): ReadLogEntry {
  const parts = JSON.parse(key) as number[][];
  return { outcome: parts[0] ?? [], reads: parts.slice(1) };
}

/** The answer for one entry: explained (with the thread order of one explanation), unexplained, or unknown (the budget ran out). */
export type ReadExplanation =
  | { readonly kind: 'explained'; readonly schedule: readonly number[] }
  | { readonly kind: 'unexplained'; readonly states: number }
  | { readonly kind: 'unknown'; readonly states: number };

/** Default bound on the states one entry's search may visit. */
export const READ_EXPLAIN_MAX_STATES = 200_000;

/** A reusable explainer for one program: the SC machine is built once. */
export function readExplainer(program: IrProgram, maxStates = READ_EXPLAIN_MAX_STATES): (entry: ReadLogEntry) => ReadExplanation {
  const m = createMachine(program, SC_MODEL);
  const L = m.stateLength;
  const T = program.threads.length;
  const trans = new Int32Array(m.maxTransitions * 3);
  return (entry) => {
    const { outcome, reads } = entry;
    const start = new Int32Array(L + T);
    m.initial(start, 0);
    // a state of the search: the machine's words, then each thread's position in its log
    const seen = new Set<string>();
    const stack: { s: Int32Array; path: number[] }[] = [{ s: start, path: [] }];
    seen.add(start.join(','));
    while (stack.length > 0) {
      const top = stack.pop();
      if (top === undefined) break;
      const { s, path } = top;
      if (m.isFinal(s, 0)) {
        let ok = true;
        for (let t = 0; t < T && ok; t++) ok = (s[L + t] ?? 0) === (reads[t]?.length ?? 0);
        for (let k = 0; k < program.observables.length && ok; k++) {
          const o = program.observables[k];
          ok = o !== undefined && m.observe(s, 0, o.what) === outcome[k];
        }
        if (ok) return { kind: 'explained', schedule: path };
        continue;
      }
      const n = m.enabled(s, 0, trans);
      for (let i = 0; i < n; i++) {
        const kind = trans[i * 3] ?? 0;
        const t = trans[i * 3 + 1] ?? 0;
        const arg = trans[i * 3 + 2] ?? 0;
        if (kind !== TR.exec) continue; // no drains under sc, no timeouts without wait
        const ev = m.describe(s, 0, kind, t, arg).event;
        // a narrow view access logs the element it read, not its word
        const read = ev === undefined ? null : ev.kind === 'read' ? (ev.element ?? ev.value) : ev.kind === 'rmw' ? (ev.element ?? ev.read) : null;
        const at = s[L + t] ?? 0;
        const log = reads[t] ?? [];
        if (read !== null && (at >= log.length || log[at] !== read)) continue;
        const next = new Int32Array(L + T);
        const st = m.apply(s, 0, kind, t, arg, next, 0);
        // an iteration in the log finished: an assert or a run-time error cut it (the harness left it out)
        if (st === STEP.pruned || st === STEP.assertFailed || st === STEP.runtimeError) continue;
        for (let u = 0; u < T; u++) next[L + u] = s[L + u] ?? 0;
        if (read !== null) next[L + t] = at + 1;
        const key = next.join(',');
        if (seen.has(key)) continue;
        if (seen.size >= maxStates) return { kind: 'unknown', states: seen.size };
        seen.add(key);
        stack.push({ s: next, path: [...path, t] });
      }
    }
    return { kind: 'unexplained', states: seen.size };
  };
}

/** What the check of a run's read logs found. */
export interface ReadLogCheck {
  /** distinct entries checked, and the iterations they stand for */
  readonly entries: number;
  readonly iterations: number;
  /** entries with no SC explanation, with how often each was seen */
  readonly unexplained: readonly { readonly entry: ReadLogEntry; readonly count: number }[];
  /** entries whose search ran out of budget */
  readonly unknown: number;
}

/** Check every entry of a run's read logs (RunResult.readLogs). */
export function checkReadLogs(program: IrProgram, logs: ReadonlyMap<string, number>, maxStates = READ_EXPLAIN_MAX_STATES): ReadLogCheck {
  const explain = readExplainer(program, maxStates);
  const unexplained: { entry: ReadLogEntry; count: number }[] = [];
  let unknown = 0;
  let iterations = 0;
  for (const [key, count] of logs) {
    iterations += count;
    const entry = parseReadLogKey(key);
    const r = explain(entry);
    if (r.kind === 'unexplained') unexplained.push({ entry, count });
    else if (r.kind === 'unknown') unknown++;
  }
  return { entries: logs.size, iterations, unexplained, unknown };
}
