/**
 * The playground page: an editor with line numbers and diagnostics at their spans as you type, the
 * bundled catalogue, a model selector (one model or all), the verdict table and each model's
 * outcomes, the execution graph of a chosen outcome or counterexample, a stepper through its
 * states, and a shareable link (share.ts). All checking happens in Web Workers (worker.ts): one
 * for the diagnostics, one for checks, which Stop terminates, so the page never waits on a search.
 *
 * Untrusted text: the program, and everything the checker says about it, is written with
 * `textContent` only; the execution graph's SVG is parsed as XML and rebuilt from an allow-list
 * of elements and attributes (no script, no event handler, no link) before it is shown.
 */
import { CHECK_MODEL_NAMES, VARIANT_MODEL_NAMES, type ModelName } from '../checker/api.js';
import type { ExecutionStep } from '../checker/execution.js';
import type { DiagnosticView, ExecutionTarget, ExecutionView, ModelRow, Reply, Request } from './protocol.js';
import { decodeShare, encodeShare } from './share.js';
import { compileSource } from '../model/frontend.js';
import { formatOutcome } from '../model/outcome.js';
import type { IrProgram } from '../model/ir.js';
import { conformance, renderOne } from '../cli/conformance.js';
import { liveRunWorkers, runInBrowser, runUnavailable } from './runDriver.js';
import { highlightMw, type HighlightSpan } from '../model/syntax/highlight.js';
import { highlightLitmus } from '../model/litmus/highlight.js';
import { parseBudgetsWithin, positiveOption, type Budgets } from '../cli/budgetOptions.js';
import { intOption } from '../cli/intOption.js';
import type { RunResult, RunSnapshot } from '../impl/protocol.js';
import { sanitizeSvg } from './svg.js';

/** One program of the bundled catalogue (catalogue.json, written by scripts/build-playground.mjs). */
interface CatalogueItem {
  readonly group: string;
  readonly file: string;
  readonly name: string;
  readonly shape: string;
  readonly text: string;
}

/** The models `all` checks: as `memweave check --model all` (every model but the kept variants). */
const ALL_MODELS: readonly ModelName[] = CHECK_MODEL_NAMES.filter((m) => !VARIANT_MODEL_NAMES.includes(m));
/** Milliseconds of quiet typing before the diagnostics are refreshed. */
const DEBOUNCE_MS = 250;

function el<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`internal error: the page has no #${id} (this is a bug in memweave)`);
  return e as T;
}

/** A new element with text content (never HTML). */
function make<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls !== undefined) e.className = cls;
  return e;
}

const source = el<HTMLTextAreaElement>('source');
const gutter = el<HTMLDivElement>('gutter');
const backdrop = el<HTMLPreElement>('backdrop');
const fileName = el<HTMLInputElement>('file-name');
const catalogueSelect = el<HTMLSelectElement>('catalogue');
const modelSelect = el<HTMLSelectElement>('model');
const checkButton = el<HTMLButtonElement>('check');
const stopButton = el<HTMLButtonElement>('stop');
const shareButton = el<HTMLButtonElement>('share');
const status = el<HTMLSpanElement>('status');

// ---- workers

let nextId = 1;
const workerUrl = new URL('worker.js', import.meta.url);
/** the diagnostics worker: compiles as you type (fast, never stopped) */
const compiler = new Worker(workerUrl, { type: 'module' });
/** the checker worker: checks and executions; Stop terminates it and the next request starts another */
let checker: Worker | null = null;
let latestCompile = 0;
let pending: { id: number; kind: 'check' | 'execution' } | null = null;

function send(w: Worker, req: Request): void {
  w.postMessage(req);
}

function checkerWorker(): Worker {
  if (checker !== null) return checker;
  const w = new Worker(workerUrl, { type: 'module' });
  w.onmessage = (e: MessageEvent<Reply>) => onCheckerReply(e.data);
  w.onerror = (e) => {
    e.preventDefault();
    finish(`the checker worker failed: ${e.message}`);
  };
  checker = w;
  return w;
}

