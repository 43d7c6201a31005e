/**
 * `memweave report FILE -o report.html`: one self-contained HTML page about a program: its
 * source, the verdict table across models, the outcomes per model, for every outcome that some
 * model allows and another forbids the execution graph with the SC cycle highlighted, and an
 * execution to step through state by state (the first counterexample found, else the execution
 * of the most interesting outcome). `--run` also runs the program on real worker_threads and
 * puts the hardware histogram beside the models' outcomes. The page is rendered by
 * cli/report/html.ts, which escapes every input string.
 *
 * Exit codes: 0 written, 2 usage or input error (including an unwritable output), 130 / 143
 * interrupted by SIGINT / SIGTERM (every search stops within a slice; no page is written).
 */
import type { IrProgram } from '../../model/ir.js';
import { formatOutcome } from '../../model/outcome.js';
import { MODEL_NAMES, type CheckOptions, type CheckResult, type ModelName } from '../../checker/api.js';
import { checkAsync } from '../../checker/check.js';
import { executeChoicesFolded, searchConditionExecutionSliced, searchExecutionWhereSliced, type Execution, type ExecutionSearch } from '../../checker/execution.js';
import { runSliced, type StopRequest } from '../../checker/sliced.js';
import { cycleText } from '../../checker/graph.js';
import { decodeReplayToken } from '../../checker/replay.js';
import { decodeGraphToken, graphPicture } from '../../checker/graphCheck.js';
import { DEFINE_OPTION, parseCommandArgs } from '../args.js';
import { intOption, loadProgram, usageError, writeError } from '../input.js';
import { bufferBoundLimit } from '../options.js';
import { EXIT, type CliIo, type CommandBody } from '../types.js';
import { renderDot } from '../graph/dot.js';
import { outcomeTextOf, pictureForAsync, weakWitnessAsync } from '../graph/picture.js';
import { renderSvg, svgForInline } from '../graph/svg.js';
import { renderReportHtml, type ReportData, type ReportPicture, type ReportRun, type ReportStepper } from '../report/html.js';
import { histogramRows, runWithInterrupt } from '../runOnHardware.js';
import { interruptedExit, interruptedLine, watchStopSignals } from '../interrupt.js';
import { replayCommand } from './check.js';
import { BUDGET_OPTIONS, parseBudgets, SpaceBudget, spaceBudgetOptions, TimeBudget } from '../budgets.js';
import { outcomeReserveBytes, traceRowBytes } from '../../checker/resultCost.js';
import { DEFAULT_MODEL, MODEL_LIST, SC_MODEL } from '../models.js';

const OPTIONS = {
  ...DEFINE_OPTION,
  output: { type: 'string', short: 'o' },
  model: { type: 'string', short: 'm', multiple: true },
  run: { type: 'boolean' },
  iterations: { type: 'string', short: 'n' },
  seed: { type: 'string' },
  'buffer-bound': { type: 'string' },
  ...BUDGET_OPTIONS,
  'max-pictures': { type: 'string' },
} as const;

/** Default number of iterations of `report --run`. */
export const REPORT_RUN_ITERATIONS = 20_000;
/** Default bound on the pictures in one report. */
export const REPORT_MAX_PICTURES = 8;

/** The `report` command. */
export const reportCommand: CommandBody = {
  name: 'report',
  usage: [
    'usage: memweave report FILE -o report.html [--model M]... [--run [--iterations N] [--seed S]]',
    '                            [-D NAME=VALUE]... [--buffer-bound N] [--max-states N] [--time-limit S]',
    '                            [--max-memory MB] [--max-pictures N]',
    '',
    'Checks FILE under every model (or those given with --model) and writes one HTML page with no',
    'external resources: the source, the verdict table, the outcomes per model, an execution graph for',
    'each outcome that some model allows and another forbids (its SC cycle in red), and an execution',
    'to step through state by state (the first counterexample, else the most interesting outcome).',
    '',
    'options:',
    '  -o, --output FILE         the HTML file to write (default: stdout)',
    `  -m, --model M             a model to check (repeatable; default ${MODEL_LIST})`,
    '  --run                     also run FILE on worker_threads and show the hardware histogram',
    `  -n, --iterations N        iterations of --run (default ${REPORT_RUN_ITERATIONS})`,
    '  --seed S                  seed of --run (default 1; env MEMWEAVE_SEED)',
    '  -D, --define NAME=VALUE   override a param (repeatable)',
    '  --buffer-bound N          store-buffer capacity under tso/pso (default 4, at most 256)',
    '  --max-states N            state budget of each search (inconclusive beyond it)',
    '  --time-limit S            a time budget in seconds for the whole report (every check and picture)',
    '  --max-memory MB           one memory budget for the whole report (default 4096): every check,',
    '                            picture and the page share it; what is kept is charged (see docs/checking.md)',
    `  --max-pictures N          at most N execution graphs (default ${REPORT_MAX_PICTURES})`,
    '  -h, --help                show this help',
    '',
    'exit: 0 written, 2 usage or input error, 3 the memory budget has no room for the page (nothing',
    '      written), 130 / 143 interrupted by SIGINT / SIGTERM (no page written)',
  ].join('\n'),
  run(argv: string[], io: CliIo): Promise<number> {
    return runReport(argv, io);
  },
};

