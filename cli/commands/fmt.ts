/**
 * `memweave fmt FILE`: print a .mw file in canonical form, rewrite it in place (--write), or
 * report whether it is already canonical (--check, exit 1 when not). Comments are kept (see
 * model/syntax/comments.ts for where each one goes). Only lexical and parse errors stop
 * formatting; name and static-check errors do not (the text can still be printed). A .litmus file
 * is printed as its .mw import, without its comments.
 */
import type { Diagnostic } from '../../model/diagnostics/diagnostic.js';
import { attachComments } from '../../model/syntax/comments.js';
import { printProgram } from '../../model/syntax/printer.js';
import { parseCommandArgs } from '../args.js';
import { loadInput, printDiagnostics, usageError, writeError } from '../input.js';
import { EXIT, type CliIo, type CommandBody } from '../types.js';

const OPTIONS = { write: { type: 'boolean' }, check: { type: 'boolean' } } as const;

/** True for diagnostics that mean the text could not be parsed (lexical, parse, litmus import). */
export function isSyntaxError(d: Diagnostic): boolean {
  return d.severity === 'error' && /^[EPH]/.test(d.code);
}

/** The `fmt` command. */
export const fmtCommand: CommandBody = {
  name: 'fmt',
  usage: [
    'usage: memweave fmt FILE [--write | --check]',
    '       memweave fmt --write|--check FILE...',
    '',
    'Prints FILE in canonical .mw form on stdout, keeping its comments. A .litmus file is printed',
    'as its .mw import (without its comments). With --write or --check, several files (as gofmt and',
    'prettier take them): each is rewritten or checked in turn.',
    '',
    'options:',
    '  --write     rewrite each FILE in place (.mw only); comments are kept',
    '  --check     exit 1 if some FILE is not in canonical form (each is named), 0 if all are (.mw only)',
    '  -h, --help  show this help',
    '',
    'exit: 0 ok, 1 not canonical (--check), 2 usage error or syntax errors (in any file)',
  ].join('\n'),
  run(argv: string[], io: CliIo): Promise<number> {
    return Promise.resolve(runFmt(argv, io));
  },
};

function runFmt(argv: string[], io: CliIo): number {
  const args = parseCommandArgs(argv, OPTIONS, { positionals: ['FILE'], maxPositionals: Infinity });
  if (!args.ok) return usageError(io, 'fmt', args.message);
  const write = args.values.write === true;
  const check = args.values.check === true;
  const paths = args.positionals;
  if (write && check) return usageError(io, 'fmt', '--write and --check cannot be used together');
  if (paths.length > 1 && !write && !check) return usageError(io, 'fmt', 'several files need --write or --check (printing takes one FILE)');
  const bad = paths.find((p) => !p.toLowerCase().endsWith('.mw'));
  if ((write || check) && bad !== undefined) {
    return usageError(io, 'fmt', `--${write ? 'write' : 'check'} works on .mw files only, not '${bad}'`);
  }
  // one exit code for all: a syntax or usage error (2) first, then not canonical (1)
  const codes = paths.map((path) => fmtOne(io, path, write, check));
  return codes.includes(EXIT.usage) ? EXIT.usage : codes.includes(EXIT.violation) ? EXIT.violation : EXIT.ok;
}

function fmtOne(io: CliIo, path: string, write: boolean, check: boolean): number {
  const { result, diagnostics } = loadInput(io, path, {});
  if (result === null) {
    printDiagnostics(io, diagnostics, null);
    return EXIT.usage;
  }
  const syntax = diagnostics.filter(isSyntaxError);
  if (syntax.length > 0 || result.ast === null) {
    printDiagnostics(io, syntax, result.file);
    return EXIT.usage;
  }
  const original = result.file.text;
  const isMw = path.toLowerCase().endsWith('.mw');
  const formatted = isMw ? printProgram(result.ast, { comments: attachComments(result.ast, result.file) }) : printProgram(result.ast);
  if (check) {
    if (formatted === original) return EXIT.ok;
    io.stderr(`${path}: not in canonical form (run 'memweave fmt --write ${path}')\n`);
    return EXIT.violation;
  }
  if (write) {
    if (formatted === original) return EXIT.ok;
    if (io.writeFile === undefined || !io.writeFile(path, formatted)) {
      return writeError(io, 'fmt', path, 'the formatted program');
    }
    io.stderr(`formatted ${path}\n`);
    return EXIT.ok;
  }
  io.stdout(formatted);
  return EXIT.ok;
}