compiler.onmessage = (e: MessageEvent<Reply>) => {
  const r = e.data;
  if (r.kind === 'diagnostics' && r.id === latestCompile) showDiagnostics(r.diagnostics, r.summary);
};

// ---- the editor

function programName(): string {
  const n = fileName.value.trim();
  return /\.(mw|litmus)$/i.test(n) ? n : `${n === '' ? 'program' : n}.mw`;
}

function renderGutter(lines: number, errorLines: ReadonlySet<number>): void {
  const frag = document.createDocumentFragment();
  for (let i = 1; i <= lines; i++) {
    const d = make('div', String(i));
    if (errorLines.has(i)) d.className = 'err';
    frag.append(d);
  }
  gutter.replaceChildren(frag);
}

/** The classes of the text's coloured ranges: the lexer's tokens (model/syntax/highlight.ts) for a .mw file, the importer's splitter and lexers (model/litmus/highlight.ts) for a .litmus one. */
function colours(text: string): readonly HighlightSpan[] {
  return programName().toLowerCase().endsWith('.mw') ? highlightMw(text) : highlightLitmus(text);
}

/**
 * The backdrop: the text, coloured from the lexer's tokens, with each diagnostic's span in a
 * <mark> (the textarea in front of it holds the same text, transparent, with the caret). A span
 * at the end of a line or of the text marks a space, so it can be seen.
 */
function renderBackdrop(text: string, diags: readonly DiagnosticView[]): void {
  const marks = diags
    .filter((d) => d.line > 0)
    .map((d) => ({ start: Math.min(d.start, text.length), end: Math.min(Math.max(d.end, d.start + 1), text.length), severity: d.severity }))
    .sort((a, b) => a.start - b.start)
    .filter((m, i, all) => i === 0 || m.start >= (all[i - 1]?.end ?? 0)); // overlapping spans: the first one is marked
  const tokens = colours(text);
  // the boundaries of every token and mark: each piece between two has one colour and one mark (or none)
  const cuts = new Set<number>([0, text.length]);
  for (const t of tokens) cuts.add(t.start).add(t.end);
  for (const m of marks) cuts.add(m.start).add(m.end);
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  let tok = 0;
  let mk = 0;
  let open: { el: HTMLElement; index: number } | null = null;
  for (let k = 0; k + 1 < points.length; k++) {
    const from = points[k] ?? 0;
    const to = points[k + 1] ?? 0;
    while (tok < tokens.length && (tokens[tok]?.end ?? 0) <= from) tok++;
    while (mk < marks.length && (marks[mk]?.end ?? 0) <= from) mk++;
    const t = tokens[tok];
    const m = marks[mk];
    const piece = text.slice(from, to);
    const inMark = m !== undefined && m.start <= from;
    let target: Node = frag;
    if (inMark) {
      if (open === null || open.index !== mk) {
        open = { el: make('mark', undefined, m.severity), index: mk };
        frag.append(open.el);
      }
      target = open.el;
    } else open = null;
    if (inMark && piece === '\n') {
      // a mark on a line end: a visible space before the newline
      target.appendChild(document.createTextNode(' '));
      frag.append(document.createTextNode('\n'));
      open = null;
      continue;
    }
    target.appendChild(t !== undefined && t.start <= from ? make('span', piece, `tok-${t.cls}`) : document.createTextNode(piece));
  }
  // a mark at the very end of the text (an unexpected end of file)
  if (marks.some((m) => m.start >= text.length)) frag.append(make('mark', ' ', 'error'));
  frag.append(document.createTextNode('\n'));
  backdrop.replaceChildren(frag);
  backdrop.dataset['coloured'] = String(tokens.length);
  syncScroll();
}

function syncScroll(): void {
  backdrop.scrollTop = source.scrollTop;
  backdrop.scrollLeft = source.scrollLeft;
  gutter.scrollTop = source.scrollTop;
}

