/**
 * The explorer's answer as text, for a failing test or a terminal: the verdict, the violation with
 * its trace table (one row per scheduling point: step, thread, the operation as performed, its
 * `file:line:col` and that line of the user's source), the replay token, and the `explore(…)` call
 * that re-runs exactly that schedule. `memweave/testing`'s `toHold()` prints this.
 *
 * Reads the user's source files (positions are relative to the working directory the exploration
 * ran in) only to quote the lines; a file it cannot read leaves the source column empty.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { ExploreResult, ExploreStep } from './explore.js';

/** How a result's trace quotes source lines: `file → its lines`, read once per file. */
type SourceCache = Map<string, readonly string[] | null>;

function sourceLine(at: string, cache: SourceCache): string {
  const m = /^(.*):(\d+):(\d+)$/.exec(at);
  if (m === null) return '';
  const file = m[1] ?? '';
  let lines = cache.get(file);
  if (lines === undefined) {
    try {
      lines = readFileSync(isAbsolute(file) ? file : resolve(file), 'utf8').split(/\r?\n/);
    } catch {
      lines = null;
    }
    cache.set(file, lines);
  }
  return (lines?.[Number(m[2]) - 1] ?? '').trim();
}

/** A counterexample as a table: step, thread, operation, position, and the source line there. */
export function renderExploreTrace(steps: readonly ExploreStep[]): string {
  if (steps.length === 0) return '    (no thread took a step)\n';
  const cache: SourceCache = new Map();
  const rows = steps.map((s) => [String(s.step), `T${s.thread}`, s.what, s.at, sourceLine(s.at, cache)] as const);
  const head = ['#', 'thread', 'operation', 'at', 'source'] as const;
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `    ${cells.map((c, i) => (i === 0 ? c.padStart(widths[0] ?? 0) : i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

function shownPath(path: string): string {
  const r = relative(process.cwd(), path);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r) ? r : path;
}

/** The call that re-runs a violation's schedule (or, with no violation, the exploration itself). */
export function replayCall(result: ExploreResult): string {
  const s = result.scenario;
  const opts: string[] = [];
  if (s.export !== 'default') opts.push(`export: ${JSON.stringify(s.export)}`);
  if (s.spinLimit !== 10_000) opts.push(`spinLimit: ${s.spinLimit}`);
  if (result.violation !== null && result.violation.replay !== '') opts.push(`replay: ${JSON.stringify(result.violation.replay)}`);
  return `explore(${JSON.stringify(shownPath(s.module))}${opts.length === 0 ? '' : `, { ${opts.join(', ')} }`})`;
}

/** The whole answer as text: the verdict, why, the violation's trace table, its token and replay call. */
export function describeExplore(result: ExploreResult): string {
  const s = result.scenario;
  const st = result.stats;
  const name = `${shownPath(s.module)}${s.export === 'default' ? '' : ` (export ${s.export})`}`;
  const head = `${name}: ${result.verdict} after ${st.executions} execution${st.executions === 1 ? '' : 's'} (${st.steps} steps, seed ${st.seed})`;
  const parts = [head];
  if (result.reason !== null) parts.push(`  ${result.verdict === 'inconclusive' ? 'inconclusive' : 'reason'}: ${result.reason}`);
  for (const d of result.diagnostics) parts.push(`  error[${d.code}]: ${d.message}\n    --> ${d.at}`);
  const v = result.violation;
  if (v !== null) {
    parts.push(`  violation (${v.kind}): ${v.message}${v.at === null ? '' : `\n    --> ${v.at}`}`);
    parts.push(`  trace (${v.trace.length} steps):\n${renderExploreTrace(v.trace)}`.trimEnd());
    if (v.replay !== '') parts.push(`  replay token: ${v.replay}\n  replay: ${replayCall(result)}`);
  }
  return parts.join('\n');
}
