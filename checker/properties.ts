/**
 * Final-state properties: evaluating the final condition and the filter (herd7 semantics), and
 * collecting the distinct outcomes (observable value tuples) over the final states.
 *
 * herd semantics: a final state counts only if it passes `filter`. `exists P` is validated (Ok)
 * iff some final state satisfies P; `~exists P` iff none does; `forall P` iff all do. Positive /
 * negative count the final states where P holds / does not. Observation: Never (no final state
 * satisfies P), Always (every one does), Sometimes otherwise. Witness counts here are per
 * distinct final state, not per execution as in herd.
 */
import type { IrCond, IrProgram } from '../model/ir.js';
import { assertNever } from '../model/ir.js';
import { conditionVerdict } from '../model/outcome.js';
import { STEP, type Machine } from '../model/semantics/machine.js';
import type { ConditionResult, Outcome, ViolationKind } from './api.js';
import { evalCondBy, nameRecord } from '../model/outcome.js';
import { MemoryBudget } from './memoryBudget.js';
import { OutcomeTable } from './outcomeTable.js';
import { outcomeReserveBytes } from './resultCost.js';

/** Whether a condition proposition holds in a state (model/outcome.ts's one evaluator, over the state's observables). */
export function evalCond(m: Machine, s: Int32Array, off: number, c: IrCond): boolean {
  return evalCondBy(c, (o) => m.observe(s, off, o));
}

/** Whether a final state (satisfying `satisfies`) is a counterexample to the program's condition: ~exists and a satisfying state, or forall and a falsifying one. */
export function falsifiesCondition(program: IrProgram, satisfies: boolean): boolean {
  const q = program.condition?.quantifier;
  return (q === 'not exists' && satisfies) || (q === 'forall' && !satisfies);
}

/** How one final state was classified by `OutcomeCollector.add`. */
export const FINAL = {
  /** excluded by the filter */
  filtered: 0,
  /** counted; the condition holds (or there is none) and the state does not falsify it */
  counted: 1,
  /** counted; the state is a counterexample to a ~exists or forall condition */
  falsifies: 2,
  /** a new outcome the memory budget has no room for: nothing recorded, the search must stop */
  noMemory: 3,
} as const;

/** Collects outcomes and condition counts over final states; the outcomes are stored in the search's memory budget. */
export class OutcomeCollector {
  private readonly machine: Machine;
  private readonly program: IrProgram;
  /** the distinct outcomes, each with its final states (weighted) */
  readonly table: OutcomeTable;
  private readonly tuple: Int32Array;
  /** final states passing the filter where the condition holds / does not */
  positive = 0;
  negative = 0;

  /** `budget`: the search's memory budget (default: unlimited). */
  constructor(machine: Machine, budget: MemoryBudget = new MemoryBudget(Number.POSITIVE_INFINITY)) {
    this.machine = machine;
    this.program = machine.program;
    this.tuple = new Int32Array(this.program.observables.length);
    this.table = new OutcomeTable(this.program.observables.length, budget, outcomeReserveBytes(this.program.observables.map((o) => o.name)));
  }

  /** Record one (distinct) final state, counted `weight` times (under symmetry: its orbit's size); answers a FINAL value. */
  add(s: Int32Array, off: number, weight = 1): number {
    const p = this.program;
    if (p.filter !== null && !evalCond(this.machine, s, off, p.filter)) return FINAL.filtered;
    const obs = p.observables;
    for (let i = 0; i < obs.length; i++) this.tuple[i] = this.machine.observe(s, off, (obs[i] as (typeof obs)[number]).what);
    const satisfies = p.condition === null ? null : evalCond(this.machine, s, off, p.condition.cond);
    if (!this.table.add(this.tuple, satisfies, weight)) return FINAL.noMemory;
    if (satisfies === true) this.positive += weight;
    else if (satisfies === false) this.negative += weight;
    return satisfies !== null && falsifiesCondition(p, satisfies) ? FINAL.falsifies : FINAL.counted;
  }

  /** The distinct outcomes, sorted lexicographically by value tuple. */
  outcomes(): Outcome[] {
    const entries = this.table.rows().sort((a, b) => compareTuples(a.tuple, b.tuple));
    const names = this.program.observables.map((o) => o.name);
    return entries.map((e) => {
      const values = nameRecord<number>();
      names.forEach((n, i) => {
        values[n] = e.tuple[i] as number;
      });
      return { values, satisfies: e.satisfies, finalStates: e.count };
    });
  }

  /** herd's verdict on the final condition, or null without one. */
  condition(): ConditionResult | null {
    const c = this.program.condition;
    if (c === null) return null;
    const { validated, observation } = conditionVerdict(c.quantifier, this.positive, this.negative);
    return { kind: c.quantifier, text: c.text, validated, positive: this.positive, negative: this.negative, observation };
  }
}

