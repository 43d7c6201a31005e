/**
 * Issue 13, write errors: every command that writes a file (`fmt --write`, `graph -o`, `report
 * -o`, `litmus table --write`, `check --summary`) reports a failed write as U506 pointing at the
 * file, with exit 2, and on the real file system too (a directory, `/dev/full`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { appendOnce } from '../../../cli/appendFile.js';
import { fakeIo } from '../cli/fakeIo.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const DIR = mkdtempSync(join(tmpdir(), 'memweave-write-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const CASES: readonly (readonly [string, readonly string[], string, string])[] = [
  ['fmt --write', ['fmt', 'u.mw', '--write'], 'u.mw', 'the formatted program'],
  ['graph -o', ['graph', 'examples/sb.mw', '--outcome', 'P0:r0=0; P1:r0=0', '--model', 'tso', '-o', 'out/g.dot'], 'out/g.dot', 'the picture'],
  ['report -o', ['report', 'examples/sb.mw', '--max-pictures', '0', '-o', 'out/r.html'], 'out/r.html', 'the report'],
  ['litmus table --write', ['litmus', 'table', '--write', 'out/t.md'], 'out/t.md', 'the table'],
  ['check --summary', ['check', 'examples/sb.mw', '--summary', 'out/s.md'], 'out/s.md', 'the summary'],
];

describe('a failed write is U506 with exit 2', () => {
  for (const [what, args, path, thing] of CASES) {
    it(what, async () => {
      const io = fakeIo({ diskRoot: ROOT, writable: false, files: { 'u.mw': 'test u;\nshared x=0;\nthread P0 {  r = load.sc(x); }\n' } });
      delete io.appendFile;
      expect(await main([...args], io)).toBe(2);
      expect(io.err).toContain(`error[U506]: memweave ${args[0] ?? ''}: cannot write ${thing} to '${path}'`);
      expect(io.err).toContain(` --> ${path}`);
      expect(io.err).toContain('= help: check that the directory exists');
    });
  }

  it('check --summary on the real file system: a directory and /dev/full', async () => {
    for (const target of [DIR, ...(existsSync('/dev/full') ? ['/dev/full'] : [])]) {
      const io = fakeIo({ diskRoot: ROOT });
      io.appendFile = appendOnce;
      expect(await main(['check', 'examples/sb.mw', '--summary', target], io)).toBe(2);
      expect(io.err).toContain(`error[U506]: memweave check: cannot write the summary to '${target}'`);
    }
  });
});