function showDiagnostics(diags: readonly DiagnosticView[], summary: string | null): void {
  const list = el<HTMLUListElement>('diagnostics');
  list.replaceChildren(
    ...diags.map((d) => {
      const li = make('li', undefined, d.severity);
      li.dataset['code'] = d.code;
      li.append(make('span', `${d.severity}[${d.code}]`), document.createTextNode(` ${d.line}:${d.col} ${d.message}`));
      if (d.help !== null) li.append(make('span', ` — help: ${d.help}`, 'note'));
      li.addEventListener('click', () => {
        source.focus();
        source.setSelectionRange(d.start, Math.max(d.end, d.start + 1));
      });
      return li;
    }),
  );
  const errors = diags.filter((d) => d.severity === 'error').length;
  const s = el<HTMLParagraphElement>('summary');
  s.textContent = summary ?? `${errors} error${errors === 1 ? '' : 's'}`;
  s.className = errors > 0 ? 'error' : 'ok';
  renderGutter(source.value.split('\n').length, new Set(diags.filter((d) => d.severity === 'error').map((d) => d.line)));
  renderBackdrop(source.value, diags);
}

let debounce: ReturnType<typeof setTimeout> | null = null;
function scheduleCompile(): void {
  if (debounce !== null) clearTimeout(debounce);
  renderGutter(source.value.split('\n').length, new Set());
  renderBackdrop(source.value, []);
  debounce = setTimeout(() => {
    debounce = null;
    latestCompile = nextId++;
    send(compiler, { kind: 'compile', id: latestCompile, name: programName(), text: source.value });
  }, DEBOUNCE_MS);
}

function setProgram(name: string, text: string): void {
  fileName.value = name;
  source.value = text;
  source.scrollTop = 0;
  scheduleCompile();
}

source.addEventListener('input', () => {
  catalogueSelect.value = '';
  scheduleCompile();
});
source.addEventListener('scroll', syncScroll);
fileName.addEventListener('change', scheduleCompile);

// ---- checking

function selectedModels(): readonly ModelName[] {
  const v = modelSelect.value;
  return v === 'all' ? ALL_MODELS : ALL_MODELS.concat(VARIANT_MODEL_NAMES).filter((m) => m === v);
}

function start(kind: 'check' | 'execution', req: (id: number) => Request, what: string): void {
  const id = nextId++;
  status.className = '';
  pending = { id, kind };
  checkButton.disabled = true;
  stopButton.disabled = false;
  status.textContent = what;
  send(checkerWorker(), req(id));
}

function finish(message: string): void {
  pending = null;
  status.className = '';
  status.dataset['engine'] = '';
  checkButton.disabled = false;
  stopButton.disabled = true;
  status.textContent = message;
}

// ---- the check's budgets: the fields hold what `memweave check --time-limit S --max-states N --max-memory MB` takes, parsed by the CLI's own code

const budgetFields = { 'time-limit': el<HTMLInputElement>('check-time-limit'), 'max-states': el<HTMLInputElement>('check-max-states'), 'max-memory': el<HTMLInputElement>('check-max-memory') } as const;

/** What a tab may take: the device's memory when the browser says (navigator.deviceMemory, GiB), else 4 GiB. */
function pageMemoryBytes(): number {
  const gib = (navigator as { deviceMemory?: number }).deviceMemory;
  return (typeof gib === 'number' && gib > 0 ? gib : 4) * 2 ** 30;
}

/** The fields' budgets (an empty field: no such budget), or the CLI's message for the first malformed one, with its field marked. */
function readBudgets(): Budgets | string {
  const values: Record<string, string | undefined> = {};
  for (const [name, input] of Object.entries(budgetFields)) {
    input.classList.remove('invalid');
    values[name] = input.value.trim() === '' ? undefined : input.value.trim();
  }
  const b = parseBudgetsWithin(values, pageMemoryBytes());
  if (typeof b === 'string') {
    for (const [name, input] of Object.entries(budgetFields)) if (b.startsWith(`--${name} `)) input.classList.add('invalid');
  }
  return b;
}

