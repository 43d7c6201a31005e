/**
 * The `memweave` command-line entry: dispatches `memweave <command> [args]`, prints global and
 * per-command help (`--help`/`-h`), the version (`--version`), turns unknown commands into a
 * usage error with a "did you mean" hint, and converts unexpected exceptions into exit code 70
 * with a message saying it is a bug. All I/O goes through a {@link CliIo}, so tests run it
 * in-process with a fake.
 *
 * Colour: on when stdout and stderr are terminals. NO_COLOR (any non-empty value) turns it off;
 * FORCE_COLOR=1 (any value but 0 or false) turns it on without a terminal; FORCE_COLOR=0 off.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from './commands/index.js';
import { EXIT, type CliIo, type CommandBody, type CommandEntry } from './types.js';
import { terminalSafeIo } from './terminalSafe.js';
import { COMMAND_LINE, renderDiagnostic } from './render.js';
import { diag } from '../model/diagnostics/diagnostic.js';
import { NO_SPAN } from '../model/syntax/source.js';
import { appendOnce } from './appendFile.js';
import { processSignals } from './interrupt.js';
import { suggest } from './suggest.js';
import { idleCores } from './cores.js';

/** Whether to colour output, from the environment and whether stdout is a terminal. */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTTY;
}

let pipeGuardInstalled = false;

/** `memweave … | head` closes the pipe early: stop quietly instead of crashing on EPIPE. */
function installPipeGuard(): void {
  if (pipeGuardInstalled) return;
  pipeGuardInstalled = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** The real process I/O. Colour needs both stdout and stderr on a terminal (diagnostics go to stderr). */
export function nodeIo(): CliIo {
  installPipeGuard();
  const isTTY = process.stdout.isTTY === true;
  const bothTTY = isTTY && process.stderr.isTTY === true;
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY,
    errIsTTY: process.stderr.isTTY === true,
    color: colorEnabled(process.env, bothTTY),
    ...terminalColumns(process.stdout.columns, process.env['COLUMNS']),
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return null;
      }
    },
    whyUnreadable: (path) => whyUnreadable(path),
    readStdin: () => {
      try {
        return readFileSync(0, 'utf8');
      } catch {
        return null;
      }
    },
    writeFile: (path, text) => {
      try {
        writeFileSync(path, text, 'utf8');
        return true;
      } catch {
        return false;
      }
    },
    appendFile: appendOnce,
    signals: processSignals,
    now: () => performance.now(),
    cores: () => idleCores(),
  };
}

/** The width text output should fit: the terminal's, else COLUMNS when it is a positive integer. */
export function terminalColumns(tty: number | undefined, env: string | undefined): { columns?: number } {
  if (tty !== undefined && tty > 0) return { columns: tty };
  const n = Number(env);
  return env !== undefined && Number.isInteger(n) && n > 0 ? { columns: n } : {};
}

/** Why a path cannot be read as an input file, in words (naming it `shown`); null when it can. */
export function whyUnreadable(path: string, shown: string = path): string | null {
  try {
    if (statSync(path).isDirectory()) return `'${shown}' is a directory, not a file (give the files in it, e.g. '${shown.replace(/\/+$/, '')}/*.mw')`;
    readFileSync(path, 'utf8');
    return null;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `no such file '${shown}'`;
    if (code === 'EACCES' || code === 'EPERM') return `cannot read '${shown}': permission denied`;
    return `cannot read input file '${shown}'`;
  }
}

/** The version from the package.json nearest above this module (dist/cli or cli/). */
export function memweaveVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'memweave' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here; keep climbing
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

/** The text of `memweave --help`. */
export function globalUsage(commands: readonly CommandEntry[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = [
    'memweave: model-check and run shared-memory synchronisation programs',
    '',
    'usage: memweave <command> [options] [args]',
    '       memweave <command> --help',
    '       memweave --version',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'exit codes: 0 ok, 1 violation found, 2 usage or input error, 3 inconclusive, 70 internal error',
    'environment: NO_COLOR disables colour; FORCE_COLOR=1 forces it',
  ];
  return lines.join('\n') + '\n';
}

export { editDistance, suggest } from './suggest.js';

/** True when the arguments ask for help before any `--`. */
function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** Report an internal error (an exception that escaped a command). */
function reportInternal(err: unknown, io: CliIo): number {
  const detail = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  io.stderr(`memweave: internal error: ${detail}\n`);
  io.stderr('memweave: this is a bug in memweave; please report it with the command that produced it.\n');
  return EXIT.internal;
}

/** The command's module, imported on first use when the entry is lazy. */
async function loadCommand(entry: CommandEntry): Promise<CommandBody> {
  return 'load' in entry ? entry.load() : entry;
}

/** Run `memweave` with the arguments after the program name; resolves to the exit code. `commands` is a test seam. */
export async function main(argv: string[], rawIo: CliIo = nodeIo(), commands: readonly CommandEntry[] = COMMANDS): Promise<number> {
  // every byte a command prints passes the control-character guard (cli/terminalSafe.ts)
  const io = terminalSafeIo(rawIo);
  const find = (name: string): CommandEntry | undefined => commands.find((c) => c.name === name);
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr(globalUsage(commands));
      return EXIT.usage;
    }
    if (first === '--help' || first === '-h') {
      io.stdout(globalUsage(commands));
      return EXIT.ok;
    }
    if (first === 'help') {
      const topic = rest[0];
      if (topic === undefined) {
        io.stdout(globalUsage(commands));
        return EXIT.ok;
      }
      const entry = find(topic);
      if (entry === undefined) return unknownCommand(topic, io, commands);
      const cmd = await loadCommand(entry);
      io.stdout(cmd.usage.endsWith('\n') ? cmd.usage : `${cmd.usage}\n`);
      return EXIT.ok;
    }
    if (first === '--version' || first === '-V') {
      io.stdout(`memweave ${memweaveVersion()}\n`);
      return EXIT.ok;
    }
    if (first.startsWith('-')) {
      return commandLineError(io, `memweave: unknown option '${first}' before the command`, "run 'memweave --help' for usage");
    }
    const entry = find(first);
    if (entry === undefined) return unknownCommand(first, io, commands);
    const cmd = await loadCommand(entry);
    if (wantsHelp(rest)) {
      io.stdout(cmd.usage.endsWith('\n') ? cmd.usage : `${cmd.usage}\n`);
      return EXIT.ok;
    }
    const code = await cmd.run(rest, io);
    return code;
  } catch (err) {
    return reportInternal(err, io);
  }
}

function unknownCommand(name: string, io: CliIo, commands: readonly CommandEntry[]): number {
  const hint = suggest(name, commands.map((c) => c.name));
  const message = `memweave: unknown command '${name}'${hint !== null ? `\ndid you mean '${hint}'?` : ''}`;
  return commandLineError(io, message, `commands: ${commands.map((c) => c.name).join(', ')} (see 'memweave --help')`);
}

/** A command line memweave cannot run, as diagnostic U505 on `<command line>` (as every command's usage errors are); exit 2. */
function commandLineError(io: CliIo, message: string, help: string): number {
  io.stderr(renderDiagnostic(diag('U505', COMMAND_LINE, NO_SPAN, message, { help }), null, { color: io.color }));
  return EXIT.usage;
}
