/** docs/diagnostics.md is generated from the catalogue and the golden examples; keep it current. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../../model/diagnostics/codes.js';
import { loadExamples, renderDiagnosticsDoc } from '../../../scripts/gen-docs.mjs';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('docs/diagnostics.md', () => {
  it('is current (run `npm run docs` when this fails)', () => {
    const expected = renderDiagnosticsDoc(DIAGNOSTIC_CODES, loadExamples(ROOT));
    const committed = readFileSync(join(ROOT, 'docs', 'diagnostics.md'), 'utf8');
    expect(committed).toBe(expected);
  });

  it('documents every code with its title, severity and help', () => {
    const doc = renderDiagnosticsDoc(DIAGNOSTIC_CODES, {});
    for (const [code, entry] of Object.entries(DIAGNOSTIC_CODES)) {
      expect(doc).toContain(`### ${code}\n\n**${entry.title}** (${entry.severity})`);
      if ('help' in entry) expect(doc).toContain(`Help: ${entry.help}`);
    }
  });

  it('changes when the catalogue changes (the comparison can fail)', () => {
    const base = renderDiagnosticsDoc(DIAGNOSTIC_CODES, {});
    const more = renderDiagnosticsDoc({ ...DIAGNOSTIC_CODES, Z999: { severity: 'error', title: 'made up' } }, {});
    expect(more).not.toBe(base);
    const withExample = renderDiagnosticsDoc(DIAGNOSTIC_CODES, { E001: { inputName: 'E001.mw', input: 'x @\n', output: 'error[E001]: …\n' } });
    expect(withExample).toContain('Example: `E001.mw`\n\n```text\nx @\n```\n\nprints\n\n```text\nerror[E001]: …\n```');
  });
});