checkButton.addEventListener('click', () => {
  const models = selectedModels();
  const budgets = readBudgets();
  if (typeof budgets === 'string') {
    runAfterCheck = false;
    status.textContent = `not checked: ${budgets}`;
    status.className = 'error';
    return;
  }
  el('verdicts').querySelector('tbody')?.replaceChildren();
  el('outcomes').replaceChildren();
  start('check', (id) => ({ kind: 'check', id, name: programName(), text: source.value, models, budgets }), `checking under ${models.join(', ')}…`);
});

/** The status line after a check: every model's result, an inconclusive one said so with the budget that stopped it (never read as a pass). */
function checkedText(rows: readonly ModelRow[]): { text: string; inconclusive: boolean } {
  const stopped = rows.filter((r) => r.result === 'inconclusive');
  const failed = rows.filter((r) => r.result === 'fail');
  const parts = [`checked under ${rows.map((x) => x.model).join(', ')}`];
  if (failed.length > 0) parts.push(`fail under ${failed.map((r) => r.model).join(', ')}`);
  if (stopped.length > 0) parts.push(`INCONCLUSIVE under ${stopped.map((r) => `${r.model} (${budgetText(r.budget)})`).join(', ')}: the search did not finish, so its outcomes are partial and nothing is proved`);
  return { text: parts.join(' — '), inconclusive: stopped.length > 0 };
}

/** What stopped a search, in words. */
function budgetText(budget: string | null): string {
  switch (budget) {
    case 'states':
      return 'the state budget ran out';
    case 'time':
      return 'the time limit was reached';
    case 'memory':
      return 'the memory budget ran out';
    case 'unroll':
      return 'a loop reached the unroll bound';
    case 'unexplored':
      return 'executions the engine does not build may exist';
    case 'interrupted':
      return 'stopped';
    case null:
      return 'incomplete';
    default:
      return budget;
  }
}

stopButton.addEventListener('click', () => {
  runAfterCheck = false;
  checker?.terminate();
  checker = null;
  finish('stopped: the checker worker was terminated; nothing after the stop is shown');
});

function onCheckerReply(r: Reply): void {
  if (pending === null || r.id !== pending.id) return;
  switch (r.kind) {
    case 'progress':
      status.textContent = `checking under ${r.model} (${r.index + 1} of ${r.total}): ${r.text}`;
      status.dataset['engine'] = r.engine ?? '';
      return;
    case 'checked': {
      showRows(r.rows);
      lastCheck = { key: checkKey(), rows: r.rows };
      const done = checkedText(r.rows);
      finish(done.text);
      status.className = done.inconclusive ? 'inconclusive' : '';
      if (runAfterCheck) {
        runAfterCheck = false;
        void startRun();
      }
      return;
    }
    case 'execution':
      showExecution(r.view);
      finish('');
      return;
    case 'error':
      runAfterCheck = false;
      finish(r.message);
      return;
    case 'diagnostics':
      return;
  }
}

function showRows(rows: readonly ModelRow[]): void {
  const body = el('verdicts').querySelector('tbody');
  body?.replaceChildren(
    ...rows.map((r) => {
      const tr = make('tr');
      tr.dataset['model'] = r.model;
      const verdict = make('td', r.verdict, `verdict ${r.verdict}`);
      const result = make('td', r.budget === null ? r.result : `${r.result} (${r.budget})`, `result ${r.result === 'fail' ? 'error' : r.result === 'pass' ? 'ok' : 'warning'}`);
      tr.append(make('td', r.model), verdict, result, make('td', String(r.outcomes.length)), make('td', r.size), make('td', r.ms.toFixed(1)));
      return tr;
    }),
  );
  el('outcomes').replaceChildren(...rows.map(outcomesOf));
}

