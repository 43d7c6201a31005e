/**
 * The layering rules of docs ARCHITECTURE.md as a pure function over source texts:
 *   model   → model only; no `node:` modules, no packages except ts-pattern, no Node types
 *   checker → model and checker (+ ts-pattern)
 *   impl    → model and impl (+ ts-pattern, `node:` modules)
 *   explore → model and explore (+ ts-pattern, typescript, `node:` modules); never checker or impl
 *   cli     → anything except test/ and bench/
 *   playground → model, checker and the pure parts of impl and cli (what it reaches of impl/ and
 *              cli/, file by file, imports no `node:` module and no package but the browser's:
 *              @viz-js/viz, ts-pattern); no `node:` modules, no Node types; nothing imports playground/
 * Import specifiers are found in static imports, `export … from`, side-effect imports, dynamic
 * `import()` and `/// <reference types>` directives, with comments stripped first.
 */
import { posix } from 'node:path';

/** The checked layers. */
export const LAYERS = ['model', 'checker', 'impl', 'explore', 'cli', 'playground'] as const;
/** One of {@link LAYERS}. */
export type Layer = (typeof LAYERS)[number];

/** Packages any layer may import. */
export const PACKAGE_ALLOWLIST: readonly string[] = ['ts-pattern'];

/** Which source layers each layer may import (relative imports). */
export const ALLOWED_LAYERS: Readonly<Record<Layer, readonly string[]>> = {
  model: ['model'],
  checker: ['model', 'checker'],
  impl: ['model', 'impl'],
  explore: ['model', 'explore'],
  cli: ['model', 'checker', 'impl', 'explore', 'cli'],
  playground: ['model', 'checker', 'impl', 'cli', 'playground'],
};

/** Packages a browser bundle (playground/ and the cli/ files it reaches) may import. */
export const BROWSER_PACKAGES: readonly string[] = ['ts-pattern', '@viz-js/viz'];

/** One import found in a file. */
export interface ImportRef {
  readonly specifier: string;
  /** 1-based line of the import */
  readonly line: number;
  /** `dynamic-expr` is an `import(expr)` whose argument is not a string literal */
  readonly kind: 'static' | 'dynamic' | 'dynamic-expr' | 'reference';
}

/** A broken rule. */
export interface Violation {
  readonly path: string;
  readonly line: number;
  readonly specifier: string;
  readonly reason: string;
}

/** Replace comments with spaces (keeping newlines and string literals) so offsets and lines stay put. */
export function stripComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (c === '/' && n === '/') {
      // keep triple-slash directives: they are imports too
      if (src[i + 2] === '/') {
        const end = src.indexOf('\n', i);
        const stop = end < 0 ? src.length : end;
        out += src.slice(i, stop);
        i = stop;
        continue;
      }
      while (i < src.length && src[i] !== '\n') {
        out += ' ';
        i++;
      }
      continue;
    }
    if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') j++;
        else if (c !== '`' && src[j] === '\n') break;
        j++;
      }
      out += src.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Blank the contents of string literals (same length), so text inside strings never looks like an import. */
