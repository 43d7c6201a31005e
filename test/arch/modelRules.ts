/**
 * The memory-model plug-in rule of docs/architecture.md as a pure function over source texts:
 * nothing outside model/memory/ names a memory model or reads a model's words.
 *   - names: a string literal equal to a model name that is not also an access mode ('tso',
 *     'pso', 'js'), or a comparison of something called `model` with any model name (`model ===
 *     'sc'`), outside model/memory/;
 *   - files: an import of a model's own file (model/memory/<model>.js) from outside
 *     model/memory/ — the registry and the interface (registry.js, model.js) are the way in;
 *   - words: the identifiers that address a model's words (`memBase`, `sharedBase`,
 *     `blockBase`) outside model/memory/ and the two files that place them (layout.ts,
 *     createMachine.ts).
 * Comments are stripped first (a comment may say what a model does).
 */
import { stripComments } from './rules.js';

/** A broken plug-in rule. */
export interface ModelLeak {
  readonly path: string;
  readonly line: number;
  readonly reason: string;
}

/** Files allowed to address the model's words by placing them. */
const PLACERS = ['model/semantics/layout.ts', 'model/semantics/createMachine.ts'];
/** Files of model/memory/ any layer may import. */
const OPEN_FILES = ['registry', 'model'];
/** Identifiers that address a model's words. */
const WORD_NAMES = ['memBase', 'sharedBase', 'blockBase'];

const lineAt = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/** The plug-in rule's violations in these files, given the registry's model names and the access modes. */
export function findModelLeaks(files: readonly { readonly path: string; readonly text: string }[], modelNames: readonly string[], modeNames: readonly string[]): ModelLeak[] {
  const out: ModelLeak[] = [];
  for (const f of files) {
    if (f.path.startsWith('model/memory/')) continue;
    const text = stripComments(f.text);
    for (const m of text.matchAll(/'([^'\\\n]*)'|"([^"\\\n]*)"/g)) {
      const lit = m[1] ?? m[2] ?? '';
      if (modelNames.includes(lit) && !modeNames.includes(lit)) out.push({ path: f.path, line: lineAt(text, m.index), reason: `names the memory model '${lit}'` });
    }
    for (const name of modelNames) {
      const cmp = new RegExp(`\\b\\w*[mM]odel\\w*\\s*[!=]==?\\s*['"]${name}['"]|['"]${name}['"]\\s*[!=]==?\\s*[\\w.]*[mM]odel\\b`, 'g');
      for (const m of text.matchAll(cmp)) out.push({ path: f.path, line: lineAt(text, m.index), reason: `compares a model with '${name}'` });
      // a model (or what a model stands `Under`) given a name by literal: `model: 'sc'`, `forbiddenUnder ?? 'sc'`
      const given = new RegExp(`\\b\\w*(?:[mM]odel|Under)\\w*\\??\\s*(?::|\\?\\?|=(?!=))\\s*['"]${name}['"]`, 'g');
      for (const m of text.matchAll(given)) out.push({ path: f.path, line: lineAt(text, m.index), reason: `gives a model the name '${name}'` });
    }
    for (const m of text.matchAll(/from\s+['"]([^'"]*\/memory\/(\w+)\.js)['"]/g)) {
      const file = m[2] ?? '';
      if (!OPEN_FILES.includes(file) && !f.path.includes('/memory/')) out.push({ path: f.path, line: lineAt(text, m.index), reason: `imports the model file ${m[1] ?? ''} (go through model/memory/registry.js)` });
    }
    if (!PLACERS.includes(f.path)) {
      for (const w of WORD_NAMES) {
        for (const m of text.matchAll(new RegExp(`\\b${w}\\b`, 'g'))) out.push({ path: f.path, line: lineAt(text, m.index), reason: `addresses a model's words (${w})` });
      }
    }
  }
  return out;
}
