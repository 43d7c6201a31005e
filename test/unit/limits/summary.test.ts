/**
 * Issue 13, `--summary FILE`: one O_APPEND write per run, the file never read or rewritten, so
 * parallel runs sharing one summary each land whole, bytes already there stay as they are, and a
 * write error (`/dev/full`, a directory) fails cleanly with exit 2. The parallel case runs real
 * processes (the race is between processes); each is awaited to its end.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { appendOnce } from '../../../cli/appendFile.js';
import { appendToFile } from '../../../cli/ci/summary.js';
import { main } from '../../../cli/main.js';
import { fakeIo } from '../cli/fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const DIR = mkdtempSync(join(tmpdir(), 'memweave-summary-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
const run = promisify(execFile);

/** A fake io whose appends go to the real file system (appendOnce), and that fails any read. */
function realAppendIo(): ReturnType<typeof fakeIo> {
  const io = fakeIo({ diskRoot: ROOT });
  io.appendFile = appendOnce;
  const read = io.readFile.bind(io);
  io.readFile = (p) => {
    if (p.startsWith(DIR) || p.startsWith('/dev/')) throw new Error(`the summary file was read: ${p}`);
    return read(p);
  };
  return io;
}

describe('check --summary FILE appends atomically', () => {
  it('keeps bytes that are not UTF-8 and never reads the file', async () => {
    const f = join(DIR, 'bytes.md');
    writeFileSync(f, Buffer.from([0xff, 0xfe, 0x41, 0x0a]));
    const io = realAppendIo();
    expect(await main(['check', 'examples/sb.mw', '--summary', f], io)).toBe(0);
    const after = readFileSync(f);
    expect([...after.subarray(0, 4)]).toEqual([0xff, 0xfe, 0x41, 0x0a]);
    expect(after.subarray(4).toString('utf8')).toMatch(/^## memweave check\n/);
  });

  it('a write error is exit 2 with a message, for /dev/full and for a directory', async () => {
    const targets = [DIR, ...(existsSync('/dev/full') ? ['/dev/full'] : [])];
    for (const target of targets) {
      expect(appendOnce(target, 'x')).toBe(false);
      const io = realAppendIo();
      expect(await main(['check', 'examples/sb.mw', '--summary', target], io), target).toBe(2);
      expect(io.err).toContain(`cannot write the summary to '${target}'`);
    }
  });

  it('without an append in the io, appendToFile fails and writes nothing', () => {
    const io = fakeIo({ files: { 's.md': 'before\n' } });
    delete io.appendFile;
    expect(appendToFile(io, 's.md', 'x')).toBe(false);
    expect(io.written.size).toBe(0);
  });

  it('eight parallel runs sharing one summary: all eight land whole', async () => {
    const f = join(DIR, 'parallel.md');
    writeFileSync(f, '# earlier step\n');
    const bin = join(ROOT, 'bin', 'memweave.js');
    const runs = Array.from({ length: 8 }, () => run(process.execPath, [bin, 'check', 'examples/sb.mw', '--summary', f], { cwd: ROOT, timeout: 120_000 }));
    const results = await Promise.allSettled(runs);
    expect(results.map((r) => r.status)).toEqual(Array(8).fill('fulfilled'));
    const text = readFileSync(f, 'utf8');
    expect(text.startsWith('# earlier step\n')).toBe(true);
    expect(text.match(/^## memweave check$/gm)).toHaveLength(8);
    expect(text.match(/^\| examples\/sb\.mw \| sb \| sc \| ✅ pass /gm)).toHaveLength(8);
  }, 180_000);
});
