/**
 * Issue 13's evidence: mutated and generated inputs through every command, in process, covering
 * the classes the issue found — deep nesting (parentheses, blocks, `~`, `not`, `exists`), long
 * flat chains, floods of bad bytes, a byte-order mark and CR or CRLF line ends, control
 * characters, Object.prototype names, hostile option values — on top of token-level mutations
 * of the examples and token soup. Asserted for every input: no exit 70 and nothing thrown; every
 * rejection carries a catalogued code with a position (`file:line:col`, or `<command line>` for
 * usage); JSON output parses; no control character reaches the output raw; and the output stays
 * within a bound linear in the input (the per-input work bound; exploring commands also run
 * with `--max-states`).
 *
 * Runs: MEMWEAVE_FUZZ_RUNS inputs in all, 100,000 by default (the issue's 10^5 per run), each a
 * distinct generated input through the front end and one command in process, in two parts:
 *  - the bulk (all but 2%): mutated examples, token soup and the small forms of every class
 *    (nesting to 40 levels, chains of 40, floods of 300 bytes, BOM and line ends, control
 *    characters, Object.prototype names) through `parse` (text, JSON, `--ir`, `-D`), `fmt`, and
 *    `check`, `graph` and `report` with `--max-states 10` and hostile option values: most such
 *    inputs stop at the front end (the commands' diagnostics path), the rest explore 10 states;
 *  - the heavy part (2%, at least 1): every class at full size (nesting to 3,000, floods of
 *    6,000 bytes) through every command with `--max-states 300`, and one input in 200 of it
 *    also through `run` or `conform` on real workers, which start and end them within the call.
 * Measured on a 2-core machine shared with other work: the default run takes about 40 s of CPU
 * (38 s user, 2 s system; bulk 32 s, about 0.3 ms an input once warm; heavy 6 s, 3 ms an
 * input). The counts per command are printed and the total asserted. Every input's CPU time is
 * bounded by PER_INPUT_CPU_MS, over ten thousand times the mean (see `oneInput`): a quadratic blow-up
 * (issue 13's 20 KB of `@` took 33 s) fails it, scheduling noise does not,
 * since CPU time does not count time spent waiting. Seed printed; MEMWEAVE_SEED replays a run
 * (the bulk uses the seed + 2, the front-end-only case the seed + 1).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { DIAGNOSTIC_CODES } from '../../../model/diagnostics/codes.js';
import { compileSource } from '../../../model/frontend.js';
import { validateIr } from '../../../model/irValidate.js';
import { arbMutatedSource, arbTokenSoup } from '../../arbitraries/mutate.js';
import { assertSeeded, seedFromEnv } from '../../arbitraries/irProgram.js';
import { walkFiles } from '../../support/programs.js';
import { fakeIo } from '../cli/fakeIo.js';

const SEED = seedFromEnv(0x1313);
/** inputs per suite run by default: the issue's 10^5 */
const DEFAULT_RUNS = 100_000;
const RUNS = Number(process.env['MEMWEAVE_FUZZ_RUNS'] || String(DEFAULT_RUNS));
if (!Number.isSafeInteger(RUNS) || RUNS < 1) throw new Error(`MEMWEAVE_FUZZ_RUNS must be a positive integer, got ${JSON.stringify(process.env['MEMWEAVE_FUZZ_RUNS'])}`);
/** the heavy part's share of the inputs (at least one) */
const HEAVY_RUNS = Math.max(1, Math.round(RUNS * 0.02));
const BULK_RUNS = RUNS - HEAVY_RUNS;
/** CPU time one input may take in process (the mean is under 10 ms): see the header */
const PER_INPUT_CPU_MS = 5_000;
const ROOT = new URL('../../../', import.meta.url).pathname;

const files = (ext: string): string[] => walkFiles(`${ROOT}examples`).filter((p) => p.endsWith(ext));
const MW = files('.mw').map((p) => readFileSync(p, 'utf8'));
const LITMUS = files('.litmus').map((p) => readFileSync(p, 'utf8'));

// ------------------------------------------------------------------ the input classes

