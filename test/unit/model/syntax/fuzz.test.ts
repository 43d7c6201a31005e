/**
 * Fuzzing the front end: parseMw never throws, and every diagnostic it returns has a catalogued
 * code and a span inside the text. Inputs: token soup, raw random strings, and token-level
 * mutations of generated programs and of the parse fixtures. Seeded; the seed is printed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../../../model/diagnostics/codes.js';
import { parseMw } from '../../../../model/syntax/parser.js';
import { printProgram } from '../../../../model/syntax/printer.js';
import { SourceFile } from '../../../../model/syntax/source.js';
import { arbProgram } from '../../../arbitraries/ast.js';
import { arbMutatedSource, arbTokenSoup } from '../../../arbitraries/mutate.js';

const SEED = Number(process.env['MEMWEAVE_SEED'] ?? 7_031_337);
const FIXTURES = join(import.meta.dirname, '../../../fixtures/parse');

/** Parse `text` and check the invariants; returns nothing, fails by expect. */
function checkParse(text: string): void {
  const file = new SourceFile('fuzz.mw', text);
  const { program, diagnostics } = parseMw(file);
  for (const d of diagnostics) {
    expect(Object.hasOwn(DIAGNOSTIC_CODES, d.code), `unknown code ${d.code}`).toBe(true);
    expect(d.file).toBe('fuzz.mw');
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
    expect(d.span.line).toBeGreaterThanOrEqual(1);
    expect(d.span.col).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
  }
  // printing never throws either, and a program that parsed cleanly prints stably
  const printed = printProgram(program);
  if (diagnostics.length === 0) expect(printProgram(parseMw(new SourceFile('again.mw', printed)).program)).toBe(printed);
}

function run(name: string, arb: fc.Arbitrary<string>, numRuns: number): void {
  try {
    fc.assert(fc.property(arb, checkParse), { seed: SEED, numRuns });
  } catch (e) {
    console.error(`fuzz '${name}' failed; rerun with MEMWEAVE_SEED=${SEED}`);
    throw e;
  }
}

describe(`parser fuzz (seed ${SEED})`, () => {
  it('token soup: 4000 inputs', () => run('soup', arbTokenSoup, 4000));
  it('raw strings, any code units: 1500 inputs', () => run('raw', fc.string({ unit: 'binary', maxLength: 200 }), 1500));
  it('mutated generated programs: 3500 inputs', () => run('mutated-arb', arbMutatedSource(arbProgram.map(printProgram)), 3500));
  it('mutated fixtures: 1500 inputs', () => {
    const sources = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.mw'))
      .sort()
      .map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
    expect(sources.length).toBeGreaterThanOrEqual(10);
    run('mutated-fixtures', arbMutatedSource(fc.constantFrom(...sources)), 1500);
  });
  it('deep nesting is reported, not a stack overflow', () => {
    const cases = [
      `param N = ${'('.repeat(50_000)}1${')'.repeat(50_000)};`,
      `param N = ${'-'.repeat(50_000)}1;`,
      `param N = ${'1 + '.repeat(50_000)}1;`,
      `thread P {${'if (x) {'.repeat(20_000)}${'}'.repeat(20_000)}}`,
      `thread P {${'critical {'.repeat(20_000)}`,
      `exists (${'~'.repeat(50_000)}x=1)`,
      `exists (${'('.repeat(50_000)}x=1${')'.repeat(50_000)})`,
      `exists (${'x=1 /\\ '.repeat(50_000)}x=1)`,
      `thread P { r = load.sc(a[${'load.sc(a['.repeat(30_000)}`,
      '{'.repeat(100_000),
    ];
    for (const text of cases) {
      checkParse(text);
      const { diagnostics } = parseMw(new SourceFile('deep.mw', text));
      expect(diagnostics.some((d) => d.message.includes('nesting too deep') || d.code === 'P104'), text.slice(0, 40)).toBe(true);
    }
  });
});
