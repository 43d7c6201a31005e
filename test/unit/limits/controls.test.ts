/**
 * Issue 13, control characters: ESC, BEL, NUL, other C0 and C1 controls, DEL and bidirectional
 * overrides that a program holds (in its name, strings, comments, assertion messages) never reach
 * the terminal raw, through any command: the printer writes them as `\uXXXX` (which a .mw string
 * reads back), the diagnostic renderer escapes what it shows, and every byte a command prints
 * passes cli/terminalSafe.ts. memweave's own colour and progress sequences still pass.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { renderDiagnostic } from '../../../cli/render.js';
import { terminalSafe, terminalSafeIo } from '../../../cli/terminalSafe.js';
import { compileSource } from '../../../model/frontend.js';
import { diag } from '../../../model/diagnostics/diagnostic.js';
import { isUnsafeControl } from '../../../model/syntax/controls.js';
import { parseMw } from '../../../model/syntax/parser.js';
import { printProgram, printString } from '../../../model/syntax/printer.js';
import { SourceFile } from '../../../model/syntax/source.js';
import { fakeIo } from '../cli/fakeIo.js';

const CONTROLS: readonly (readonly [string, string])[] = [
  ['ESC', '\x1b'],
  ['BEL', '\x07'],
  ['NUL', '\x00'],
  ['backspace', '\x08'],
  ['DEL', '\x7f'],
  ['C1 CSI', '\x9b'],
  ['right-to-left override', '\u202e'],
  ['first strong isolate', '\u2068'],
];

/** Any character that must not reach a terminal raw (a lone CR included). */
const RAW = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

/** Programs that hold `c` where a command prints it. */
const programs = (c: string): Record<string, string> => ({
  'name.mw': `test "evil${c}[2Jname";\ndescription "d${c}]0;title${c}\\\\";\nshared x = 0;\nthread P0 { r = load.sc(x); }\nexists (P0:r = 0)\n`,
  'assert.mw': `test t;\nshared x = 0;\nthread P0 {\n  r = load.sc(x);\n  assert (r == 1, "boom${c}[2J\\r");\n}\n`,
  'comment.mw': `test t;\n// a comment ${c} here\nshared x = 0;\nthread P0 { r = load.sc(x); }\n`,
  'bad.mw': `test "n${c}";\nshared x = 0;\nthread P0 { r = load.sc(x) + ; }\n`,
  'doc.litmus': `X86 T${c}x\n"doc ${c} string"\n{ x=0; }\n P0          ;\n MOV [x],$1  ;\nexists (x=1)\n`,
  'badname.litmus': `X86 T\n{ x=0; }\n P0          ;\n MOV${c} [x],$1  ;\nexists (x=1)\n`,
});

const COMMANDS: readonly (readonly string[])[] = [['parse'], ['parse', '--format', 'json'], ['parse', '--ir'], ['fmt'], ['check'], ['check', '--format', 'json'], ['check', '--model', 'all'], ['graph', '--outcome', 'P0:r=0']];

describe('control characters never reach the terminal raw', () => {
  for (const [what, c] of CONTROLS) {
    it(`${what}: every command, text and JSON, stdout and stderr`, async () => {
      for (const [name, text] of Object.entries(programs(c))) {
        for (const cmd of COMMANDS) {
          const io = fakeIo({ files: { [name]: text } });
          const code = await main([cmd[0] ?? '', name, ...cmd.slice(1)], io);
          expect(code, `${cmd.join(' ')} ${name}\n${io.err}`).not.toBe(70);
          expect(RAW.test(io.out), `${cmd.join(' ')} ${name} stdout`).toBe(false);
          expect(RAW.test(io.err), `${cmd.join(' ')} ${name} stderr`).toBe(false);
        }
      }
    });

    it(`${what}: parse prints a string holding it as \\uXXXX, and that parses back to the same string`, async () => {
      const text = programs(c)['name.mw'] ?? '';
      const io = fakeIo({ files: { 'name.mw': text } });
      expect(await main(['parse', 'name.mw'], io)).toBe(0);
      const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
      expect(io.out).toContain(`test "evil\\u${hex}[2Jname"`);
      const again = parseMw(new SourceFile('again.mw', io.out));
      expect(again.diagnostics).toEqual([]);
      expect(again.program.name).toBe(`evil${c}[2Jname`);
      expect(printProgram(again.program)).toBe(io.out);
    });
  }

  it('run on real workers prints the test name and a failed assertion escaped', async () => {
    const text = `test "evil\x1b[2J";\nshared x = 0;\nthread P0 {\n  r = load.sc(x);\n  assert (r == 1, "boom\x07\x1b]0;t\x07");\n}\n`;
    const io = fakeIo({ files: { 'a.mw': text } });
    expect(await main(['run', 'a.mw', '--iterations', '20'], io)).toBe(1);
    expect(io.out + io.err).toContain('boom\\u0007\\u001b]0;t\\u0007');
    expect(RAW.test(io.out) || RAW.test(io.err)).toBe(false);
  });

  it('JSON keeps the meaning: an escaped assertion message parses back to the original', async () => {
    const io = fakeIo({ files: { 'assert.mw': programs('\u202e')['assert.mw'] ?? '' } });
    expect(await main(['check', 'assert.mw', '--format', 'json'], io)).toBe(1);
    expect(RAW.test(io.out)).toBe(false);
    const j = JSON.parse(io.out) as { violations: { message: string }[] };
    expect(j.violations[0]?.message).toContain('boom\u202e[2J\r');
  });

  it("the program's name in the IR is printable: controls written out, an empty name is the file's", async () => {
    expect(compileSource('a.mw', programs('\x1b')['name.mw'] ?? '').ir?.name).toBe('evil\\u001b[2Jname');
    expect(compileSource('dir/e.mw', 'test "";\nshared x = 0;\nthread P0 { r = load.sc(x); }\n').ir?.name).toBe('e');
    // run validates the IR before compiling it for workers: both used to be internal errors (exit 70)
    for (const text of ['test "";\nshared x = 0;\nthread P0 { r = load.sc(x); }\n', 'test "a\tb\x1b";\nshared x = 0;\nthread P0 { r = load.sc(x); }\n']) {
      const io = fakeIo({ files: { 'e.mw': text } });
      expect(await main(['run', 'e.mw', '--iterations', '5'], io), io.err).toBe(0);
    }
  });

  it('tab, line feed and carriage return are not controls to escape in source; CRLF passes', () => {
    expect([9, 10, 13].map(isUnsafeControl)).toEqual([false, false, false]);
    expect(terminalSafe('a\tb\r\nc\n', { color: false, rewrite: false })).toBe('a\tb\r\nc\n');
    expect(terminalSafe('ok\rFAKE', { color: false, rewrite: false })).toBe('ok\\rFAKE');
  });
});