/** Sizes of the classes: small (the bulk) or full (the heavy part: past the parsers' 200-level guard, floods of 6,000 bytes). */
interface Sizes {
  readonly depth: fc.Arbitrary<number>;
  readonly flood: number;
}
const SMALL: Sizes = { depth: fc.integer({ min: 1, max: 40 }), flood: 300 };
const FULL: Sizes = { depth: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 180, max: 220 }), fc.integer({ min: 300, max: 3000 })), flood: 6000 };

/** Deeply nested text of one kind, to splice into a program. */
const arbDeep = (size: Sizes): fc.Arbitrary<string> => fc.tuple(fc.constantFrom('paren', 'brace', 'tilde', 'not', 'minus', 'bang', 'exists', 'star'), size.depth).map(([kind, n]) => {
  switch (kind) {
    case 'paren':
      return `${'('.repeat(n)}1${')'.repeat(n)}`;
    case 'brace':
      return `${'{'.repeat(n)}${'}'.repeat(n)}`;
    case 'tilde':
      return `${'~'.repeat(n)}x=1`;
    case 'not':
      return `${'not '.repeat(n)}x=1`;
    case 'minus':
      return `${'- '.repeat(n)}1`;
    case 'bang':
      return `${'!'.repeat(n)}1`;
    case 'exists':
      return `exists ${'('.repeat(n)}x=1${')'.repeat(n)}`;
    default:
      return `*${'('.repeat(n)}x${')'.repeat(n)}`;
  }
});

/** A long flat chain of one operator. */
const arbChain = (size: Sizes): fc.Arbitrary<string> => fc.tuple(fc.constantFrom(' /\\ ', ' \\/ ', ' => ', ' + ', ' && ', ' * '), fc.constantFrom('x=1', '0:EAX=0', 'P0:r0=0', '1', 'r0'), size.depth).map(([op, term, n]) => Array(n).fill(term).join(op));

/** A flood of one bad byte, or of short bad lines. */
const arbFlood = (size: Sizes): fc.Arbitrary<string> => fc.tuple(fc.constantFrom('@', '#', '`', '\u0000', '$', '@ ', '\u001b', ')'), fc.integer({ min: 50, max: size.flood }), fc.boolean()).map(([c, n, lines]) => (lines ? Array(Math.ceil(n / 10)).fill(c.repeat(10)).join('\n') : c.repeat(n)));

const CONTROLS = ['\u0000', '\u0007', '\u0008', '\u001b', '\u001b[2J', '\u001b]0;t\u0007', '\u007f', '\u009b', '\u202e', '\u2066', '\r', '\u000c'];
const PROTO = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'];

/** Where to put a splice: anywhere, as a whole statement, as an expression, or as a condition. */
function splice(base: string, at: number, piece: string): string {
  const i = base.length === 0 ? 0 : at % (base.length + 1);
  return base.slice(0, i) + piece + base.slice(i);
}

/** A corpus program with one class-specific change. */
function arbClassInput(corpus: readonly string[], size: Sizes): fc.Arbitrary<string> {
  const base = fc.constantFrom(...corpus);
  const arbDeepS = arbDeep(size);
  const arbChainS = arbChain(size);
  const arbFloodS = arbFlood(size);
  return fc.oneof(
    fc.tuple(base, fc.nat(), arbDeepS).map(([b, at, d]) => splice(b, at, d)),
    fc.tuple(base, fc.nat(), arbChainS).map(([b, at, c]) => splice(b, at, c)),
    fc.tuple(base, arbDeepS).map(([b, d]) => b.replace(/exists\s*\(/, `exists (${d} /\\ `)),
    fc.tuple(base, arbChainS).map(([b, c]) => b.replace(/exists\s*\(/, `exists (${c} /\\ `)),
    fc.tuple(base, arbDeepS).map(([b, d]) => b.replace(/=\s*/, `= ${d} + `)),
    fc.tuple(base, fc.nat(), arbFloodS).map(([b, at, f]) => splice(b, at, f)),
    arbFloodS,
    fc.tuple(base, fc.constantFrom('\ufeff', ''), fc.constantFrom('\r', '\r\n', '\n', '\n\r')).map(([b, bom, eol]) => bom + b.replace(/\r?\n/g, eol)),
    fc.tuple(base, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...CONTROLS)), { minLength: 1, maxLength: 4 })).map(([b, cs]) => cs.reduce((t, [at, c]) => splice(t, at, c), b)),
    fc.tuple(base, fc.constantFrom(...PROTO)).map(([b, name]) => {
      // rename one name everywhere it occurs (a location, register, param or thread)
      const names = [...new Set(b.match(/\b[A-Za-z_][A-Za-z0-9_]*\b/g) ?? [])].filter((n) => n.length <= 3);
      const from = names[name.length % Math.max(1, names.length)];
      return from === undefined ? b : b.replace(new RegExp(`\\b${from}\\b`, 'g'), name);
    }),
  );
}

