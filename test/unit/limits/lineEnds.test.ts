/**
 * Issue 13, byte-order mark and line endings: a UTF-8 BOM is accepted (it was E001 in .mw and
 * H401 in .litmus), and CR-only line endings are line endings (a `//` comment used to swallow the
 * rest of the program), with lines and columns counted as an editor does.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { compileSource } from '../../../model/frontend.js';
import { normaliseSourceText } from '../../../model/syntax/source.js';
import { fakeIo } from '../cli/fakeIo.js';

const MW = ['test lines;', '// a comment', 'shared x = 0;', 'thread P0 {', '  r0 = load.sc(x);', '}', 'exists (P0:r0 = 0)', ''];
const LITMUS = ['X86 SB', '"a doc string"', '{ x=0; y=0; }', ' P0          | P1          ;', ' MOV [x],$1  | MOV [y],$1  ;', ' MOV EAX,[y] | MOV EAX,[x] ;', 'exists (0:EAX=0 /\\ 1:EAX=0)', ''];

function codes(name: string, text: string): string[] {
  return compileSource(name, text).diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.col}`);
}

describe('byte-order mark and line endings', () => {
  for (const [what, lines, name] of [['.mw', MW, 'a.mw'], ['.litmus', LITMUS, 'a.litmus']] as const) {
    for (const [ending, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']] as const) {
      for (const bom of ['', '\ufeff']) {
        it(`${what} with ${ending} line ends${bom === '' ? '' : ' and a BOM'} compiles to the same IR as plain LF`, () => {
          const plain = compileSource(name, lines.join('\n'));
          const variant = compileSource(name, bom + lines.join(eol));
          expect(codes(name, bom + lines.join(eol))).toEqual([]);
          expect(variant.ir?.threads.map((t) => t.code.length)).toEqual(plain.ir?.threads.map((t) => t.code.length));
          expect(variant.ir?.condition?.text).toBe(plain.ir?.condition?.text);
        });
      }
    }
  }

  it('positions after CR-only line ends count lines and columns', () => {
    // line 5 is "  r0 = load.sc(y);" with an undeclared y at column 16
    const text = '\ufeff' + [...MW.slice(0, 4), '  r0 = load.sc(y);', ...MW.slice(5)].join('\r');
    expect(codes('a.mw', text)).toEqual(['N201@5:16']);
  });

  it('an error on the first line after a BOM is at column 1, not 2', () => {
    expect(codes('a.mw', '\ufeff@')).toEqual(['E001@1:1']);
  });

  it('normaliseSourceText keeps offsets after the mark', () => {
    expect(normaliseSourceText('a\rb\r\nc\n')).toBe('a\nb\r\nc\n');
    expect(normaliseSourceText('\ufeffx')).toBe('x');
    expect(normaliseSourceText('x\ufeff')).toBe('x\ufeff');
  });

  it('check runs a CR-only file with a BOM (in process)', async () => {
    const io = fakeIo({ files: { 'a.mw': '\ufeff' + MW.join('\r') } });
    expect(await main(['check', 'a.mw'], io)).toBe(0);
    expect(io.err).toBe('');
    expect(io.out).toContain('lines');
  });
});