/** The outcome text of a checker outcome (same format as `formatOutcome`). */
function outcomeText(values: Readonly<Record<string, number>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${v};`)
    .join(' ');
}

/** The pictures of the outcomes some models allow and others forbid (condition witnesses first). */
async function picturesOf(program: IrProgram, base: () => Omit<CheckOptions, 'model'>, results: readonly CheckResult[], max: number, signal: StopRequest, memory: SpaceBudget, notes: string[]): Promise<{ pictures: ReportPicture[]; executions: { execution: Execution; title: string }[] }> {
  const models = results.map((r) => r.model);
  const rowBytes = traceRowBytes(program.threads.length);
  const candidates = new Map<string, { values: Readonly<Record<string, number>>; satisfies: boolean | null; allowed: ModelName[] }>();
  for (const r of results) {
    for (const o of r.outcomes) {
      const key = outcomeText(o.values);
      const c = candidates.get(key) ?? { values: o.values, satisfies: o.satisfies, allowed: [] };
      c.allowed.push(r.model);
      candidates.set(key, c);
    }
  }
  const differing = [...candidates.entries()]
    .filter(([, c]) => c.allowed.length < models.length)
    .sort(([a, ca], [b, cb]) => Number(cb.satisfies === true) - Number(ca.satisfies === true) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, max);
  const pictures: ReportPicture[] = [];
  const executions: { execution: Execution; title: string }[] = [];
  for (const [key, c] of differing) {
    const order = MODEL_NAMES.filter((m) => c.allowed.includes(m));
    const search = await pictureForAsync(program, base, { kind: 'outcome', outcome: c.values }, order, signal);
    if (search.kind === 'interrupted') break;
    const forbidden = models.filter((m) => !c.allowed.includes(m));
    // a racy program's weak outcome under js: no interleaving reaches it; the ECMAScript model's execution graph does
    const w = search.kind === 'none' ? await weakWitnessAsync(program, base, { kind: 'outcome', outcome: c.values }, order, signal) : null;
    if (w !== null) {
      const d = w.token === null ? null : decodeGraphToken(program, w.token);
      if (d === null || !d.ok) continue;
      const graph = graphPicture(program, d.modelName, d.graph);
      const svg = svgForInline(await renderSvg(renderDot(graph, { outcome: key, forbiddenUnder: forbidden.includes(SC_MODEL) ? SC_MODEL : (forbidden[0] ?? SC_MODEL) })));
      if (!memory.charge(svg.length * PICTURE_BYTES_PER_CHAR)) {
        notes.push(`the memory budget (--max-memory) had no room for more pictures: ${differing.length - pictures.length} not drawn`);
        break;
      }
      pictures.push({ outcome: key, model: d.modelName, allowedUnder: order, svg, cycle: cycleText(graph) });
      continue;
    }
    if (search.kind !== 'found') continue; // past the picture search's bound: the report shows the outcome without a picture
    const p = search.picture;
    const svg = svgForInline(await renderSvg(renderDot(p.graph, { outcome: key, forbiddenUnder: forbidden.includes(SC_MODEL) ? SC_MODEL : (forbidden[0] ?? SC_MODEL) })));
    // kept: the execution's rows, and the SVG in the page (PICTURE_BYTES_PER_CHAR); one picture's drawing is transient
    if (!memory.charge((p.execution.steps.length + 1) * rowBytes + svg.length * PICTURE_BYTES_PER_CHAR)) {
      notes.push(`the memory budget (--max-memory) had no room for more pictures: ${differing.length - pictures.length} not drawn`);
      break;
    }
    pictures.push({ outcome: key, model: p.model, allowedUnder: order, svg, cycle: cycleText(p.graph) });
    executions.push({ execution: p.execution, title: `A shortest execution reaching ${key} under ${p.model} (forbidden under ${forbidden.join(', ')})` });
  }
  return { pictures, executions };
}

/** Bytes charged per character of a picture's SVG: two bytes a character (V8 strings), four copies (the string, the page's parts, the joined page, the bytes written). */
const PICTURE_BYTES_PER_CHAR = 2 * 4;
/** Bytes charged per character of the source text on the page (escaped: at most 6 characters per character, `&quot;`; four copies at two bytes). */
const SOURCE_BYTES_PER_CHAR = 6 * 2 * 4;
/** Bytes charged for the page's fixed parts (style, script, headings, tables' frames: about 12 KB of text, four copies at two bytes, rounded up). */
const PAGE_BYTES = 128 * 1024;
/** Bytes charged per outcome for its two text copies' string headers (the characters are charged at four bytes each). */
const OUTCOME_TEXT_BYTES = 2 * 32;

/** Steps of a stepper beyond which the page folds the middle of the execution. */
export const REPORT_MAX_STEPS = 400;

/**
 * A long execution folded for the page: its first and last REPORT_MAX_STEPS / 2 steps, the rest
 * counted in `folded` (a spin loop of 800,000 steps made a 215 MB page); the replay command
 * gives every step.
 */
export function foldStepper(st: ReportStepper | null): ReportStepper | null {
  if (st === null || st.folded !== undefined || st.steps.length <= REPORT_MAX_STEPS) return st;
  const half = REPORT_MAX_STEPS / 2;
  return { ...st, steps: [...st.steps.slice(0, half), ...st.steps.slice(st.steps.length - half)], folded: { after: half, count: st.steps.length - 2 * half } };
}

/**
 * Bytes one stepper row's state holds beyond the row itself: a record over every shared element
 * and register, and its renderings in the page's data — as an outcome over the same names costs
 * (checker/resultCost.ts, measured). A program with a 2,000-element array holds about 400 KB a row.
 */
export function stateRowBytes(program: IrProgram): number {
  const names = [
    ...program.locations.flatMap((l) => (l.isArray ? Array.from({ length: l.size }, (_, i) => `${l.name}[${i}]`) : [l.name])),
    ...program.threads.flatMap((t) => t.registers.map((r) => `${t.name}:${r}`)),
  ];
  return outcomeReserveBytes(names);
}

/** The execution the page steps through. */
async function stepperOf(program: IrProgram, base: Omit<CheckOptions, 'model'>, results: readonly CheckResult[], fallback: { execution: Execution; title: string } | undefined, path: string, defines: readonly string[], signal: StopRequest): Promise<ReportStepper | null> {
  const found = (s: ExecutionSearch): Execution | null => (s.kind === 'found' ? s.execution : null);
  const rerun = { path, defines, bufferBound: base.bufferBound ?? null };
  // property violations first, then the most interesting outcome, then condition failures and races
  const rank = (k: string): number => (k === 'race' ? 2 : k === 'condition' ? 1 : 0);
  const counterexamples = results
    .flatMap((r) => r.violations.map((v) => ({ r, v })))
    .filter(({ v }) => fallback === undefined || rank(v.kind) === 0)
    .sort((a, b) => rank(a.v.kind) - rank(b.v.kind));
  for (const { r, v } of counterexamples) {
    const d = decodeReplayToken(v.replay);
    if (!d.ok) continue;
    // a long counterexample is folded while it is re-executed: only the steps the page shows are rendered
    const run = executeChoicesFolded(program, { ...base, model: r.model }, d.token.choices, REPORT_MAX_STEPS / 2, REPORT_MAX_STEPS / 2);
    if (run === null) continue;
    const ex = run.execution;
    return { title: `Counterexample (${v.kind}) under ${r.model}: ${v.message.split('\n')[0] ?? ''}`, model: r.model, initialState: ex.initialState, steps: ex.steps, replay: replayCommand(rerun, r.model, v.replay), ...(run.folded !== null ? { folded: run.folded } : {}) };
  }
  const model = results[0]?.model ?? DEFAULT_MODEL;
  let chosen = fallback;
  if (chosen === undefined) {
    const options = { ...base, model };
    const witness = found(await runSliced(searchConditionExecutionSliced(program, options), { signal }));
    if (witness !== null) chosen = { execution: witness, title: `A shortest execution under ${model} satisfying the condition (${outcomeTextOf(program, witness.finalState)})` };
    else {
      const any = signal.aborted ? null : found(await runSliced(searchExecutionWhereSliced(program, options, () => true), { signal }));
      if (any !== null) chosen = { execution: any, title: `A shortest complete execution under ${model} (${outcomeTextOf(program, any.finalState)})` };
    }
  }
  if (chosen === undefined) return null;
  const ex = chosen.execution;
  return { title: chosen.title, model: ex.model, initialState: ex.initialState, steps: ex.steps, replay: replayCommand(rerun, ex.model, ex.replay) };
}

async function runReport(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, OPTIONS, { choices: { model: MODEL_NAMES }, positionals: ['FILE'] });
  if (!args.ok) return usageError(io, 'report', args.message);
  const v = args.values;
  const iterations = intOption('iterations', v.iterations, 1);
  const seedOpt = intOption('seed', v.seed ?? process.env['MEMWEAVE_SEED'], 0);
  const bufferBound = bufferBoundLimit(intOption('buffer-bound', v['buffer-bound'], 1));
  const budgets = parseBudgets(v);
  if (typeof budgets === 'string') return usageError(io, 'report', budgets);
  const maxPictures = intOption('max-pictures', v['max-pictures'], 0);
  for (const o of [iterations, seedOpt, bufferBound, maxPictures]) if (typeof o === 'string') return usageError(io, 'report', o);
  if (v.run !== true && (v.iterations !== undefined || v.seed !== undefined)) return usageError(io, 'report', '--iterations and --seed need --run');

  const path = args.positionals[0] ?? '';
  const loaded = loadProgram(io, 'text', path, v.define);
  if (!loaded.ok) return loaded.exit;
  const program = loaded.program;
  const time = new TimeBudget(() => io.now(), budgets.timeLimitMs);
  const space: Omit<CheckOptions, 'model'> = {
    now: () => io.now(),
    ...(typeof bufferBound === 'number' ? { bufferBound } : {}),
    ...spaceBudgetOptions(budgets),
  };
  // one memory budget for the whole report: the answers, pictures, stepper and page kept are charged to it
  const memory = new SpaceBudget(budgets.maxMemoryBytes);
  const memoryNotes: string[] = [];
  const rowBytes = traceRowBytes(program.threads.length);
  // every search of the report gets what is left of the one time budget and the one memory budget when it starts
  const base = (): Omit<CheckOptions, 'model'> => ({ ...space, ...time.options(), ...memory.options() });
  const models: readonly ModelName[] = v.model !== undefined && v.model.length > 0 ? MODEL_NAMES.filter((m) => (v.model as string[]).includes(m)) : MODEL_NAMES;
  // SIGINT / SIGTERM stop the search in flight (every search here is sliced); no page is written
  const stop = new AbortController();
  const watch = watchStopSignals(io.signals, stop);
  const results: CheckResult[] = [];
  let pictures: ReportPicture[] = [];
  let stepper: ReportStepper | null = null;
  try {
    for (const model of models) {
      if (stop.signal.aborted) break;
      const r = await checkAsync(program, { ...base(), model, signal: stop.signal });
      results.push(r);
      memory.chargeResult(r, program.threads.length);
      // beyond what the search reserved per outcome: its text on the page's data and as a picture candidate's key
      for (const o of r.outcomes) memory.held += OUTCOME_TEXT_BYTES + 4 * outcomeText(o.values).length;
    }
    if (!stop.signal.aborted) {
      const drawn = await picturesOf(program, base, results, typeof maxPictures === 'number' ? maxPictures : REPORT_MAX_PICTURES, stop.signal, memory, memoryNotes);
      pictures = drawn.pictures;
      // the stepper keeps at most REPORT_MAX_STEPS rows (a longer execution is folded), charged before it is built
      // each row carries the whole state (every location's element and every register) in the page's data
      if (!memory.charge((REPORT_MAX_STEPS + 2) * (rowBytes + stateRowBytes(program)))) memoryNotes.push('the memory budget (--max-memory) had no room for the execution to step through');
      else if (!stop.signal.aborted) stepper = foldStepper(await stepperOf(program, base(), results, drawn.executions[0], path, v.define ?? [], stop.signal));
    }
  } finally {
    watch.dispose();
  }
  const stoppedBy = watch.signal();
  if (stoppedBy !== null) {
    // what was known: the statistics of each model checked or stopped, the models not checked; no verdict
    for (const r of results) {
      const size = r.stats.engine === 'graph' ? `${r.stats.executions ?? 0} executions, ${r.stats.graphs ?? 0} graphs judged` : `${r.stats.statesStored} states stored, ${r.stats.transitions} transitions`;
      io.stderr(`memweave report: ${r.model}: ${r.budgetExhausted === 'interrupted' ? 'interrupted after' : 'checked,'} ${size}, ${r.stats.ms.toFixed(1)} ms\n`);
    }
    const notRun = models.slice(results.length);
    if (notRun.length > 0) io.stderr(`memweave report: not checked: ${notRun.join(', ')}\n`);
    if (results.length === models.length && results.every((r) => r.budgetExhausted !== 'interrupted')) io.stderr('memweave report: interrupted while drawing the pictures and the execution\n');
    io.stderr(interruptedLine('report', stoppedBy));
    return interruptedExit(stoppedBy);
  }

  let run: ReportRun | null = null;
  if (v.run === true) {
    const seed = typeof seedOpt === 'number' ? seedOpt : 1;
    const { result: rr, signal } = await runWithInterrupt(program, { iterations: typeof iterations === 'number' ? iterations : REPORT_RUN_ITERATIONS, seed }, io.signals);
    if (signal !== null) {
      // no page from a partial run: say so and stop, as run and conform do
      io.stderr(interruptedLine('report', signal));
      return interruptedExit(signal);
    }
    const rows = histogramRows(program, rr).map((r) => ({ outcome: formatOutcome(program, r.values), count: r.count }));
    const allowed = new Set(results.flatMap((r) => r.outcomes.map((o) => outcomeText(o.values))));
    const notes: string[] = [];
    for (const r of rows) if (!allowed.has(r.outcome)) notes.push(`observed ${r.outcome} (${r.count}×), which no model checked here allows`);
    for (const x of rr.violations) notes.push(`violation on hardware: ${x.kind} in ${x.thread} at ${x.location} \`${x.text}\` (${x.count}×)`);
    if (rr.hang !== null) notes.push(`hang: ${rr.hang.message}`);
    if (rr.failure !== null) {
      // a worker failed (an internal error): no page from a run that broke
      io.stderr(`memweave report: error: ${rr.failure}; every worker was terminated\n`);
      return EXIT.internal;
    }
    run = { iterations: rr.iterations, seed, ms: rr.ms, rows, notes };
  }

  const data: ReportData = {
    test: program.name,
    description: program.description,
    source: program.metadata.find((m) => m.key === 'source')?.value ?? null,
    file: path,
    text: loaded.file.text,
    condition: program.condition?.text ?? null,
    threads: program.threads.map((t) => t.name),
    results,
    outcomeTexts: results.map((r) => r.outcomes.map((o) => outcomeText(o.values))),
    pictures,
    stepper,
    run,
    memoryNotes,
    generator: 'memweave report',
  };
  // the page: its template and the source (the rest of it was charged above), before it is built
  if (!memory.charge(PAGE_BYTES + loaded.file.text.length * SOURCE_BYTES_PER_CHAR)) {
    io.stderr(`memweave report: the memory budget (--max-memory, ${(memory.limit / 2 ** 20).toFixed(0)} MiB) has no room for the page: nothing written\n`);
    return EXIT.inconclusive;
  }
  const html = renderReportHtml(data);
  if (v.output === undefined) {
    io.stdout(html);
    return EXIT.ok;
  }
  if (io.writeFile === undefined || !io.writeFile(v.output, html)) {
    return writeError(io, 'report', v.output, 'the report');
  }
  io.stderr(`wrote ${v.output} (${program.name}: ${results.length} model${results.length === 1 ? '' : 's'}, ${pictures.length} picture${pictures.length === 1 ? '' : 's'}${stepper !== null ? `, ${stepper.steps.length}-step execution` : ''})\n`);
  return EXIT.ok;
}