/** One input: a file name and its text. */
const arbInput = (size: Sizes): fc.Arbitrary<{ name: string; text: string }> =>
  fc.oneof(
    { weight: 3, arbitrary: arbMutatedSource(fc.constantFrom(...MW)).map((text) => ({ name: 'f.mw', text })) },
    { weight: 2, arbitrary: arbMutatedSource(fc.constantFrom(...LITMUS)).map((text) => ({ name: 'f.litmus', text })) },
    { weight: 1, arbitrary: arbTokenSoup.map((text) => ({ name: 'soup.mw', text })) },
    { weight: 4, arbitrary: arbClassInput(MW, size).map((text) => ({ name: 'c.mw', text })) },
    { weight: 3, arbitrary: arbClassInput(LITMUS, size).map((text) => ({ name: 'c.litmus', text })) },
  );

/** Option values that must be refused cleanly (or taken), never crash. */
const arbHostileValue = fc.constantFrom('-5', '-1', '0', '1.5', 'abc', '', '1e309', '9007199254740993', '4294967296', '2147483648', '100000000', '-0x10', '--', '__proto__');

/** A command line for the input file `name`: every command, with bounded work. */
const arbCommand = (name: string): fc.Arbitrary<readonly string[]> =>
  fc.oneof(
    fc.constant(['parse', name]),
    fc.constant(['parse', name, '--format', 'json']),
    fc.constant(['parse', name, '--ir']),
    fc.constant(['fmt', name]),
    fc.constant(['fmt', name, '--check']),
    fc.constantFrom('sc', 'tso', 'pso', 'js', 'ra', 'rc11', 'all').map((m) => ['check', name, '--model', m, '--max-states', '300']),
    fc.constant(['check', name, '--max-states', '300', '--format', 'json']),
    fc.constant(['check', name, '--max-states', '300', '--format', 'junit']),
    fc.constant(['check', name, '--max-states', '300', '--format', 'github', '--summary', 's.md']),
    fc.constantFrom('x=0', 'P0:r0=0; P1:r0=0', '0:EAX=0; 1:EAX=0', '__proto__=1').map((o) => ['graph', name, '--outcome', o, '--max-states', '300']),
    fc.constant(['report', name, '--max-states', '300', '--max-pictures', '1', '-o', 'r.html']),
    // every run stays bounded by work (the fake io's clock stands still, so a time limit bounds
    // nothing here): a hostile --max-states (2^31 is accepted) comes with a small memory budget
    fc.tuple(fc.constantFrom('--max-states', '--buffer-bound', '--max-memory', '--time-limit'), arbHostileValue).map(([o, v]) => (o === '--max-states' ? ['check', name, o, v, '--max-memory', '16'] : ['check', name, o, v, '--max-states', '300'])),
    fc.tuple(fc.constantFrom('-D', '--define'), fc.constantFrom('__proto__=7', 'constructor=1', 'N=-2147483648', 'N=x', '=1', 'N=99999999999', 'toString=3')).map(([o, d]) => ['parse', name, o, d]),
  );

