/**
 * Issue 13, diagnostics that grow with the input: text output renders the first
 * MAX_RENDERED_DIAGNOSTICS and counts the rest, JSON carries the first MAX_JSON_DIAGNOSTICS and
 * `omittedDiagnostics`, and a long source line is shown as a window around the span. Bounded by
 * output size (linear in the number shown), not by time.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { MAX_JSON_DIAGNOSTICS, MAX_RENDERED_DIAGNOSTICS, MAX_SHOWN_LINE, renderDiagnostic, renderDiagnostics } from '../../../cli/render.js';
import { diag } from '../../../model/diagnostics/diagnostic.js';
import { SourceFile } from '../../../model/syntax/source.js';
import { fakeIo } from '../cli/fakeIo.js';

const AT = '@'.repeat(20_000);

describe('diagnostics capped', () => {
  it('text: a 20 KB file of @ prints the first diagnostics, "and M more", the full count, in bounded space', async () => {
    const io = fakeIo({ files: { 'at.mw': AT } });
    expect(await main(['parse', 'at.mw'], io)).toBe(2);
    expect(io.err.match(/error\[E001\]/g)).toHaveLength(MAX_RENDERED_DIAGNOSTICS);
    expect(io.err).toContain(`… and ${20_000 - MAX_RENDERED_DIAGNOSTICS} more diagnostics (only the first ${MAX_RENDERED_DIAGNOSTICS} are shown)`);
    expect(io.err).toContain('20000 errors');
    expect(io.err.length).toBeLessThan(MAX_RENDERED_DIAGNOSTICS * 400);
  });

  it('json: the first MAX_JSON_DIAGNOSTICS and omittedDiagnostics, in bounded space', async () => {
    const io = fakeIo({ files: { 'at.mw': AT } });
    expect(await main(['parse', 'at.mw', '--format', 'json'], io)).toBe(2);
    const j = JSON.parse(io.out) as { ok: boolean; diagnostics: { code: string; line: number; col: number }[]; omittedDiagnostics?: number };
    expect(j.ok).toBe(false);
    expect(j.diagnostics).toHaveLength(MAX_JSON_DIAGNOSTICS);
    expect(j.omittedDiagnostics).toBe(20_000 - MAX_JSON_DIAGNOSTICS);
    expect(j.diagnostics[999]).toMatchObject({ code: 'E001', line: 1, col: 1000 });
    expect(io.out.length).toBeLessThan(MAX_JSON_DIAGNOSTICS * 400);
  });

  it('json: no omittedDiagnostics field when nothing was left out', async () => {
    const io = fakeIo({ files: { 'at.mw': '@@' } });
    expect(await main(['parse', 'at.mw', '--format', 'json'], io)).toBe(2);
    expect(JSON.parse(io.out)).not.toHaveProperty('omittedDiagnostics');
  });

  it('check --format json with several files caps each file', async () => {
    const io = fakeIo({ files: { 'a.mw': AT, 'b.mw': '@' } });
    await main(['check', 'a.mw', 'b.mw', '--format', 'json'], io);
    expect(io.out.length).toBeLessThan(2 * MAX_JSON_DIAGNOSTICS * 400);
    expect(io.out).toContain(`"omittedDiagnostics": ${20_000 - MAX_JSON_DIAGNOSTICS}`);
  });

  it('exactly MAX_RENDERED_DIAGNOSTICS prints no "more" line', () => {
    const file = new SourceFile('f.mw', '@'.repeat(MAX_RENDERED_DIAGNOSTICS));
    const list = Array.from({ length: MAX_RENDERED_DIAGNOSTICS }, (_, i) => diag('E001', 'f.mw', file.span(i, i + 1), 'x'));
    expect(renderDiagnostics(list, file, { color: false })).not.toContain('more diagnostic');
  });
});

describe('long source lines clipped around the span', () => {
  const line = 'a'.repeat(5000) + 'XYZ' + 'b'.repeat(5000);
  const file = new SourceFile('f.mw', `first\n${line}\nlast\n`);
  const at = 6 + 5000;

  it('shows a window with … on both sides and the carets under the span', () => {
    const out = renderDiagnostic(diag('E001', 'f.mw', file.span(at, at + 3), 'here'), file, { color: false });
    const lines = out.split('\n');
    const src = lines.find((l) => l.startsWith('2 |')) ?? '';
    const carets = lines[lines.indexOf(src) + 1] ?? '';
    expect(src.length).toBeLessThan(MAX_SHOWN_LINE + 12);
    expect(src).toMatch(/^2 \| …a+XYZb+…$/);
    expect(carets.indexOf('^^^')).toBe(src.indexOf('XYZ'));
    expect(out).toContain('--> f.mw:2:5001');
  });

  it('clips at the start of a long line without a leading …', () => {
    const out = renderDiagnostic(diag('E001', 'f.mw', file.span(6, 7), 'here'), file, { color: false });
    const src = out.split('\n').find((l) => l.startsWith('2 |')) ?? '';
    expect(src).toMatch(/^2 \| a+…$/);
    expect(src.length).toBeLessThan(MAX_SHOWN_LINE + 12);
  });

  it('never cuts a surrogate pair at either end of the window', () => {
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (let shift = 0; shift < 4; shift++) {
      const text = 'a'.repeat(shift) + '\u{1F600}'.repeat(300) + '\n';
      const f = new SourceFile('e.mw', text);
      for (const at of [shift + 200, shift + 201, shift + 90, shift + 91]) {
        const out = renderDiagnostic(diag('E001', 'e.mw', f.span(at, at + 1), 'x'), f, { color: false });
        expect(out, `shift ${shift} at ${at}`).not.toMatch(lone);
      }
    }
  });

  it('leaves a short line as it is', () => {
    const f = new SourceFile('g.mw', 'r = 1 + ;\n');
    expect(renderDiagnostic(diag('P102', 'g.mw', f.span(8, 9), 'expected an expression'), f, { color: false })).toContain('1 | r = 1 + ;\n  |         ^');
  });
});
