/**
 * Tests for the CI outputs of `memweave check` (cli/ci/): `--format junit` (well-formed XML, one
 * testsuite per file, one testcase per model, a failure per violation, skipped when inconclusive,
 * an error per front-end error), `--format github` (workflow commands with the right file, line,
 * column and escaping), `--summary FILE` (Markdown appended), several files with one exit code,
 * and hostile names and messages. Everything runs main() in-process with the fake I/O.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../../cli/main.js';
import { escapeData, escapeProperty, workflowCommand } from '../../../../cli/ci/github.js';
import { className, xmlAttr, xmlText } from '../../../../cli/ci/junit.js';
import { combineExitCodes } from '../../../../cli/ci/report.js';
import { fenced, markdownCell } from '../../../../cli/ci/summary.js';
import { EXIT } from '../../../../cli/types.js';
import { xmlProblem } from '../../../support/xml.js';
import { fakeIo, type FakeIo } from '../fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const PETERSON = 'examples/locks/peterson.mw';
const TICKET = 'examples/locks/ticket.mw';
const BAD = 'bad.mw';
const BAD_SRC = 'test bad\nshared x = 0;\nthread P0 { r = 1 + ; }\n';
const WARN = 'warn.mw';
// compiles with warning S311 (unreachable code) at 5:3; the loop spins forever (a livelock)
const WARN_SRC = 'test warn\nshared x = 0;\nthread P0 {\n  while (1) { skip; }\n  store.sc(x, 1);\n}\n';
const HOSTILE = 'dir, x/we&ird<"n">:%.mw';
const HOSTILE_SRC =
  'test "h<o>s&t\\"i\'l]]>e%,:\\r\\n\u0001\u001b[31m"\n' +
  'shared x = 0;\n' +
  'thread P0 {\n' +
  '  r = load.sc(x);\n' +
  '  assert (r == 1, "bad <&> \\"q\\" \'a\' ]]> %0A 100%, x:y\\r\\nline2 \u0001 --> -- ```` |c| ");\n' +
  '}\n';

async function run(argv: string[], io: FakeIo = files()): Promise<{ code: number; out: string; err: string; io: FakeIo }> {
  const code = await main(['check', ...argv], io);
  return { code, out: io.out, err: io.err, io };
}

function files(extra: Record<string, string> = {}, opts: { writable?: boolean } = {}): FakeIo {
  return fakeIo({ diskRoot: ROOT, files: { [BAD]: BAD_SRC, [HOSTILE]: HOSTILE_SRC, [WARN]: WARN_SRC, ...extra }, ...opts });
}

/** The 1-based line of the first line of `path` (on disk) matching `re`. */
function lineOf(path: string, re: RegExp): number {
  const i = readFileSync(join(ROOT, path), 'utf8')
    .split('\n')
    .findIndex((l) => re.test(l));
  expect(i, `${re} in ${path}`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

// ------------------------------------------------------------------ XML helpers

function unescapeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e.startsWith('#x')) return String.fromCharCode(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCharCode(parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] ?? '';
  });
}

interface Element {
  readonly name: string;
  readonly attrs: Record<string, string>;
  /** raw inner XML ('' for a self-closing element) */
  readonly inner: string;
}

/** Elements named `name` (not nested in themselves), with decoded attributes. */
function elements(xml: string, name: string): Element[] {
  const out: Element[] = [];
  const re = new RegExp(`<${name}\\b([^>]*?)(/>|>([\\s\\S]*?)</${name}>)`, 'g');
  for (const m of xml.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? '').matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1] ?? ''] = unescapeXml(a[2] ?? '');
    out.push({ name, attrs, inner: m[3] ?? '' });
  }
  return out;
}

function properties(xml: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const p of elements(xml, 'property')) props[p.attrs['name'] ?? ''] = p.attrs['value'] ?? '';
  return props;
}

// ------------------------------------------------------------------ GitHub helpers

interface Annotation {
  readonly level: string;
  readonly props: Record<string, string>;
  readonly message: string;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(s: string): string {
  return unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));
}

