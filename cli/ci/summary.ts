/**
 * `memweave check --summary FILE`: a Markdown report appended to FILE, meant for GitHub's job
 * summary (`--summary "$GITHUB_STEP_SUMMARY"`; the variable alone never turns it on). A verdict
 * table with one row per file and model, then each violation with its message, its trace and
 * final state in a fenced block and the replay command in another, then each rejected file's
 * diagnostics. Input-derived text in the table is escaped (pipes, HTML, newlines); fences are
 * longer than any backtick run inside them, so no input can close them early.
 */
import type { CliIo } from '../types.js';
import { inconclusiveText, caseName, type CiFileReport } from './report.js';

/** Escape a string for one cell of a Markdown table (inline text, no HTML, no line breaks, control characters as visible \uXXXX text). */
export function markdownCell(s: string): string {
  return s
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\u0000-\u001F\u007F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!])/g, '\\$1');
}

/** A fenced code block whose fence no backtick run in `body` can close. */
export function fenced(body: string, info = ''): string {
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body.endsWith('\n') ? body : `${body}\n`}${fence}\n`;
}

const ICON = { pass: '✅', fail: '❌', inconclusive: '⚠️' } as const;

/** The Markdown summary of the checked files. */
export function renderMarkdownSummary(files: readonly CiFileReport[]): string {
  let out = '## memweave check\n\n';
  out += '| file | test | model | verdict | condition | outcomes | violations | states | ms |\n';
  out += '|---|---|---|---|---|---:|---|---:|---:|\n';
  for (const f of files) {
    if (f.kind === 'error') {
      const n = f.diagnostics.filter((d) => d.severity === 'error').length;
      out += `| ${markdownCell(f.path)} | | | ❌ input error | | | ${n} error${n === 1 ? '' : 's'} | | |\n`;
      continue;
    }
    for (const r of f.results) {
      const kinds = [...new Set(r.violations.map((v) => v.kind))].join(', ');
      const verdict = r.budgetExhausted === 'interrupted' ? `${ICON.inconclusive} ${r.notRun === true ? 'not run (interrupted)' : 'interrupted'}` : `${ICON[r.verdict]} ${r.verdict}${r.budgetExhausted !== null ? ` (${r.budgetExhausted})` : ''}`;
      out += `| ${markdownCell(f.path)} | ${markdownCell(f.test)} | ${r.model} | ${verdict} | ${r.condition ?? '-'} | ${r.outcomes}${r.cut > 0 ? ` (+${r.cut} cut)` : ''} | ${kinds === '' ? '-' : kinds} | ${r.executions !== undefined ? `${r.executions} exec` : r.states} | ${r.ms.toFixed(1)} |\n`;
    }
  }
  for (const f of files) {
    if (f.kind === 'error') {
      out += `\n### ❌ ${markdownCell(f.path)}: input error\n\n`;
      out += fenced(f.diagnostics.map((d) => d.text).join('\n'), 'text');
      continue;
    }
    for (const r of f.results) {
      for (const v of r.violations) {
        out += `\n### ❌ ${markdownCell(caseName(f.test, r.model))}: ${v.kind}\n\n`;
        out += `${markdownCell(v.message)} (${markdownCell(f.path)}, line ${v.location.line})\n\n`;
        out += fenced(`trace (${v.steps} step${v.steps === 1 ? '' : 's'}):\n${v.trace}final state: ${v.finalState}\n`, 'text');
        out += '\nReplay:\n\n';
        out += fenced(v.replay, 'sh');
      }
      if (r.verdict === 'inconclusive') out += `\n### ⚠️ ${markdownCell(caseName(f.test, r.model))}: ${r.budgetExhausted === 'interrupted' ? 'interrupted' : 'inconclusive'}\n\n${inconclusiveText(r)}\n`;
    }
  }
  return `${out}\n`;
}

/**
 * Append text to a file through the CLI's I/O: one atomic append that never reads the file (so
 * parallel runs sharing a summary each land whole); false when it cannot (no appendFile, or a
 * write error).
 */
export function appendToFile(io: CliIo, path: string, text: string): boolean {
  return io.appendFile !== undefined && io.appendFile(path, text);
}
