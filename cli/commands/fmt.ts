/**
 * `memweave fmt FILE`: print a .mw file in canonical form, rewrite it in place (--write), or
 * report whether it is already canonical (--check, exit 1 when not). Only lexical and parse
 * errors stop formatting; name and static-check errors do not (the text can still be printed).
 * Known gap: the printer does not keep comments, so --write refuses files that have comments.
 */
import type { Diagnostic } from '../../model/diagnostics/diagnostic.js';
import { printProgram } from '../../model/syntax/printer.js';
import { parseCommandArgs } from '../args.js';
import { loadInput, printDiagnostics, usageError } from '../input.js';
import { EXIT, type CliIo, type Command } from '../types.js';

const OPTIONS = { write: { type: 'boolean' }, check: { type: 'boolean' } } as const;

/** True for diagnostics that mean the text could not be parsed (lexical, parse, litmus import). */
export function isSyntaxError(d: Diagnostic): boolean {
  return d.severity === 'error' && /^[EPH]/.test(d.code);
}

/** True when .mw text contains a comment (`//`, `/* … *\/` or `(* … *)`) outside string literals. */
export function hasComments(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      // skip a string literal (one line, with \" and \\ escapes)
      for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      continue;
    }
    const next = text[i + 1];
    if ((c === '/' && (next === '/' || next === '*')) || (c === '(' && next === '*')) return true;
  }
  return false;
}

/** The `fmt` command. */
export const fmtCommand: Command = {
  name: 'fmt',
  summary: 'print a .mw file in canonical form (--write to rewrite it, --check to verify)',
  usage: [
    'usage: memweave fmt FILE [--write | --check]',
    '',
    'Prints FILE in canonical .mw form on stdout. A .litmus file is printed as its .mw import.',
    '',
    'options:',
    '  --write     rewrite FILE in place (.mw only; refused when FILE has comments, which the',
    '              printer does not keep yet)',
    '  --check     exit 1 if FILE is not in canonical form, 0 if it is (.mw only)',
    '  -h, --help  show this help',
    '',
    'exit: 0 ok, 1 not canonical (--check), 2 usage error or syntax errors',
  ].join('\n'),
  run(argv: string[], io: CliIo): Promise<number> {
    return Promise.resolve(runFmt(argv, io));
  },
};

function runFmt(argv: string[], io: CliIo): number {
  const args = parseCommandArgs(argv, OPTIONS, { positionals: ['FILE'] });
  if (!args.ok) return usageError(io, 'fmt', args.message);
  const write = args.values.write === true;
  const check = args.values.check === true;
  const path = args.positionals[0] ?? '';
  if (write && check) return usageError(io, 'fmt', '--write and --check cannot be used together');
  if ((write || check) && !path.toLowerCase().endsWith('.mw')) {
    return usageError(io, 'fmt', `--${write ? 'write' : 'check'} works on .mw files only`);
  }
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
  const formatted = printProgram(result.ast);
  const original = result.file.text;
  if (check) {
    if (formatted === original) return EXIT.ok;
    io.stderr(`${path}: not in canonical form (run 'memweave fmt --write ${path}')\n`);
    if (hasComments(original)) io.stderr(`${path}: note: the printer does not keep comments, so a file with comments is never canonical yet\n`);
    return EXIT.violation;
  }
  if (write) {
    if (formatted === original) return EXIT.ok;
    if (hasComments(original)) {
      io.stderr(`memweave fmt: error: ${path} has comments, which the printer does not keep yet; not rewriting it\n`);
      io.stderr(`memweave fmt: run 'memweave fmt ${path}' to see the canonical form on stdout\n`);
      return EXIT.usage;
    }
    if (io.writeFile === undefined || !io.writeFile(path, formatted)) {
      io.stderr(`memweave fmt: error: cannot write '${path}'\n`);
      return EXIT.usage;
    }
    io.stderr(`formatted ${path}\n`);
    return EXIT.ok;
  }
  io.stdout(formatted);
  return EXIT.ok;
}
