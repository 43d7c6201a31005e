/** Types for scripts/gen-docs.mjs (the generator of docs/diagnostics.md). */

/** One catalogue entry, as in model/diagnostics/codes.ts. */
export interface DocCodeEntry {
  readonly severity: string;
  readonly title: string;
  readonly help?: string;
}

/** A golden example: the input file (if any), the CLI arguments (for .args cases) and the rendered output. */
export interface DocExample {
  readonly inputName?: string;
  readonly input?: string;
  readonly args?: readonly string[];
  readonly output: string;
}

/** The code ranges: [first letter, range name, stage]. */
export const RANGES: readonly (readonly [string, string, string])[];

/** Render docs/diagnostics.md from the catalogue and the examples. */
export function renderDiagnosticsDoc(codes: Readonly<Record<string, DocCodeEntry>>, examples: Readonly<Record<string, DocExample>>): string;

/** Read the golden examples under the repository root `root` (test/golden/diagnostics/). */
export function loadExamples(root: string): Record<string, DocExample>;