/** Parse every stdout line as a workflow command; fails the test on a line that is not one. */
function annotations(out: string): Annotation[] {
  const lines = out.split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((line) => {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    expect(m, line).not.toBeNull();
    const props: Record<string, string> = {};
    for (const kv of (m?.[2] ?? '').split(',').filter((x) => x !== '')) {
      const eq = kv.indexOf('=');
      expect(eq, kv).toBeGreaterThan(0);
      props[kv.slice(0, eq)] = unescapeProperty(kv.slice(eq + 1));
    }
    return { level: m?.[1] ?? '', props, message: unescapeData(m?.[3] ?? '') };
  });
}

// ------------------------------------------------------------------ JUnit

describe('check --format junit', () => {
  it('peterson under tso: a testcase with a failure per violation, trace and replay in the body; exit 1', async () => {
    const r = await run([PETERSON, '--model', 'tso', '--format', 'junit']);
    expect(r.code).toBe(EXIT.violation);
    expect(xmlProblem(r.out)).toBeNull();
    expect(r.out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    const suites = elements(r.out, 'testsuite');
    expect(suites.map((s) => s.attrs['name'])).toEqual([PETERSON]);
    expect(suites[0]?.attrs).toMatchObject({ tests: '1', failures: '1', errors: '0', skipped: '0' });
    const cases = elements(r.out, 'testcase');
    expect(cases.map((c) => c.attrs['name'])).toEqual(['peterson [tso]']);
    expect(cases[0]?.attrs['classname']).toBe('examples.locks.peterson');
    const failures = elements(cases[0]?.inner ?? '', 'failure');
    expect(failures.map((f) => f.attrs['type'])).toEqual(['mutex', 'condition']);

    // the same run as JSON: messages, replay tokens and state counts agree
    const json = await run([PETERSON, '--model', 'tso', '--format', 'json']);
    const parsed = JSON.parse(json.out) as { violations: { kind: string; message: string; replay: string }[]; stats: { statesStored: number; transitions: number } };
    for (const [i, v] of parsed.violations.entries()) {
      const f = failures[i];
      expect(f?.attrs['message']).toBe(v.message);
      const body = unescapeXml(f?.inner ?? '');
      expect(body).toContain(`${v.message}\ntrace (`);
      expect(body).toMatch(/^ {4}# {2,}T\[0\] {2,}T\[1\] {2,}location/m);
      expect(body).toContain(`\nreplay: memweave check ${PETERSON} --model tso --replay ${v.replay}\n`);
    }
    const props = properties(cases[0]?.inner ?? '');
    expect(props).toMatchObject({ model: 'tso', verdict: 'fail', states: String(parsed.stats.statesStored), transitions: String(parsed.stats.transitions), ms: '0.0', condition: 'No' });
  });

  it('ticket under all models: six passing testcases (ra and rc11 on the graph engine); exit 0', async () => {
    const r = await run([TICKET, '--model', 'all', '--format', 'junit']);
    expect(r.code).toBe(EXIT.ok);
    expect(xmlProblem(r.out)).toBeNull();
    expect(elements(r.out, 'testcase').map((c) => c.attrs['name'])).toEqual(['ticket [sc]', 'ticket [tso]', 'ticket [pso]', 'ticket [js]', 'ticket [ra]', 'ticket [rc11]']);
    expect(r.out).not.toMatch(/<failure|<error|<skipped/);
    expect(elements(r.out, 'testsuites')[0]?.attrs).toMatchObject({ tests: '6', failures: '0', errors: '0', skipped: '0' });
  });

  it('inconclusive is <skipped> with the budget in its message; exit 3', async () => {
    const r = await run([TICKET, '--max-states', '5', '--format', 'junit']);
    expect(r.code).toBe(EXIT.inconclusive);
    expect(xmlProblem(r.out)).toBeNull();
    const skipped = elements(r.out, 'skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.attrs['message']).toMatch(/the states budget ran out/);
    expect(elements(r.out, 'testsuite')[0]?.attrs).toMatchObject({ tests: '1', failures: '0', skipped: '1' });
  });

  it('several files: one testsuite each; a bad file is an <error> testcase; exit 2', async () => {
    const r = await run([PETERSON, TICKET, BAD, '--model', 'tso', '--format', 'junit']);
    expect(r.code).toBe(EXIT.usage);
    expect(xmlProblem(r.out)).toBeNull();
    expect(elements(r.out, 'testsuite').map((s) => s.attrs['name'])).toEqual([PETERSON, TICKET, BAD]);
    expect(elements(r.out, 'testsuites')[0]?.attrs).toMatchObject({ tests: '3', failures: '1', errors: '1', skipped: '0' });
    const bad = elements(r.out, 'testsuite')[2];
    const errors = elements(bad?.inner ?? '', 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.attrs['type']).toBe('P102');
    expect(errors[0]?.attrs['message']).toBe("bad.mw:3:21: error[P102]: expected an expression, found ';'");
    expect(unescapeXml(errors[0]?.inner ?? '')).toContain('3 | thread P0 { r = 1 + ; }');
    // the diagnostic is also rendered on stderr for the log
    expect(r.err).toContain('error[P102]');
  });

  it('hostile test names, file names and messages stay well-formed and round-trip', async () => {
    const r = await run([HOSTILE, '--format', 'junit']);
    expect(r.code).toBe(EXIT.violation);
    expect(xmlProblem(r.out)).toBeNull();
    expect(elements(r.out, 'testsuite')[0]?.attrs['name']).toBe(HOSTILE);
    const json = JSON.parse((await run([HOSTILE, '--format', 'json'])).out) as { test: string; violations: { message: string }[] };
    // characters XML cannot carry are shown as \uXXXX; everything else round-trips
    const visible = (s: string): string => s.replace(/[\u0001\u001b]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(elements(r.out, 'testcase')[0]?.attrs['name']).toBe(`${visible(json.test)} [sc]`);
    const failure = elements(r.out, 'failure')[0];
    expect(failure?.attrs['message']).toBe(visible(json.violations[0]?.message ?? ''));
    expect(failure?.attrs['message']).toContain('x:y\r\nline2');
    expect(unescapeXml(failure?.inner ?? '')).toContain("bad <&> \"q\" 'a' ]]> %0A 100%, x:y");
    expect(r.out).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it('escapes: text, attributes, characters XML forbids, class names', () => {
    expect(xmlText('a<b>&c]]>')).toBe('a&lt;b&gt;&amp;c]]&gt;');
    expect(xmlAttr(`"'\t\n\r<&`)).toBe('&quot;&apos;&#9;&#10;&#13;&lt;&amp;');
    expect(xmlText('\u0000\u0008\uFFFF\uD800x\uD83D\uDE00')).toBe('\\u0000\\u0008\\uffff\\ud800x\uD83D\uDE00');
    for (const s of ['<>&"\'', '\u0001\u001b[0m', ']]>', '&amp;', '\uDC00']) {
      expect(xmlProblem(`<r a="${xmlAttr(s)}">${xmlText(s)}</r>`), JSON.stringify(s)).toBeNull();
    }
    expect(className('./examples/locks/ticket.mw')).toBe('examples.locks.ticket');
    expect(className('a\\b\\SB.litmus')).toBe('a.b.SB');
  });
});

// ------------------------------------------------------------------ GitHub

describe('check --format github', () => {
  it('peterson under tso: an ::error per violation at its source line, then a ::notice; exit 1', async () => {
    const r = await run([PETERSON, '--model', 'tso', '--format', 'github']);
    expect(r.code).toBe(EXIT.violation);
    const list = annotations(r.out);
    expect(list.map((a) => a.level)).toEqual(['error', 'error', 'notice']);
    const [mutex, condition, notice] = list;
    const critical = lineOf(PETERSON, /^\s*critical\b/);
    expect(mutex?.props).toEqual({ file: PETERSON, line: String(critical), col: '5', title: 'memweave mutex (tso)' });
    expect(r.out).toContain(`::error file=${PETERSON},line=${critical},col=5,title=memweave mutex (tso)::mutual exclusion violated`);
    expect(mutex?.message).toMatch(/^mutual exclusion violated in T\[1\] .*\nfinal state: .*\nreplay: memweave check examples\/locks\/peterson\.mw --model tso --replay mw1\.tso\.\S+$/);
    // a failed final condition points at the condition
    expect(condition?.props).toMatchObject({ file: PETERSON, line: String(lineOf(PETERSON, /^forall/)), col: '1', title: 'memweave condition (tso)' });
    expect(notice?.props).toEqual({ title: 'memweave check' });
    expect(notice?.message).toBe('1 file, 1 model check: 0 pass, 1 fail (2 violations), 0 inconclusive');
  });

  it('a data race is annotated at one racing access, naming the other; its trace ends at the race', async () => {
    const SB = 'examples/sb.mw';
    // the stateful engine's race trace (the default js route answers a racy program with the graph engine, below)
    const r = await run([SB, '--model', 'js', '--engine', 'state', '--format', 'github']);
    expect(r.code).toBe(EXIT.violation);
    const [race] = annotations(r.out);
    const load = lineOf(SB, /^\s*r0 = load\.plain\(y\)/);
    const store = lineOf(SB, /^\s*store\.plain\(y, 1\)/);
    expect(race?.props).toMatchObject({ file: SB, line: String(load), col: '3', title: 'memweave race (js)' });
    expect(race?.message).toContain(`store.plain(y, 1) at ${SB}:${store}`);
    const json = await run([SB, '--model', 'js', '--engine', 'state', '--format', 'json']);
    const trace = (JSON.parse(json.out) as { violations: { trace: { action: string; location: string; effect: string }[] }[] }).violations[0]!.trace;
    expect(trace.slice(-2).map((t) => [t.action, t.location])).toEqual([
      ['race', `${SB}:${load}`],
      ['race', `${SB}:${store}`],
    ]);
    expect(trace.at(-2)?.effect).toBe(`races with P1's store.plain(y, 1) at sb.mw:${store}`);
    // by default: the js model's own race (graph engine), annotated at the later access, naming the earlier
    const byDefault = await run([SB, '--model', 'js', '--format', 'github']);
    expect(byDefault.code).toBe(EXIT.violation);
    const [graphRace] = annotations(byDefault.out);
    const storeX = lineOf(SB, /^\s*store\.plain\(x, 1\)/);
    const loadX = lineOf(SB, /^\s*r0 = load\.plain\(x\)/);
    expect(graphRace?.props).toMatchObject({ file: SB, line: String(loadX), col: '3', title: 'memweave race (js)' });
    expect(graphRace?.message).toContain(`P0's write at ${SB}:${storeX} and P1's read at ${SB}:${loadX} are not ordered by happens-before`);
  });

  it('the same violation under several models is one annotation naming the models', async () => {
    const r = await run([PETERSON, '--model', 'all', '--format', 'github']);
    const errors = annotations(r.out).filter((a) => a.level === 'error');
    const titles = errors.map((a) => a.props['title']);
    // ra and rc11 (the graph engine) find the violation too; their mutex trace ends at the other thread's entry
    // js: peterson with plain flags races, so the js model itself answers, and finds what ra and rc11 find
    expect(titles).toEqual(['memweave mutex (tso, pso)', 'memweave condition (tso, pso, js, ra, rc11)', 'memweave mutex (js, ra, rc11)', 'memweave race (js)', 'memweave race (rc11)']);
    expect(errors[0]?.message).toMatch(/\nreplay \(tso\): .*--model tso .*\nfinal state \(pso\): .*\nreplay \(pso\): .*--model pso /);
  });

  it('a passing file gives only the notice; inconclusive is a ::warning at the test line', async () => {
    const ok = await run([TICKET, '--format', 'github']);
    expect(ok.code).toBe(EXIT.ok);
    expect(annotations(ok.out).map((a) => a.level)).toEqual(['notice']);
    const inc = await run([TICKET, '--max-states', '5', '--format', 'github']);
    expect(inc.code).toBe(EXIT.inconclusive);
    const [warning] = annotations(inc.out);
    expect(warning?.level).toBe('warning');
    expect(warning?.props).toMatchObject({ file: TICKET, line: String(lineOf(TICKET, /^test /)), col: '1', title: 'memweave inconclusive (sc)' });
    expect(warning?.message).toMatch(/^ticket: the states budget ran out/);
  });

  it('front-end errors become ::error annotations with file, line and column; exit 2', async () => {
    const r = await run([BAD, '--format', 'github']);
    expect(r.code).toBe(EXIT.usage);
    const [err, notice] = annotations(r.out);
    expect(err?.level).toBe('error');
    expect(err?.props).toMatchObject({ file: BAD, line: '3', col: '21', title: 'memweave P102' });
    expect(err?.message).toMatch(/^expected an expression, found ';'/);
    expect(notice?.message).toMatch(/1 file with input errors$/);
    expect(r.err).toContain(' --> bad.mw:3:21');
    // a malformed -D is a command-line error: annotated without a file
    const d = await run([TICKET, '-D', 'N', '--format', 'github']);
    expect(d.code).toBe(EXIT.usage);
    const [u] = annotations(d.out);
    expect(u?.props['title']).toBe('memweave U501');
    expect(u?.props['file']).toBe('<command line>');
  });

  it('escapes hostile file names and messages (%, CR, LF; in properties also : and ,)', async () => {
    const r = await run([HOSTILE, '--format', 'github']);
    expect(r.code).toBe(EXIT.violation);
    expect(r.out.split('\n').every((l) => l === '' || l.startsWith('::'))).toBe(true);
    expect(r.out).toContain('::error file=dir%2C x/we&ird<"n">%3A%25.mw,line=5,col=3,title=memweave assert (sc)::');
    const [a] = annotations(r.out);
    expect(a?.props['file']).toBe(HOSTILE);
    const json = JSON.parse((await run([HOSTILE, '--format', 'json'])).out) as { violations: { message: string }[] };
    // control characters never reach the log raw (cli/terminalSafe.ts): \u0001 is written out
    const written = (json.violations[0]?.message ?? '').replace(/\u0001/g, '\\u0001');
    expect(a?.message.split('\nfinal state: ')[0]).toBe(written);
    expect(a?.message).not.toMatch(/[\u0001\u001b]/);
    expect(a?.message).toContain('%0A 100%, x:y\r\nline2');
  });

  it('escaping functions follow the runner rules', () => {
    expect(escapeData('100% a\r\nb:c,d')).toBe('100%25 a%0D%0Ab:c,d');
    expect(escapeProperty('100% a\r\nb:c,d')).toBe('100%25 a%0D%0Ab%3Ac%2Cd');
    expect(escapeData('%0A')).toBe('%250A');
    expect(workflowCommand('warning', { file: 'a,b', line: 3, col: undefined }, 'm\nn')).toBe('::warning file=a%2Cb,line=3::m%0An\n');
    expect(workflowCommand('notice', {}, 'x')).toBe('::notice::x\n');
  });
});

// ------------------------------------------------------------------ several files and exit codes

describe('check with several files', () => {
  it('one combined exit code: input error 2 > violation 1 > inconclusive 3 > ok 0', async () => {
    const cases: [string[], number][] = [
      [[TICKET], EXIT.ok],
      [[TICKET, TICKET], EXIT.ok],
      [[TICKET, PETERSON, '--model', 'tso'], EXIT.violation],
      [[PETERSON, TICKET, '--model', 'tso'], EXIT.violation],
      [[TICKET, PETERSON, '--max-states', '50', '--model', 'tso'], EXIT.inconclusive],
      [[BAD, TICKET], EXIT.usage],
      [[PETERSON, BAD, '--model', 'tso'], EXIT.usage],
      [[TICKET, 'missing.mw'], EXIT.usage],
    ];
    for (const [argv, code] of cases) {
      for (const format of ['text', 'json', 'junit', 'github']) {
        const r = await run([...argv, '--format', format]);
        expect(r.code, `${argv.join(' ')} --format ${format}`).toBe(code);
      }
    }
    expect(combineExitCodes([0, 3, 1, 0])).toBe(1);
    expect(combineExitCodes([3, 0])).toBe(3);
    expect(combineExitCodes([1, 2, 3])).toBe(2);
    expect(combineExitCodes([])).toBe(0);
  });

  it('text: each file in turn under a header, then a tally; one file prints exactly as before', async () => {
    const both = await run([PETERSON, TICKET, BAD, '--model', 'tso']);
    expect(both.code).toBe(EXIT.usage);
    const alone = await run([PETERSON, '--model', 'tso']);
    const ticket = await run([TICKET, '--model', 'tso']);
    expect(alone.out).not.toContain('==>');
    expect(alone.out).not.toMatch(/^Files /m);
    expect(both.out).toBe(`==> ${PETERSON} <==\n${alone.out}\n==> ${TICKET} <==\n${ticket.out}\n==> ${BAD} <==\n\nFiles 3: 1 pass, 1 fail, 0 inconclusive, 1 input error\n`);
    expect(both.err).toContain('error[P102]');
  });

  it('json: one object per file under files[] with schemaVersion 1; one file keeps the single shape', async () => {
    const r = await run([TICKET, BAD, '--format', 'json']);
    expect(r.code).toBe(EXIT.usage);
    const parsed = JSON.parse(r.out) as { schemaVersion: number; files: { file: string; verdict?: string; ok?: boolean; diagnostics?: { code: string }[] }[] };
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.files.map((f) => f.file)).toEqual([TICKET, BAD]);
    expect(parsed.files[0]?.verdict).toBe('pass');
    expect(parsed.files[1]?.ok).toBe(false);
    expect(parsed.files[1]?.diagnostics?.[0]?.code).toBe('P102');
    const single = JSON.parse((await run([TICKET, '--format', 'json'])).out) as Record<string, unknown>;
    expect(Object.keys(single).slice(0, 3)).toEqual(['schemaVersion', 'test', 'model']);
    const badOnly = JSON.parse((await run([BAD, '--format', 'json'])).out) as Record<string, unknown>;
    expect(badOnly['ok']).toBe(false);
  });

  it('--replay takes exactly one file and a text or json format', async () => {
    for (const argv of [
      [TICKET, TICKET, '--replay', 'mw1.sc.AA'],
      [TICKET, '--replay', 'mw1.sc.AA', '--format', 'junit'],
      [TICKET, '--replay', 'mw1.sc.AA', '--summary', 's.md'],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(EXIT.usage);
      expect(r.err).toMatch(/--replay takes one FILE/);
    }
    const none = await run(['--format', 'junit']);
    expect(none.code).toBe(EXIT.usage);
    expect(none.err).toMatch(/missing FILE/);
    const badFormat = await run([TICKET, '--format', 'xml']);
    expect(badFormat.err).toMatch(/expected one of: text, json, junit, github/);
  });
});

// ------------------------------------------------------------------ --summary

describe('check --summary FILE', () => {
  const saved = process.env['GITHUB_STEP_SUMMARY'];
  afterEach(() => {
    if (saved === undefined) delete process.env['GITHUB_STEP_SUMMARY'];
    else process.env['GITHUB_STEP_SUMMARY'] = saved;
  });

  it('appends a Markdown table and each violation with its trace and replay command', async () => {
    const io = files({ 'summary.md': '# earlier step\n' });
    const r = await run([PETERSON, TICKET, BAD, '--model', 'tso', '--summary', 'summary.md'], io);
    expect(r.code).toBe(EXIT.usage);
    const md = io.written.get('summary.md') ?? '';
    expect(md.startsWith('# earlier step\n## memweave check\n')).toBe(true);
    expect(md).toContain('| file | test | model | verdict |');
    expect(md).toMatch(/^\| examples\/locks\/peterson\.mw \| peterson \| tso \| ❌ fail \| No \| 2 \| mutex, condition \| \d+ \| 0\.0 \|$/m);
    expect(md).toMatch(/^\| examples\/locks\/ticket\.mw \| ticket \| tso \| ✅ pass \| Ok \| 1 \| - \| \d+ \| 0\.0 \|$/m);
    expect(md).toMatch(/^\| bad\.mw \| \| \| ❌ input error \|/m);
    expect(md).toContain('### ❌ peterson \\[tso\\]: mutex');
    expect(md).toMatch(/```text\ntrace \(\d+ steps\):\n {4}# /);
    expect(md).toMatch(/```sh\nmemweave check examples\/locks\/peterson\.mw --model tso --replay mw1\.tso\.\S+\n```/);
    expect(md).toContain("3 | thread P0 { r = 1 + ; }");
    // the text output is unchanged by --summary
    const plain = await run([PETERSON, TICKET, BAD, '--model', 'tso']);
    expect(r.out).toBe(plain.out);
  });

  it('hostile text cannot break the table or close a fence early', async () => {
    const io = files();
    await run([HOSTILE, '--summary', 's.md'], io);
    const md = io.written.get('s.md') ?? '';
    const row = md.split('\n').find((l) => l.startsWith('| dir'));
    // seven unescaped pipes in the row's nine cells plus the borders: exactly ten
    expect((row ?? '').replace(/\\\|/g, '').split('|')).toHaveLength(11);
    expect(row).toContain('we&amp;ird&lt;"n"&gt;');
    expect(row).toContain('\\\\u001b');
    expect(md).not.toMatch(/[\u0001\u001b]/);
    // a rejected file's source line holds a run of four backticks: its fence is five long
    const io2 = files({ 'ticks.mw': 'test ticks\nthread P0 { r = 1 + ; } // ````\n' });
    await run(['ticks.mw', '--summary', 's.md'], io2);
    const md2 = io2.written.get('s.md') ?? '';
    expect(md2).toMatch(/^`````text\n[^`]*\| thread P0 \{ r = 1 \+ ; \} \/\/ ````\n[^`]*`````$/m);
    expect(fenced('a ``` b', 'text')).toBe('````text\na ``` b\n````\n');
    expect(markdownCell('a|b\nc<d>')).toBe('a\\|b c&lt;d&gt;');
  });

  it('GITHUB_STEP_SUMMARY alone writes nothing; an unwritable summary is exit 2', async () => {
    process.env['GITHUB_STEP_SUMMARY'] = 'step-summary.md';
    const io = files();
    const r = await run([TICKET], io);
    expect(r.code).toBe(EXIT.ok);
    expect(io.written.size).toBe(0);
    const ro = files({}, { writable: false });
    const w = await run([TICKET, '--summary', 'out.md'], ro);
    expect(w.code).toBe(EXIT.usage);
    expect(w.err).toMatch(/cannot write the summary to 'out\.md'/);
    const empty = await run([TICKET, '--summary', '']);
    expect(empty.code).toBe(EXIT.usage);
  });
});

describe('bad input exits 2 in every format', () => {
  it.each(['text', 'json', 'junit', 'github'])('--format %s', async (format) => {
    const r = await run([BAD, '--format', format, '--summary', 'x.md']);
    expect(r.code).toBe(EXIT.usage);
    if (format === 'junit') expect(xmlProblem(r.out)).toBeNull();
    if (format === 'github') expect(r.out).toMatch(/^::error file=bad\.mw,line=3,col=21,/m);
    expect(r.io.written.get('x.md')).toContain('input error');
  });
});

describe('front-end warnings', () => {
  it('are ::warning annotations (github) and <system-err> (junit) next to the verdicts', async () => {
    const gh = await run([WARN, '--format', 'github']);
    const list = annotations(gh.out);
    expect(list[0]?.level).toBe('warning');
    expect(list[0]?.props).toMatchObject({ file: WARN, line: '5', col: '3', title: 'memweave S311' });
    expect(gh.err).toContain('warning[S311]');
    const ju = await run([WARN, '--format', 'junit']);
    expect(ju.code).toBe(gh.code);
    expect(xmlProblem(ju.out)).toBeNull();
    expect(unescapeXml(elements(ju.out, 'system-err')[0]?.inner ?? '')).toContain('warning[S311]: unreachable code');
  });
});
