/**
 * Input handling shared by commands that read a program: usage-error printing, reading a .mw or
 * .litmus file (U503 when it cannot be read, U504 for any other extension), turning -D
 * definitions into U501 diagnostics, running the front end, and printing diagnostics on stderr
 * in text or JSON form.
 */
import { diag, hasErrors, type Diagnostic } from '../model/diagnostics/diagnostic.js';
import { compileSource } from '../model/frontend.js';
import { NO_SPAN, type SourceFile } from '../model/syntax/source.js';
import { parseDefines, type Format } from './args.js';
import { diagnosticsToJson, renderDiagnostics, summarizeDiagnostics } from './render.js';
import { EXIT, type CliIo } from './types.js';

/** The display name used for diagnostics about the command line itself. */
export const COMMAND_LINE = '<command line>';

/** The file types memweave reads. */
export const INPUT_EXTENSIONS = ['.mw', '.litmus'] as const;

/** What the front end returns for one file. */
export type FrontendResult = ReturnType<typeof compileSource>;

/** Print `memweave <cmd>: error: …` plus a pointer to the command's help; returns exit code 2. */
export function usageError(io: CliIo, command: string, message: string): number {
  io.stderr(`memweave ${command}: error: ${message}\n`);
  io.stderr(`memweave ${command}: run 'memweave ${command} --help' for usage\n`);
  return EXIT.usage;
}

/** Print diagnostics on stderr (rendered, with a count line when there are errors or warnings). */
export function printDiagnostics(io: CliIo, list: readonly Diagnostic[], file: SourceFile | null): void {
  if (list.length === 0) return;
  io.stderr(renderDiagnostics(list, file, { color: io.color }));
  const summary = summarizeDiagnostics(list);
  if (summary !== '') io.stderr(`\n${summary}\n`);
}

/** U501 diagnostics for malformed -D definitions, or the parsed defines. */
export function definesOrDiagnostics(list: readonly string[] | undefined): { defines: Record<string, number>; diagnostics: Diagnostic[] } {
  const { defines, errors } = parseDefines(list ?? []);
  return { defines, diagnostics: errors.map((m) => diag('U501', COMMAND_LINE, NO_SPAN, m)) };
}

/** Read and compile one input; diagnostics about the file itself (U503/U504) come back without a result. */
export function loadInput(io: CliIo, path: string, defines: Readonly<Record<string, number>>): { result: FrontendResult | null; diagnostics: readonly Diagnostic[] } {
  const ext = INPUT_EXTENSIONS.find((e) => path.toLowerCase().endsWith(e));
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
    io.stdout(JSON.stringify({ ok: !hasErrors(list), diagnostics: diagnosticsToJson(list, file) }, null, 2) + '\n');
  } else {
    printDiagnostics(io, list, file);
  }
}