function outcomesOf(r: ModelRow): HTMLElement {
  const box = make('div', undefined, 'model-outcomes');
  box.dataset['model'] = r.model;
  box.append(make('h3', `${r.model}: ${r.outcomes.length} outcome${r.outcomes.length === 1 ? '' : 's'}${r.condition === null ? '' : ` — ${r.condition}`}`));
  const list = make('ul');
  for (const o of r.outcomes) {
    const li = make('li');
    const button = make('button', 'show', 'show-outcome');
    button.type = 'button';
    button.addEventListener('click', () => openExecution(r.model, { kind: 'outcome', outcome: o.values, text: o.text }));
    li.append(make('code', o.text), document.createTextNode(o.satisfies === true ? '  (satisfies the condition) ' : ' '), button);
    if (o.satisfies === true) li.className = 'witness';
    list.append(li);
  }
  for (const v of r.violations) {
    const li = make('li', undefined, 'error');
    const button = make('button', 'step through', 'show-violation');
    button.type = 'button';
    const title = `Counterexample (${v.kind}) under ${r.model}: ${v.message.split('\n')[0] ?? ''}`;
    button.addEventListener('click', () => openExecution(r.model, { kind: 'replay', token: v.replay, title }));
    li.append(document.createTextNode(`${v.kind}: ${v.message.split('\n')[0] ?? ''} `), button);
    list.append(li);
  }
  box.append(list);
  return box;
}

function openExecution(model: ModelName, target: ExecutionTarget): void {
  start('execution', (id) => ({ kind: 'execution', id, name: programName(), text: source.value, model, target }), 'finding the execution…');
}

// ---- the execution: its graph and its states

let steps: readonly ExecutionStep[] = [];
let initial: Readonly<Record<string, number>> = {};
let threads: readonly string[] = [];
let at = 0;

function showExecution(v: ExecutionView): void {
  el('exec-title').textContent = v.title;
  el('exec-title').className = '';
  el('exec-note').textContent = v.note ?? (v.cycle === null ? '' : `cycle: ${v.cycle}`);
  const graph = el('graph');
  graph.replaceChildren();
  if (v.svg !== null) {
    const svg = sanitizeSvg(v.svg);
    if (svg !== null) graph.append(document.importNode(svg, true));
  }
  const stepper = el('stepper');
  stepper.hidden = v.initialState === null;
  steps = v.steps;
  initial = v.initialState ?? {};
  threads = v.threads;
  at = 0;
  showStep();
}

function stateAt(k: number): Readonly<Record<string, number>> {
  return k === 0 ? initial : (steps[k - 1]?.state ?? initial);
}

function showStep(): void {
  el('step-counter').textContent = `step ${at} / ${steps.length}${at === 0 ? ' (initial state)' : ''}`;
  const s = at === 0 ? null : steps[at - 1];
  el('step-text').textContent = s === null || s === undefined ? 'the initial state' : `${s.threadName}: ${s.action === 'instr' ? '' : `(${s.action}) `}${s.text}  →  ${s.effect}`;
  el('step-buffers').textContent = s !== null && s !== undefined && s.buffers.length > 0 ? `store buffers: ${s.buffers.map((b, i) => `${threads[i] ?? `#${i}`} ${b}`).join('   ')}` : '';
  const now = stateAt(at);
  const before = at === 0 ? now : stateAt(at - 1);
  el('state-body').replaceChildren(
    ...Object.keys(now).map((k) => {
      const tr = make('tr');
      tr.append(make('td', k), make('td', String(now[k]), before[k] !== now[k] ? 'changed' : undefined));
      return tr;
    }),
  );
  el<HTMLButtonElement>('step-first').disabled = at === 0;
  el<HTMLButtonElement>('step-prev').disabled = at === 0;
  el<HTMLButtonElement>('step-next').disabled = at === steps.length;
  el<HTMLButtonElement>('step-last').disabled = at === steps.length;
}

el('step-first').addEventListener('click', () => ((at = 0), showStep()));
el('step-prev').addEventListener('click', () => ((at = Math.max(0, at - 1)), showStep()));
el('step-next').addEventListener('click', () => ((at = Math.min(steps.length, at + 1)), showStep()));
el('step-last').addEventListener('click', () => ((at = steps.length), showStep()));

// ---- sharing

