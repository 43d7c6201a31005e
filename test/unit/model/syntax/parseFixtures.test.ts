/**
 * Golden parse fixtures: each test/fixtures/parse/NAME.mw has NAME.expected holding the canonical
 * print, a `----` line, then one line per diagnostic `CODE line:col message` (or `(none)`).
 * Rewrite the .expected files with MEMWEAVE_PROMOTE=1 and review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMw } from '../../../../model/syntax/parser.js';
import { printProgram } from '../../../../model/syntax/printer.js';
import { SourceFile } from '../../../../model/syntax/source.js';

const DIR = join(import.meta.dirname, '../../../fixtures/parse');
const PROMOTE = process.env['MEMWEAVE_PROMOTE'] === '1';

/** The golden text for one source: canonical print, separator, diagnostics. */
export function goldenText(name: string, text: string): string {
  const { program, diagnostics } = parseMw(new SourceFile(name, text));
  const diags = diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`);
  return `${printProgram(program)}----\n${diags.length === 0 ? '(none)' : diags.join('\n')}\n`;
}

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.mw'))
  .sort();

describe('parse fixtures', () => {
  it('there are at least ten of them', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });
  for (const f of fixtures) {
    it(f, () => {
      const actual = goldenText(f, readFileSync(join(DIR, f), 'utf8'));
      const expectedPath = join(DIR, f.replace(/\.mw$/, '.expected'));
      if (PROMOTE) {
        writeFileSync(expectedPath, actual);
        return;
      }
      expect(existsSync(expectedPath), `${expectedPath} missing: run with MEMWEAVE_PROMOTE=1`).toBe(true);
      expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
    });
  }
  it('error-free fixtures print to text that parses back to the same print', () => {
    for (const f of fixtures.filter((n) => !n.startsWith('err_'))) {
      const text = readFileSync(join(DIR, f), 'utf8');
      const first = parseMw(new SourceFile(f, text));
      expect(first.diagnostics, f).toEqual([]);
      const printed = printProgram(first.program);
      expect(printProgram(parseMw(new SourceFile(f, printed)).program), f).toBe(printed);
    }
  });
  it('error fixtures report several diagnostics each', () => {
    for (const f of fixtures.filter((n) => n.startsWith('err_'))) {
      const { diagnostics } = parseMw(new SourceFile(f, readFileSync(join(DIR, f), 'utf8')));
      expect(diagnostics.length, f).toBeGreaterThanOrEqual(3);
    }
  });
});
