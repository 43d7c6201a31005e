/**
 * Issue 13, option values: negative values get the option's own message (not node's "argument is
 * ambiguous"), `--buffer-bound` has a ceiling, `--max-memory` cannot exceed the machine, seeds
 * and other integers above 2^53 − 1 are refused instead of rounded; each is U505 with exit 2.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { MAX_BUFFER_BOUND, bufferBoundLimit, joinNegativeValues, maxMemoryLimit } from '../../../cli/options.js';
import { fakeIo } from '../cli/fakeIo.js';

const SB = 'examples/sb.mw';
const ROOT = new URL('../../../', import.meta.url).pathname;

async function usage(args: string[]): Promise<string> {
  const io = fakeIo({ diskRoot: ROOT });
  expect(await main(args, io), args.join(' ')).toBe(2);
  expect(io.out).toBe('');
  expect(io.err).toContain(`error[U505]: memweave ${args[0] ?? ''}: `);
  expect(io.err).toContain(' --> <command line>');
  return io.err;
}

describe('option values', () => {
  it('negative values reach the option check, for long and short options, on every command', async () => {
    expect(await usage(['check', SB, '--max-states', '-5'])).toContain("--max-states expects a positive integer, got '-5'");
    expect(await usage(['check', SB, '--time-limit', '-1.5'])).toContain("--time-limit expects a positive number, got '-1.5'");
    expect(await usage(['run', SB, '-n', '-5'])).toContain("--iterations expects an integer ≥ 1, got '-5'");
    expect(await usage(['run', SB, '--seed', '-1'])).toContain("--seed expects an integer ≥ 0, got '-1'");
    expect(await usage(['conform', SB, '--iterations', '-3'])).toContain("--iterations expects an integer ≥ 1, got '-3'");
    expect(await usage(['graph', SB, '--outcome', 'x=0', '--buffer-bound', '-2'])).toContain("--buffer-bound expects a positive integer, got '-2'");
    for (const args of [['check', SB, '--max-states', '-5'], ['run', SB, '-n', '-5']]) expect(await usage(args)).not.toContain('ambiguous');
  });

  it('run\'s --time-limit is parsed as check\'s (cli/budgetOptions.ts, as the playground parses it): no infinite or empty limit', async () => {
    expect(await usage(['run', SB, '--time-limit', '-1.5'])).toContain("--time-limit expects a positive number, got '-1.5'");
    expect(await usage(['run', SB, '--time-limit', 'Infinity'])).toContain("--time-limit expects a positive number, got 'Infinity'");
    expect(await usage(['run', SB, '--time-limit', ' '])).toContain("--time-limit expects a positive number, got ' '");
    expect(await usage(['check', SB, '--time-limit', 'Infinity'])).toContain("--time-limit expects a positive number, got 'Infinity'");
  });

  it('an unknown command or a leading unknown option is U505 too', async () => {
    const io = fakeIo();
    expect(await main(['chek', SB], io)).toBe(2);
    expect(io.err).toContain("error[U505]: memweave: unknown command 'chek'\n --> <command line>\n  = note: did you mean 'check'?");
    const io2 = fakeIo();
    expect(await main(['--verbose', 'check'], io2)).toBe(2);
    expect(io2.err).toContain("error[U505]: memweave: unknown option '--verbose' before the command");
  });

  it('a negative number after a boolean option or after -- is left alone', () => {
    const opts = { seed: { type: 'string' }, bfs: { type: 'boolean' }, iterations: { type: 'string', short: 'n' } } as const;
    expect(joinNegativeValues(['--seed', '-1', '-n', '-2', '--bfs', '-3', '--', '--seed', '-4'], opts)).toEqual(['--seed=-1', '-n-2', '--bfs', '-3', '--', '--seed', '-4']);
    expect(joinNegativeValues(['--seed', '--bfs'], opts)).toEqual(['--seed', '--bfs']);
  });

  it('--buffer-bound above the ceiling is refused by check, graph and report', async () => {
    for (const cmd of [['check', SB], ['graph', SB, '--outcome', 'x=0'], ['report', SB, '-o', 'r.html']]) {
      expect(await usage([...cmd, '--buffer-bound', String(MAX_BUFFER_BOUND + 1)])).toContain(`--buffer-bound ${MAX_BUFFER_BOUND + 1} is too large: the limit is ${MAX_BUFFER_BOUND}`);
      expect(await usage([...cmd, '--buffer-bound', String(2 ** 31)])).toContain('is too large');
    }
    expect(bufferBoundLimit(MAX_BUFFER_BOUND)).toBe(MAX_BUFFER_BOUND);
    expect(bufferBoundLimit(null)).toBeNull();
  });

  it('--buffer-bound at the ceiling still checks', async () => {
    const io = fakeIo({ diskRoot: ROOT });
    expect(await main(['check', SB, '--model', 'tso', '--buffer-bound', String(MAX_BUFFER_BOUND)], io)).toBe(0);
  });

  it('--max-memory above the machine memory is refused', async () => {
    expect(maxMemoryLimit(2048, 1024 * 1024 * 1024)).toBe("--max-memory 2048 MB is more than this machine's memory (1024 MB)");
    expect(maxMemoryLimit(512, 1024 * 1024 * 1024)).toBe(512);
    expect(await usage(['check', SB, '--max-memory', String(2 ** 40)])).toContain("more than this machine's memory");
  });

  it('seeds above 2^53 − 1 are refused, not rounded; 2^53 − 1 is taken', async () => {
    expect(await usage(['run', SB, '--seed', '9007199254740993'])).toContain("--seed expects an integer ≤ 9007199254740991, got '9007199254740993'");
    expect(await usage(['conform', SB, '--seed', '1e300'])).toContain('--seed expects an integer ≤ 9007199254740991');
    const io = fakeIo({ diskRoot: ROOT });
    expect(await main(['run', SB, '--seed', '9007199254740991', '-n', '5'], io)).toBe(0);
    expect(io.err).toContain('--seed 9007199254740991');
  });
});
