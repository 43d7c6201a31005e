/** Tests for cli/render.ts: rustc-style rendering, fallbacks for bad spans, JSON conversion. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diag, type Diagnostic } from '../../../model/diagnostics/diagnostic.js';
import { NO_SPAN, SourceFile } from '../../../model/syntax/source.js';
import { diagnosticsToJson, renderDiagnostic, renderDiagnostics, summarizeDiagnostics } from '../../../cli/render.js';

const SEED = Number(process.env['MEMWEAVE_SEED'] ?? 20240601);
const TEXT = 'test SB\nshared x = 0;\nthread P0 {\n  r0 = load.sc(y);\n}\n';
const FILE = new SourceFile('sb.mw', TEXT);
const plain = { color: false };

function at(start: number, end: number) {
  return FILE.span(start, end);
}

describe('renderDiagnostic', () => {
  it('prints header, arrow, gutter, source line and carets under the span', () => {
    const off = TEXT.indexOf('y);');
    const d = diag('N201', 'sb.mw', at(off, off + 1), "undefined shared location 'y'", { help: 'declare it, e.g. shared y = 0;' });
    expect(renderDiagnostic(d, FILE, plain)).toBe(
      [
        "error[N201]: undefined shared location 'y'",
        ' --> sb.mw:4:16',
        '  |',
        '4 |   r0 = load.sc(y);',
        '  |                ^',
        '  = help: declare it, e.g. shared y = 0;',
        '',
      ].join('\n'),
    );
  });

  it('underlines the whole span on its line', () => {
    const off = TEXT.indexOf('load.sc(y)');
    const out = renderDiagnostic(diag('S301', 'sb.mw', at(off, off + 'load.sc(y)'.length), 'bad'), FILE, plain);
    expect(out.split('\n')[4]).toBe('  |        ' + '^'.repeat(10));
  });

  it('clips a multi-line span to its first line', () => {
    const off = TEXT.indexOf('thread');
    const out = renderDiagnostic(diag('P103', 'sb.mw', at(off, TEXT.length), 'm'), FILE, plain);
    expect(out.split('\n').slice(3, 5)).toEqual(['3 | thread P0 {', '  | ' + '^'.repeat('thread P0 {'.length)]);
  });

  it('draws one caret for an empty span, including at the end of the file', () => {
    const out = renderDiagnostic(diag('P101', 'sb.mw', at(TEXT.length, TEXT.length), 'expected }'), FILE, plain);
    expect(out).toContain(' --> sb.mw:6:1');
    expect(out.split('\n').slice(3, 5)).toEqual(['6 |', '  | ^']);
  });

  it('widens the gutter for two-digit line numbers', () => {
    const f = new SourceFile('big.mw', 'x\n'.repeat(11) + 'bad\n');
    const out = renderDiagnostic(diag('E001', 'big.mw', f.span(22, 23), 'c'), f, plain);
    expect(out.split('\n').slice(1, 5)).toEqual(['  --> big.mw:12:1', '   |', '12 | bad', '   | ^']);
  });

  it('expands tabs so the carets stay under the span', () => {
    const f = new SourceFile('t.mw', '\tr = @;\n');
    const out = renderDiagnostic(diag('E001', 't.mw', f.span(5, 6), 'c'), f, plain);
    const lines = out.split('\n');
    expect(lines[3]).toBe('1 |     r = @;');
    expect(lines[4]).toBe('  |         ^');
    expect(lines[3]?.indexOf('@')).toBe(lines[4]?.indexOf('^'));
  });

  it('renders related notes with their own snippet', () => {
    const f = new SourceFile('d.mw', 'shared x = 0;\nshared x = 1;\n');
    const d = diag('N202', 'd.mw', f.span(21, 22), "duplicate declaration of 'x'", { related: [{ span: f.span(7, 8), message: 'first declared here' }] });
    expect(renderDiagnostic(d, f, plain)).toBe(
      [
        "error[N202]: duplicate declaration of 'x'",
        ' --> d.mw:2:8',
        '  |',
        '2 | shared x = 1;',
        '  |        ^',
        'note: first declared here',
        ' --> d.mw:1:8',
        '  |',
        '1 | shared x = 0;',
        '  |        -',
        '',
      ].join('\n'),
    );
  });

  it('falls back to a location line for spans that do not fit the file', () => {
    for (const span of [
      { start: -1, end: 2, line: 1, col: 1 },
      { start: 9999, end: 10000, line: 40, col: 2 },
      { start: 5, end: 2, line: 1, col: 6 },
      { start: Number.NaN, end: 1, line: 1, col: 1 },
    ]) {
      const out = renderDiagnostic(diag('P101', 'sb.mw', span, 'msg'), FILE, plain);
      expect(out.startsWith('error[P101]: msg\n')).toBe(true);
      expect(out).not.toContain('|');
    }
    expect(renderDiagnostic(diag('P101', 'sb.mw', { start: 9999, end: 10000, line: 40, col: 2 }, 'msg'), FILE, plain)).toContain(' --> sb.mw:40:2');
  });

  it('shows no snippet for another file, and no location for file-less diagnostics', () => {
    expect(renderDiagnostic(diag('P101', 'other.mw', at(0, 4), 'm'), FILE, plain)).toBe('error[P101]: m\n --> other.mw:1:1\n');
    expect(renderDiagnostic(diag('U501', '', NO_SPAN, 'bad -D'), null, plain)).toBe(
      'error[U501]: bad -D\n  = help: write -D NAME=VALUE with an integer VALUE, e.g. -D N=3\n',
    );
    expect(renderDiagnostic(diag('U503', 'gone.mw', NO_SPAN, 'cannot read'), null, plain)).toBe('error[U503]: cannot read\n --> gone.mw\n');
  });

  it('turns extra message lines into notes', () => {
    expect(renderDiagnostic(diag('U503', '', NO_SPAN, 'first\nsecond'), null, plain)).toBe('error[U503]: first\n  = note: second\n');
  });

  it('colours only when asked', () => {
    const d = diag('S311', 'sb.mw', at(0, 4), 'unreachable');
    expect(renderDiagnostic(d, FILE, plain)).not.toContain('\x1b[');
    const coloured = renderDiagnostic(d, FILE, { color: true });
    expect(coloured).toContain('\x1b[1;33mwarning[S311]\x1b[0m');
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(renderDiagnostic(d, FILE, plain));
  });

  it('never throws, whatever the span (property)', () => {
    const anyNum = fc.oneof(fc.integer({ min: -5, max: TEXT.length + 5 }), fc.constantFrom(Number.NaN, Infinity, -Infinity, 1.5));
    const prop = fc.property(anyNum, anyNum, anyNum, anyNum, fc.boolean(), (start, end, line, col, color) => {
      const d: Diagnostic = { code: 'P101', severity: 'error', message: 'm', file: 'sb.mw', span: { start, end, line, col }, related: [{ span: { start: end, end: start, line, col }, message: 'r' }] };
      const out = renderDiagnostic(d, FILE, { color });
      const stripped = out.replace(/\x1b\[[0-9;]*m/g, '');
      return stripped.startsWith('error[P101]: m\n') && out.endsWith('\n');
    });
    try {
      fc.assert(prop, { seed: SEED, numRuns: 500 });
    } catch (e) {
      console.error(`render property failed with MEMWEAVE_SEED=${SEED}`);
      throw e;
    }
  });

  it('survives a malformed diagnostic object', () => {
    const broken = { code: 'P101', severity: 'error', message: 'm', file: 'sb.mw', span: null } as unknown as Diagnostic;
    expect(renderDiagnostic(broken, FILE, plain)).toBe('error[P101]: m\n --> sb.mw\n');
  });
});

describe('renderDiagnostics and summaries', () => {
  it('separates diagnostics by a blank line and counts them', () => {
    const list = [diag('P101', '', NO_SPAN, 'a'), diag('S311', '', NO_SPAN, 'b'), diag('P102', '', NO_SPAN, 'c')];
    expect(renderDiagnostics(list, null, plain)).toBe('error[P101]: a\n\nwarning[S311]: b\n\nerror[P102]: c\n');
    expect(summarizeDiagnostics(list)).toBe('2 errors, 1 warning');
    expect(summarizeDiagnostics([])).toBe('');
    expect(renderDiagnostics([], null, plain)).toBe('');
  });
});

describe('diagnosticsToJson', () => {
  it('gives start and end positions from the file, and help when present', () => {
    const off = TEXT.indexOf('load.sc(y)');
    const d = diag('N201', 'sb.mw', at(off, off + 10), 'm', { help: 'h' });
    expect(diagnosticsToJson([d], FILE)).toEqual([{ code: 'N201', severity: 'error', message: 'm', file: 'sb.mw', line: 4, col: 8, endLine: 4, endCol: 18, help: 'h' }]);
  });

  it('works without the file, and for multi-line spans', () => {
    const off = TEXT.indexOf('thread');
    const d = diag('P103', 'sb.mw', at(off, TEXT.length), 'm');
    expect(diagnosticsToJson([d], FILE)[0]).toMatchObject({ line: 3, col: 1, endLine: 6, endCol: 1 });
    expect(diagnosticsToJson([d])[0]).toMatchObject({ line: 3, col: 1, endLine: 3, endCol: 1 + (TEXT.length - off) });
    expect(diagnosticsToJson([d])[0]).not.toHaveProperty('help');
  });

  it('includes related locations', () => {
    const d = diag('N202', 'sb.mw', at(20, 21), 'dup', { related: [{ span: at(15, 16), message: 'first' }] });
    expect(diagnosticsToJson([d], FILE)[0]?.related).toEqual([{ message: 'first', line: 2, col: 8 }]);
  });
});
