/**
 * `memweave check --format github`: GitHub Actions workflow commands on stdout, which the runner
 * turns into annotations on the files of a pull request. Each violation is
 * `::error file=F,line=L,col=C,title=memweave KIND (MODEL)::MESSAGE` (the message followed by the
 * final state and the replay command), located at the last trace step that has a source line (the
 * final condition for a `condition` violation; the test's first line when nothing else is known);
 * an inconclusive model is a `::warning` at the test's first line; each front-end diagnostic is an
 * `::error` (or `::warning`) at its span; one `::notice` line sums up. Data is escaped as the
 * runner expects (`%`, CR, LF as `%25`, `%0D`, `%0A`), properties also `:` and `,` (`%3A`, `%2C`).
 * Full traces are not put in annotations: they are in `--summary`, the text output, or a replay.
 */
import { inconclusiveText, fileStatus, type CiDiagnostic, type CiFileReport, type CiModelResult } from './report.js';

/** Escape a workflow command's message (data). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a workflow command's property value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The annotation commands the runner understands. */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** One workflow command line; properties with value undefined are left out. */
export function workflowCommand(level: AnnotationLevel, props: Readonly<Record<string, string | number | undefined>>, message: string): string {
  const list = Object.entries(props)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`);
  return `::${level}${list.length === 0 ? '' : ` ${list.join(',')}`}::${escapeData(message)}\n`;
}

/** Annotations for front-end diagnostics (errors and warnings; notes are left out). */
export function diagnosticAnnotations(list: readonly CiDiagnostic[]): string {
  let out = '';
  for (const d of list) {
    if (d.severity !== 'error' && d.severity !== 'warning') continue;
    const located = d.line > 0;
    const sameLine = located && d.endLine === d.line && d.endCol > d.col;
    out += workflowCommand(
      d.severity,
      {
        file: d.file === '' ? undefined : d.file,
        line: located ? d.line : undefined,
        col: located && d.col > 0 ? d.col : undefined,
        endLine: located && d.endLine >= d.line ? d.endLine : undefined,
        endColumn: sameLine ? d.endCol : undefined,
        title: `memweave ${d.code}`,
      },
      d.message + (d.help !== undefined ? `\nhelp: ${d.help}` : ''),
    );
  }
  return out;
}

/** The closing `::notice` line: files, model checks and their verdicts. */
export function githubNotice(files: readonly CiFileReport[]): string {
  const results = files.flatMap((f) => (f.kind === 'checked' ? f.results : []));
  const count = (v: string): number => results.filter((r) => r.verdict === v).length;
  const violations = results.reduce((n, r) => n + r.violations.length, 0);
  const errors = files.filter((f) => fileStatus(f) === 'error').length;
  const parts = [`${count('pass')} pass`, `${count('fail')} fail (${violations} violation${violations === 1 ? '' : 's'})`, `${count('inconclusive')} inconclusive`];
  if (errors > 0) parts.push(`${errors} file${errors === 1 ? '' : 's'} with input errors`);
  const interrupted = results.filter((r) => r.budgetExhausted === 'interrupted').length;
  if (interrupted > 0) parts.push(`interrupted by a signal (${interrupted} model check${interrupted === 1 ? '' : 's'} stopped or not run): no verdict`);
  const text = `${files.length} file${files.length === 1 ? '' : 's'}, ${results.length} model check${results.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
  return workflowCommand('notice', { title: 'memweave check' }, text);
}

/**
 * One `::error` per violation kind and location, naming every model that found it (the same race
 * under js only, the same mutex violation under tso and pso: one annotation, `(tso, pso)`); the
 * message is the first model's, then each model's final state and replay command.
 */
function violationAnnotations(path: string, results: readonly CiModelResult[]): string {
  const groups = new Map<string, { kind: string; line: number; col: number; message: string; models: string[]; tails: string[] }>();
  for (const r of results) {
    for (const v of r.violations) {
      const key = `${v.kind}|${v.location.line}|${v.location.col}|${v.message.split('\n')[0] ?? ''}`;
      let g = groups.get(key);
      if (g === undefined) {
        g = { kind: v.code !== undefined ? `${v.kind} ${v.code}` : v.kind, line: v.location.line, col: v.location.col, message: v.message, models: [], tails: [] };
        groups.set(key, g);
      }
      g.models.push(r.model);
      const tag = results.length > 1 ? ` (${r.model})` : '';
      g.tails.push(`final state${tag}: ${v.finalState}\nreplay${tag}: ${v.replay}`);
    }
  }
  let out = '';
  for (const g of groups.values()) {
    out += workflowCommand('error', { file: path, line: g.line, col: g.col, title: `memweave ${g.kind} (${g.models.join(', ')})` }, `${g.message}\n${g.tails.join('\n')}`);
  }
  return out;
}

/** Every annotation for the checked files, then the summary notice. */
export function renderGithub(files: readonly CiFileReport[]): string {
  let out = '';
  for (const f of files) {
    if (f.kind === 'error') {
      out += diagnosticAnnotations(f.diagnostics);
      continue;
    }
    out += diagnosticAnnotations(f.warnings);
    out += violationAnnotations(f.path, f.results);
    for (const r of f.results) {
      if (r.verdict === 'fail' && r.violations.length === 0) {
        out += workflowCommand('error', { file: f.path, line: f.location.line, col: f.location.col, title: `memweave condition (${r.model})` }, `${f.test}: the final condition does not hold`);
      }
      if (r.verdict === 'inconclusive') {
        out += workflowCommand('warning', { file: f.path, line: f.location.line, col: f.location.col, title: `memweave ${r.budgetExhausted === 'interrupted' ? 'interrupted' : 'inconclusive'} (${r.model})` }, `${f.test}: ${inconclusiveText(r)}`);
      }
    }
  }
  return out + githubNotice(files);
}
