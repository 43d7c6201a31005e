/**
 * The self-contained HTML page of `memweave report`: one file, inline CSS, inline JS, inline SVG,
 * no network (a Content-Security-Policy forbids any fetch). Sections: the source, the verdict
 * table, the outcomes per model (and, after `--run`, the hardware histogram beside them), a
 * picture per outcome that some model allows and another forbids (its execution graph with the
 * SC cycle in red), and an execution stepped through state by state (prev/next buttons).
 *
 * Every string that comes from the input (names, descriptions, sources, outcomes, trace text) is
 * HTML-escaped here; the stepper's data travels as JSON in a `<script type="application/json">`
 * block with `<`, `>`, `&` and line separators escaped, and the page script writes it with
 * `textContent` only. Pure: the caller computes everything (cli/commands/report.ts).
 */
import { outcomesComplete } from '../../checker/verdict.js';
import type { CheckResult, ModelName } from '../../checker/api.js';
import type { ExecutionStep } from '../../checker/execution.js';
import { match } from 'ts-pattern';
import { litmusVerdict } from '../litmus/verdict.js';

/** One picture: an outcome, the model its execution runs under, the SVG and the cycle text. */
export interface ReportPicture {
  readonly outcome: string;
  readonly model: ModelName;
  /** models that allow the outcome */
  readonly allowedUnder: readonly ModelName[];
  /** inline SVG (no XML prolog) */
  readonly svg: string;
  readonly cycle: string | null;
}

/** The execution the page steps through. */
export interface ReportStepper {
  /** what it is, e.g. "counterexample (mutex) under tso" */
  readonly title: string;
  readonly model: ModelName;
  readonly initialState: Readonly<Record<string, number>>;
  readonly steps: readonly ExecutionStep[];
  /** the command that replays it */
  readonly replay: string;
  /** a long execution is folded: `count` steps after the first `after` of `steps` are left out */
  readonly folded?: { readonly after: number; readonly count: number };
}

/** One row of the hardware histogram. */
export interface ReportRunRow {
  readonly outcome: string;
  readonly count: number;
}

/** The hardware run shown beside the model's outcomes. */
export interface ReportRun {
  readonly iterations: number;
  readonly seed: number;
  readonly ms: number;
  readonly rows: readonly ReportRunRow[];
  readonly notes: readonly string[];
}

/** Everything the page shows. */
export interface ReportData {
  readonly test: string;
  readonly description: string | null;
  readonly source: string | null;
  readonly file: string;
  readonly text: string;
  readonly condition: string | null;
  /** thread names, by thread index */
  readonly threads: readonly string[];
  readonly results: readonly CheckResult[];
  /** outcome text ("P0:r0=0; P1:r0=0;") per result, in the result's order */
  readonly outcomeTexts: readonly (readonly string[])[];
  readonly pictures: readonly ReportPicture[];
  readonly stepper: ReportStepper | null;
  readonly run: ReportRun | null;
  readonly generator: string;
  /** what the memory budget left out (pictures not drawn, no stepper); shown as warnings */
  readonly memoryNotes?: readonly string[];
}

