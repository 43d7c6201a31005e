/** Tests for cli/main.ts: dispatch, help, version, unknown commands, internal errors, colour. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorEnabled, editDistance, globalUsage, main, memweaveVersion, suggest } from '../../../cli/main.js';
import { COMMANDS } from '../../../cli/commands/index.js';
import { EXIT, type Command } from '../../../cli/types.js';
import { fakeIo } from './fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

const echo: Command = {
  name: 'echo',
  summary: 'print its arguments',
  usage: 'usage: memweave echo ARGS...',
  run: (argv, io) => {
    io.stdout(argv.join(' ') + '\n');
    return Promise.resolve(EXIT.ok);
  },
};
const boom: Command = {
  name: 'boom',
  summary: 'throws',
  usage: 'usage: memweave boom',
  run: () => Promise.reject(new TypeError('kaboom')),
};

describe('main dispatch', () => {
  it('runs a command with its own arguments', async () => {
    const io = fakeIo();
    expect(await main(['echo', 'a', 'b'], io, [echo])).toBe(EXIT.ok);
    expect(io.out).toBe('a b\n');
  });

  it('prints the global usage on stderr and exits 2 without arguments', async () => {
    const io = fakeIo();
    expect(await main([], io)).toBe(EXIT.usage);
    expect(io.err).toContain('usage: memweave <command>');
    expect(io.out).toBe('');
  });

  it.each([['--help'], ['-h'], ['help']])('%s prints the global help on stdout', async (flag) => {
    const io = fakeIo();
    expect(await main([flag], io)).toBe(EXIT.ok);
    expect(io.out).toBe(globalUsage());
    for (const c of COMMANDS) expect(io.out).toContain(`  ${c.name}`);
  });

  it.each([
    [['echo', '--help']],
    [['echo', 'x', '-h']],
    [['help', 'echo']],
  ])('%j prints the command usage', async (argv) => {
    const io = fakeIo();
    expect(await main(argv, io, [echo])).toBe(EXIT.ok);
    expect(io.out).toBe('usage: memweave echo ARGS...\n');
  });

  it('passes --help after -- through to the command', async () => {
    const io = fakeIo();
    expect(await main(['echo', '--', '--help'], io, [echo])).toBe(EXIT.ok);
    expect(io.out).toBe('-- --help\n');
  });

  it('every real command loads a module of its own name, with usage text that names it', async () => {
    for (const c of COMMANDS) {
      const body = await c.load();
      expect(body.name).toBe(c.name);
      expect(body.usage).toContain(`memweave ${c.name}`);
    }
  });

  it('a lazy entry is loaded only when its command is used', async () => {
    let loads = 0;
    const lazyEcho = { name: 'echo', summary: echo.summary, load: () => { loads++; return Promise.resolve(echo); } };
    const io = fakeIo();
    expect(await main(['--help'], io, [lazyEcho])).toBe(EXIT.ok);
    expect(io.out).toContain('print its arguments');
    expect(loads).toBe(0);
    expect(await main(['echo', 'x'], io, [lazyEcho])).toBe(EXIT.ok);
    expect(await main(['help', 'echo'], io, [lazyEcho])).toBe(EXIT.ok);
    expect(loads).toBe(2);
    expect(io.out).toContain('x\nusage: memweave echo ARGS...\n');
  });

  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const io = fakeIo();
    expect(await main(['--version'], io)).toBe(EXIT.ok);
    expect(io.out).toBe(`memweave ${pkg.version}\n`);
    expect(memweaveVersion()).toBe(pkg.version);
  });

  it('rejects an unknown command with a suggestion', async () => {
    const io = fakeIo();
    expect(await main(['ehco'], io, [echo, boom])).toBe(EXIT.usage);
    expect(io.err).toContain("unknown command 'ehco'");
    expect(io.err).toContain("did you mean 'echo'?");
  });

  it('rejects an unknown command without a suggestion when nothing is close', async () => {
    const io = fakeIo();
    expect(await main(['zzzzzz'], io, [echo])).toBe(EXIT.usage);
    expect(io.err).not.toContain('did you mean');
    expect(io.err).toContain('commands: echo');
  });

  it('rejects an option before the command', async () => {
    const io = fakeIo();
    expect(await main(['--verbose', 'echo'], io, [echo])).toBe(EXIT.usage);
    expect(io.err).toContain("unknown option '--verbose'");
  });

  it('turns an exception into exit 70 saying it is a bug', async () => {
    const io = fakeIo();
    expect(await main(['boom'], io, [boom])).toBe(EXIT.internal);
    expect(io.err).toContain('memweave: internal error: TypeError: kaboom');
    expect(io.err).toContain('this is a bug in memweave');
  });
});

describe('helpers', () => {
  it('colour: TTY and NO_COLOR unset, FORCE_COLOR overrides', () => {
    expect(colorEnabled({}, true)).toBe(true);
    expect(colorEnabled({}, false)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' }, true)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
  });

  it('edit distance and suggestions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('ehco', 'echo')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(suggest('chek', ['check', 'parse', 'fmt'])).toBe('check');
    expect(suggest('par', ['check', 'parse', 'fmt'])).toBe('parse');
    expect(suggest('fnt', ['check', 'parse', 'fmt'])).toBe('fmt');
    expect(suggest('litmus7', ['check', 'parse', 'fmt'])).toBeNull();
  });
});
