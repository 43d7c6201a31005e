/**
 * Test inputs from source text and from the examples tree: compile a test's own program (which
 * must compile: the error lists every diagnostic) and list the files under a folder.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileSource } from '../../model/frontend.js';
import type { IrProgram } from '../../model/ir.js';

/** Compile .mw (or .litmus, by `name`) text to IR with -D `defines`; throws with the diagnostics and the text when it does not compile. */
export function compileOrThrow(name: string, text: string, defines: Readonly<Record<string, number>> = {}): IrProgram {
  const c = compileSource(name, text, { defines });
  if (c.ir === null) throw new Error(`${name} does not compile: ${c.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}\n${text}`);
  return c.ir;
}

/** Compile a file of the repository (a path from the repository root) with -D `defines`; throws when it does not compile. */
export function compileFile(path: string, defines: Readonly<Record<string, number>> = {}): IrProgram {
  return compileOrThrow(path, readFileSync(path, 'utf8'), defines);
}

/** Every file under `dir`, recursively, as paths joined to `dir`, sorted. */
export function walkFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walkFiles(path) : [path];
    });
}