/** Lexicographic order on number tuples. */
export function compareTuples(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Whether an execution goes on after a step with this status: an ok step, or a mutual-exclusion violation (a critical region observes, it never cuts an execution). */
export function stepContinues(status: number): boolean {
  return status === STEP.ok || status === STEP.mutexViolated;
}

/** The violation kind a step status reports, or null for ok / pruned. */
export function stepViolationKind(status: number): 'assert' | 'runtime' | 'mutex' | null {
  switch (status) {
    case STEP.assertFailed:
      return 'assert';
    case STEP.runtimeError:
      return 'runtime';
    case STEP.mutexViolated:
      return 'mutex';
    default:
      return null;
  }
}

/** The message for a violating step, from the step's description. */
export function stepViolationMessage(kind: 'assert' | 'runtime' | 'mutex', threadName: string, location: string, message: string | null): string {
  const where = location === '' ? threadName : `${threadName} at ${location}`;
  const said = message !== null && message !== '' ? message : null;
  switch (kind) {
    case 'assert':
      return `assertion failed in ${where}${said !== null ? `: ${said}` : ''}`;
    case 'runtime':
      return `run-time error in ${where}${said !== null ? `: ${said}` : ''}`;
    case 'mutex':
      return `mutual exclusion violated in ${where}: ${said ?? 'entered a critical region another thread occupies'}`;
    default:
      return assertNever(kind);
  }
}

/** The message for a deadlock: every thread's status. */
export function deadlockMessage(m: Machine, s: Int32Array, off: number): string {
  const lines = m.describeThreads(s, off).map((d, i) => `  ${m.program.threads[i]?.name ?? `#${i}`}: ${d}`);
  return `deadlock: no thread can move and the program has not finished\n${lines.join('\n')}`;
}

/** The message for a final state that falsifies a ~exists or forall condition. */
export function conditionMessage(program: IrProgram): string {
  const c = program.condition;
  if (c === null) return 'no final condition';
  return c.quantifier === 'forall'
    ? `final condition ${c.text} fails: this final state does not satisfy the proposition`
    : `final condition ${c.text} fails: this final state satisfies the proposition`;
}

/** Where a violation was found, before its trace is built (cold path, at the end). */
export type Found =
  | { readonly at: 'state'; readonly state: number; readonly message: string }
  | { readonly at: 'step'; readonly state: number; readonly kind: number; readonly thread: number; readonly arg: number };

/** The first violation of each kind an explorer found (by stored state index), in the order found. */
export class FoundViolations {
  private readonly byKind = new Map<ViolationKind, Found>();

  has(kind: ViolationKind): boolean {
    return this.byKind.has(kind);
  }

  /** How many kinds were found. */
  get count(): number {
    return this.byKind.size;
  }

  /** The kinds found, in the order found. */
  kinds(): ViolationKind[] {
    return [...this.byKind.keys()];
  }

  /** Forget a finding (its counterexample has no room in the memory budget). */
  forget(kind: ViolationKind): void {
    this.byKind.delete(kind);
  }

  get(kind: ViolationKind): Found | undefined {
    return this.byKind.get(kind);
  }

  /** Record a state violation (the first of its kind wins). */
  state(kind: ViolationKind, state: number, message: string): void {
    if (!this.byKind.has(kind)) this.byKind.set(kind, { at: 'state', state, message });
  }

  /** Record a violating step from `state` by (kind, thread, arg) with that status (the first of its kind wins). */
  step(status: number, state: number, kind: number, thread: number, arg: number): void {
    const vk = stepViolationKind(status);
    if (vk !== null && !this.byKind.has(vk)) this.byKind.set(vk, { at: 'step', state, kind, thread, arg });
  }

  /** Record a deadlock in `state` (whose words are s[0..]); the message is built only for the first. */
  deadlock(m: Machine, state: number, s: Int32Array): void {
    if (!this.byKind.has('deadlock')) this.byKind.set('deadlock', { at: 'state', state, message: deadlockMessage(m, s, 0) });
  }
}

/**
 * The per-state property checks every explorer runs on each state it reaches: a data race (when
 * the model checks races), and on a final state its outcome, the condition and its witness
 * counts. (A deadlock needs the enabled transitions the explorer computes anyway:
 * FoundViolations.deadlock.)
 */
export class StateChecks {
  /** `visit`'s answer: the state is final (its outcome recorded) */
  static readonly FINAL = 1;
  /** `visit`'s answer: the state is not final */
  static readonly GOES_ON = 0;
  /** `visit`'s answer: the state is final and its outcome is new, but the memory budget has no room for it (nothing recorded) */
  static readonly NO_MEMORY = 2;
  readonly collector: OutcomeCollector;
  /** final states seen, each counted with its weight */
  finalStates = 0;

  private readonly machine: Machine;
  private readonly checksRaces: boolean;
  /** the weight of a final state (under symmetry: its orbit's size); null: 1 */
  private readonly weightOf: ((s: Int32Array, off: number) => number) | null;

  /** `budget`: the search's memory budget, which the outcomes are stored in (default: unlimited). */
  constructor(machine: Machine, checksRaces: boolean, weightOf: ((s: Int32Array, off: number) => number) | null = null, budget?: MemoryBudget) {
    this.machine = machine;
    this.checksRaces = checksRaces;
    this.weightOf = weightOf;
    this.collector = new OutcomeCollector(machine, budget);
  }

  /** Check the state s[off..] (stored as `state`); answers FINAL, GOES_ON or NO_MEMORY. */
  visit(s: Int32Array, off: number, state: number, found: FoundViolations): number {
    const m = this.machine;
    if (this.checksRaces && !found.has('race')) {
      const race = m.race(s, off);
      if (race !== null) found.state('race', state, raceMessage(race.message));
    }
    if (!m.isFinal(s, off)) return StateChecks.GOES_ON;
    const weight = this.weightOf === null ? 1 : this.weightOf(s, off);
    const verdict = this.collector.add(s, off, weight);
    if (verdict === FINAL.noMemory) return StateChecks.NO_MEMORY;
    this.finalStates += weight;
    if (verdict === FINAL.falsifies && !found.has('condition')) found.state('condition', state, conditionMessage(m.program));
    return StateChecks.FINAL;
  }
}

/** The message of a data race: the model's report, which already says what it is ("data race on y: …"); not wrapped again. */
export function raceMessage(report: string): string {
  return report;
}
