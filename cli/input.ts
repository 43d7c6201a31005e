/**
 * Input handling shared by commands that read a program: usage-error printing, reading a .mw or
 * .litmus file (U503 when it cannot be read, U504 for any other extension), turning -D
 * definitions into U501 diagnostics, running the front end, and printing diagnostics on stderr
 * in text or JSON form.
 */
import { diag, hasErrors, type Diagnostic } from '../model/diagnostics/diagnostic.js';
import type { IrProgram } from '../model/ir.js';
import { compileSource } from '../model/frontend.js';
import { NO_SPAN, type SourceFile } from '../model/syntax/source.js';
import { parseDefines, type Format } from './args.js';
import { COMMAND_LINE, diagnosticsJsonFields, renderDiagnostic, renderDiagnostics, summarizeDiagnostics } from './render.js';
import { EXIT, type CliIo } from './types.js';

export { COMMAND_LINE } from './render.js';

/** The FILE argument that means standard input. */
export const STDIN_PATH = '-';
/** The file name diagnostics and reports give standard input. */
export const STDIN_NAME = '<stdin>';

/** The file types memweave reads. */
export const INPUT_EXTENSIONS = ['.mw', '.litmus'] as const;

/** What the front end returns for one file. */
export type FrontendResult = ReturnType<typeof compileSource>;

/**
 * Print a usage error as diagnostic U505 on the command line (`error[U505]: … --> <command line>`,
 * with a pointer to the command's help); returns exit code 2.
 */
export function usageError(io: CliIo, command: string, message: string): number {
  io.stderr(renderDiagnostic(diag('U505', COMMAND_LINE, NO_SPAN, `memweave ${command}: ${message}`, { help: `run 'memweave ${command} --help' for usage` }), null, { color: io.color }));
  return EXIT.usage;
}

/** Print diagnostics on stderr (rendered, with a count line when there are errors or warnings). */
export function printDiagnostics(io: CliIo, list: readonly Diagnostic[], file: SourceFile | null): void {
  if (list.length === 0) return;
  io.stderr(renderDiagnostics(list, file, { color: io.color }));
  const summary = summarizeDiagnostics(list);
  if (summary !== '') io.stderr(`\n${summary}\n`);
}

/** Print that `path` could not be written, as diagnostic U506 pointing at the file; returns exit code 2. */
export function writeError(io: CliIo, command: string, path: string, what = 'the output'): number {
  io.stderr(renderDiagnostic(diag('U506', path, NO_SPAN, `memweave ${command}: cannot write ${what} to '${path}'`), null, { color: io.color }));
  return EXIT.usage;
}

/** U501 diagnostics for malformed -D definitions, or the parsed defines. */
export function definesOrDiagnostics(list: readonly string[] | undefined): { defines: Record<string, number>; diagnostics: Diagnostic[] } {
  const { defines, errors } = parseDefines(list ?? []);
  return { defines, diagnostics: errors.map((m) => diag('U501', COMMAND_LINE, NO_SPAN, m)) };
}

/** Read and compile one input; diagnostics about the file itself (U503/U504) come back without a result. */
export function loadInput(io: CliIo, path: string, defines: Readonly<Record<string, number>>): { result: FrontendResult | null; diagnostics: readonly Diagnostic[] } {
  if (path === STDIN_PATH) {
    // `-` is standard input, read as a .mw program named <stdin>
    const text = io.readStdin?.() ?? null;
    if (text === null) return { result: null, diagnostics: [diag('U503', STDIN_NAME, NO_SPAN, 'cannot read standard input')] };
    const result = compileSource(STDIN_NAME, text, { defines });
    return { result, diagnostics: result.diagnostics };
  }
  const ext = INPUT_EXTENSIONS.find((e) => path.toLowerCase().endsWith(e));
  const why = io.whyUnreadable?.(path) ?? null;
  // a directory is said to be one, whatever its name
  if (why !== null && (ext !== undefined || / is a directory/.test(why))) return { result: null, diagnostics: [diag('U503', path, NO_SPAN, why)] };
  if (ext === undefined) {
    return { result: null, diagnostics: [diag('U504', path, NO_SPAN, `unknown file type '${path}': expected a .mw or .litmus file`)] };
  }
  const text = io.readFile(path);
  if (text === null) {
    return { result: null, diagnostics: [diag('U503', path, NO_SPAN, `cannot read input file '${path}'`)] };
  }
  const result = compileSource(path, text, { defines });
  return { result, diagnostics: result.diagnostics };
}

/** Emit diagnostics in the chosen format: rendered on stderr, or as a JSON object on stdout. */
export function reportDiagnostics(io: CliIo, format: Format, list: readonly Diagnostic[], file: SourceFile | null): void {
  if (format === 'json') {
    io.stdout(JSON.stringify({ ok: !hasErrors(list), ...diagnosticsJsonFields(list, file) }, null, 2) + '\n');
  } else {
    printDiagnostics(io, list, file);
  }
}

/** A compiled program ready for a command, or the exit code after its diagnostics were reported. */
export type LoadedProgram = { readonly ok: true; readonly program: IrProgram; readonly file: SourceFile } | { readonly ok: false; readonly exit: number };

/**
 * The common prologue of commands that take FILE and -D: parse the defines, read and compile the
 * file, report diagnostics (errors → exit 2; warnings are printed and the program returned).
 */
export function loadProgram(io: CliIo, format: Format, path: string, defineList: readonly string[] | undefined): LoadedProgram {
  const defs = definesOrDiagnostics(defineList);
  if (defs.diagnostics.length > 0) {
    reportDiagnostics(io, format, defs.diagnostics, null);
    return { ok: false, exit: EXIT.usage };
  }
  const { result, diagnostics } = loadInput(io, path, defs.defines);
  if (result === null || result.ir === null || hasErrors(diagnostics)) {
    reportDiagnostics(io, format, diagnostics, result?.file ?? null);
    return { ok: false, exit: EXIT.usage };
  }
  if (format === 'text') printDiagnostics(io, diagnostics, result.file);
  return { ok: true, program: result.ir, file: result.file };
}

/** Parse an integer option in [min, max]: cli/intOption.ts (pure, shared with the playground). */
export { intOption } from './intOption.js';
