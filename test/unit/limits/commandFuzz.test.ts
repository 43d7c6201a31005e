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
 * Runs: MEMWEAVE_FUZZ_RUNS inputs. The default, 2,000, keeps this file near 40 s on a 2-core
 * machine shared with other work (about 20 ms per input, most of it in `check`, `graph` and
 * `report`); the issue asks 10^5 per run, which does not fit the suite's budget: run
 * `MEMWEAVE_FUZZ_RUNS=100000 npx vitest run test/unit/limits/commandFuzz.test.ts` (about 35
 * minutes there). Seed printed; MEMWEAVE_SEED replays a run. Every input goes through the front end and
 * one command; one input in 200 also goes through `run` or `conform` on real workers, which
 * start and end their workers within the call.
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
const RUNS = Number(process.env['MEMWEAVE_FUZZ_RUNS'] || '2000');
if (!Number.isSafeInteger(RUNS) || RUNS < 1) throw new Error(`MEMWEAVE_FUZZ_RUNS must be a positive integer, got ${JSON.stringify(process.env['MEMWEAVE_FUZZ_RUNS'])}`);
const ROOT = new URL('../../../', import.meta.url).pathname;

const files = (ext: string): string[] => walkFiles(`${ROOT}examples`).filter((p) => p.endsWith(ext));
const MW = files('.mw').map((p) => readFileSync(p, 'utf8'));
const LITMUS = files('.litmus').map((p) => readFileSync(p, 'utf8'));

// ------------------------------------------------------------------ the input classes

const arbDepth = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 180, max: 220 }), fc.integer({ min: 300, max: 3000 }));

