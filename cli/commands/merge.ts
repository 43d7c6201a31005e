/**
 * `memweave merge A.json B.json …` (issue 18): one verdict from the JSON results of
 * `check --shard I/N --format json`. It refuses (U509, exit 2, naming the file) what is not a
 * shard result, shards of different spaces or counts, and a missing or duplicated index; else it
 * takes the union of the outcomes with their counts summed, the executions summed, the first
 * violation of each kind by shard order (with its replay token), and inconclusive when a shard
 * was, and exits as `check` does (0 pass, 1 violation, 3 inconclusive). Formats: text, json, and
 * `check`'s CI formats junit and github (the same formatters, cli/ci/, over one file report built
 * from the merged answer: its source path and lines come from the violations' trace locations,
 * since a shard's JSON does not name the file).
 */
import type { CheckResult, ModelName, TraceStep } from '../../checker/api.js';
import { INCONCLUSIVE_REASONS, VIOLATION_KINDS } from '../../checker/api.js';
import { diag, type Diagnostic } from '../../model/diagnostics/diagnostic.js';
import { conditionVerdict } from '../../model/outcome.js';
import { NO_SPAN } from '../../model/syntax/source.js';
import { COMMAND_LINE, renderDiagnostic } from '../render.js';
import { parseCommandArgs } from '../args.js';
import { usageError } from '../input.js';
import { EXIT, type CliIo, type CommandBody } from '../types.js';
import { renderGithub } from '../ci/github.js';
import { renderJunit } from '../ci/junit.js';
import type { CiFileReport, CiLocation, CiModelResult, CiViolation } from '../ci/report.js';
import { renderTraceTable } from './check.js';

const OPTIONS = { format: { type: 'string', default: 'text' } } as const;
const MERGE_FORMATS = ['text', 'json', 'junit', 'github'] as const;

/** The part of a shard's JSON that merge reads. */
interface ShardResult {
  readonly file: string;
  readonly test: string;
  readonly model: string;
  readonly shard: { readonly index: number; readonly count: number; readonly method: string; readonly space: string };
  readonly budgetExhausted: string | null;
  readonly verdict: string;
  readonly outcomes: readonly { readonly values: Record<string, number>; readonly satisfies: boolean | null; readonly finalStates: number }[];
  readonly violations: readonly ShardViolation[];
  readonly executions: number;
  /** the shard's own time (stats.ms) */
  readonly ms: number;
  readonly condition: { readonly kind: Quantifier; readonly text: string; readonly positive: number; readonly negative: number } | null;
}

/** A violation as a shard's JSON has it (its trace and final state as `check` wrote them). */
interface ShardViolation {
  readonly kind: string;
  readonly message?: string;
  readonly replay?: string;
  readonly code?: string;
  readonly trace?: readonly TraceStep[];
  readonly finalState?: Readonly<Record<string, number>>;
}

type Quantifier = 'exists' | 'not exists' | 'forall';
const QUANTIFIERS: readonly unknown[] = ['exists', 'not exists', 'forall'];