shareButton.addEventListener('click', () => {
  const out = el('share-status');
  const link = encodeShare(programName(), source.value);
  if (!link.ok) {
    out.textContent = link.error;
    out.className = 'error';
    return;
  }
  history.replaceState(null, '', `#${link.fragment}`);
  out.textContent = 'the link in the address bar holds this program';
  out.className = 'ok';
  navigator.clipboard?.writeText(location.href).then(
    () => (out.textContent = 'link copied; the address bar holds it too'),
    () => undefined,
  );
});

// ---- start

function fillModels(): void {
  const all = make('option', `all (${ALL_MODELS.join(', ')})`);
  all.value = 'all';
  modelSelect.append(all, ...ALL_MODELS.concat(VARIANT_MODEL_NAMES).map((m) => Object.assign(make('option', m), { value: m })));
  modelSelect.value = 'all';
}

async function loadCatalogue(): Promise<readonly CatalogueItem[]> {
  try {
    const res = await fetch(new URL('catalogue.json', import.meta.url));
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return ((await res.json()) as { items: CatalogueItem[] }).items;
  } catch (err) {
    status.textContent = `the catalogue could not be loaded: ${err instanceof Error ? err.message : String(err)}`;
    return [];
  }
}

// ---- the Run view: the program on real Web Workers (runDriver.ts), a live histogram beside the model's allowed set

const runButton = el<HTMLButtonElement>('run');
const runStopButton = el<HTMLButtonElement>('run-stop');
const runIterations = el<HTMLInputElement>('run-iterations');
const runTimeLimit = el<HTMLInputElement>('run-time-limit');
const runStatus = el<HTMLParagraphElement>('run-status');
/** Most iterations one run may ask for (bounded: each iteration's copy lives in the page's memory). */
const MAX_RUN_ITERATIONS = 1_000_000;
/** the latest check's rows and the program and models they are for */
let lastCheck: { key: string; rows: readonly ModelRow[] } | null = null;
let runAfterCheck = false;
let runAbort: AbortController | null = null;
/** histogram redraws of the run under way (body[data-run-updates]): one per batch the harness finishes */
let runUpdates = 0;

function checkKey(): string {
  return JSON.stringify([programName(), source.value, modelSelect.value]);
}

/** The model whose allowed set the run is held against: the chosen one, or tso (x86's) under `all`. */
function runModelRow(rows: readonly ModelRow[]): ModelRow | undefined {
  return rows.find((r) => r.model === modelSelect.value) ?? rows.find((r) => r.model === 'tso') ?? rows[0];
}

/** Draw the histogram: a row per outcome (count, bar, allowed or forbidden under the model). A partial (inconclusive) check's set cannot forbid: an outcome outside it is "not found by the check". */
function showHistogram(program: IrProgram, histogram: ReadonlyMap<string, number>, iterations: number, requested: number, row: ModelRow | undefined): void {
  const allowed = new Set((row?.outcomes ?? []).map((o) => JSON.stringify(program.observables.map((ob) => o.values[ob.name] ?? 0))));
  const partial = row?.result === 'inconclusive';
  const entries = [...histogram.entries()].sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const body = el('histogram').querySelector('tbody');
  body?.replaceChildren(
    ...entries.map(([key, n]) => {
      const values = JSON.parse(key) as number[];
      const ok = allowed.has(key);
      const tr = make('tr', undefined, ok ? 'allowed' : partial ? 'unknown' : 'forbidden');
      tr.dataset['count'] = String(n);
      tr.dataset['allowed'] = String(ok);
      const bar = make('span', undefined, 'bar');
      bar.style.width = `${Math.max(1, Math.round((200 * n) / max))}px`;
      const barCell = make('td');
      barCell.append(bar);
      const under = row === undefined ? '' : ok ? `allowed under ${row.model}` : partial ? `not found by the inconclusive check under ${row.model}` : `FORBIDDEN under ${row.model}`;
      tr.append(make('td', formatOutcome(program, values)), make('td', String(n)), barCell, make('td', under));
      return tr;
    }),
  );
  el('run-count').textContent = `${iterations} of ${requested} iterations counted`;
  runUpdates++;
  document.body.dataset['runUpdates'] = String(runUpdates);
}

