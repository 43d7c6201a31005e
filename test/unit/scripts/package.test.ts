/**
 * The published package (issue 12): `require('memweave')` works from CommonJS (Node ≥ 20.19 loads
 * the ESM entry through require), the MIT licence ships, dist/bench does not, and every source map
 * in the tarball points at a file the tarball has.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractImports, packageName } from '../../arch/rules.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string; exports: Record<string, Record<string, string> | string> };

describe('the package', () => {
  it('require("memweave") from a CommonJS project gives the API', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memweave-cjs-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(ROOT, join(dir, 'node_modules', 'memweave'), 'dir');
      writeFileSync(join(dir, 'package.json'), '{ "name": "cjs-user", "private": true }\n');
      writeFileSync(
        join(dir, 'index.js'),
        [
          "const mw = require('memweave');",
          "const c = mw.compileSource('t.mw', 'test t\\nshared x = 0;\\nthread P0 { store.sc(x, 1); }\\nforall (x = 1)\\n');",
          "const r = mw.check(c.ir, { model: 'sc' });",
          "process.stdout.write([typeof mw.runOnWorkers, r.ok ? r.result.verdict : 'refused'].join(' '));",
        ].join('\n'),
      );
      const out = execFileSync(process.execPath, ['index.js'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toBe('function pass');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('require("memweave/testing") gives the matchers and the arbitrary; the main entry never loads fast-check or vitest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memweave-cjs-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(ROOT, join(dir, 'node_modules', 'memweave'), 'dir');
      writeFileSync(join(dir, 'index.js'), "const t = require('memweave/testing');\nprocess.stdout.write([typeof t.memweaveMatchers.toHold, typeof t.arbProgram().generate].join(' '));\n");
      expect(execFileSync(process.execPath, ['index.js'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('function function');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // every module the main entry reaches, statically or dynamically: no test-only package among them
    const seen = new Set<string>();
    const packages = new Set<string>();
    const walk = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const ref of extractImports(readFileSync(join(ROOT, file), 'utf8'))) {
        const spec = ref.specifier;
        if (spec.startsWith('.')) walk(normalize(join(dirname(file), spec.replace(/\.js$/, '.ts'))));
        else if (!spec.startsWith('node:') && spec !== '<expression>') packages.add(packageName(spec));
      }
    };
    walk('cli/index.ts');
    expect(seen.size).toBeGreaterThan(20);
    expect(seen.has('cli/testing.ts')).toBe(false);
    expect([...packages].filter((p) => p === 'fast-check' || p === 'vitest')).toEqual([]);
  });

  it('exports "." has import, require and default conditions, types first', () => {
    const main = pkg.exports['.'] as Record<string, string>;
    expect(Object.keys(main)).toEqual(['types', 'import', 'require', 'default']);
    expect(new Set(Object.values(main).filter((v) => v.endsWith('.js')))).toEqual(new Set(['./dist/cli/index.js']));
  });

  it('the tarball has the MIT licence, no dist/bench, and source maps that resolve inside it', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    const json = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = new Set((JSON.parse(json) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    expect(files.has('LICENSE')).toBe(true);
    expect(files.has('dist/cli/index.js')).toBe(true);
    expect([...files].filter((f) => f.startsWith('dist/bench/') || f.endsWith('.tsbuildinfo') || f.startsWith('test/'))).toEqual([]);
    // what `memweave playground` serves ships built; tsc's intermediate output for it does not
    for (const f of ['index.html', 'style.css', 'main.js', 'worker.js', 'catalogue.json']) expect(files.has(`dist/playground/${f}`), f).toBe(true);
    expect([...files].filter((f) => f.startsWith('dist/playground-js/'))).toEqual([]);
    const dangling: string[] = [];
    for (const f of files) {
      if (!f.endsWith('.map')) continue;
      const map = JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const s of map.sources) {
        const target = normalize(join(dirname(f), map.sourceRoot ?? '', s));
        if (!files.has(target)) dangling.push(`${f} → ${target}`);
      }
    }
    expect(dangling).toEqual([]);
  });
});

describe('docs/ci.md', () => {
  it('installs memweave as a dev dependency and runs the local copy with npx --no-install', () => {
    const text = readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8');
    expect(text).toContain('npm install --save-dev memweave');
    const blocks = [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const runs = blocks.flatMap((b) => b.split('\n')).filter((l) => /\bnpx\b/.test(l));
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const l of runs) expect(l).toMatch(/npx --no-install memweave /);
  });
});
