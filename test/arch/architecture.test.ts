/**
 * Architecture test: every import in model/, checker/, impl/ and cli/ respects the layer arrows
 * (test/arch/rules.ts), and each layer's tsconfig references only what the layer may import.
 * The rule checker is a pure function, and the tests below show it can fail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYERS, checkTsconfig, extractImports, findBrowserViolations, findViolations } from './rules.js';
import { ROOT, sourcesUnder } from './sources.js';

describe('import extraction', () => {
  it('finds static, type, re-export, side-effect, dynamic and reference imports', () => {
    const src = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      'import {',
      '  c,',
      '  d,',
      "} from './cd.js';",
      "export * from './e.js';",
      "export { f as g } from './f.js';",
      "import './side.js';",
      "const h = await import('./h.js');",
      'const i = await import(name);',
      '/// <reference types="node" />',
      "// import { z } from './commented.js';",
      "/* import { y } from './blocked.js'; */",
      "const s = 'import x from \"./in-string-is-fine\"';",
    ].join('\n');
    const refs = extractImports(src).map((r) => `${r.line}:${r.kind}:${r.specifier}`);
    expect(refs).toEqual([
      '1:static:./a.js',
      '2:static:../b.js',
      '3:static:./cd.js',
      '7:static:./e.js',
      '8:static:./f.js',
      '9:static:./side.js',
      '10:dynamic:./h.js',
      '11:dynamic-expr:<expression>',
      '12:reference:node',
    ]);
  });
});

