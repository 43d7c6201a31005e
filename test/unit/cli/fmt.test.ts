/**
 * `memweave fmt` with comments, in-process through main() with a fake CliIo: --write and --check on
 * commented files, refusal on syntax errors, and `fmt --check` on every file under examples/.
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { EXIT } from '../../../cli/types.js';
import { lexWithComments } from '../../../model/syntax/lexer.js';
import { SourceFile } from '../../../model/syntax/source.js';
import { fakeIo } from './fakeIo.js';
import { walkFiles } from '../../support/programs.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

const COMMENTED = [
  '(* herd-style header *)',
  'test   t // the name',
  '',
  '',
  'shared x=0;   /* x */',
  'thread P0 { // the writer',
  '    store.sc(x,1);          // publish',
  '',
  '      // done',
  '}',
  'exists (P0:r0 = 0)',
  '// the end',
  '',
].join('\n');

const CANONICAL = [
  '(* herd-style header *)',
  'test t // the name',
  '',
  'shared x = 0; /* x */',
  'thread P0 { // the writer',
  '  store.sc(x, 1); // publish',
  '',
  '  // done',
  '}',
  'exists (P0:r0=0)',
  '// the end',
  '',
].join('\n');

function commentTexts(text: string): string[] {
  return lexWithComments(new SourceFile('t.mw', text))
    .comments.map((c) => c.text)
    .sort();
}


describe('memweave fmt with comments', () => {
  it('prints the canonical form with every comment on stdout', async () => {
    const f = fakeIo({ files: { 'c.mw': COMMENTED } });
    expect(await main(['fmt', 'c.mw'], f)).toBe(EXIT.ok);
    expect(f.out).toBe(CANONICAL);
    expect(commentTexts(f.out)).toEqual(commentTexts(COMMENTED));
  });

  it('--write rewrites a commented file; --check then passes and a second --write changes nothing', async () => {
    const f = fakeIo({ files: { 'c.mw': COMMENTED } });
    expect(await main(['fmt', 'c.mw', '--write'], f)).toBe(EXIT.ok);
    expect(f.written.get('c.mw')).toBe(CANONICAL);
    expect(f.err).toContain('formatted c.mw');
    const g = fakeIo({ files: { 'c.mw': CANONICAL } });
    expect(await main(['fmt', 'c.mw', '--check'], g)).toBe(EXIT.ok);
    expect(await main(['fmt', 'c.mw', '--write'], g)).toBe(EXIT.ok);
    expect(g.written.size).toBe(0);
    expect(g.err).toBe('');
  });

  it('--check exits 1 on a commented file that is not canonical, without writing', async () => {
    const f = fakeIo({ files: { 'c.mw': COMMENTED } });
    expect(await main(['fmt', 'c.mw', '--check'], f)).toBe(EXIT.violation);
    expect(f.err).toContain('c.mw: not in canonical form');
    expect(f.err).not.toContain('comments');
    expect(f.written.size).toBe(0);
  });

  it('still refuses files with syntax errors, an unterminated comment included', async () => {
    for (const text of ['thread P0 { store.sc(x 1); } // c\n', 'shared x; /* never closed\n']) {
      const f = fakeIo({ files: { 'bad.mw': text } });
      expect(await main(['fmt', 'bad.mw', '--write'], f)).toBe(EXIT.usage);
      expect(f.err).toMatch(/error\[(P101|E003)\]/);
      expect(f.written.size).toBe(0);
      const g = fakeIo({ files: { 'bad.mw': text } });
      expect(await main(['fmt', 'bad.mw', '--check'], g)).toBe(EXIT.usage);
    }
  });

  it('prints a .litmus file as its .mw import (its comments are not carried over)', async () => {
    const litmus = 'X86 SB\n(* a herd comment *)\n{ x=0; y=0; }\n P0          | P1          ;\n MOV [x],$1  | MOV [y],$1  ;\n MOV EAX,[y] | MOV EAX,[x] ;\nexists (0:EAX=0 /\\ 1:EAX=0)\n';
    const f = fakeIo({ files: { 'sb.litmus': litmus } });
    expect(await main(['fmt', 'sb.litmus'], f)).toBe(EXIT.ok);
    expect(f.out).toMatch(/^test SB/m);
    expect(f.out).not.toContain('a herd comment');
  });
});

describe('memweave fmt --check on examples/', () => {
  const files = walkFiles(join(ROOT, 'examples'))
    .filter((p) => p.endsWith('.mw'))
    .map((p) => relative(ROOT, p));
  it('finds the examples', () => {
    expect(files.length).toBeGreaterThan(50);
  });
  it.each(files)('%s is in canonical form', async (path) => {
    const f = fakeIo({ diskRoot: ROOT, writable: false });
    const code = await main(['fmt', path, '--check'], f);
    expect(f.err).toBe('');
    expect(code).toBe(EXIT.ok);
  });
});
