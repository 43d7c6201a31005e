/**
 * Golden DOT of the two pictures every course starts with: SB under tso and MP under pso (the
 * executions of their relaxed outcomes, with the SC cycle highlighted), in test/golden/graph/.
 * MEMWEAVE_PROMOTE=1 (npm run promote) rewrites them; review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphCommand } from '../../cli/commands/graph.js';
import { fakeIo } from '../unit/cli/fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, 'test', 'golden', 'graph');
const PROMOTE = process.env['MEMWEAVE_PROMOTE'] === '1';

const CASES = [
  { name: 'SB', args: ['examples/litmus/SB.mw', '--model', 'tso'] },
  { name: 'MP', args: ['examples/litmus/MP.mw', '--model', 'pso'] },
] as const;

describe('golden execution graphs (DOT)', () => {
  it.each(CASES)('$name', async ({ name, args }) => {
    const io = fakeIo({ diskRoot: ROOT });
    const code = await graphCommand.run([...args, '--format', 'dot'], io);
    expect(code, io.err).toBe(0);
    const path = join(DIR, `${name}.dot`);
    if (PROMOTE) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(path, io.out);
    }
    expect(existsSync(path), `${path} missing: run MEMWEAVE_PROMOTE=1 npx vitest run test/golden/graph.test.ts`).toBe(true);
    expect(io.out).toBe(readFileSync(path, 'utf8'));
  });
});
