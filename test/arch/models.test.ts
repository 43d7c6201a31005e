/**
 * Architecture test of the memory-model plug-ins (docs/architecture.md): nothing outside
 * model/memory/ names a model or addresses a model's words (test/arch/modelRules.ts), and a
 * model is added as one file plus one registry line — here a copy of sc under another name,
 * checked on the whole litmus catalogue against sc.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/check.js';
import type { CheckResult } from '../../checker/api.js';
import { catalogueDir, loadCatalogue } from '../../cli/litmus/catalogue.js';
import { createRegistry, MODELS, MODEL_NAMES } from '../../model/memory/registry.js';
import { MODES } from '../../model/syntax/ast.js';
import { findModelLeaks } from './modelRules.js';
import { sc2 } from './addedModel/scCopy.js';
import { sourcesUnder } from './sources.js';

describe('the model plug-in rule', () => {
  it('reports a model named, compared, imported or its words addressed outside model/memory/', () => {
    const leaks = findModelLeaks(
      [
        { path: 'checker/a.ts', text: "const isJs = options.model === 'js';" },
        { path: 'checker/b.ts', text: "if (model === 'sc') return;" },
        { path: 'model/semantics/c.ts', text: "import { tso } from '../memory/tso.js';\nconst w = layout.memBase + 1;" },
        { path: 'cli/d.ts', text: "const models = ['sc', 'pso'];" },
        { path: 'cli/e.ts', text: "renderDot(g, { forbiddenUnder: 'sc' });\nconst o = { ...base, model: 'sc' };" },
      ],
      MODEL_NAMES,
      MODES,
    );
    expect(leaks.map((l) => `${l.path}:${l.line}: ${l.reason}`)).toEqual([
      "checker/a.ts:1: names the memory model 'js'",
      "checker/a.ts:1: compares a model with 'js'",
      "checker/b.ts:1: compares a model with 'sc'",
      'model/semantics/c.ts:1: imports the model file ../memory/tso.js (go through model/memory/registry.js)',
      "model/semantics/c.ts:2: addresses a model's words (memBase)",
      "cli/d.ts:1: names the memory model 'pso'",
      "cli/e.ts:1: gives a model the name 'sc'",
      "cli/e.ts:2: gives a model the name 'sc'",
    ]);
  });

  it('accepts access modes, comments, the registry and the model files themselves', () => {
    const leaks = findModelLeaks(
      [
        { path: 'model/syntax/a.ts', text: "// under tso, 'tso' buffers\nconst m = mode === 'sc';\nconst op = { mode: 'sc', modes: ['sc', 'rel'] };" },
        { path: 'checker/b.ts', text: "import { MODELS } from '../model/memory/registry.js';\nimport type { ModelInstance } from '../model/memory/model.js';" },
        { path: 'model/memory/tso.ts', text: "export const tso = { name: 'tso', memBase: 0 };" },
      ],
      MODEL_NAMES,
      MODES,
    );
    expect(leaks).toEqual([]);
  });

  it('holds for the repository', () => {
    const files = ['model', 'checker', 'impl', 'cli'].flatMap((l) => sourcesUnder(l));
    expect(files.length).toBeGreaterThan(50);
    expect(findModelLeaks(files, MODEL_NAMES, MODES).map((l) => `${l.path}:${l.line}: ${l.reason}`)).toEqual([]);
  });
});

/** A result without what legitimately differs between two names of one model. */
const comparable = (r: CheckResult<string>) => ({ ...r, model: '-', stats: { ...r.stats, ms: 0 }, violations: r.violations.map((v) => ({ ...v, replay: v.replay.replace(/^mw1\.\w+\./, 'mw1.-.') })) });

describe('adding a model', () => {
  const registry = createRegistry([...MODELS.models, sc2]); // the one registry line

  it('is listed after the others and found by name', () => {
    expect(registry.names).toEqual([...MODEL_NAMES, 'sc2']);
    expect(registry.get('sc2')).toBe(sc2);
  });

  it('checks the whole litmus catalogue exactly as sc does', () => {
    const loaded = loadCatalogue(catalogueDir(), (p) => readFileSync(p, 'utf8'));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.tests.length).toBeGreaterThan(10);
    for (const t of loaded.tests) {
      const mine = check(t.program, { model: 'sc2' }, registry);
      expect(mine.model).toBe('sc2');
      expect(comparable(mine), t.name).toEqual(comparable(check(t.program, { model: 'sc' })));
    }
  });
});
