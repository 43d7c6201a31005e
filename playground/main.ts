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
const backdrop = el<HTMLDivElement>('backdrop');
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

/** The backdrop: the text (transparent) with each diagnostic's span in a <mark>. */
function renderBackdrop(text: string, diags: readonly DiagnosticView[]): void {
  const spans = diags
    .filter((d) => d.line > 0)
    .map((d) => ({ start: Math.min(d.start, text.length), end: Math.min(Math.max(d.end, d.start + 1), text.length), severity: d.severity }))
    .sort((a, b) => a.start - b.start);
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue; // overlapping spans: the first one is marked
    frag.append(document.createTextNode(text.slice(at, s.start)));
    // a span at the end of a line or of the text marks a space, so it can be seen
    const body = text.slice(s.start, s.end);
    frag.append(make('mark', body === '' || body === '\n' ? ' ' : body, s.severity));
    if (body === '\n') frag.append(document.createTextNode('\n'));
    at = Math.max(s.end, s.start);
  }
  frag.append(document.createTextNode(`${text.slice(at)}\n`));
  backdrop.replaceChildren(frag);
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
  pending = { id, kind };
  checkButton.disabled = true;
  stopButton.disabled = false;
  status.textContent = what;
  send(checkerWorker(), req(id));
}

function finish(message: string): void {
  pending = null;
  checkButton.disabled = false;
  stopButton.disabled = true;
  status.textContent = message;
}

checkButton.addEventListener('click', () => {
  const models = selectedModels();
  el('verdicts').querySelector('tbody')?.replaceChildren();
  el('outcomes').replaceChildren();
  start('check', (id) => ({ kind: 'check', id, name: programName(), text: source.value, models }), `checking under ${models.join(', ')}…`);
});

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
      return;
    case 'checked':
      showRows(r.rows);
      lastCheck = { key: checkKey(), rows: r.rows };
      finish(`checked under ${r.rows.map((x) => x.model).join(', ')}`);
      if (runAfterCheck) {
        runAfterCheck = false;
        void startRun();
      }
      return;
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
const runStatus = el<HTMLParagraphElement>('run-status');
/** Most iterations one run may ask for (bounded: each iteration's copy lives in the page's memory). */
const MAX_RUN_ITERATIONS = 1_000_000;
/** the latest check's rows and the program and models they are for */
let lastCheck: { key: string; rows: readonly ModelRow[] } | null = null;
let runAfterCheck = false;
let runAbort: AbortController | null = null;

function checkKey(): string {
  return JSON.stringify([programName(), source.value, modelSelect.value]);
}

/** The model whose allowed set the run is held against: the chosen one, or tso (x86's) under `all`. */
function runModelRow(rows: readonly ModelRow[]): ModelRow | undefined {
  return rows.find((r) => r.model === modelSelect.value) ?? rows.find((r) => r.model === 'tso') ?? rows[0];
}

/** Draw the histogram: a row per outcome (count, bar, allowed or forbidden under the model), then the allowed outcomes not seen and the conformance text. */
function showHistogram(program: IrProgram, histogram: ReadonlyMap<string, number>, iterations: number, row: ModelRow | undefined): void {
  const allowed = new Set((row?.outcomes ?? []).map((o) => JSON.stringify(program.observables.map((ob) => o.values[ob.name] ?? 0))));
  const entries = [...histogram.entries()].sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const body = el('histogram').querySelector('tbody');
  body?.replaceChildren(
    ...entries.map(([key, n]) => {
      const values = JSON.parse(key) as number[];
      const ok = allowed.has(key);
      const tr = make('tr', undefined, ok ? 'allowed' : 'forbidden');
      tr.dataset['count'] = String(n);
      tr.dataset['allowed'] = String(ok);
      const bar = make('span', undefined, 'bar');
      bar.style.width = `${Math.max(1, Math.round((200 * n) / max))}px`;
      const barCell = make('td');
      barCell.append(bar);
      tr.append(make('td', formatOutcome(program, values)), make('td', String(n)), barCell, make('td', row === undefined ? '' : ok ? `allowed under ${row.model}` : `FORBIDDEN under ${row.model}`));
      return tr;
    }),
  );
  const notSeen = el<HTMLUListElement>('run-unseen');
  const conf = row === undefined ? null : conformance(program, { histogram }, { model: row.model, verdict: row.result, outcomes: row.outcomes, violations: row.violations });
  notSeen.replaceChildren(...(conf?.unobserved ?? []).map((u) => make('li', `allowed but not seen: ${u.outcome}`)));
  el('run-conformance').textContent = conf === null ? '' : renderOne(conf).split('\n').filter((l) => !l.includes('info: allowed but not observed')).join('\n');
  el('run-count').textContent = `${iterations} iterations counted`;
}

function runState(running: boolean): void {
  runButton.disabled = running;
  runStopButton.disabled = !running;
  document.body.dataset['running'] = String(running);
  document.body.dataset['runWorkers'] = String(liveRunWorkers());
}

async function startRun(): Promise<void> {
  const why = runUnavailable();
  if (why !== null) {
    runStatus.textContent = why;
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
  const n = Math.floor(Number(runIterations.value));
  const iterations = Number.isFinite(n) ? Math.min(MAX_RUN_ITERATIONS, Math.max(1, n)) : 10_000;
  runIterations.value = String(iterations);
  const abort = new AbortController();
  runAbort = abort;
  runState(true);
  runStatus.textContent = `running ${iterations} iterations on ${program.threads.length} Web Workers…`;
  // a live histogram: the run is cut into chunks of batches, each chunk's counts added as it finishes
  const total = new Map<string, number>();
  let counted = 0;
  const chunk = Math.max(1, Math.min(iterations, Math.ceil(iterations / 10)));
  let stop = 'done';
  let seed = 1;
  try {
    while (counted < iterations && !abort.signal.aborted) {
      const r = await runInBrowser(program, { iterations: Math.min(chunk, iterations - counted), seed: seed++, signal: abort.signal, stallMs: 3_000 });
      for (const [k, c] of r.histogram) total.set(k, (total.get(k) ?? 0) + c);
      counted += r.iterations;
      showHistogram(program, total, counted, row);
      document.body.dataset['runWorkers'] = String(liveRunWorkers());
      if (r.stop !== 'done') {
        stop = r.stop === 'failed' ? `failed: ${r.failure ?? ''}` : r.stop === 'hang' ? `hung: ${r.hang?.message ?? ''}` : r.stop;
        break;
      }
      if (r.iterations === 0) break;
    }
  } catch (err) {
    stop = `failed: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    runAbort = null;
    runState(false);
  }
  runStatus.textContent = stop === 'done' ? `ran ${counted} iterations` : `run ${stop === 'aborted' ? 'stopped' : stop} after ${counted} iterations`;
}

runButton.addEventListener('click', () => void startRun());
runStopButton.addEventListener('click', () => {
  // aborting ends every worker of the run (runOnHost terminates its gang); the counts so far stay
  runAbort?.abort();
});

async function init(): Promise<void> {
  const why = runUnavailable();
  if (why !== null) {
    runButton.disabled = true;
    runStatus.textContent = why;
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