describe('layer rules (pure checker)', () => {
  it('reports a model file importing node:fs and a checker file importing impl', () => {
    const v = findViolations([
      { path: 'model/x.ts', text: "import { readFileSync } from 'node:fs';\n" },
      { path: 'checker/y.ts', text: "import { z } from '../impl/z.js';\n" },
    ]);
    expect(v.map((x) => `${x.path}:${x.line}:${x.specifier}`)).toEqual(['model/x.ts:1:node:fs', 'checker/y.ts:1:../impl/z.js']);
    expect(v[0]?.reason).toMatch(/must not import Node modules/);
    expect(v[1]?.reason).toMatch(/checker\/ may not import impl\//);
  });

  it('reports impl → checker, anything → test/bench, unlisted packages and Node types in model', () => {
    const v = findViolations([
      { path: 'impl/a.ts', text: "import type { CheckResult } from '../checker/api.js';" },
      { path: 'cli/b.ts', text: "import { x } from '../test/helpers.js';\nimport { y } from '../bench/run.js';" },
      { path: 'model/c.ts', text: "import { z } from 'lodash';\n/// <reference types=\"node\" />" },
      { path: 'checker/d.ts', text: "const m = await import(modName);" },
      { path: 'model/e.ts', text: "import fs from 'fs';" },
    ]);
    expect(v.map((x) => `${x.path}:${x.specifier}`)).toEqual([
      'impl/a.ts:../checker/api.js',
      'cli/b.ts:../test/helpers.js',
      'cli/b.ts:../bench/run.js',
      'model/c.ts:lodash',
      'model/c.ts:node',
      'checker/d.ts:<expression>',
      'model/e.ts:fs',
    ]);
  });

  it('keeps explore/ off checker/ and impl/, and lets it use typescript', () => {
    const v = findViolations([
      { path: 'explore/a.ts', text: "import { check } from '../checker/check.js';\nimport { Mutex } from '../impl/sync/mutex.js';\nimport ts from 'typescript';" },
      { path: 'checker/b.ts', text: "import { explore } from '../explore/explore.js';" },
      { path: 'impl/c.ts', text: "import ts from 'typescript';" },
    ]);
    expect(v.map((x) => `${x.path}:${x.specifier}`)).toEqual(['explore/a.ts:../checker/check.js', 'explore/a.ts:../impl/sync/mutex.js', 'checker/b.ts:../explore/explore.js', 'impl/c.ts:typescript']);
  });

  it('accepts the allowed arrows', () => {
    const v = findViolations([
      { path: 'model/syntax/a.ts', text: "import { b } from '../ir.js';\nimport { match } from 'ts-pattern';" },
      { path: 'checker/a.ts', text: "import type { IrProgram } from '../model/ir.js';\nimport { s } from './strategies/bfs.js';" },
      { path: 'impl/a.ts', text: "import { Worker } from 'node:worker_threads';\nimport { i32 } from '../model/ir.js';" },
      { path: 'cli/a.ts', text: "import { check } from '../checker/check.js';\nimport { run } from '../impl/harness.js';\nimport { readFileSync } from 'node:fs';" },
    ]);
    expect(v).toEqual([]);
  });
});

describe('the browser rule (pure checker)', () => {
  it('follows playground/ into cli/ and reports what a browser cannot load', () => {
    const v = findBrowserViolations([
      { path: 'playground/main.ts', text: "import { a } from '../cli/graph/a.js';\nimport { w } from '../model/ir.js';" },
      { path: 'cli/graph/a.ts', text: "import { b } from './b.js';\nimport { instance } from '@viz-js/viz';" },
      { path: 'cli/graph/b.ts', text: "import { readFileSync } from 'node:fs';\nimport ts from 'typescript';" },
      { path: 'cli/other.ts', text: "import { spawn } from 'node:child_process';" },
    ]);
    expect(v.map((x) => `${x.path}:${x.specifier}`)).toEqual(['cli/graph/b.ts:node:fs', 'cli/graph/b.ts:typescript']);
    expect(v[0]?.reason).toMatch(/reached from playground\/main\.ts/);
  });

  it('keeps cli/ and every other layer from importing playground/, and playground/ off node:*', () => {
    const v = findViolations([
      { path: 'cli/x.ts', text: "import { p } from '../playground/main.js';" },
      { path: 'checker/y.ts', text: "import { p } from '../playground/share.js';" },
      { path: 'playground/z.ts', text: "import { run } from '../impl/harness.js';\nimport { readFileSync } from 'node:fs';" },
    ]);
    expect(v.map((x) => `${x.path}:${x.specifier}`)).toEqual(['cli/x.ts:../playground/main.js', 'checker/y.ts:../playground/share.js', 'playground/z.ts:node:fs']);
  });

  it('lets playground/ reach only the pure impl/ files: the Node harness (node:*) is a browser violation', () => {
    const v = findBrowserViolations([
      { path: 'playground/run.ts', text: "import { runOnHost } from '../impl/protocol.js';\nimport { runOnWorkers } from '../impl/harness.js';" },
      { path: 'impl/protocol.ts', text: "import { compileProgram } from './compile.js';" },
      { path: 'impl/compile.ts', text: "import { validateIr } from '../model/irValidate.js';" },
      { path: 'impl/harness.ts', text: "import { Worker } from 'node:worker_threads';\nimport { runOnHost } from './protocol.js';" },
    ]);
    expect(v.map((x) => `${x.path}:${x.specifier}`)).toEqual(['impl/harness.ts:node:worker_threads']);
    expect(v[0]?.reason).toMatch(/reached from playground\/run\.ts/);
  });
});

describe('the repository', () => {
  const files = LAYERS.flatMap((l) => sourcesUnder(l));

  it('has sources in every layer (the scan is looking in the right place)', () => {
    for (const l of LAYERS) expect(files.some((f) => f.path.startsWith(`${l}/`)), l).toBe(true);
  });

  it('has no layering violations', () => {
    const v = findViolations(files).map((x) => `${x.path}:${x.line}: ${x.specifier}: ${x.reason}`);
    expect(v).toEqual([]);
  });

  it('the cli/ code playground/ reaches is pure (the browser rule)', () => {
    const reached = findBrowserViolations(files).map((x) => `${x.path}:${x.line}: ${x.specifier}: ${x.reason}`);
    expect(reached).toEqual([]);
    // the rule is looking at the real imports: playground/ reaches the shared graph and verdict code
    expect(files.some((f) => f.path === 'playground/worker.ts' && f.text.includes('../cli/graph/dot.js'))).toBe(true);
    // the budgets, the progress line and the colouring are the CLI's and the lexer's own code, not copies
    const imports = (path: string, spec: string): boolean => files.some((f) => f.path === path && f.text.includes(`'${spec}'`));
    expect(imports('playground/worker.ts', '../cli/budgetOptions.js')).toBe(true);
    expect(imports('playground/worker.ts', '../cli/progressText.js')).toBe(true);
    expect(imports('playground/main.ts', '../cli/budgetOptions.js')).toBe(true);
    expect(imports('playground/main.ts', '../model/syntax/highlight.js')).toBe(true);
    expect(imports('playground/main.ts', '../cli/intOption.js')).toBe(true);
    expect(imports('cli/input.ts', './intOption.js')).toBe(true);
    expect(imports('cli/commands/check.ts', '../progressText.js')).toBe(true);
    expect(imports('cli/budgets.ts', './budgetOptions.js')).toBe(true);
    // and the Node half of the budgets (totalmem) stays out of the browser: a playground file importing it is a violation
    const withNodeBudgets = [...files.filter((f) => f.path !== 'playground/main.ts'), { path: 'playground/main.ts', text: "import { parseBudgets } from '../cli/budgets.js';" }];
    expect(findBrowserViolations(withNodeBudgets).map((x) => x.path)).toContain('cli/budgets.ts');
  });

  it.each(LAYERS)('%s/tsconfig.json references only allowed layers', (layer) => {
    const config = JSON.parse(readFileSync(join(ROOT, layer, 'tsconfig.json'), 'utf8')) as Parameters<typeof checkTsconfig>[1];
    expect(checkTsconfig(layer, config)).toEqual([]);
  });

  it('the tsconfig rule checker can fail', () => {
    expect(checkTsconfig('checker', { references: [{ path: '../impl' }], compilerOptions: { types: ['node'] } })).toHaveLength(2);
    expect(checkTsconfig('model', { compilerOptions: {} })).toHaveLength(1);
  });
});