/**
 * The end of a run: the allowed outcomes not seen and conform's lines (cli/conformance.ts, the text
 * `memweave conform` prints). As `conform` does, a stopped or failed run gives no verdict: its
 * partial histogram proves nothing either way.
 */
function showConformance(program: IrProgram, result: RunResult, row: ModelRow | undefined): void {
  const histogram = result.histogram;
  const conf = row === undefined ? null : conformance(program, { histogram }, { model: row.model, verdict: row.result, outcomes: row.outcomes, violations: row.violations });
  el<HTMLUListElement>('run-unseen').replaceChildren(...(conf?.unobserved ?? []).map((u) => make('li', `allowed but not seen: ${u.outcome}`)));
  if (result.stop === 'aborted' || result.stop === 'failed') {
    el('run-conformance').textContent = result.stop === 'aborted' ? `conform: interrupted after ${result.iterations} iterations: no verdict` : `conform: the run failed after ${result.iterations} iterations: no verdict`;
    return;
  }
  const lines = conf === null ? [] : renderOne(conf).split('\n').filter((l) => l !== '' && !l.includes('info: allowed but not observed'));
  if (row?.result === 'inconclusive') lines.unshift(`the check under ${row.model} was inconclusive (${budgetText(row.budget)}): its allowed set is partial, so this comparison proves nothing`);
  el('run-conformance').textContent = lines.join('\n');
}

function runState(running: boolean): void {
  runButton.disabled = running || runUnavailable() !== null;
  runStopButton.disabled = !running;
  runIterations.disabled = running;
  runTimeLimit.disabled = running;
  document.body.dataset['running'] = String(running);
  document.body.dataset['runWorkers'] = String(liveRunWorkers());
}

/** The run's budgets from its fields, parsed by the CLI's own code (`memweave run --iterations N --time-limit S`: intOption, positiveOption), or the message for a malformed one. */
function readRunBudgets(): { iterations: number; timeLimitMs: number | null } | string {
  runIterations.classList.remove('invalid');
  runTimeLimit.classList.remove('invalid');
  const n = intOption('iterations', runIterations.value.trim(), 1, MAX_RUN_ITERATIONS);
  if (typeof n === 'string' || n === null) {
    runIterations.classList.add('invalid');
    return n ?? `--iterations expects an integer ≥ 1, got ''`;
  }
  const tl = positiveOption('time-limit', runTimeLimit.value.trim() === '' ? undefined : runTimeLimit.value.trim(), false);
  if (typeof tl === 'string') {
    runTimeLimit.classList.add('invalid');
    return tl;
  }
  return { iterations: n, timeLimitMs: tl === null ? null : tl * 1000 };
}

/** How a run ended, in words. */
function runEndText(r: RunResult): string {
  switch (r.stop) {
    case 'done':
      return `ran ${r.iterations} iterations in ${(r.ms / 1000).toFixed(1)} s`;
    case 'time':
      return `time limit: stopped after ${r.iterations} of ${r.requested} iterations`;
    case 'aborted':
      return `run stopped after ${r.iterations} of ${r.requested} iterations`;
    case 'hang':
      return `run hung after ${r.iterations} iterations: ${r.hang?.message ?? ''}`;
    case 'failed':
      return `run failed after ${r.iterations} iterations: ${r.failure ?? ''}`;
  }
}

