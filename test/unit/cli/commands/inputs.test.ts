/**
 * Reading inputs (issue 12): `check -` reads standard input; a missing file and a directory are
 * named as such (not "cannot read input file"); `fmt --check` and `--write` take several files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../../cli/commands/check.js';
import { fmtCommand } from '../../../../cli/commands/fmt.js';
import { whyUnreadable } from '../../../../cli/main.js';
import { fakeIo } from '../fakeIo.js';

const SB = `test SB
shared x = 0;
shared y = 0;
thread P0 { store.plain(x, 1); r0 = load.plain(y); }
thread P1 { store.plain(y, 1); r0 = load.plain(x); }
exists (P0:r0 = 0 /\\ P1:r0 = 0)
`;

describe('inputs', () => {
  it('check - reads the program from standard input, named <stdin>', async () => {
    const io = fakeIo();
    io.readStdin = () => SB;
    expect(await checkCommand.run(['-', '--model', 'tso'], io)).toBe(0);
    expect(io.out).toMatch(/^Test SB Allowed\nStates 4\n/);
    const bad = fakeIo();
    bad.readStdin = () => 'test t\nthread P0 { r = 1 + ; }\n';
    expect(await checkCommand.run(['-'], bad)).toBe(2);
    expect(bad.err).toContain('--> <stdin>:2:');
  });

  it('a missing file and a directory are said to be so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memweave-in-'));
    try {
      writeFileSync(join(dir, 'ok.mw'), SB);
      expect(whyUnreadable(join(dir, 'ok.mw'))).toBeNull();
      expect(whyUnreadable(join(dir, 'nope.mw'))).toBe(`no such file '${join(dir, 'nope.mw')}'`);
      expect(whyUnreadable(dir)).toMatch(/^'.*' is a directory, not a file \(give the files in it, e\.g\. '.*\/\*\.mw'\)$/);
      const io = fakeIo({ diskRoot: dir });
      io.whyUnreadable = whyUnreadable;
      expect(await checkCommand.run([join(dir, 'nope.mw'), dir], io)).toBe(2);
      expect(io.err).toContain(`error[U503]: no such file '${join(dir, 'nope.mw')}'`);
      expect(io.err).toContain(`error[U503]: '${dir}' is a directory, not a file`);
      expect(io.err).not.toContain('cannot read input file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fmt --check and --write take several files; one exit code, each file named', async () => {
    const canonical = SB.replace(/ +\n/g, '\n');
    const io = fakeIo({ files: { 'a.mw': canonical, 'b.mw': 'test b\nshared x=0;\nthread P { store.sc(x,1); }\n' } });
    const fmt = await fmtCommand.run(['a.mw', '--write'], io);
    expect(fmt).toBe(0);
    const a = io.files.get('a.mw') ?? '';
    const check = fakeIo({ files: { 'a.mw': a, 'b.mw': 'test b\nshared x=0;\nthread P { store.sc(x,1); }\n' } });
    expect(await fmtCommand.run(['--check', 'a.mw', 'b.mw'], check)).toBe(1);
    expect(check.err).toBe("b.mw: not in canonical form (run 'memweave fmt --write b.mw')\n");
    expect(await fmtCommand.run(['--write', 'a.mw', 'b.mw'], check)).toBe(0);
    expect(await fmtCommand.run(['--check', 'a.mw', 'b.mw'], check)).toBe(0);
    const two = fakeIo({ files: { 'a.mw': a } });
    expect(await fmtCommand.run(['a.mw', 'a.mw'], two)).toBe(2);
    expect(two.err).toContain('several files need --write or --check');
  });
});
