/**
 * `memweave check --format junit`: JUnit XML for CI test reports (Jenkins, GitLab, Azure, the
 * GitHub test-reporter actions). The root is always `<testsuites>`, with one `<testsuite>` per input
 * file and one `<testcase>` per model checked, named `TEST [MODEL]`; each violation is a
 * `<failure type=KIND message=MESSAGE>` whose body is the text trace, the final state and the
 * replay command; an inconclusive run (a budget ran out) is `<skipped message=…>` — the exit code
 * (3) still fails the step; a file the front end rejected is one `<testcase name="front end">` with
 * an `<error type=CODE>` per error diagnostic. Every string taken from the input is escaped, and
 * characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are
 * written as visible `\uXXXX` text. Times are seconds from the checker's statistics.
 */
import { inconclusiveText, caseName, fileStatus, type CiDiagnostic, type CiFileReport, type CiModelResult, type CiViolation } from './report.js';

// Characters XML 1.0 forbids even as character references: C0 controls other than tab, LF and
// CR; U+FFFE and U+FFFF; and UTF-16 surrogates that are not part of a pair.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(s: string): string {
  return s.replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Escape a string for XML character data. */
export function xmlText(s: string): string {
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape a string for a double-quoted XML attribute value (newlines and tabs kept as references). */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function attrs(list: Readonly<Record<string, string | number>>): string {
  return Object.entries(list)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** A JUnit class name for a path: the extension dropped, separators as dots (`examples.locks.peterson`). */
export function className(path: string): string {
  return path
    .replace(/^\.[\\/]/, '')
    .replace(/\.(mw|litmus)$/i, '')
    .replace(/[\\/]+/g, '.');
}

function violationBody(v: CiViolation): string {
  return `${v.message}\ntrace (${v.steps} step${v.steps === 1 ? '' : 's'}):\n${v.trace}final state: ${v.finalState}\nreplay: ${v.replay}\n`;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

function testcase(file: string, test: string, r: CiModelResult, ind: string): { xml: string; counts: Counts } {
  const head = `${ind}<testcase${attrs({ name: caseName(test, r.model), classname: className(file), file, time: seconds(r.ms) })}>\n`;
  let body = `${ind}  <properties>\n`;
  const props: Record<string, string | number> = { model: r.model, verdict: r.budgetExhausted === 'interrupted' ? 'interrupted' : r.verdict, states: r.states, transitions: r.transitions, ms: r.ms.toFixed(1), outcomes: r.outcomes };
  if (r.condition !== null) props['condition'] = r.condition;
  if (r.budgetExhausted !== null) props['budget'] = r.budgetExhausted;
  if (r.executions !== undefined) props['executions'] = r.executions;
  if (r.cut > 0) props['cut'] = r.cut;
  for (const [name, value] of Object.entries(props)) body += `${ind}    <property${attrs({ name, value })}/>\n`;
  body += `${ind}  </properties>\n`;
  for (const v of r.violations) body += `${ind}  <failure${attrs({ type: v.kind, message: v.message })}>${xmlText(violationBody(v))}</failure>\n`;
  if (r.verdict === 'fail' && r.violations.length === 0) body += `${ind}  <failure${attrs({ type: 'condition', message: 'the final condition does not hold' })}/>\n`;
  if (r.verdict === 'inconclusive') body += `${ind}  <skipped${attrs({ message: inconclusiveText(r) })}/>\n`;
  const counts: Counts = { tests: 1, failures: r.verdict === 'fail' ? 1 : 0, errors: 0, skipped: r.verdict === 'inconclusive' ? 1 : 0, ms: r.ms };
  return { xml: `${head}${body}${ind}</testcase>\n`, counts };
}

function diagnosticLine(d: CiDiagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  return `${where === '' ? '' : `${where}: `}${d.severity}[${d.code}]: ${d.message}`;
}

function testsuite(f: CiFileReport, ind: string): { xml: string; counts: Counts } {
  const inner = `${ind}  `;
  let cases = '';
  let systemErr = '';
  const counts: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  if (f.kind === 'error') {
    cases += `${inner}<testcase${attrs({ name: 'front end', classname: className(f.path), file: f.path, time: seconds(0) })}>\n`;
    for (const d of f.diagnostics) {
      if (d.severity !== 'error') continue;
      cases += `${inner}  <error${attrs({ type: d.code, message: diagnosticLine(d) })}>${xmlText(d.text)}</error>\n`;
    }
    cases += `${inner}</testcase>\n`;
    counts.tests = 1;
    counts.errors = 1;
    systemErr = f.diagnostics
      .filter((d) => d.severity !== 'error')
      .map((d) => d.text)
      .join('\n');
  } else {
    for (const r of f.results) {
      const tc = testcase(f.path, f.test, r, inner);
      cases += tc.xml;
      counts.tests += tc.counts.tests;
      counts.failures += tc.counts.failures;
      counts.skipped += tc.counts.skipped;
      counts.ms += tc.counts.ms;
    }
    systemErr = f.warnings.map((d) => d.text).join('\n');
  }
  const head = `${ind}<testsuite${attrs({ name: f.path, tests: counts.tests, failures: counts.failures, errors: counts.errors, skipped: counts.skipped, time: seconds(counts.ms) })}>\n`;
  const props = f.kind === 'checked' ? `${inner}<properties>\n${inner}  <property${attrs({ name: 'test', value: f.test })}/>\n${inner}  <property${attrs({ name: 'status', value: fileStatus(f) })}/>\n${inner}</properties>\n` : '';
  const err = systemErr === '' ? '' : `${inner}<system-err>${xmlText(systemErr)}</system-err>\n`;
  return { xml: `${head}${props}${cases}${err}${ind}</testsuite>\n`, counts };
}

/** The JUnit XML document for the checked files (one `<testsuite>` each inside `<testsuites>`). */
export function renderJunit(files: readonly CiFileReport[]): string {
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  let suites = '';
  for (const f of files) {
    const s = testsuite(f, '  ');
    suites += s.xml;
    total.tests += s.counts.tests;
    total.failures += s.counts.failures;
    total.errors += s.counts.errors;
    total.skipped += s.counts.skipped;
    total.ms += s.counts.ms;
  }
  const head = `<testsuites${attrs({ name: 'memweave check', tests: total.tests, failures: total.failures, errors: total.errors, skipped: total.skipped, time: seconds(total.ms) })}>\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}${suites}</testsuites>\n`;
}
