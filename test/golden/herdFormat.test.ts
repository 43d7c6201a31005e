/**
 * Golden `check --format herd` output of the bundled herd tests: examples/herd/x86/*.litmus under
 * tso and under sc, and examples/herd/c/ and examples/herd/c-rc11/ under rc11, each set as one
 * file in test/golden/herd/ — what `herd7` prints for a list of tests, block after block (the Time
 * lines read 0.00: the test's clock does not move). The blocks are exact: states, witnesses
 * (executions, the graph engine's), condition, observation and herd's hash.
 * MEMWEAVE_PROMOTE=1 (npm run promote) rewrites them; review the diff.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../cli/commands/check.js';
import { fakeIo } from '../unit/cli/fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, 'test', 'golden', 'herd');
const PROMOTE = process.env['MEMWEAVE_PROMOTE'] === '1';

const litmusIn = (dir: string): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.litmus'))
    .sort()
    .map((f) => `${dir}/${f}`);

/** Bundled tests herd's own X86 dialect cannot read, so no herd hash exists for them: XADD is memweave's extension (herd's lib/X86Lexer.mll has no XADD). */
const NO_HERD_HASH = ['XADD+locks'];

const CASES = [
  { name: 'x86-tso', files: litmusIn('examples/herd/x86'), model: 'tso', noHash: NO_HERD_HASH },
  { name: 'x86-sc', files: litmusIn('examples/herd/x86'), model: 'sc', noHash: NO_HERD_HASH },
  { name: 'c-rc11', files: [...litmusIn('examples/herd/c'), ...litmusIn('examples/herd/c-rc11')], model: 'rc11', noHash: [] },
] as const;

describe('golden herd7-format output of the bundled herd tests', () => {
  it.each(CASES)('$name', async ({ name, files, model, noHash }) => {
    expect(files.length).toBeGreaterThan(5);
    const io = fakeIo({ diskRoot: ROOT });
    const code = await checkCommand.run([...files, '--model', model, '--format', 'herd'], io);
    expect(code, io.err).not.toBe(2);
    // stderr: nothing but the importer's H412 (a Linux-kernel macro, checked under its C11 mapping)
    expect(io.err).not.toMatch(/error\[/);
    expect([...io.err.matchAll(/warning\[(\w+)\]/g)].map((m) => m[1]).filter((c) => c !== 'H412')).toEqual([]);
    // one block per file, each with its Hash line but for the tests herd cannot read
    const blocks = io.out.split(/\n\n(?=Test )/);
    expect(blocks.length).toBe(files.length);
    const unhashed = blocks.filter((b) => !/^Hash=[0-9a-f]{32}$/m.test(b)).map((b) => /^Test (\S+)/.exec(b)?.[1]);
    expect(unhashed).toEqual(noHash);
    const path = join(DIR, `${name}.expected`);
    if (PROMOTE) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(path, io.out);
    }
    expect(existsSync(path), `${path} missing: run MEMWEAVE_PROMOTE=1 npx vitest run test/golden/herdFormat.test.ts`).toBe(true);
    expect(io.out).toBe(readFileSync(path, 'utf8'));
  });
});
