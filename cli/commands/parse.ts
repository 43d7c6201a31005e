/**
 * `memweave parse FILE`: run the front end (lex, parse, resolve, check, lower) on a .mw or .litmus
 * file and print the canonical .mw text of the program (a .litmus file is printed as its .mw
 * import), or with --ir the lowered IR as JSON. Diagnostics go to stderr; exit 2 on any error.
 */
import { hasErrors } from '../../model/diagnostics/diagnostic.js';
import { printProgram } from '../../model/syntax/printer.js';
import { DEFINE_OPTION, FORMAT_OPTION, FORMATS, isFormat, parseCommandArgs } from '../args.js';
import { diagnosticsJsonFields } from '../render.js';
import { definesOrDiagnostics, loadInput, printDiagnostics, reportDiagnostics, usageError } from '../input.js';
import { EXIT, type CliIo, type CommandBody } from '../types.js';

const OPTIONS = { ...DEFINE_OPTION, ...FORMAT_OPTION, ir: { type: 'boolean' } } as const;

/** JSON.stringify replacer that prints typed arrays as plain arrays. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/** The `parse` command. */
export const parseCommand: CommandBody = {
  name: 'parse',
  usage: [
    'usage: memweave parse FILE [-D NAME=VALUE]... [--format text|json] [--ir]',
    '',
    'Runs the front end on FILE (.mw, or a herd7 .litmus test) and prints the program in canonical',
    '.mw form; a .litmus file is printed as its .mw import. Diagnostics are printed on stderr.',
    '',
    'options:',
    '  -D, --define NAME=VALUE  override a param (repeatable; also -DNAME=VALUE)',
    '  --format text|json       text (default), or one JSON object on stdout:',
    '                           { ok, diagnostics, program } (or ir with --ir)',
    '  --ir                     print the lowered IR as JSON instead of the program',
    '  -h, --help               show this help',
    '',
    'exit: 0 ok, 2 usage error or the file has errors',
  ].join('\n'),
  run(argv: string[], io: CliIo): Promise<number> {
    return Promise.resolve(runParse(argv, io));
  },
};

function runParse(argv: string[], io: CliIo): number {
  const args = parseCommandArgs(argv, OPTIONS, { choices: { format: FORMATS }, positionals: ['FILE'] });
  if (!args.ok) return usageError(io, 'parse', args.message);
  const format = isFormat(args.values.format) ? args.values.format : 'text';
  const path = args.positionals[0] ?? '';
  const defs = definesOrDiagnostics(args.values.define);
  if (defs.diagnostics.length > 0) {
    reportDiagnostics(io, format, defs.diagnostics, null);
    return EXIT.usage;
  }
  const { result, diagnostics } = loadInput(io, path, defs.defines);
  const file = result?.file ?? null;
  if (result === null || hasErrors(diagnostics)) {
    reportDiagnostics(io, format, diagnostics, file);
    return EXIT.usage;
  }
  const wantIr = args.values.ir === true;
  const ast = result.ast;
  if (ast === null || (wantIr && result.ir === null)) {
    // the front end reported no error but produced nothing: that is a bug, not bad input
    throw new Error('internal error: front end returned no program and no error (this is a bug in memweave)');
  }
  if (format === 'json') {
    const payload = wantIr ? { ir: result.ir } : { program: printProgram(ast) };
    io.stdout(JSON.stringify({ ok: true, ...diagnosticsJsonFields(diagnostics, file), ...payload }, jsonReplacer, 2) + '\n');
    return EXIT.ok;
  }
  printDiagnostics(io, diagnostics, file);
  if (wantIr) io.stdout(JSON.stringify(result.ir, jsonReplacer, 2) + '\n');
  else io.stdout(printProgram(ast));
  return EXIT.ok;
}