async function startRun(): Promise<void> {
  const why = runUnavailable();
  if (why !== null) {
    runStatus.textContent = why;
    return;
  }
  const budgets = readRunBudgets();
  if (typeof budgets === 'string') {
    runStatus.textContent = `not run: ${budgets}`;
    return;
  }
  const out = compileSource(programName(), source.value);
  const program = out.ir;
  if (program === null) {
    runStatus.textContent = 'the program has errors: see the diagnostics';
    return;
  }
  if (lastCheck === null || lastCheck.key !== checkKey()) {
    // the allowed set comes from the Check view's result: check first, then run
    runAfterCheck = true;
    runStatus.textContent = 'checking first, for the allowed set…';
    checkButton.click();
    return;
  }
  const row = runModelRow(lastCheck.rows);
  const abort = new AbortController();
  runAbort = abort;
  runUpdates = 0;
  document.body.dataset['runUpdates'] = '0';
  delete document.body.dataset['runStop'];
  el('histogram').querySelector('tbody')?.replaceChildren();
  el('run-unseen').replaceChildren();
  el('run-conformance').textContent = 'conform: when the run ends';
  el('run-count').textContent = '';
  runState(true);
  runStatus.className = '';
  runStatus.textContent = `running ${budgets.iterations} iterations on ${program.threads.length} Web Workers${budgets.timeLimitMs === null ? '' : `, at most ${budgets.timeLimitMs / 1000} s`}…`;
  // one run, one gang of workers: the harness hands over the counts after every batch (RunOptions.onBatch), so the histogram is live
  let result: RunResult | null = null;
  let failure: string | null = null;
  try {
    result = await runInBrowser(program, {
      iterations: budgets.iterations,
      seed: 1,
      signal: abort.signal,
      stallMs: 3_000,
      ...(budgets.timeLimitMs === null ? {} : { timeLimitMs: budgets.timeLimitMs }),
      onBatch: (snap: RunSnapshot) => {
        showHistogram(program, snap.histogram, snap.iterations, snap.requested, row);
        document.body.dataset['runWorkers'] = String(liveRunWorkers());
      },
    });
  } catch (err) {
    failure = `run failed: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    runAbort = null;
    runState(false);
  }
  if (result === null) {
    runStatus.textContent = failure ?? 'run failed';
    return;
  }
  showHistogram(program, result.histogram, result.iterations, result.requested, row);
  showConformance(program, result, row);
  runStatus.textContent = runEndText(result);
  runStatus.className = result.stop === 'done' ? '' : 'inconclusive';
  document.body.dataset['runStop'] = result.stop;
}

runButton.addEventListener('click', () => void startRun());
runStopButton.addEventListener('click', () => {
  // aborting ends every worker of the run (runOnHost terminates its gang); the counts so far stay
  runAbort?.abort();
});

async function init(): Promise<void> {
  // without cross-origin isolation (no COOP/COEP headers) there is no SharedArrayBuffer: Check works, Run cannot
  const why = runUnavailable();
  document.body.dataset['isolated'] = String(why === null);
  if (why !== null) {
    runButton.disabled = true;
    runIterations.disabled = true;
    runTimeLimit.disabled = true;
    runStatus.textContent = why;
    runStatus.className = 'error';
  }
  fillModels();
  const items = await loadCatalogue();
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const [i, item] of items.entries()) {
    let g = groups.get(item.group);
    if (g === undefined) {
      g = document.createElement('optgroup');
      g.label = item.group;
      groups.set(item.group, g);
      catalogueSelect.append(g);
    }
    const o = make('option', item.shape === '' ? item.file : `${item.name} — ${item.shape}`);
    o.value = String(i);
    o.dataset['file'] = item.file;
    g.append(o);
  }
  catalogueSelect.addEventListener('change', () => {
    const item = items[Number(catalogueSelect.value)];
    if (catalogueSelect.value !== '' && item !== undefined) {
      setProgram(item.file.split('/').pop() ?? item.file, item.text);
      history.replaceState(null, '', location.pathname);
    }
  });
  const shared = decodeShare(location.hash);
  if (shared !== null && shared.ok) setProgram(shared.name, shared.text);
  else {
    if (shared !== null) el('share-status').textContent = shared.error;
    const sb = items.findIndex((x) => x.file === 'litmus/SB.mw');
    const item = items[sb];
    if (item !== undefined) {
      catalogueSelect.value = String(sb);
      setProgram('SB.mw', item.text);
    } else setProgram('program.mw', '');
  }
  document.body.dataset['ready'] = 'true';
}

void init();
