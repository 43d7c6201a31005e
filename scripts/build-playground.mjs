#!/usr/bin/env node
/**
 * Build the browser playground into dist/playground/ (docs/playground.md, ADR 0009): esbuild
 * bundles tsc's output for playground/ (dist/playground-js/, built by `tsc -b` like every other
 * layer) into two ES modules, the page (main.js) and the checker worker (worker.js, with
 * Graphviz's WebAssembly from @viz-js/viz inlined); the HTML and CSS are copied; and the bundled
 * catalogue (catalogue.json: the litmus catalogue as `memweave litmus` loads it, then every other
 * example program) is written from examples/. Run by `npm run build` after `tsc -b`; it takes
 * well under a second.
 *
 *   node scripts/build-playground.mjs [--out DIR]
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--out');
const OUT = at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : join(ROOT, 'dist', 'playground');
const JS = join(ROOT, 'dist', 'playground-js');

function fail(message) {
  process.stderr.write(`build-playground: error: ${message}\n`);
  process.exit(1);
}

if (!existsSync(join(JS, 'main.js')) || !existsSync(join(JS, 'worker.js'))) fail(`${relative(ROOT, JS)} has no main.js/worker.js: run 'npx tsc -b' first`);

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  fail('esbuild is not installed (a devDependency): run npm ci');
}

const { catalogueDir, loadCatalogue } = await import(join(ROOT, 'dist', 'cli', 'litmus', 'catalogue.js'));

/** The catalogue items: the litmus catalogue first (its names and shapes), then the other examples by folder. */
function catalogueItems() {
  const dir = catalogueDir();
  const loaded = loadCatalogue(dir, (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return null;
    }
  });
  if (!loaded.ok) fail(loaded.error);
  const examples = join(ROOT, 'examples');
  const items = loaded.tests.map((t) => ({ group: 'litmus catalogue', file: relative(examples, t.path).split(sep).join('/'), name: t.name, shape: t.shape, text: t.text }));
  const seen = new Set(items.map((i) => i.file));
  const others = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.mw') || (name.endsWith('.litmus') && full.includes(`${sep}herd${sep}x86${sep}`))) others.push(full);
    }
  };
  walk(examples);
  for (const full of others) {
    const file = relative(examples, full).split(sep).join('/');
    if (seen.has(file)) continue;
    const folder = file.includes('/') ? `examples/${file.slice(0, file.lastIndexOf('/'))}` : 'examples';
    items.push({ group: folder, file, name: file, shape: '', text: readFileSync(full, 'utf8') });
  }
  return items;
}

const t0 = performance.now();
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
await esbuild.build({
  entryPoints: { main: join(JS, 'main.js'), worker: join(JS, 'worker.js') },
  outdir: OUT,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) copyFileSync(join(ROOT, 'playground', f), join(OUT, f));
const items = catalogueItems();
writeFileSync(join(OUT, 'catalogue.json'), JSON.stringify({ items }));
process.stderr.write(`build-playground: wrote ${relative(ROOT, OUT) || OUT} (${items.length} programs) in ${(performance.now() - t0).toFixed(0)} ms\n`);
