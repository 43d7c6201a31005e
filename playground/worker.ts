/**
 * The playground's checker, in a Web Worker: the same front end, checker and picture code as the
 * CLI (model/frontend.ts, checker/check.ts, cli/graph/picture.ts, cli/graph/dot.ts,
 * cli/graph/svg.ts, cli/litmus/verdict.ts), nothing re-implemented. The page sends a request
 * (protocol.ts) and gets plain data back; it stops a long check by terminating this worker, so
 * nothing here needs a stop signal of its own (the searches are sliced all the same: progress
 * messages go out between slices).
 */
import { compileSource } from '../model/frontend.js';
import type { IrProgram } from '../model/ir.js';
import { checkAsync } from '../checker/check.js';
import { MODEL_NAMES, isStateModel, type CheckOptions, type CheckResult, type ModelName } from '../checker/api.js';
import { cycleText, type ExecutionGraph } from '../checker/graph.js';
import { decodeReplayToken } from '../checker/replay.js';
import { GRAPH_REPLAY_VERSION, decodeGraphToken, graphPicture } from '../checker/graphCheck.js';
import { litmusVerdict } from '../cli/litmus/verdict.js';
import { outcomesComplete } from '../checker/verdict.js';
import { pictureForAsync, weakWitnessAsync, type PictureSearch, type PictureTarget } from '../cli/graph/picture.js';
import { renderDot } from '../cli/graph/dot.js';
import { renderSvg, svgForInline } from '../cli/graph/svg.js';
import { SC_MODEL } from '../cli/models.js';
import { SpaceBudget, TimeBudget, spaceBudgetOptions, type Budgets } from '../cli/budgetOptions.js';
import { progressText } from '../cli/progressText.js';
import type { DiagnosticView, ExecutionTarget, ExecutionView, ModelRow, Reply, Request } from './protocol.js';

/** The worker's side of postMessage (the DOM lib's `self` is a Window; a worker's is not). */
const port = self as unknown as { postMessage(message: Reply): void; onmessage: ((e: MessageEvent<Request>) => void) | null };

/** The memory budget of one check in the browser when the page sets none: a tab has far less memory than the CLI's 4 GiB default. */
const BROWSER_MEMORY_BYTES = 512 * 2 ** 20;

/** Options of the searches for pictures and executions (the Check view's budgets are the page's: runCheck). */
const BASE: Omit<CheckOptions, 'model'> = { maxMemoryBytes: BROWSER_MEMORY_BYTES, now: () => performance.now() };

/** Progress messages at most this often (ms). */
const PROGRESS_MS = 150;

