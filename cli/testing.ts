/**
 * `memweave/testing`: helpers for test suites that model-check their own designs.
 *
 * - `memweaveMatchers` for `expect.extend` (vitest, or any Jest-compatible runner): `toHold()`
 *   passes when a check's verdict is `pass` and fails with each violation's message, its trace
 *   table and the replay command (an inconclusive check fails too, saying why); it takes an
 *   `explore()` answer (memweave/explore) too: then the trace rows are positions in the user's
 *   TypeScript with their source lines, and the message ends with the `explore(…)` call that
 *   replays the schedule and the command that re-runs the test;
 * - `arbProgram()`: a fast-check arbitrary of small `.mw` programs (two or three threads, loads,
 *   stores, RMWs and fences with their valid access modes over two locations), each of which
 *   compiles without errors; `arbIrProgram()` gives them compiled.
 *
 * This entry imports fast-check (an optional peer dependency): the main entry, `memweave`, does
 * not import this file, so a project that uses neither helper needs neither package.
 */
import { relative } from 'node:path';
import fc from 'fast-check';
import type { CheckResult } from '../checker/api.js';
import type { CheckAnswer } from '../checker/check.js';
import { compileSource } from '../model/frontend.js';
import type { IrProgram } from '../model/ir.js';
import type { ExploreResult } from '../explore/explore.js';
import { describeExplore } from '../explore/report.js';
import { budgetText } from './ci/report.js';
import { renderTraceTable, type TraceThreads } from './commands/check.js';

/** What a matcher returns (the Jest/vitest shape). */
export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** The threads a trace names, when the program is not given: from the steps themselves. */
function threadsOf(result: CheckResult): TraceThreads {
  const names: string[] = [];
  for (const v of result.violations) for (const s of v.trace) if (s.thread >= 0) names[s.thread] = s.threadName;
  return { threads: Array.from({ length: names.length }, (_, i) => ({ name: names[i] ?? `#${i}` })) };
}

/** The failure text of a result: each violation with its trace table, or why it is inconclusive. */
export function describeResult(result: CheckResult, program?: TraceThreads): string {
  const threads = program ?? threadsOf(result);
  const head = `${result.test} under ${result.model}: ${result.verdict}`;
  if (result.verdict === 'inconclusive') return `${head} — ${budgetText(result.budgetExhausted)}`;
  const parts = result.violations.map((v) => `violation (${v.kind}): ${v.message}\n  trace (${v.trace.length} steps):\n${renderTraceTable(v.trace, threads)}  replay token: ${v.replay}`);
  return [head, ...parts].join('\n\n');
}

/** What a runner passes a matcher as `this` (the parts `toHold` reads; vitest and Jest both set them). */
export interface MatcherContext {
  readonly currentTestName?: string | undefined;
  readonly testPath?: string | undefined;
}

function isExploreResult(answer: CheckResult | CheckAnswer | ExploreResult): answer is ExploreResult {
  return 'scenario' in answer && 'stats' in answer && 'violation' in answer;
}

/** The command that re-runs the current test (an exploration is deterministic: it fails the same way again). */
function rerunCommand(context: MatcherContext | undefined): string | null {
  const file = context?.testPath;
  const name = context?.currentTestName;
  if (file === undefined || name === undefined) return null;
  const rel = relative(process.cwd(), file);
  const own = name.split(' > ').at(-1) ?? name;
  const pattern = own.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `npx vitest run ${rel.startsWith('..') || rel === '' ? file : rel} -t ${JSON.stringify(pattern)}`;
}

/** `toHold` on an explore() answer: pass only on `pass`; the message is describeExplore's text. */
function exploreHolds(result: ExploreResult, context: MatcherContext | undefined): MatcherResult {
  const pass = result.verdict === 'pass';
  const rerun = rerunCommand(context);
  return {
    pass,
    message: () =>
      pass
        ? `expected the exploration not to hold, but every interleaving passed (${result.stats.executions} executions)`
        : `expected the exploration to hold\n\n${describeExplore(result)}${rerun === null ? '' : `\n  rerun: ${rerun}`}`,
  };
}