/** Escape text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** JSON safe inside a `<script>` element: no `<`, `>`, `&` or line separators survive literally. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const CSS = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5em 1.5em 4em; }
h1 { font-size: 1.6em; margin: 0.2em 0; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.sub { color: #555; margin: 0.2em 0; }
pre, code, td.mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: 13px; }
pre { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 0.8em 1em; overflow-x: auto; }
table { border-collapse: collapse; background: #fff; margin: 0.6em 0; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f0f0f3; }
.ok { color: #1b7f3b; font-weight: 600; } .bad { color: #c00000; font-weight: 600; } .warn { color: #a36b00; font-weight: 600; }
.yes { color: #1b7f3b; text-align: center; } .no { color: #bbb; text-align: center; }
figure { background: #fff; border: 1px solid #ddd; border-radius: 6px; margin: 1em 0; padding: 0.8em; overflow-x: auto; }
figcaption { margin-bottom: 0.5em; } .cycle { color: #c00000; font-family: ui-monospace, Menlo, monospace; }
#stepper .controls { display: flex; gap: 0.5em; align-items: center; margin: 0.6em 0; }
#stepper button { font: inherit; padding: 0.25em 0.9em; border: 1px solid #999; border-radius: 4px; background: #fff; cursor: pointer; }
#stepper button:disabled { opacity: 0.4; cursor: default; }
#step-counter { font-weight: 600; min-width: 9em; }
#step-text { font-family: ui-monospace, Menlo, monospace; }
tr.current td { background: #fff4cc; } td.changed { background: #ffe08a; font-weight: 600; }
.twocol { display: flex; gap: 1.5em; flex-wrap: wrap; align-items: flex-start; }
.bar { display: inline-block; height: 0.8em; background: #1f5fbf; vertical-align: middle; }
footer { color: #777; font-size: 0.85em; margin-top: 3em; }
`;

const SCRIPT = `
(function () {
  'use strict';
  var dataEl = document.getElementById('stepper-data');
  if (!dataEl) return;
  var data = JSON.parse(dataEl.textContent || '{}');
  var steps = data.steps || [];
  var at = 0;
  var counter = document.getElementById('step-counter');
  var text = document.getElementById('step-text');
  var stateBody = document.getElementById('state-body');
  var buffers = document.getElementById('step-buffers');
  var prev = document.getElementById('step-prev');
  var next = document.getElementById('step-next');
  var first = document.getElementById('step-first');
  var last = document.getElementById('step-last');
  var rows = document.querySelectorAll('#trace-body tr:not(.folded)');
  function stateAt(k) { return k === 0 ? data.initialState : steps[k - 1].state; }
  function show() {
    counter.textContent = 'step ' + (at === 0 ? 0 : steps[at - 1].n) + ' / ' + (data.total || steps.length) + (at === 0 ? ' (initial state)' : '');
    if (at === 0) { text.textContent = 'the initial state'; buffers.textContent = ''; }
    else {
      var s = steps[at - 1];
      text.textContent = s.threadName + ': ' + (s.action === 'instr' ? '' : '(' + s.action + ') ') + s.text + '  →  ' + s.effect;
      buffers.textContent = s.buffers.length > 0 ? 'store buffers: ' + s.buffers.map(function (b, i) { return (data.threads[i] || ('#' + i)) + ' ' + b; }).join('   ') : '';
    }
    var now = stateAt(at), before = at === 0 ? now : stateAt(at - 1);
    while (stateBody.firstChild) stateBody.removeChild(stateBody.firstChild);
    Object.keys(now).forEach(function (k) {
      var tr = document.createElement('tr');
      var a = document.createElement('td'); a.textContent = k; a.className = 'mono';
      var b = document.createElement('td'); b.textContent = String(now[k]); b.className = 'mono';
      if (before[k] !== now[k]) b.className += ' changed';
      tr.appendChild(a); tr.appendChild(b); stateBody.appendChild(tr);
    });
    for (var i = 0; i < rows.length; i++) rows[i].className = i === at - 1 ? 'current' : '';
    prev.disabled = first.disabled = at === 0;
    next.disabled = last.disabled = at === steps.length;
  }
  prev.addEventListener('click', function () { if (at > 0) { at--; show(); } });
  next.addEventListener('click', function () { if (at < steps.length) { at++; show(); } });
  first.addEventListener('click', function () { at = 0; show(); });
  last.addEventListener('click', function () { at = steps.length; show(); });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowRight') next.click();
    else if (e.key === 'ArrowLeft') prev.click();
  });
  show();
})();
`;

function verdictClass(v: CheckResult['verdict']): string {
  return match(v)
    .with('pass', () => 'ok')
    .with('fail', () => 'bad')
    .with('inconclusive', () => 'warn')
    .exhaustive();
}

function existsVerdict(r: CheckResult): string {
  return r.condition === null ? '—' : litmusVerdict(r);
}

/** The whole page. */
export function renderReportHtml(d: ReportData): string {
  const e = escapeHtml;
  const models = d.results.map((r) => r.model);
  const out: string[] = [];
  out.push('<!DOCTYPE html>');
  out.push('<html lang="en"><head><meta charset="utf-8">');
  out.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`);
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push(`<title>${e(`memweave report: ${d.test}`)}</title>`);
  out.push(`<style>${CSS}</style></head><body><main>`);
  out.push(`<h1>${e(d.test)}</h1>`);
  if (d.description !== null) out.push(`<p class="sub">${e(d.description)}</p>`);
  if (d.source !== null) out.push(`<p class="sub">Source: ${e(d.source)}</p>`);
  if (d.condition !== null) out.push(`<p class="sub">Condition: <code>${e(d.condition)}</code></p>`);

  out.push('<h2 id="source">Program</h2>');
  out.push(`<p class="sub"><code>${e(d.file)}</code></p>`);
  out.push(`<pre>${e(d.text)}</pre>`);

  out.push('<h2 id="verdicts">Verdicts</h2>');
  out.push('<table id="verdict-table"><thead><tr><th>model</th><th>verdict</th><th>condition</th><th>exists</th><th>outcomes</th><th>violations</th><th>states</th></tr></thead><tbody>');
  for (const r of d.results) {
    const viol = r.violations.map((v) => v.kind).join(', ') || '—';
    const cond = r.condition === null ? '—' : !outcomesComplete(r.budgetExhausted) ? '?' : r.condition.validated ? 'Ok' : 'No';
    out.push(
      `<tr><td>${e(r.model)}</td><td class="${verdictClass(r.verdict)}">${e(r.verdict + (r.budgetExhausted !== null ? ` (${r.budgetExhausted})` : ''))}</td><td>${cond}</td><td>${e(existsVerdict(r))}</td><td>${r.outcomes.length}</td><td>${e(viol)}</td><td>${r.stats.statesStored}</td></tr>`,
    );
  }
  out.push('</tbody></table>');
  for (const r of d.results) {
    for (const v of r.violations) out.push(`<p><span class="bad">${e(r.model)}: ${e(v.kind)}</span>: ${e(v.message.split('\n')[0] ?? '')}</p>`);
  }

  // outcomes per model (+ hardware counts)
  out.push(`<h2 id="outcomes">Outcomes per model${d.run !== null ? ' and on hardware' : ''}</h2>`);
  const all = new Map<string, boolean | null>();
  d.results.forEach((r, i) => r.outcomes.forEach((o, k) => all.set(d.outcomeTexts[i]?.[k] ?? '', o.satisfies)));
  for (const row of d.run?.rows ?? []) if (!all.has(row.outcome)) all.set(row.outcome, null);
  const keys = [...all.keys()].sort();
  const runCount = new Map((d.run?.rows ?? []).map((r) => [r.outcome, r.count]));
  const maxCount = Math.max(1, ...runCount.values());
  out.push('<div class="twocol"><table id="outcome-table"><thead><tr><th>outcome</th>');
  for (const m of models) out.push(`<th>${e(m)}</th>`);
  if (d.run !== null) out.push('<th>observed</th>');
  out.push('</tr></thead><tbody>');
  for (const k of keys) {
    out.push(`<tr><td class="mono">${all.get(k) === true ? '*&gt; ' : ''}${e(k)}</td>`);
    d.results.forEach((_r, i) => {
      const has = (d.outcomeTexts[i] ?? []).includes(k);
      out.push(has ? '<td class="yes">✓</td>' : '<td class="no">·</td>');
    });
    if (d.run !== null) {
      const c = runCount.get(k) ?? 0;
      const w = Math.round((120 * c) / maxCount);
      out.push(`<td class="mono">${c}${c > 0 ? ` <span class="bar" style="width:${w}px"></span>` : ''}</td>`);
    }
    out.push('</tr>');
  }
  out.push('</tbody></table></div>');
  out.push('<p class="sub">✓ reachable under the model; *&gt; the outcome satisfies the condition.</p>');
  if (d.run !== null) {
    out.push(`<p class="sub" id="run-summary">Hardware: ${d.run.iterations} iterations on worker_threads, seed ${d.run.seed}, ${(d.run.ms / 1000).toFixed(2)} s.</p>`);
    for (const n of d.run.notes) out.push(`<p class="warn">${e(n)}</p>`);
  }

  // pictures
  out.push('<h2 id="pictures">Why an outcome is forbidden: execution graphs</h2>');
  for (const n of d.memoryNotes ?? []) out.push(`<p class="warn">${e(n)}</p>`);
  if (d.pictures.length === 0 && (d.memoryNotes ?? []).length > 0) {
    out.push('<p>No picture: see the note above.</p>');
  } else if (d.pictures.length === 0) {
    out.push('<p>Every model here reaches the same outcomes: there is no outcome one model allows and another forbids.</p>');
  } else {
    out.push('<p>Each outcome below is reachable under some models and not others. The graph is a shortest execution reaching it under the strongest model that allows it: events per thread in program order, with po, rf (reads-from), co (the order writes reached memory) and fr (from-read) edges. A cycle in po ∪ rf ∪ co ∪ fr, in red, is what sequential consistency forbids.</p>');
    for (const p of d.pictures) {
      out.push('<figure>');
      out.push(`<figcaption><code>${e(p.outcome)}</code> — allowed under ${e(p.allowedUnder.join(', '))}; drawn under ${e(p.model)}${p.cycle !== null ? `; cycle: <span class="cycle">${e(p.cycle)}</span>` : ''}</figcaption>`);
      out.push(p.svg);
      out.push('</figure>');
    }
  }

  // stepper
  out.push('<h2 id="steps">An execution, step by step</h2>');
  const st = d.stepper;
  if (st === null) out.push('<p>No execution to show.</p>');
  else {
    const fold = st.folded ?? null;
    const total = st.steps.length + (fold?.count ?? 0);
    /** the number of the k-th step shown (1-based), counting the folded ones */
    const number = (k: number): number => (fold !== null && k >= fold.after ? k + 1 + fold.count : k + 1);
    out.push(`<div id="stepper"><p>${e(st.title)} (${total} step${total === 1 ? '' : 's'}). Replay: <code>${e(st.replay)}</code></p>`);
    if (fold !== null) out.push(`<p class="sub">A long execution: steps ${fold.after + 1} to ${fold.after + fold.count} are folded (${fold.count} steps); the replay command above prints every step.</p>`);
    out.push('<div class="controls"><button id="step-first" type="button">⏮ first</button><button id="step-prev" type="button">◀ prev</button><span id="step-counter">step 0</span><button id="step-next" type="button">next ▶</button><button id="step-last" type="button">last ⏭</button></div>');
    out.push('<p id="step-text"></p><p id="step-buffers" class="sub"></p>');
    out.push('<div class="twocol"><table><thead><tr><th>name</th><th>value</th></tr></thead><tbody id="state-body"></tbody></table>');
    out.push('<table><thead><tr><th>#</th><th>thread</th><th>instruction</th><th>location</th><th>effect</th></tr></thead><tbody id="trace-body">');
    st.steps.forEach((s, i) => {
      if (fold !== null && i === fold.after) out.push(`<tr class="folded"><td colspan="5">… ${fold.count} steps folded …</td></tr>`);
      out.push(`<tr><td>${number(i)}</td><td>${e(s.threadName)}</td><td class="mono">${s.action === 'instr' ? '' : `(${e(s.action)}) `}${e(s.text)}</td><td class="mono">${e(s.location.replace(/^.*[\\/]/, ''))}</td><td class="mono">${e(s.effect)}</td></tr>`);
    });
    out.push('</tbody></table></div></div>');
    const payload = {
      threads: d.threads,
      initialState: st.initialState,
      total,
      steps: st.steps.map((s, i) => ({ n: number(i), threadName: s.threadName, action: s.action, text: s.text, effect: s.effect, buffers: s.buffers, state: s.state })),
    };
    out.push(`<script type="application/json" id="stepper-data">${jsonForScript(payload)}</script>`);
  }
  out.push(`<footer>Generated by ${e(d.generator)}. Self-contained: no network access.</footer>`);
  out.push(`</main><script>${SCRIPT}</script></body></html>`);
  return out.join('\n') + '\n';
}