describe('terminalSafe lets through only memweave\'s own sequences, where it writes them', () => {
  it('colour codes pass only with colour on; anything else is escaped', () => {
    expect(terminalSafe('\x1b[1;31merror\x1b[0m', { color: true, rewrite: false })).toBe('\x1b[1;31merror\x1b[0m');
    expect(terminalSafe('\x1b[1;31merror\x1b[0m', { color: false, rewrite: false })).toBe('\\u001b[1;31merror\\u001b[0m');
    for (const evil of ['\x1b[2J', '\x1b]0;title\x07', '\x1b[8m', '\x1b]8;;http://x\x1b\\', '\x1b[10A', '\x1bc']) {
      expect(RAW.test(terminalSafe(evil, { color: true, rewrite: true })), JSON.stringify(evil)).toBe(false);
    }
  });

  it("check's progress rewrite passes on a terminal's stderr only", () => {
    expect(terminalSafe('\r\x1b[K[sc] states 1', { color: false, rewrite: true })).toBe('\r\x1b[K[sc] states 1');
    expect(terminalSafe('\r\x1b[K[sc] states 1', { color: false, rewrite: false })).toBe('\\r\\u001b[K[sc] states 1');
  });

  it('terminalSafeIo wraps both streams and keeps the rest of the io', () => {
    const raw = fakeIo({ files: { a: 'b' } });
    const io = terminalSafeIo(raw);
    io.stdout('x\x07');
    io.stderr('y\x00');
    expect(raw.out).toBe('x\\u0007');
    expect(raw.err).toBe('y\\u0000');
    expect(io.readFile('a')).toBe('b');
  });

  it('printString escapes controls the lexer reads back', () => {
    expect(printString('a\x1bb\u202e')).toBe('"a\\u001bb\\u202e"');
    const ds = compileSource('t.mw', 'test "\\u001b\\u00zz";\nshared x = 0;\nthread P0 { r = load.sc(x); }\n').diagnostics;
    expect(ds.map((d) => `${d.code}@${d.span.line}:${d.span.col}`)).toEqual(['E001@1:13']);
  });
});

describe('the renderer escapes what it shows', () => {
  it('source line, message, help and file name, with carets still under the span', () => {
    const file = new SourceFile('f\x1b.mw', 'a\x1bb\u202ec X\n');
    const d = diag('E001', 'f\x1b.mw', file.span(6, 7), 'bad \x07 thing', { help: 'no \x00 here' });
    const out = renderDiagnostic(d, file, { color: false });
    expect(RAW.test(out)).toBe(false);
    expect(out).toContain('error[E001]: bad \\u0007 thing');
    expect(out).toContain('--> f\\u001b.mw:1:7');
    expect(out).toContain('= help: no \\u0000 here');
    const lines = out.split('\n');
    const src = lines.find((l) => l.startsWith('1 |')) ?? '';
    expect(src).toBe('1 | a\\u001bb\\u202ec X');
    expect(lines[lines.indexOf(src) + 1]?.indexOf('^')).toBe(src.indexOf('X'));
  });

  it('colour escapes memweave adds itself stay', () => {
    const file = new SourceFile('f.mw', 'x\n');
    expect(renderDiagnostic(diag('E001', 'f.mw', file.span(0, 1), 'm'), file, { color: true })).toContain('\x1b[1;31m');
  });
});
