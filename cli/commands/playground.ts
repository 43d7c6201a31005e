/**
 * `memweave playground [--port P] [--host H] [--open] [--dir DIR]`: serve the browser playground (the built
 * site in dist/playground, docs/playground.md) on a local port, cross-origin isolated, until
 * SIGINT or SIGTERM. The page runs memweave's own model/ and checker/ code in Web Workers; this
 * command only serves files (cli/playground/server.ts).
 *
 * Exit codes: 0 served and stopped by SIGINT / SIGTERM (the normal end of a server), 2 a usage
 * error, the site not built (U508) or the address not available (U507: the port is in use, not
 * permitted, or the host is not this machine's).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diag } from '../../model/diagnostics/diagnostic.js';
import { NO_SPAN } from '../../model/syntax/source.js';
import { parseCommandArgs } from '../args.js';
import { COMMAND_LINE, intOption, usageError } from '../input.js';
import { renderDiagnostic } from '../render.js';
import { EXIT, type CliIo, type CommandBody } from '../types.js';
import { STOP_SIGNALS, type StopSignal } from '../interrupt.js';
import { startPlaygroundServer } from '../playground/server.js';

const OPTIONS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  open: { type: 'boolean' },
  dir: { type: 'string' },
} as const;

/** The default port and host: a local-only server. */
export const PLAYGROUND_PORT = 8080;
export const PLAYGROUND_HOST = '127.0.0.1';

/** The built site (dist/playground with its index.html), found from this module's location, or null. */
export function playgroundDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidates = basename(dir) === 'dist' ? [join(dir, 'playground')] : [join(dir, 'dist', 'playground')];
    for (const c of candidates) if (existsSync(join(c, 'index.html'))) return c;
    dir = dirname(dir);
  }
  return null;
}

/** Open `url` in the desktop's browser (best effort: a machine without one just has the URL printed). */
function openBrowser(url: string, io: CliIo): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => io.stderr(`memweave playground: could not open a browser (${cmd}); open ${url} yourself\n`));
    child.unref();
  } catch {
    io.stderr(`memweave playground: could not open a browser (${cmd}); open ${url} yourself\n`);
  }
}

/** Wait for SIGINT or SIGTERM on the command's signal source (a server's normal end); never resolves without one. */
function untilStopSignal(io: CliIo): Promise<StopSignal> {
  return new Promise<StopSignal>((resolve) => {
    const listeners = STOP_SIGNALS.map((s) => {
      const fn = (): void => {
        for (const [t, g] of listeners) io.signals?.off(t, g);
        resolve(s);
      };
      return [s, fn] as const;
    });
    for (const [s, fn] of listeners) io.signals?.on(s, fn);
  });
}

/** The `playground` command. */
export const playgroundCommand: CommandBody = {
  name: 'playground',
  usage: [
    'usage: memweave playground [--port P] [--host H] [--open] [--dir DIR]',
    '',
    'Serves the browser playground: an editor for .mw and .litmus with diagnostics as you type, the',
    'catalogue, check under one model or all with the verdict table, outcomes, the execution graph of an',
    'outcome or counterexample, and a stepper through its states; the checks run in the page, in a Web',
    'Worker, on the same code as the CLI. The server sends the cross-origin isolation headers',
    '(COOP same-origin, COEP require-corp). It runs until Ctrl-C (SIGINT) or SIGTERM.',
    '',
    'options:',
    `  -p, --port P   the port (default ${PLAYGROUND_PORT}; 0: any free port)`,
    `  --host H       the address to listen on (default ${PLAYGROUND_HOST}: this machine only)`,
    '  --open         open the page in the desktop browser',
    '  --dir DIR      serve another build of the site (default: the package\'s dist/playground)',
    '  -h, --help     show this help',
    '',
    'exit: 0 stopped by SIGINT / SIGTERM, 2 usage error, the site is not built (U508), or the address',
    '      is not available (U507: the port is in use or not permitted)',
  ].join('\n'),
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseCommandArgs(argv, OPTIONS, { positionals: [] });
    if (!args.ok) return usageError(io, 'playground', args.message);
    const port = intOption('port', args.values.port, 0, 65535);
    if (typeof port === 'string') return usageError(io, 'playground', port);
    const host = args.values.host ?? PLAYGROUND_HOST;
    const dir = args.values.dir ?? playgroundDir();
    if (dir === null || !existsSync(join(dir, 'index.html'))) {
      const where = dir === null ? 'dist/playground' : dir;
      io.stderr(renderDiagnostic(diag('U508', COMMAND_LINE, NO_SPAN, `memweave playground: the playground site is not built (no index.html in ${where})`), null, { color: io.color }));
      return EXIT.usage;
    }
    const started = await startPlaygroundServer(dir, { port: port ?? PLAYGROUND_PORT, host });
    if (!started.ok) {
      const why = started.error.code === 'EADDRINUSE' ? `port ${port ?? PLAYGROUND_PORT} on ${host} is in use` : started.error.code === 'EACCES' ? `port ${port ?? PLAYGROUND_PORT} on ${host} is not permitted` : `cannot listen on ${host}:${port ?? PLAYGROUND_PORT}`;
      io.stderr(renderDiagnostic(diag('U507', COMMAND_LINE, NO_SPAN, `memweave playground: ${why} (${started.error.code})`), null, { color: io.color }));
      return EXIT.usage;
    }
    const server = started.server;
    io.stdout(`memweave playground: serving ${dir} at ${server.url} (Ctrl-C to stop)\n`);
    if (args.values.open === true) openBrowser(server.url, io);
    const signal = await untilStopSignal(io);
    await server.close();
    io.stderr(`memweave playground: stopped by ${signal}\n`);
    return EXIT.ok;
  },
};