/** The outcome text of a checker outcome, herd style ("P0:r0=0; P1:r0=0;"), as the report writes it. */
function outcomeText(values: Readonly<Record<string, number>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${v};`)
    .join(' ');
}

function compile(name: string, text: string): { program: IrProgram | null; diagnostics: DiagnosticView[] } {
  const out = compileSource(name, text);
  const diagnostics = out.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, line: d.span.line, col: d.span.col, start: d.span.start, end: d.span.end, help: d.help ?? null }));
  return { program: out.ir, diagnostics };
}

function rowOf(r: CheckResult): ModelRow {
  const size = r.stats.engine === 'graph' ? `${r.stats.executions ?? 0} executions` : `${r.stats.statesStored} states`;
  return {
    model: r.model,
    verdict: r.condition === null ? '—' : litmusVerdict(r),
    result: r.verdict,
    budget: r.budgetExhausted,
    // a partial search decides nothing about the condition: '?', as the CLI's JSON says (cli/commands/check.ts conditionJson)
    condition: r.condition === null ? null : outcomesComplete(r.budgetExhausted) ? `${r.condition.text}: ${r.condition.validated ? 'Ok' : 'No'} (${r.condition.observation})` : `${r.condition.text}: ? (the search did not finish)`,
    outcomes: r.outcomes.map((o) => ({ values: o.values, text: outcomeText(o.values), satisfies: o.satisfies })),
    violations: r.violations.map((v) => ({ kind: v.kind, message: v.message, replay: v.replay })),
    size,
    ms: r.stats.ms,
  };
}

/**
 * Check under each model with the page's budgets, as `memweave check` does (cli/commands/check.ts):
 * one time budget for all the models (TimeBudget), one memory budget that the answers kept so far
 * draw on (SpaceBudget), the state budget for each search; progress is the CLI's progress line.
 */
async function runCheck(id: number, program: IrProgram, models: readonly ModelName[], budgets: Budgets): Promise<void> {
  const rows: ModelRow[] = [];
  const time = new TimeBudget(() => performance.now(), budgets.timeLimitMs);
  const memory = new SpaceBudget(budgets.maxMemoryBytes ?? BROWSER_MEMORY_BYTES);
  const space = spaceBudgetOptions(budgets);
  for (const [index, model] of models.entries()) {
    let last = -Infinity;
    const tell = (engine: 'state' | 'graph' | null, text: string): void => {
      const t = performance.now();
      if (t - last < PROGRESS_MS) return;
      last = t;
      port.postMessage({ kind: 'progress', id, model, index, total: models.length, engine, text });
    };
    tell(null, 'starting');
    const r = await checkAsync(program, { ...BASE, ...space, ...time.options(), ...memory.options(), model, onProgress: (p) => tell(p.engine, progressText(p)) });
    memory.chargeResult(r, program.threads.length);
    rows.push(rowOf(r));
  }
  port.postMessage({ kind: 'checked', id, rows });
}

/** The SVG of an execution graph, as `memweave graph --format svg` draws it. */
async function svgOf(graph: ExecutionGraph, outcome: string, forbiddenUnder: string): Promise<string> {
  return svgForInline(await renderSvg(renderDot(graph, { outcome, forbiddenUnder })));
}

function none(title: string, note: string): ExecutionView {
  return { title, model: null, svg: null, cycle: null, initialState: null, steps: [], threads: [], note };
}

/** The view of a graph-engine execution (an `mg1.` token): its graph only, no states to step. */
async function graphTokenView(program: IrProgram, token: string, title: string): Promise<ExecutionView> {
  const d = decodeGraphToken(program, token);
  if (!d.ok) return none(title, d.error);
  const graph = graphPicture(program, d.modelName, d.graph);
  return { title, model: d.modelName, svg: await svgOf(graph, '', SC_MODEL), cycle: cycleText(graph), initialState: null, steps: [], threads: program.threads.map((t) => t.name), note: 'an execution graph of the axiomatic engine: it has no states to step through' };
}

async function runExecution(program: IrProgram, model: ModelName, target: ExecutionTarget): Promise<ExecutionView> {
  const threads = program.threads.map((t) => t.name);
  let pictureTarget: PictureTarget;
  let title: string;
  if (target.kind === 'replay') {
    if (target.token.startsWith(`${GRAPH_REPLAY_VERSION}.`)) return graphTokenView(program, target.token, target.title);
    const d = decodeReplayToken(target.token);
    if (!d.ok) return none(target.title, d.error);
    pictureTarget = { kind: 'choices', choices: d.token.choices };
    title = target.title;
  } else {
    pictureTarget = { kind: 'outcome', outcome: target.outcome };
    title = `An execution reaching ${target.text}`;
  }
  // an axiomatic model's outcome is drawn from the strongest operational model that reaches it
  const order: readonly ModelName[] = isStateModel(model) ? [model] : MODEL_NAMES;
  const never = { aborted: false };
  const search: PictureSearch = await pictureForAsync(program, BASE, pictureTarget, order, never);
  if (search.kind === 'found') {
    const p = search.picture;
    const svg = await svgOf(p.graph, p.outcomeText, SC_MODEL);
    return { title: `${title} under ${p.model}`, model: p.model, svg, cycle: cycleText(p.graph), initialState: p.execution.initialState, steps: p.execution.steps, threads, note: null };
  }
  // a racy program's weak outcome (js): no interleaving reaches it, the ECMAScript model's graph does
  const w = await weakWitnessAsync(program, BASE, pictureTarget, [model], never);
  if (w !== null && w.token !== null) return graphTokenView(program, w.token, title);
  return none(title, search.kind === 'none' && search.stopped.length > 0 ? `the search stopped at its bound under ${search.stopped.join(', ')}` : 'no execution of the operational models reaches it');
}

async function handle(req: Request): Promise<void> {
  const { program, diagnostics } = compile(req.name, req.text);
  switch (req.kind) {
    case 'compile': {
      const summary = program === null ? null : `test ${program.name}: ${program.threads.length} thread${program.threads.length === 1 ? '' : 's'}${program.condition === null ? '' : `, ${program.condition.text}`}`;
      port.postMessage({ kind: 'diagnostics', id: req.id, diagnostics, ok: program !== null, summary });
      return;
    }
    case 'check':
      if (program === null) port.postMessage({ kind: 'error', id: req.id, message: 'the program has errors: see the diagnostics' });
      else await runCheck(req.id, program, req.models, req.budgets);
      return;
    case 'execution':
      if (program === null) port.postMessage({ kind: 'error', id: req.id, message: 'the program has errors: see the diagnostics' });
      else port.postMessage({ kind: 'execution', id: req.id, view: await runExecution(program, req.model, req.target) });
      return;
  }
}

port.onmessage = (e: MessageEvent<Request>): void => {
  handle(e.data).catch((err: unknown) => {
    port.postMessage({ kind: 'error', id: e.data.id, message: `internal error in the checker worker: ${err instanceof Error ? err.message : String(err)} (this is a bug in memweave)` });
  });
};