/** The merged answer. */
export interface MergedShards {
  readonly test: string;
  readonly model: string;
  readonly shards: { readonly count: number; readonly method: string; readonly space: string };
  readonly verdict: 'pass' | 'fail' | 'inconclusive';
  readonly executions: number;
  /** the shards' times summed (milliseconds of checking, not of wall clock when they ran side by side) */
  readonly ms: number;
  readonly outcomes: { values: Record<string, number>; satisfies: boolean | null; finalStates: number }[];
  readonly violations: ShardResult['violations'];
  readonly inconclusive: readonly { readonly shard: number; readonly budgetExhausted: string }[];
  /** the final condition over the merged executions (positive and negative summed), as `check` decides it; null without one */
  readonly condition: { readonly kind: Quantifier; readonly text: string; readonly validated: 'Ok' | 'No' | 'Undecided'; readonly positive: number; readonly negative: number; readonly observation: string } | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A shard result from a file's text, or why it is not one. */
export function readShard(file: string, text: string): ShardResult | string {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    return `${file} is not JSON (${(e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ')})`;
  }
  if (!isRecord(j) || !isRecord(j['shard'])) return `${file} is not a memweave shard result: no 'shard' block (write it with 'memweave check FILE --shard I/N --format json' and one model)`;
  const s = j['shard'];
  const ok = typeof s['index'] === 'number' && typeof s['count'] === 'number' && typeof s['space'] === 'string' && typeof s['method'] === 'string';
  if (!ok || !Array.isArray(j['outcomes']) || !Array.isArray(j['violations']) || !isRecord(j['stats'])) return `${file} is not a memweave shard result: its shard block, outcomes, violations or stats are missing or malformed`;
  const stats = j['stats'];
  const c = j['condition'];
  const condition =
    isRecord(c) && QUANTIFIERS.includes(c['kind']) && typeof c['text'] === 'string' && typeof c['positive'] === 'number' && typeof c['negative'] === 'number'
      ? { kind: c['kind'] as Quantifier, text: c['text'], positive: c['positive'], negative: c['negative'] }
      : null;
  const executions = typeof stats['executions'] === 'number' ? stats['executions'] : typeof stats['statesStored'] === 'number' ? stats['statesStored'] : 0;
  return {
    file,
    test: String(j['test']),
    model: String(j['model']),
    shard: s as unknown as ShardResult['shard'],
    budgetExhausted: typeof j['budgetExhausted'] === 'string' ? j['budgetExhausted'] : null,
    verdict: String(j['verdict']),
    outcomes: j['outcomes'] as ShardResult['outcomes'],
    violations: j['violations'] as ShardResult['violations'],
    executions,
    ms: typeof stats['ms'] === 'number' ? stats['ms'] : 0,
    condition,
  };
}