/** The bulk's command lines: every command but the worker ones, each exploring command with `--max-states 10`. */
const arbBulkCommand = (name: string): fc.Arbitrary<readonly string[]> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(['parse', name]) },
    { weight: 3, arbitrary: fc.constant(['parse', name, '--format', 'json']) },
    { weight: 1, arbitrary: fc.constant(['parse', name, '--ir']) },
    { weight: 2, arbitrary: fc.constant(['fmt', name]) },
    { weight: 1, arbitrary: fc.constant(['fmt', name, '--check']) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('-D', '--define'), fc.constantFrom('__proto__=7', 'constructor=1', 'N=-2147483648', 'N=x', '=1', 'N=99999999999', 'toString=3')).map(([o, d]) => ['parse', name, o, d]) },
    { weight: 2, arbitrary: fc.constantFrom('sc', 'tso', 'pso', 'js', 'ra', 'rc11', 'all').map((m) => ['check', name, '--model', m, '--max-states', '10']) },
    { weight: 1, arbitrary: fc.constantFrom('json', 'junit', 'github').map((f) => ['check', name, '--max-states', '10', '--format', f, ...(f === 'github' ? ['--summary', 's.md'] : [])]) },
    { weight: 1, arbitrary: fc.constantFrom('x=0', 'P0:r0=0; P1:r0=0', '0:EAX=0; 1:EAX=0', '__proto__=1').map((o) => ['graph', name, '--outcome', o, '--max-states', '10']) },
    { weight: 1, arbitrary: fc.constantFrom('dot', 'mermaid').map((f) => ['graph', name, '--format', f, '--max-states', '10']) },
    // one model: no outcome differs between models, so no picture is drawn (the heavy part draws them)
    { weight: 1, arbitrary: fc.constantFrom('sc', 'tso', 'ra').map((m) => ['report', name, '--model', m, '--max-states', '10', '-o', 'r.html']) },
    {
      weight: 2,
      // a hostile --max-states the options refuse (one they take, 10^8, explores to a memory budget: the heavy part's)
      arbitrary: fc.oneof(
        fc.tuple(fc.constantFrom('check', 'graph', 'report'), fc.constantFrom('--buffer-bound', '--max-memory', '--time-limit'), arbHostileValue).map(([c, o, v]) => [c, name, o, v, '--max-states', '10']),
        fc.tuple(fc.constantFrom('check', 'graph', 'report'), fc.constantFrom('-5', '-1', '0', '1.5', 'abc', '', '1e309', '-0x10', '--', '__proto__')).map(([c, v]) => [c, name, '--max-states', v]),
      ).map((a) => (a[0] === 'report' ? [...a, '-o', 'r.html'] : a)),
    },
  );

