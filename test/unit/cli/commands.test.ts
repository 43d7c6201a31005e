/**
 * Tests for the parse and fmt commands, run in-process through main() with a fake CliIo, plus one
 * real process spawn of bin/memweave.js (needs `npm run build`, which `npm test` does first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { EXIT } from '../../../cli/types.js';
import { fakeIo } from './fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

const SB = `test SB
shared x = 0;
shared y = 0;
thread P0 {
  store.plain(x, 1);
  r0 = load.plain(y);
}
thread P1 {
  store.plain(y, 1);
  r0 = load.plain(x);
}
exists (P0:r0 = 0 /\\ P1:r0 = 0)
`;
const MESSY = 'test   SB\nshared x=0;shared y = 0;\nthread P0 { store.plain(x,1); r0 = load.plain(y); }\nthread P1{store.plain(y, 1);r0=load.plain(x);}\nexists (P0:r0=0 /\\ P1:r0=0)\n';
const PARAM = 'test p\nparam N = 2;\nshared a[N];\nthread P0 { store.sc(a[N - 1], N); }\n';
const BAD = 'test bad\nshared x = 0;\nthread P0 {\n  store.sc(x 1);\n}\n';
const LITMUS = 'X86 SB\n{ x=0; y=0; }\n P0          | P1          ;\n MOV [x],$1  | MOV [y],$1  ;\n MOV EAX,[y] | MOV EAX,[x] ;\nexists (0:EAX=0 /\\ 1:EAX=0)\n';

function io(files: Record<string, string> = {}) {
  return fakeIo({ files: { 'sb.mw': SB, 'messy.mw': MESSY, 'p.mw': PARAM, 'bad.mw': BAD, 'sb.litmus': LITMUS, ...files } });
}

describe('memweave parse', () => {
  it('prints the canonical program and exits 0', async () => {
    const f = io();
    expect(await main(['parse', 'messy.mw'], f)).toBe(EXIT.ok);
    expect(f.err).toBe('');
    expect(f.out).toContain('thread P0 {');
    // the canonical form is a fixed point
    const g = io({ 'canon.mw': f.out });
    expect(await main(['parse', 'canon.mw'], g)).toBe(EXIT.ok);
    expect(g.out).toBe(f.out);
  });

  it('prints a .litmus file as its .mw import', async () => {
    const f = io();
    expect(await main(['parse', 'sb.litmus'], f)).toBe(EXIT.ok);
    expect(f.out).toMatch(/^test SB/m);
    expect(f.out).toMatch(/thread P0 \{/);
    expect(f.out).toMatch(/exists \(/);
  });

  it('exits 2 with a rendered diagnostic on stderr and nothing on stdout for bad input', async () => {
    const f = io();
    expect(await main(['parse', 'bad.mw'], f)).toBe(EXIT.usage);
    expect(f.out).toBe('');
    expect(f.err).toContain("error[P101]: expected ')', found '1'");
    expect(f.err).toContain(' --> bad.mw:4:');
    expect(f.err).toContain('4 |   store.sc(x 1);');
    expect(f.err).toMatch(/\n\d+ errors?\n$/);
    expect(f.err).not.toMatch(/\n\s+at /);
  });

  it('applies -D overrides (in the IR) and reports U502 for an undeclared param', async () => {
    const f = io();
    expect(await main(['parse', 'p.mw', '-DN=3', '--ir'], f)).toBe(EXIT.ok);
    const ir = JSON.parse(f.out) as { params: Record<string, number>; memorySize: number };
    expect(ir.params).toEqual({ N: 3 });
    expect(ir.memorySize).toBe(3);
    const g = io();
    expect(await main(['parse', 'p.mw', '-D', 'M=3'], g)).toBe(EXIT.usage);
    expect(g.err).toContain('error[U502]');
  });

  it('reports a malformed -D as U501 before reading the file', async () => {
    const f = io();
    expect(await main(['parse', 'missing.mw', '-D', 'N'], f)).toBe(EXIT.usage);
    expect(f.err).toContain("error[U501]: malformed -D definition 'N'");
    expect(f.err).not.toContain('U503');
  });

  it('reports U503 for a missing file and U504 for an unknown extension', async () => {
    const f = io();
    expect(await main(['parse', 'nope.mw'], f)).toBe(EXIT.usage);
    expect(f.err).toContain("error[U503]: no such file 'nope.mw'");
    const g = io({ 'prog.txt': SB });
    expect(await main(['parse', 'prog.txt'], g)).toBe(EXIT.usage);
    expect(g.err).toContain('error[U504]');
  });

  it('--format json prints one JSON object on stdout', async () => {
    const f = io();
    expect(await main(['parse', 'sb.mw', '--format', 'json'], f)).toBe(EXIT.ok);
    const ok = JSON.parse(f.out) as { ok: boolean; diagnostics: unknown[]; program: string };
    expect(ok.ok).toBe(true);
    expect(ok.diagnostics).toEqual([]);
    expect(ok.program).toContain('test SB');
    const g = io();
    expect(await main(['parse', 'bad.mw', '--format=json'], g)).toBe(EXIT.usage);
    const bad = JSON.parse(g.out) as { ok: boolean; diagnostics: { code: string; line: number; col: number }[] };
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics[0]).toMatchObject({ code: 'P101', line: 4 });
    expect(g.err).toBe('');
  });

  it.each([
    [['parse'], /missing FILE/],
    [['parse', 'a.mw', 'b.mw'], /unexpected argument 'b.mw'/],
    [['parse', 'a.mw', '--format', 'yaml'], /invalid value 'yaml' for --format/],
    [['parse', 'a.mw', '--frobnicate'], /unknown option '--frobnicate'/i],
  ])('usage error for %j: exit 2, message, no stack', async (argv, message) => {
    const f = io();
    expect(await main(argv, f)).toBe(EXIT.usage);
    expect(f.err).toMatch(message);
    expect(f.err).toContain("run 'memweave parse --help'");
    expect(f.err).not.toMatch(/\n\s+at /);
  });
});

describe('memweave fmt', () => {
  it('prints the canonical form, which is a fixed point', async () => {
    const f = io();
    expect(await main(['fmt', 'messy.mw'], f)).toBe(EXIT.ok);
    const g = io({ 'canon.mw': f.out });
    expect(await main(['fmt', 'canon.mw', '--check'], g)).toBe(EXIT.ok);
    expect(g.err).toBe('');
  });

  it('--check exits 1 for a file not in canonical form', async () => {
    const f = io();
    expect(await main(['fmt', 'messy.mw', '--check'], f)).toBe(EXIT.violation);
    expect(f.err).toContain('messy.mw: not in canonical form');
    expect(f.written.size).toBe(0);
  });

  it('--write rewrites the file with the canonical form', async () => {
    const f = io();
    expect(await main(['fmt', 'messy.mw', '--write'], f)).toBe(EXIT.ok);
    const written = f.written.get('messy.mw');
    expect(written).toBeDefined();
    const g = io();
    await main(['fmt', 'messy.mw'], g);
    expect(written).toBe(g.out);
  });

  it('--write rewrites a file with comments, keeping them', async () => {
    const f = io({ 'c.mw': `// a comment\n${MESSY}` });
    expect(await main(['fmt', 'c.mw', '--write'], f)).toBe(EXIT.ok);
    const written = f.written.get('c.mw');
    expect(written).toBeDefined();
    expect(written?.startsWith('// a comment\ntest SB\n')).toBe(true);
    const g = io({ 'c.mw': written ?? '' });
    expect(await main(['fmt', 'c.mw', '--check'], g)).toBe(EXIT.ok);
  });

  it('formats despite name errors but not despite syntax errors', async () => {
    const f = io({ 'n.mw': 'test n\nthread P0 { r = y; }\n' });
    expect(await main(['fmt', 'n.mw'], f)).toBe(EXIT.ok);
    expect(f.out).toContain('r = y;');
    const g = io();
    expect(await main(['fmt', 'bad.mw'], g)).toBe(EXIT.usage);
    expect(g.err).toContain('error[P101]');
  });

  it('rejects --write with --check, and --write on a .litmus file', async () => {
    const f = io();
    expect(await main(['fmt', 'sb.mw', '--write', '--check'], f)).toBe(EXIT.usage);
    const g = io();
    expect(await main(['fmt', 'sb.litmus', '--write'], g)).toBe(EXIT.usage);
    expect(g.err).toContain('.mw files only');
  });
});

describe('the real binary', () => {
  const built = existsSync(join(ROOT, 'dist', 'cli', 'main.js'));
  it.skipIf(!built)('exits 2 with a rendered diagnostic and no stack trace (needs npm run build)', () => {
    const { FORCE_COLOR: _force, ...env } = process.env;
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'memweave.js'), 'parse', 'test/golden/diagnostics/P102.mw'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, NO_COLOR: '1' },
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error[P102]: expected an expression');
    expect(r.stderr).toContain(' --> test/golden/diagnostics/P102.mw:4:11');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('\x1b[');
  });
});