/** Merge shard results, or say which file is refused and why. */
export function mergeShards(parts: readonly ShardResult[]): MergedShards | string {
  const first = parts[0];
  if (first === undefined) return 'no shard results to merge';
  for (const p of parts) {
    if (p.shard.space !== first.shard.space) return `${p.file} is a shard of another space than ${first.file} (a different program, model, engine or options)`;
    if (p.shard.count !== first.shard.count) return `${p.file} is one of ${p.shard.count} shards, ${first.file} one of ${first.shard.count}`;
  }
  const byIndex = new Map<number, ShardResult>();
  for (const p of parts) {
    const seen = byIndex.get(p.shard.index);
    if (seen !== undefined) return `${p.file} and ${seen.file} are both shard ${p.shard.index}`;
    byIndex.set(p.shard.index, p);
  }
  for (let i = 0; i < first.shard.count; i++) if (!byIndex.has(i)) return `shard ${i} of ${first.shard.count} is missing`;
  const ordered = [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
  if (first.shard.method === 'swarm') return mergeSwarm(first, ordered);
  // a prefix partition: each execution is in one shard, so the counts add up
  const { outcomes, violations, inconclusive, executions } = gather(ordered, (a, b) => a + b);
  const verdict = violations.length > 0 ? 'fail' : inconclusive.length > 0 ? 'inconclusive' : 'pass';
  // the condition over every shard's executions (the same condition in each: one space)
  const c0 = first.condition;
  let condition: MergedShards['condition'] = null;
  if (c0 !== null) {
    const positive = ordered.reduce((a, p) => a + (p.condition?.positive ?? 0), 0);
    const negative = ordered.reduce((a, p) => a + (p.condition?.negative ?? 0), 0);
    const decided = conditionVerdict(c0.kind, positive, negative);
    condition = { kind: c0.kind, text: c0.text, validated: inconclusive.length > 0 ? 'Undecided' : decided.validated ? 'Ok' : 'No', positive, negative, observation: decided.observation };
  }
  return { test: first.test, model: first.model, shards: { count: first.shard.count, method: first.shard.method, space: first.shard.space }, verdict, executions, ms: totalMs(ordered), outcomes, violations, inconclusive, condition };
}

/** The shards' outcomes (their counts combined by `combine`), the first violation of each kind in shard order, the shards cut short, and the executions combined. */
function gather(ordered: readonly ShardResult[], combine: (a: number, b: number) => number): { outcomes: MergedShards['outcomes']; violations: ShardResult['violations'][number][]; inconclusive: { shard: number; budgetExhausted: string }[]; executions: number } {
  const outcomes = new Map<string, { values: Record<string, number>; satisfies: boolean | null; finalStates: number }>();
  const kinds = new Set<string>();
  const violations: ShardResult['violations'][number][] = [];
  const inconclusive: { shard: number; budgetExhausted: string }[] = [];
  let executions = 0;
  for (const p of ordered) {
    executions = combine(executions, p.executions);
    for (const o of p.outcomes) {
      const key = JSON.stringify(o.values);
      const had = outcomes.get(key);
      if (had === undefined) outcomes.set(key, { values: o.values, satisfies: o.satisfies, finalStates: o.finalStates });
      else had.finalStates = combine(had.finalStates, o.finalStates);
    }
    for (const v of p.violations) {
      if (kinds.has(v.kind)) continue;
      kinds.add(v.kind);
      violations.push(v);
    }
    if (p.budgetExhausted !== null || p.verdict === 'inconclusive') inconclusive.push({ shard: p.shard.index, budgetExhausted: p.budgetExhausted ?? 'inconclusive' });
  }
  return { outcomes: [...outcomes.values()], violations, inconclusive, executions };
}

/**
 * A swarm's members each search the whole space (in an order of its own, under hash compaction),
 * so their answers are not parts to add up: the outcomes are the union, each counted as the
 * member that saw it most often counted it (a complete member counts the whole space); the first
 * violation of each kind by member order; the condition as the first complete member decided it.
 * One complete member makes the swarm's answer as complete as hash compaction allows ("pass",
 * labelled an approximation, as `check --hash-compact` is); with none, it is inconclusive.
 */
function mergeSwarm(first: ShardResult, ordered: readonly ShardResult[]): MergedShards {
  // every member counts the whole space it reached: the largest count of each is the best known
  const { outcomes, violations, inconclusive, executions } = gather(ordered, Math.max);
  const complete = ordered.find((p) => !inconclusive.some((i) => i.shard === p.shard.index));
  const verdict = violations.length > 0 ? 'fail' : complete === undefined ? 'inconclusive' : 'pass';
  const c = complete?.condition ?? first.condition;
  let condition: MergedShards['condition'] = null;
  if (c !== null) {
    const decided = conditionVerdict(c.kind, c.positive, c.negative);
    condition = { kind: c.kind, text: c.text, validated: complete === undefined ? 'Undecided' : decided.validated ? 'Ok' : 'No', positive: c.positive, negative: c.negative, observation: decided.observation };
  }
  // a member cut short is inconclusive alone; the swarm is only when every member was
  return { test: first.test, model: first.model, shards: { count: first.shard.count, method: first.shard.method, space: first.shard.space }, verdict, executions, ms: totalMs(ordered), outcomes, violations, inconclusive: complete === undefined ? inconclusive : [], condition };
}

function totalMs(parts: readonly ShardResult[]): number {
  return parts.reduce((a, p) => a + p.ms, 0);
}

/** The "file:line" of a trace step, split (null when the step has no line). */
function stepLocation(step: TraceStep): { file: string; line: number } | null {
  const m = /^(.*):(\d+)$/.exec(step.location);
  return m === null || m[1] === undefined || m[1] === '' ? null : { file: m[1], line: Number(m[2]) };
}

/** Where a violation is annotated: its first racing access (a race), else its last located step; null when no step has a line. */
function violationLocation(v: ShardViolation): { file: string; line: number } | null {
  const trace = v.trace ?? [];
  if (v.kind === 'race') {
    const race = trace.find((st) => st.action === 'race');
    const at = race === undefined ? null : stepLocation(race);
    if (at !== null) return at;
  }
  for (let i = trace.length - 1; i >= 0; i--) {
    const at = stepLocation(trace[i] as TraceStep);
    if (at !== null) return at;
  }
  return null;
}

const RUNTIME_CODES: readonly string[] = ['R601', 'R602'];

/**
 * The merged answer as the one-file report `check`'s CI formats take (cli/ci/report.ts). A shard's
 * JSON does not name its source file: the path and the lines are those of the violations' trace
 * locations (the file as `check` was given it), else the first shard file and its line 1. The
 * replay commands name that path and the model; a run with -D or --buffer-bound needs them added.
 */
export function mergedFileReport(m: MergedShards, fallbackPath: string): CiFileReport {
  const located = m.violations.map(violationLocation).find((at) => at !== null) ?? null;
  const path = located?.file ?? fallbackPath;
  const first: CiLocation = { line: 1, col: 1 };
  const model = m.model as ModelName;
  const violations = m.violations.map((v): CiViolation => {
    const trace = v.trace ?? [];
    const threads: { name: string }[] = [];
    for (const st of trace) threads[st.thread] = { name: st.threadName };
    const at = violationLocation(v);
    return {
      kind: ((VIOLATION_KINDS as readonly string[]).includes(v.kind) ? v.kind : 'assert') as CiViolation['kind'],
      ...(v.code !== undefined && RUNTIME_CODES.includes(v.code) ? { code: v.code as NonNullable<CiViolation['code']> } : {}),
      message: v.message ?? v.kind,
      trace: renderTraceTable(trace, { threads: Array.from(threads, (t, i) => t ?? { name: `#${i}` }) }),
      steps: trace.length,
      finalState: Object.entries(v.finalState ?? {})
        .map(([k, x]) => `${k}=${x}`)
        .join(' '),
      replay: v.replay === undefined ? '(no replay token)' : `memweave check ${path} --model ${m.model} --replay ${v.replay}`,
      location: at !== null && at.file === path ? { line: at.line, col: 1 } : first,
    };
  });
  // one budget for the CI formats' wording when every shard cut short names the same known one
  const budgets = [...new Set(m.inconclusive.map((i) => i.budgetExhausted))];
  const known = budgets.length === 1 && (INCONCLUSIVE_REASONS as readonly string[]).includes(budgets[0] as string) ? (budgets[0] as NonNullable<CheckResult['budgetExhausted']>) : null;
  const cut = m.inconclusive.map((i) => `shard ${i.shard} (${i.budgetExhausted})`).join(', ');
  const result: CiModelResult = {
    model,
    verdict: m.verdict,
    budgetExhausted: m.verdict === 'inconclusive' ? known : null,
    condition: m.condition === null ? null : m.condition.validated === 'Undecided' ? '?' : m.condition.validated,
    outcomes: m.outcomes.length,
    cut: 0,
    states: m.executions,
    transitions: 0,
    ms: m.ms,
    violations,
    ...(m.shards.method === 'swarm' ? {} : { executions: m.executions }),
    ...(m.verdict === 'inconclusive' && known === null ? { reason: m.inconclusive.length > 0 ? `cut short: ${cut}; the merged answer is inconclusive` : 'no shard completed; the merged answer is inconclusive' } : {}),
  };
  return { kind: 'checked', path, test: m.test, location: first, results: [result], warnings: [] };
}

function refuse(io: CliIo, message: string): number {
  const d: Diagnostic = diag('U509', COMMAND_LINE, NO_SPAN, `memweave merge: ${message}`);
  io.stderr(renderDiagnostic(d, null, { color: io.color }));
  return EXIT.usage;
}

/** The merged answer as text. */
export function renderMerged(m: MergedShards): string {
  const how = m.shards.method === 'swarm' ? `a swarm of ${m.shards.count} differently ordered searches under hash compaction: an approximation` : `merged from ${m.shards.count} ${m.shards.method} shards`;
  let out = `Test ${m.test} under ${m.model}: ${m.verdict} (${how})\n`;
  out += m.shards.method === 'swarm' ? `states stored (the largest member): ${m.executions}\n` : `executions: ${m.executions}\n`;
  out += `outcomes (${m.outcomes.length}):\n`;
  for (const o of m.outcomes) out += `  ${Object.entries(o.values).map(([k, v]) => `${k}=${v}`).join('; ')}  (${o.finalStates})\n`;
  if (m.condition !== null) out += `Condition ${m.condition.text}: ${m.condition.validated} (positive ${m.condition.positive}, negative ${m.condition.negative})\nObservation ${m.test} ${m.condition.observation} ${m.condition.positive} ${m.condition.negative}\n`;
  for (const v of m.violations) out += `violation: ${v.kind}${v.message !== undefined ? `: ${v.message}` : ''}${v.replay !== undefined ? `\n  replay: ${v.replay}` : ''}\n`;
  for (const i of m.inconclusive) out += `shard ${i.shard} was cut short (${i.budgetExhausted}): the merged answer is inconclusive\n`;
  return out;
}

/** The `merge` command. */
export const mergeCommand: CommandBody = {
  name: 'merge',
  usage: [
    'usage: memweave merge SHARD.json... [--format text|json|junit|github]',
    '',
    "Combines the JSON results of 'memweave check FILE --shard I/N --format json' (I = 0..N-1, one",
    'model each) into one verdict: the union of the outcomes with their counts summed, the executions',
    'summed, the first violation of each kind by shard order with its replay token, inconclusive when',
    'any shard was, and the condition decided over all of them. Swarm shards (the stateful search,',
    'method "swarm": each member searched the whole space in its own order under hash compaction):',
    'the union of the outcomes, the first violation of each kind, pass (an approximation) when one',
    'member completed, inconclusive when none did. Refuses (U509) a file that is not a shard result,',
    'shards of different programs, models, engines or options (the space hash), different N, and a',
    'missing or duplicated index.',
    '',
    "--format junit|github: check's CI formats for the merged answer (one test case, TEST [MODEL]); the",
    "source path and lines are taken from the violations' traces (a shard's JSON does not name the file).",
    '',
    'exit: 0 pass, 1 violation, 2 usage error or refused inputs, 3 inconclusive',
  ].join('\n'),
  run(argv: string[], io: CliIo): Promise<number> {
    return Promise.resolve(runMerge(argv, io));
  },
};

function runMerge(argv: string[], io: CliIo): number {
  const args = parseCommandArgs(argv, OPTIONS, { choices: { format: MERGE_FORMATS }, positionals: ['SHARD.json'], maxPositionals: Infinity });
  if (!args.ok) return usageError(io, 'merge', args.message);
  const parts: ShardResult[] = [];
  for (const file of args.positionals) {
    const text = io.readFile(file);
    if (text === null) return refuse(io, `cannot read ${file}`);
    const r = readShard(file, text);
    if (typeof r === 'string') return refuse(io, r);
    parts.push(r);
  }
  const m = mergeShards(parts);
  if (typeof m === 'string') return refuse(io, m);
  const format = args.values.format;
  if (format === 'json') io.stdout(`${JSON.stringify({ schemaVersion: 1, ...m }, null, 2)}\n`);
  else if (format === 'junit') io.stdout(renderJunit([mergedFileReport(m, parts[0]?.file ?? '')]));
  else if (format === 'github') io.stdout(renderGithub([mergedFileReport(m, parts[0]?.file ?? '')]));
  else io.stdout(renderMerged(m));
  return m.verdict === 'fail' ? EXIT.violation : m.verdict === 'inconclusive' ? EXIT.inconclusive : EXIT.ok;
}