/** Deeply nested text of one kind, to splice into a program. */
const arbDeep: fc.Arbitrary<string> = fc.tuple(fc.constantFrom('paren', 'brace', 'tilde', 'not', 'minus', 'bang', 'exists', 'star'), arbDepth).map(([kind, n]) => {
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
const arbChain: fc.Arbitrary<string> = fc.tuple(fc.constantFrom(' /\\ ', ' \\/ ', ' => ', ' + ', ' && ', ' * '), fc.constantFrom('x=1', '0:EAX=0', 'P0:r0=0', '1', 'r0'), arbDepth).map(([op, term, n]) => Array(n).fill(term).join(op));

/** A flood of one bad byte, or of short bad lines. */
const arbFlood: fc.Arbitrary<string> = fc.tuple(fc.constantFrom('@', '#', '`', '\u0000', '$', '@ ', '\u001b', ')'), fc.integer({ min: 50, max: 6000 }), fc.boolean()).map(([c, n, lines]) => (lines ? Array(Math.ceil(n / 10)).fill(c.repeat(10)).join('\n') : c.repeat(n)));

const CONTROLS = ['\u0000', '\u0007', '\u0008', '\u001b', '\u001b[2J', '\u001b]0;t\u0007', '\u007f', '\u009b', '\u202e', '\u2066', '\r', '\u000c'];
const PROTO = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'];

/** Where to put a splice: anywhere, as a whole statement, as an expression, or as a condition. */
function splice(base: string, at: number, piece: string): string {
  const i = base.length === 0 ? 0 : at % (base.length + 1);
  return base.slice(0, i) + piece + base.slice(i);
}

/** A corpus program with one class-specific change. */
function arbClassInput(corpus: readonly string[]): fc.Arbitrary<string> {
  const base = fc.constantFrom(...corpus);
  return fc.oneof(
    fc.tuple(base, fc.nat(), arbDeep).map(([b, at, d]) => splice(b, at, d)),
    fc.tuple(base, fc.nat(), arbChain).map(([b, at, c]) => splice(b, at, c)),
    fc.tuple(base, arbDeep).map(([b, d]) => b.replace(/exists\s*\(/, `exists (${d} /\\ `)),
    fc.tuple(base, arbChain).map(([b, c]) => b.replace(/exists\s*\(/, `exists (${c} /\\ `)),
    fc.tuple(base, arbDeep).map(([b, d]) => b.replace(/=\s*/, `= ${d} + `)),
    fc.tuple(base, fc.nat(), arbFlood).map(([b, at, f]) => splice(b, at, f)),
    arbFlood,
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
const arbInput: fc.Arbitrary<{ name: string; text: string }> = fc.oneof(
  { weight: 3, arbitrary: arbMutatedSource(fc.constantFrom(...MW)).map((text) => ({ name: 'f.mw', text })) },
  { weight: 2, arbitrary: arbMutatedSource(fc.constantFrom(...LITMUS)).map((text) => ({ name: 'f.litmus', text })) },
  { weight: 1, arbitrary: arbTokenSoup.map((text) => ({ name: 'soup.mw', text })) },
  { weight: 4, arbitrary: arbClassInput(MW).map((text) => ({ name: 'c.mw', text })) },
  { weight: 3, arbitrary: arbClassInput(LITMUS).map((text) => ({ name: 'c.litmus', text })) },
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

// ------------------------------------------------------------------ the checks

const RAW_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

function checkFrontEnd(name: string, text: string): void {
  const r = compileSource(name, text);
  for (const d of r.diagnostics) {
    expect(Object.hasOwn(DIAGNOSTIC_CODES, d.code), `unknown code ${d.code}`).toBe(true);
    expect(d.span.start >= 0 && d.span.start <= d.span.end && d.span.line >= 1 && d.span.col >= 1, `${d.code} at ${JSON.stringify(d.span)}`).toBe(true);
  }
  if (r.ir === null) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  else expect(validateIr(r.ir)).toEqual([]);
}

/** Every check on one command run; `work` counts the output characters (the per-input bound). */
async function checkCommand(args: string[], name: string, text: string): Promise<number> {
  const io = fakeIo({ files: { [name]: text }, diskRoot: ROOT });
  const code = await main(args, io);
  const where = `${args.map((a) => JSON.stringify(a)).join(' ')} on ${JSON.stringify(text.slice(0, 200))}`;
  expect(code, `${where}\n${io.err.slice(0, 2000)}`).not.toBe(70);
  expect([0, 1, 2, 3], where).toContain(code);
  expect(io.err, where).not.toMatch(/internal error|RangeError|Maximum call stack|\n\s+at .+:\d+:\d+\)?\n/);
  expect(RAW_CONTROL.test(io.out) || RAW_CONTROL.test(io.err), `raw control character: ${where}`).toBe(false);
  if (code === 2) {
    // a rejection is coded, and positioned in the file or on the command line
    // rendered (`error[P102]`), JSON (`"code": "P102"`) or a CI format (JUnit, GitHub) naming it
    expect(io.err + io.out, where).toMatch(/error\[[EPNSHUR]\d{3}\]|"code": "[EPNSHUR]\d{3}"|\b[EPNSHUR]\d{3}\b/);
    expect(io.err + io.out, where).toMatch(new RegExp(`--> (${name.replace('.', '\\.')}:\\d+(:\\d+)?|<command line>)|"line": \\d+|line=\\d+`));
  }
  if (args.includes('json') && io.out !== '') expect(() => JSON.parse(io.out) as unknown, where).not.toThrow();
  const work = io.out.length + io.err.length + [...io.written.values()].reduce((a, w) => a + w.length, 0);
  // output linear in the input: diagnostics are capped and clipped, IR origins are bounded
  expect(work, `output of ${work} characters: ${where}`).toBeLessThan(2_000_000 + 400 * text.length);
  return work;
}

describe('every command on mutated and generated inputs', () => {
  it(`${RUNS} inputs: no exit 70, nothing thrown, every rejection coded and positioned (seed ${SEED})`, async () => {
    console.log(`[commandFuzz] fast-check seed ${SEED}, ${RUNS} inputs (MEMWEAVE_FUZZ_RUNS)`);
    let inputs = 0;
    let rejected = 0;
    let workers = 0;
    await fc.assert(
      fc.asyncProperty(arbInput.chain((i) => fc.tuple(fc.constant(i), arbCommand(i.name), fc.noBias(fc.integer({ min: 0, max: 399 })))), async ([{ name, text }, args, pick]) => {
        inputs++;
        checkFrontEnd(name, text);
        await checkCommand([...args], name, text);
        if (compileSource(name, text).ir === null) rejected++;
        if (pick < 2) {
          workers++;
          await checkCommand(pick === 0 ? ['run', name, '-n', '20', '--stall-ms', '60000'] : ['conform', name, '-n', '20', '--max-states', '300'], name, text);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    ).catch((e: unknown) => {
      console.error(`[commandFuzz] failed with seed ${SEED} (rerun with MEMWEAVE_SEED=${SEED})`);
      throw e;
    });
    expect(inputs).toBe(RUNS);
    expect(rejected).toBeGreaterThan(RUNS / 10);
    console.log(`[commandFuzz] ${inputs} inputs, ${rejected} rejected by the front end, ${workers} also run on workers`);
  }, 600_000);

  it(`the front end alone on the same input classes (seed ${SEED + 1})`, () => {
    assertSeeded(fc.property(arbInput, ({ name, text }) => checkFrontEnd(name, text)), SEED + 1, Math.min(RUNS, 2000));
  });
});
