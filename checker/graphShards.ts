/**
 * One answer from the parts of a split execution-graph exploration: the threads of `check
 * --workers N`, which hand each other subtrees as they run out of work (checker/graphSteal.ts;
 * spawned by cli/parallelCheck.ts), or the prefix shards of `check --shard I/N` on several
 * machines (graphExplorer.ts `shardSplitDepth`), merged by `memweave merge`.
 *
 * Why the merged answer is the sequential one: the parts partition the complete executions
 * (each is counted by exactly one part: every stack entry is visited by one thread; under shards,
 * graphs above the split depth by shard 0 alone), so
 * outcome counts, executions, blocked executions and the condition's positive/negative counts
 * are sums; each violation kind is reported from the first shard (in shard order) that found it,
 * with that shard's counterexample and replay token, which replays on the whole tree because a
 * token names the execution, not the shard. The answer is inconclusive when any shard was cut
 * short or never ran (time limit, interrupt), as `memweave merge` decides across machines.
 */
import type { IrProgram } from '../model/ir.js';
import { conditionVerdict } from '../model/outcome.js';
import { VIOLATION_KINDS, type CheckOptions, type CheckResult, type Inconclusive, type Outcome, type Violation } from './api.js';
import { compareTuples } from './properties.js';

/** Budgets in the order a merged answer reports them (the first that any shard hit). */
const BUDGET_ORDER: readonly Inconclusive[] = ['interrupted', 'memory', 'time', 'states', 'unroll', 'unexplored'];

/**
 * One CheckResult from the answers of shards 0..count-1 (null: a shard that never ran, because
 * the time limit or an interrupt came first). `stopped` is why the check ended early if it did:
 * 'interrupted' when the caller stopped it — then an incomplete answer reads 'interrupted' whatever
 * its shards say, with no violations, as a sequential check stopped at a pause answers — else
 * 'time'. `ms` is the wall time of the whole check.
 */
export function mergeGraphShards(program: IrProgram, options: CheckOptions, parts: readonly (CheckResult | null)[], stopped: 'time' | 'interrupted', ms: number): CheckResult {
  // a program the engine does not take is refused by every shard alike: that answer is the whole's
  const refused = parts.find((p) => p?.stats.unsupported !== undefined) ?? null;
  if (refused !== null) return { ...refused, stats: { ...refused.stats, ms } };
  const outcomes = new Map<string, { tuple: number[]; outcome: Outcome }>();
  const violations: Violation[] = [];
  const budgets = new Set<Inconclusive>();
  let positive = 0;
  let negative = 0;
  let executions = 0;
  let graphs = 0;
  let transitions = 0;
  let maxDepth = 0;
  let peakBytes = 0;
  let unrollHit: number | undefined;
  let unexplored: string | undefined;
  // the enumeration beyond po ∪ rf (checker/beyondPorf.ts) runs beside shard 0 only
  let beyondPorf: { candidates: number; executions: number } | undefined;
  const blocked = { assume: 0, await: 0, spin: 0, bound: 0, error: 0 };
  for (const p of parts) {
    if (p === null) {
      budgets.add(stopped);
      continue;
    }
    if (p.budgetExhausted !== null) budgets.add(p.budgetExhausted);
    for (const o of p.outcomes) {
      const tuple = program.observables.map((ob) => o.values[ob.name] ?? 0);
      const key = tuple.join(',');
      const had = outcomes.get(key);
      if (had === undefined) outcomes.set(key, { tuple, outcome: { ...o, values: { ...o.values } } });
      else had.outcome = { ...had.outcome, finalStates: had.outcome.finalStates + o.finalStates };
    }
    positive += p.condition?.positive ?? 0;
    negative += p.condition?.negative ?? 0;
    const s = p.stats;
    executions += s.executions ?? 0;
    graphs += s.graphs ?? 0;
    transitions += s.transitions;
    maxDepth = Math.max(maxDepth, s.maxDepth);
    // the threads hold their stacks at once
    peakBytes += s.peakBytes;
    if (s.unrollHit !== undefined) unrollHit = s.unrollHit;
    if (s.unexplored !== undefined) unexplored ??= s.unexplored;
    if (s.beyondPorf !== undefined) beyondPorf = { candidates: (beyondPorf?.candidates ?? 0) + s.beyondPorf.candidates, executions: (beyondPorf?.executions ?? 0) + s.beyondPorf.executions };
    if (s.blocked !== undefined) for (const k of Object.keys(blocked) as (keyof typeof blocked)[]) blocked[k] += s.blocked[k];
  }
  for (const kind of VIOLATION_KINDS) {
    for (const p of parts) {
      const v = p?.violations.find((x) => x.kind === kind);
      if (v !== undefined) {
        violations.push(v);
        break;
      }
    }
  }
  // a shard that found no race may call the program complete under SC-DRF while another found one: unexplored if any shard says so
  const found = BUDGET_ORDER.find((b) => budgets.has(b)) ?? null;
  const interrupted = stopped === 'interrupted' && found !== null;
  const budgetExhausted = interrupted ? 'interrupted' : found;
  if (interrupted) violations.length = 0;
  const c = program.condition;
  const condition = c === null ? null : { kind: c.quantifier, text: c.text, ...conditionVerdict(c.quantifier, positive, negative), positive, negative };
  const rows = [...outcomes.values()].sort((a, b) => compareTuples(a.tuple, b.tuple)).map((e) => e.outcome);
  return {
    test: program.name,
    model: options.model,
    strategy: 'dfs',
    verdict: violations.length > 0 ? 'fail' : budgetExhausted !== null ? 'inconclusive' : 'pass',
    budgetExhausted,
    outcomes: rows,
    condition,
    violations,
    stats: {
      statesStored: 0,
      transitions,
      maxDepth,
      finalStates: executions,
      ms,
      peakBytes,
      bytesPerState: 0,
      bufferBoundHit: false,
      engine: 'graph',
      executions,
      blocked,
      graphs,
      ...(unrollHit !== undefined ? { unrollHit } : {}),
      ...(unexplored !== undefined ? { unexplored } : {}),
      ...(beyondPorf !== undefined ? { beyondPorf } : {}),
    },
  };
}