/** The count of command runs per command name (and form), for the printed tally. */
class Tally {
  private readonly counts = new Map<string, number>();
  /** inputs that compiled, so their exploring command explored */
  explored = 0;
  /** inputs that took longer than PER_INPUT_CPU_MS by the clock, run again under process.cpuUsage */
  rerun = 0;
  add(args: readonly string[]): void {
    const key = args[0] === 'parse' && args.includes('json') ? 'parse --format json' : args[0] === 'parse' && args.includes('--ir') ? 'parse --ir' : (args[0] ?? '?');
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  text(): string {
    return [...this.counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  }
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// ------------------------------------------------------------------ the checks

const RAW_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

/**
 * The per-input checks, without vitest's `expect` on the passing path: an `expect` costs tens of
 * microseconds, and there are a dozen per input here, 10^5 times; a failure throws with its
 * message (built only then), which fast-check reports with the seed and the shrunk input.
 */
function must(ok: boolean, message: () => string): void {
  if (!ok) throw new Error(message());
}

/** Every diagnostic catalogued and positioned, the IR valid when there is one; whether the input compiled. */
function checkFrontEnd(name: string, text: string): boolean {
  const r = compileSource(name, text);
  for (const d of r.diagnostics) {
    must(Object.hasOwn(DIAGNOSTIC_CODES, d.code), () => `unknown code ${d.code}`);
    must(d.span.start >= 0 && d.span.start <= d.span.end && d.span.line >= 1 && d.span.col >= 1, () => `${d.code} at ${JSON.stringify(d.span)}`);
  }
  if (r.ir === null) must(r.diagnostics.some((d) => d.severity === 'error'), () => 'no IR and no error');
  else {
    const problems = validateIr(r.ir);
    must(problems.length === 0, () => `invalid IR: ${JSON.stringify(problems)}`);
  }
  return r.ir !== null;
}

const CODED = /error\[[EPNSHUR]\d{3}\]|"code": "[EPNSHUR]\d{3}"|\b[EPNSHUR]\d{3}\b/;
const CRASHED = /internal error|RangeError|Maximum call stack|\n\s+at .+:\d+:\d+\)?\n/;
const positioned = new Map<string, RegExp>();

/** Every check on one command run; `work` counts the output characters (the per-input bound). */
async function checkCommand(args: string[], name: string, text: string): Promise<number> {
  const io = fakeIo({ files: { [name]: text }, diskRoot: ROOT });
  const code = await main(args, io);
  const where = (): string => `${args.map((a) => JSON.stringify(a)).join(' ')} on ${JSON.stringify(text.slice(0, 200))}`;
  must(code !== 70, () => `exit 70: ${where()}\n${io.err.slice(0, 2000)}`);
  must(code === 0 || code === 1 || code === 2 || code === 3, () => `exit ${code}: ${where()}`);
  must(!CRASHED.test(io.err), () => `a crash on stderr: ${where()}\n${io.err.slice(0, 2000)}`);
  must(!RAW_CONTROL.test(io.out) && !RAW_CONTROL.test(io.err), () => `raw control character: ${where()}`);
  if (code === 2) {
    // a rejection is coded, and positioned in the file or on the command line
    // rendered (`error[P102]`), JSON (`"code": "P102"`) or a CI format (JUnit, GitHub) naming it
    const all = io.err + io.out;
    let at = positioned.get(name);
    if (at === undefined) positioned.set(name, (at = new RegExp(`--> (${name.replace('.', '\\.')}:\\d+(:\\d+)?|<command line>)|"line": \\d+|line=\\d+`)));
    must(CODED.test(all), () => `a rejection without a code: ${where()}\n${all.slice(0, 2000)}`);
    must(at.test(all), () => `a rejection without a position: ${where()}\n${all.slice(0, 2000)}`);
  }
  if (args.includes('json') && io.out !== '') {
    try {
      JSON.parse(io.out);
    } catch (e) {
      must(false, () => `JSON does not parse (${String(e)}): ${where()}`);
    }
  }
  const work = io.out.length + io.err.length + [...io.written.values()].reduce((a, w) => a + w.length, 0);
  // output linear in the input: diagnostics are capped and clipped, IR origins are bounded
  must(work < 2_000_000 + 400 * text.length, () => `output of ${work} characters: ${where()}`);
  return work;
}

const EXPLORING = new Set(['check', 'graph', 'report', 'run', 'conform']);

/** The front end and one command on an input. */
async function frontEndAndCommand(args: readonly string[], name: string, text: string): Promise<boolean> {
  const compiled = checkFrontEnd(name, text);
  await checkCommand([...args], name, text);
  return compiled;
}

/**
 * The front end and one command on an input, within the per-input CPU bound; whether it compiled.
 * The main thread's CPU time cannot exceed the time elapsed, so an input done within the bound by
 * `performance.now()` is within it by CPU, without a getrusage call per input (about 40 µs each
 * under vitest: 8 s over 10^5 inputs); one that took longer (a loaded machine, or a real blow-up)
 * is run again under process.cpuUsage, which does not count time spent waiting — the commands are
 * deterministic in process (the fake io's clock stands still), so the rerun does the same work.
 */
async function oneInput(args: readonly string[], name: string, text: string, tally: Tally): Promise<boolean> {
  const t0 = performance.now();
  const compiled = await frontEndAndCommand(args, name, text);
  tally.add(args);
  if (compiled && EXPLORING.has(args[0] ?? '')) tally.explored++;
  if (performance.now() - t0 >= PER_INPUT_CPU_MS) {
    tally.rerun++;
    const c0 = cpuMs();
    await frontEndAndCommand(args, name, text);
    const ms = cpuMs() - c0;
    must(ms < PER_INPUT_CPU_MS, () => `${ms.toFixed(0)} ms of CPU on ${args.join(' ')} (${text.length} characters)`);
  }
  return compiled;
}

function failedWith(seed: number): (e: unknown) => never {
  return (e: unknown) => {
    console.error(`[commandFuzz] failed (fast-check seed ${seed}; rerun with MEMWEAVE_SEED=${SEED}${process.env['MEMWEAVE_FUZZ_RUNS'] ? ` MEMWEAVE_FUZZ_RUNS=${RUNS}` : ''})`);
    throw e;
  };
}

describe('every command on mutated and generated inputs', () => {
  const tally = new Tally();
  /** inputs through the front end and a command, per part */
  let bulkInputs = 0;
  let heavyInputs = 0;

  it(`the bulk: ${BULK_RUNS} small inputs through parse, fmt, check, graph and report (seed ${SEED + 2})`, async () => {
    console.log(`[commandFuzz] seed ${SEED}, ${RUNS} inputs (MEMWEAVE_FUZZ_RUNS): ${BULK_RUNS} in the bulk, ${HEAVY_RUNS} heavy`);
    let rejected = 0;
    const t0 = cpuMs();
    await fc
      .assert(
        fc.asyncProperty(
          arbInput(SMALL).chain((i) => fc.tuple(fc.constant(i), arbBulkCommand(i.name))),
          async ([{ name, text }, args]) => {
            bulkInputs++;
            if (!(await oneInput(args, name, text, tally))) rejected++;
          },
        ),
        { seed: SEED + 2, numRuns: BULK_RUNS },
      )
      .catch(failedWith(SEED + 2));
    expect(bulkInputs).toBe(BULK_RUNS);
    expect(rejected).toBeGreaterThan(BULK_RUNS / 10);
    console.log(`[commandFuzz] bulk: ${BULK_RUNS} inputs, ${rejected} rejected by the front end, ${((cpuMs() - t0) / 1000).toFixed(1)} s of CPU`);
  }, 600_000);

  it(`the heavy part: ${HEAVY_RUNS} full-size inputs through every command, some on workers (seed ${SEED}); ${RUNS} inputs in all`, async () => {
    let rejected = 0;
    let workers = 0;
    const t0 = cpuMs();
    await fc
      .assert(
        fc.asyncProperty(arbInput(FULL).chain((i) => fc.tuple(fc.constant(i), arbCommand(i.name), fc.noBias(fc.integer({ min: 0, max: 399 })))), async ([{ name, text }, args, pick]) => {
          heavyInputs++;
          if (!(await oneInput(args, name, text, tally))) rejected++;
          if (pick < 2) {
            workers++;
            const w = pick === 0 ? ['run', name, '-n', '20', '--stall-ms', '60000'] : ['conform', name, '-n', '20', '--max-states', '300'];
            await checkCommand(w, name, text);
            tally.add(w);
          }
        }),
        { seed: SEED, numRuns: HEAVY_RUNS },
      )
      .catch(failedWith(SEED));
    expect(heavyInputs).toBe(HEAVY_RUNS);
    expect(rejected).toBeGreaterThan(HEAVY_RUNS / 10);
    const inputs = bulkInputs + heavyInputs;
    console.log(`[commandFuzz] heavy: ${HEAVY_RUNS} inputs, ${rejected} rejected by the front end, ${workers} also run on workers, ${((cpuMs() - t0) / 1000).toFixed(1)} s of CPU`);
    console.log(`[commandFuzz] ${inputs} inputs; command runs: ${tally.text()}; ${tally.explored} explored (compiled, through an exploring command); ${tally.rerun} past ${PER_INPUT_CPU_MS} ms by the clock, rerun under process.cpuUsage`);
    // the totals, when the bulk ran before (vitest runs a file's cases in order; `-t heavy` skips it)
    if (bulkInputs === 0) return;
    expect(inputs).toBe(RUNS);
    if (process.env['MEMWEAVE_FUZZ_RUNS'] === undefined || process.env['MEMWEAVE_FUZZ_RUNS'] === '') expect(inputs).toBeGreaterThanOrEqual(100_000);
    // every command ran, and exploring ones explored (with the default count, and with any count of 10,000 or more)
    if (RUNS >= 10_000) {
      for (const c of ['parse', 'parse --format json', 'parse --ir', 'fmt', 'check', 'graph', 'report']) expect(tally.get(c), c).toBeGreaterThan(0);
      expect(tally.explored).toBeGreaterThan(RUNS / 200);
    }
  }, 600_000);

  it(`the front end alone on the same input classes (seed ${SEED + 1})`, () => {
    assertSeeded(fc.property(arbInput(FULL), ({ name, text }) => void checkFrontEnd(name, text)), SEED + 1, Math.min(RUNS, 2000));
  });
});
