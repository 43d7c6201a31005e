/**
 * Issues 12 and 13, a real SIGINT to a real process: `node bin/memweave.js check` (the built CLI)
 * of a search that does not end prints its partial statistics and the interrupted line, gives no
 * verdict, exits 130, and is gone. The child announces on fd 3 when it listens for SIGINT (a
 * preloaded test hook, test/support/announceSignals.mjs), and the signal is sent then: no guessed
 * delay. Needs `npm run build` (dist/); a child that outlives the test is killed in `finally`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENDLESS } from '../../support/incompletePrograms.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/memweave.js');
const HOOK = join(ROOT, 'test/support/announceSignals.mjs');
const built = existsSync(join(ROOT, 'dist/cli/main.js'));

describe.skipIf(!built || process.platform === 'win32')('a real SIGINT to `memweave check`', () => {
  it('prints the partial statistics and the interrupted line, no verdict, exits 130, leaves nothing running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memweave-sigint-'));
    const file = join(dir, 'endless.mw');
    writeFileSync(file, ENDLESS);
    const child = spawn(process.execPath, ['--import', HOOK, BIN, 'check', file, '--model', 'sc'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    try {
      const hook = child.stdio[3] as NodeJS.ReadableStream;
      await new Promise<void>((resolve, reject) => {
        hook.on('data', (d: Buffer) => {
          if (d.toString().includes('listening')) resolve();
        });
        child.on('exit', () => reject(new Error(`memweave exited before listening for SIGINT: ${err}`)));
      });
      child.kill('SIGINT');
      // a generous bound: the search stops within a slice (tens of milliseconds)
      const ended = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000).unref())]);
      expect(ended).not.toBeNull();
      expect(ended).toEqual({ code: 130, signal: null });
      await new Promise((r) => setImmediate(r));
      expect(out).toMatch(/States stored [1-9]\d*, transitions/);
      expect(out).toContain('Model sc (bfs): interrupted');
      expect(out).not.toMatch(/\b(Ok|No|Observation|pass|fail)\b/);
      expect(err).toContain('memweave check: interrupted by SIGINT: what is shown is partial, and there is no verdict');
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