/** Matchers for `expect.extend(memweaveMatchers)`. */
export const memweaveMatchers = {
  /**
   * `expect(check(program, options)).toHold(program?)` or `expect(await explore(path)).toHold()`:
   * the verdict is `pass`; else the message has every trace table and how to replay it.
   */
  toHold(this: MatcherContext | undefined, answer: CheckResult | CheckAnswer | ExploreResult, program?: TraceThreads): MatcherResult {
    if (isExploreResult(answer)) return exploreHolds(answer, this);
    if ('ok' in answer && !answer.ok) {
      return { pass: false, message: () => `expected the program to hold, but the check refused it:\n${answer.diagnostics.map((d) => `  ${d.code} ${d.message}`).join('\n')}` };
    }
    const received = 'ok' in answer ? answer.result : answer;
    const pass = received.verdict === 'pass';
    return {
      pass,
      message: () => (pass ? `expected ${received.test} not to hold under ${received.model}, but every property holds` : `expected ${received.test} to hold under ${received.model}\n\n${describeResult(received, program)}`),
    };
  },
};

/** The `toHold` matcher's type, for a runner's assertion interface (see docs/api.md). */
export interface MemweaveMatchers<R = unknown> {
  toHold(program?: TraceThreads): R;
}

/** Options of {@link arbProgram}. */
export interface ArbProgramOptions {
  /** threads, default 2 to 3 */
  readonly minThreads?: number;
  readonly maxThreads?: number;
  /** memory operations per thread, default 1 to 4 */
  readonly maxOps?: number;
}

const LOCATIONS = ['x', 'y'] as const;
const LOAD_MODES = ['plain', 'rlx', 'acq', 'sc'] as const;
const STORE_MODES = ['plain', 'rlx', 'rel', 'sc'] as const;
const RMW_MODES = ['rlx', 'acq_rel', 'sc'] as const;
const FENCE_MODES = ['acq', 'rel', 'acq_rel', 'sc'] as const;

/** One memory operation of thread `t`, its `k`-th (registers are r0, r1, … per thread). */
const arbOp = (k: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...STORE_MODES), fc.constantFrom(...LOCATIONS), fc.integer({ min: 1, max: 3 })).map(([m, l, v]) => `store.${m}(${l}, ${v});`),
    fc.tuple(fc.constantFrom(...LOAD_MODES), fc.constantFrom(...LOCATIONS)).map(([m, l]) => `r${k} = load.${m}(${l});`),
    fc.tuple(fc.constantFrom('exchange', 'fetch_add'), fc.constantFrom(...RMW_MODES), fc.constantFrom(...LOCATIONS), fc.integer({ min: 1, max: 3 })).map(([op, m, l, v]) => `r${k} = ${op}.${m}(${l}, ${v});`),
    fc.constantFrom(...FENCE_MODES).map((m) => `fence.${m}();`),
  );

/**
 * A fast-check arbitrary of small `.mw` programs: named threads P0, P1, … over shared `x` and `y`,
 * each a few loads, stores, RMWs and fences with valid access modes; no final condition, so every
 * register is an outcome. Every program it generates compiles without errors.
 */
export function arbProgram(options: ArbProgramOptions = {}): fc.Arbitrary<string> {
  const maxOps = Math.max(1, options.maxOps ?? 4);
  const thread = fc.integer({ min: 1, max: maxOps }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, k) => arbOp(k))));
  return fc
    .array(thread, { minLength: Math.max(1, options.minThreads ?? 2), maxLength: Math.max(1, options.maxThreads ?? 3) })
    .map((threads) => ['test generated', 'shared x = 0;', 'shared y = 0;', ...threads.map((ops, t) => `thread P${t} {\n${ops.map((o) => `  ${o}`).join('\n')}\n}`)].join('\n') + '\n');
}

/** {@link arbProgram}'s programs, compiled. */
export function arbIrProgram(options: ArbProgramOptions = {}): fc.Arbitrary<IrProgram> {
  return arbProgram(options).map((text) => {
    const c = compileSource('generated.mw', text);
    if (c.ir === null) throw new Error(`internal error: arbProgram generated a program that does not compile (this is a bug in memweave):\n${text}`);
    return c.ir;
  });
}