function maskStrings(text: string): string {
  return text.replace(/(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g, (_m, q: string, body: string) => q + ' '.repeat(body.length) + q);
}

/** Every import specifier in a TypeScript source text. */
export function extractImports(src: string): ImportRef[] {
  const text = stripComments(src);
  const masked = maskStrings(text);
  const found: { offset: number; ref: Omit<ImportRef, 'line'> }[] = [];
  // Each pattern runs on the masked text; group 2 is the (blanked) specifier, read back from `text`.
  const patterns: { re: RegExp; kind: ImportRef['kind'] }[] = [
    // import x from 'a'; import type { X } from 'a'; export { x } from 'a'; export * from 'a'
    { re: /\b(?:import|export)\s+(?:type\s+)?[\w$*{}\s,]*?\bfrom\s*(['"])([^'"\n]*)\1/dg, kind: 'static' },
    // import 'a' (side effects)
    { re: /\bimport\s*(['"])([^'"\n]*)\1/dg, kind: 'static' },
    // import('a')
    { re: /\bimport\s*\(\s*(['"`])([^'"`\n]*)\1\s*[,)]/dg, kind: 'dynamic' },
    // /// <reference types="node" /> or path="…"
    { re: /\/\/\/\s*<reference\s+(?:types|path)\s*=\s*(['"])([^'"\n]*)\1/dg, kind: 'reference' },
  ];
  for (const { re, kind } of patterns) {
    for (const m of masked.matchAll(re)) {
      const at = m.indices?.[2];
      if (at !== undefined) found.push({ offset: m.index ?? 0, ref: { specifier: text.slice(at[0], at[1]), kind } });
    }
  }
  // import(expr) with a non-literal argument
  for (const m of masked.matchAll(/\bimport\s*\(\s*(?!['"`])/g)) {
    found.push({ offset: m.index ?? 0, ref: { specifier: '<expression>', kind: 'dynamic-expr' } });
  }
  found.sort((a, b) => a.offset - b.offset);
  return found.map(({ offset, ref }) => ({ ...ref, line: lineAt(text, offset) }));
}

/** The layer a repository-relative path belongs to ('' for none of the checked layers). */
export function layerOf(path: string): string {
  const first = posix.normalize(path).split('/')[0] ?? '';
  return first;
}

function isLayer(s: string): s is Layer {
  return (LAYERS as readonly string[]).includes(s);
}

/** The package name of a bare specifier (`@scope/pkg/sub` → `@scope/pkg`). */
export function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
}

/** Check one import of a file in `layer`; null when allowed. */
function checkImport(path: string, layer: Layer, ref: ImportRef): string | null {
  const spec = ref.specifier;
  if (ref.kind === 'dynamic-expr') {
    return layer === 'cli' ? null : 'dynamic import of a computed specifier cannot be checked';
  }
  if (ref.kind === 'reference') {
    if (spec === 'node' && (layer === 'model' || layer === 'checker' || layer === 'playground')) return `${layer}/ must not use Node types`;
    if (!spec.startsWith('.')) return null;
  }
  if (spec.startsWith('.') || spec.startsWith('/')) {
    if (spec.startsWith('/')) return 'absolute import path';
    const target = posix.normalize(posix.join(posix.dirname(path), spec));
    if (target.startsWith('..')) return 'import reaches outside the repository';
    const targetLayer = layerOf(target);
    if (targetLayer === 'test' || targetLayer === 'bench') return `nothing may import ${targetLayer}/`;
    if (!ALLOWED_LAYERS[layer].includes(targetLayer)) return `${layer}/ may not import ${targetLayer}/ (allowed: ${ALLOWED_LAYERS[layer].join(', ')})`;
    return null;
  }
  if (spec.startsWith('node:') || NODE_BUILTINS.has(packageName(spec))) {
    if (layer === 'impl' || layer === 'explore' || layer === 'cli') return null;
    return `${layer}/ must not import Node modules (${spec})`;
  }
  if (layer === 'cli') return null;
  if (PACKAGE_ALLOWLIST.includes(packageName(spec))) return null;
  if (layer === 'explore' && packageName(spec) === 'typescript') return null; // the transform's compiler API
  return `${layer}/ may import only these packages: ${PACKAGE_ALLOWLIST.join(', ')} (found ${spec})`;
}

/** Node built-ins reachable without the `node:` prefix (only the ones worth catching). */
const NODE_BUILTINS: ReadonlySet<string> = new Set(['fs', 'path', 'os', 'url', 'util', 'child_process', 'worker_threads', 'process', 'crypto', 'perf_hooks', 'events', 'stream', 'module', 'assert', 'timers']);

/** Every layering violation in a set of repository-relative source files. */
export function findViolations(files: readonly { readonly path: string; readonly text: string }[]): Violation[] {
  const out: Violation[] = [];
  for (const f of files) {
    const layer = layerOf(f.path);
    if (!isLayer(layer)) continue;
    for (const ref of extractImports(f.text)) {
      const reason = checkImport(f.path, layer, ref);
      if (reason !== null) out.push({ path: f.path, line: ref.line, specifier: ref.specifier, reason });
    }
  }
  return out;
}

/**
 * The browser rule: every file under `from` (playground/) and every impl/ or cli/ file it reaches through
 * relative imports, transitively (static, dynamic and type imports alike), must import no `node:`
 * module or Node built-in and no package but {@link BROWSER_PACKAGES}: the cli/ code the
 * playground shares with the CLI stays pure. (model/ and checker/ are pure by their own rules.)
 */
export function findBrowserViolations(files: readonly { readonly path: string; readonly text: string }[], from = 'playground'): Violation[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const out: Violation[] = [];
  const seen = new Set<string>();
  const queue = files.filter((f) => layerOf(f.path) === from).map((f) => ({ path: f.path, via: f.path }));
  while (queue.length > 0) {
    const { path, via } = queue.shift() as { path: string; via: string };
    if (seen.has(path)) continue;
    seen.add(path);
    const f = byPath.get(path);
    if (f === undefined) continue;
    const reached = path === via ? '' : ` (reached from ${via})`;
    for (const ref of extractImports(f.text)) {
      const spec = ref.specifier;
      if (spec.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(path), spec)).replace(/\.js$/, '.ts');
        if (layerOf(target) === 'cli' || layerOf(target) === 'impl' || layerOf(target) === from) queue.push({ path: target, via });
        continue;
      }
      if (ref.kind === 'dynamic-expr' || ref.kind === 'reference') continue;
      if (spec.startsWith('node:') || NODE_BUILTINS.has(packageName(spec))) out.push({ path, line: ref.line, specifier: spec, reason: `a browser bundle may not import Node modules${reached}` });
      else if (!BROWSER_PACKAGES.includes(packageName(spec))) out.push({ path, line: ref.line, specifier: spec, reason: `a browser bundle may import only ${BROWSER_PACKAGES.join(', ')}${reached}` });
    }
  }
  return out;
}

/** Which layer tsconfigs each layer's tsconfig may reference, and whether it may see Node types. */
export const TSCONFIG_RULES: Readonly<Record<Layer, { readonly references: readonly string[]; readonly nodeTypes: boolean }>> = {
  model: { references: [], nodeTypes: false },
  checker: { references: ['model'], nodeTypes: false },
  impl: { references: ['model'], nodeTypes: true },
  explore: { references: ['model'], nodeTypes: true },
  cli: { references: ['model', 'checker', 'impl', 'explore'], nodeTypes: true },
  playground: { references: ['model', 'checker', 'impl', 'cli'], nodeTypes: false },
};

/** Violations of the tsconfig rules for one layer's parsed tsconfig.json. */
export function checkTsconfig(layer: Layer, config: { references?: readonly { path: string }[]; compilerOptions?: { types?: readonly string[] } }): string[] {
  const rule = TSCONFIG_RULES[layer];
  const problems: string[] = [];
  for (const r of config.references ?? []) {
    const target = posix.basename(posix.normalize(r.path));
    if (!rule.references.includes(target)) problems.push(`${layer}/tsconfig.json references ${target}, which ${layer}/ may not import`);
  }
  const types = config.compilerOptions?.types;
  if (!rule.nodeTypes) {
    if (types === undefined) problems.push(`${layer}/tsconfig.json must set "types": [] so Node types stay out`);
    else if (types.length > 0) problems.push(`${layer}/tsconfig.json must not load types ${types.join(', ')}`);
  }
  return problems;
}
