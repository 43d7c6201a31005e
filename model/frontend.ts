/**
 * The front end as one call: source text → AST → IR, with every diagnostic. `.litmus` files go
 * to the herd importer, everything else to the .mw parser; lowering runs only when parsing
 * produced no errors. Pure: the caller reads the file.
 */
import { SourceFile, normaliseSourceText } from './syntax/source.js';
import type { Program } from './syntax/ast.js';
import type { IrProgram } from './ir.js';
import { hasErrors } from './diagnostics/diagnostic.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { parseMw } from './syntax/parser.js';
import { parseLitmus } from './litmus/index.js';
import { lowerProgram } from './syntax/lower.js';
import { unreadRegisterWarnings } from './syntax/unreadRegisters.js';

/** What compiling one source produced: the file, its AST (null if unparseable), its IR (null on any error), and all diagnostics. */
export interface CompileOutput {
  readonly file: SourceFile;
  readonly ast: Program | null;
  readonly ir: IrProgram | null;
  readonly diagnostics: Diagnostic[];
}

/**
 * Compile a .mw or .litmus source to IR; never throws, every failure is a diagnostic. The text is
 * read as {@link normaliseSourceText} gives it (no byte-order mark, CR-only line ends as LF).
 */
export function compileSource(name: string, text: string, options: { defines?: Readonly<Record<string, number>> } = {}): CompileOutput {
  const file = new SourceFile(name, normaliseSourceText(text));
  const parsed = name.toLowerCase().endsWith('.litmus') ? parseLitmus(file) : parseMw(file);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  if (hasErrors(diagnostics)) return { file, ast: parsed.program, ir: null, diagnostics };
  const lowered = lowerProgram(parsed.program, file, options.defines === undefined ? {} : { defines: options.defines });
  diagnostics.push(...lowered.diagnostics);
  // a hand-written program's dropped results (herd tests observe their registers in the condition)
  if (lowered.ok && !name.toLowerCase().endsWith('.litmus')) diagnostics.push(...unreadRegisterWarnings(lowered.value));
  return { file, ast: parsed.program, ir: lowered.ok ? lowered.value : null, diagnostics };
}
