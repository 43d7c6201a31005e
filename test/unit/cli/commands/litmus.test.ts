/**
 * `memweave litmus`: the catalogue index covers exactly the .mw files; list/show/table print
 * what the checker computes; docs/litmus.md is the generated page (regenerated and compared:
 * run `npm run docs:litmus` when this fails).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../../../checker/check.js';
import { MODEL_NAMES } from '../../../../checker/api.js';
import { litmusCommand, litmusDocFor, wrap } from '../../../../cli/commands/litmus.js';
import { catalogueDir, loadCatalogue, markdownCell, parseCatalogueIndex, renderLitmusDoc, verdictOf } from '../../../../cli/litmus/catalogue.js';
import { fakeIo } from '../fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const LITMUS = join(ROOT, 'examples', 'litmus');
const diskRead = (p: string): string | null => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
};

const loaded = loadCatalogue(LITMUS, diskRead);
if (!loaded.ok) throw new Error(loaded.error);
const tests = loaded.tests;

async function run(argv: string[], files: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; written: Map<string, string> }> {
  const io = fakeIo({ files, diskRoot: ROOT });
  const code = await litmusCommand.run(argv, io);
  return { code, out: io.out, err: io.err, written: io.written };
}

describe('the catalogue index', () => {
  it('is found from the module and lists every .mw file of examples/litmus exactly once', () => {
    expect(catalogueDir()).toBe(LITMUS);
    const files = readdirSync(LITMUS).filter((f) => f.endsWith('.mw')).sort();
    expect(tests.map((t) => t.file).sort()).toEqual(files);
    expect(tests.length).toBeGreaterThanOrEqual(40);
  });

  it('has a paragraph of explanation, a shape and a source citation for every test', () => {
    for (const t of tests) {
      expect(t.explanation.length, t.name).toBeGreaterThan(120);
      expect(t.shape.trim(), t.name).not.toBe('');
      expect(t.source.trim(), t.name).not.toBe('');
    }
  });

  it('holds release/acquire tests under every hardware model', () => {
    const ra = tests.filter((t) => /\b(load|store)\.(rel|acq)\b/.test(t.text));
    expect(ra.length).toBeGreaterThanOrEqual(6);
  });

  it('rejects malformed indexes', () => {
    expect(parseCatalogueIndex('{').ok).toBe(false);
    expect(parseCatalogueIndex('{"tests": [{"name": "A", "file": "a.mw", "shape": "s"}]}')).toMatchObject({ ok: false, error: expect.stringContaining('"explanation"') as unknown });
    const dup = JSON.stringify({ tests: [1, 2].map(() => ({ name: 'A', file: 'a.mw', shape: 's', explanation: 'e' })) });
    expect(parseCatalogueIndex(dup)).toMatchObject({ ok: false, error: expect.stringContaining('twice') as unknown });
    const missing = loadCatalogue('/nowhere', (p) => (p.endsWith('catalogue.json') ? JSON.stringify({ tests: [{ name: 'A', file: 'a.mw', shape: 's', explanation: 'e' }] }) : null));
    expect(missing).toMatchObject({ ok: false, error: expect.stringContaining('a.mw') as unknown });
  });
});

describe('docs/litmus.md', () => {
  it('is current (run `npm run docs:litmus` when this fails)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'litmus.md'), 'utf8')).toBe(litmusDocFor(tests));
  });

  it('has one table row per test whose verdicts are what check computes, model by model', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'litmus.md'), 'utf8');
    for (const t of tests) {
      const row = doc.split('\n').find((l) => l.startsWith(`| [${markdownCell(t.name)}](`));
      expect(row, t.name).toBeDefined();
      const cells = (row ?? '').split(' | ').slice(-MODEL_NAMES.length).map((c) => c.replace(/ \|$/, '').replace(' ‡', ''));
      const computed = MODEL_NAMES.map((model) => {
        const r = check(t.program, { model });
        // a model that does not cover the test (a release store under js) checked nothing
        if (r.stats.unsupported !== undefined) return 'n/a';
        // an incomplete search (js's LB: a po ∪ rf cycle the graph engine does not build) decides nothing
        return (r.condition?.positive ?? 0) > 0 ? 'Allowed' : r.budgetExhausted !== null ? '?' : 'Forbidden';
      });
      expect(cells, t.name).toEqual(computed);
    }
  });

  it('changes when a verdict changes (the comparison can fail)', () => {
    const first = tests[0];
    if (first === undefined) throw new Error('empty catalogue');
    const base = renderLitmusDoc([{ test: first, verdicts: MODEL_NAMES.map((m) => verdictOf(check(first.program, { model: m }))) }]);
    const flipped = renderLitmusDoc([{ test: first, verdicts: MODEL_NAMES.map((m) => ({ ...verdictOf(check(first.program, { model: m })), verdict: 'Allowed' as const })) }]);
    expect(flipped).not.toBe(base);
  });
});

describe('memweave litmus', () => {
  it('list prints every test with its sc/tso/pso verdicts', async () => {
    const r = await run(['list']);
    expect(r.code).toBe(0);
    const sb = r.out.split('\n').find((l) => l.startsWith('SB '));
    expect(sb).toMatch(/Forbidden\s+Allowed\s+Allowed$/);
    const mp = r.out.split('\n').find((l) => l.startsWith('MP '));
    expect(mp).toMatch(/Forbidden\s+Forbidden\s+Allowed$/);
    expect(r.out).toContain(`${tests.length} tests`);
  });

  it('list --format json gives the verdicts as data', async () => {
    const r = await run(['list', '--format', 'json']);
    const data = JSON.parse(r.out) as { tests: { name: string; verdicts: Record<string, string> }[] };
    expect(data.tests).toHaveLength(tests.length);
    expect(data.tests.find((t) => t.name === '2+2W')?.verdicts).toEqual({ sc: 'Forbidden', tso: 'Forbidden', pso: 'Allowed' });
  });

  it('show prints the explanation, the source citation, verdicts per model and the source text', async () => {
    const r = await run(['show', 'SB']);
    expect(r.code).toBe(0);
    const sb = tests.find((t) => t.name === 'SB');
    expect(r.out).toContain(wrap(sb?.explanation ?? '', 100));
    expect(r.out).toContain('source: Shasha & Snir');
    expect(r.out).toMatch(/ {2}sc {3}Forbidden/);
    expect(r.out).toMatch(/ {2}tso {2}Allowed/);
    // racy, so the ECMAScript model answers (SC-DRF route): both zeros allowed, with the race
    expect(r.out).toMatch(/ {2}js {3}Allowed {4}\(4 outcomes, 4 executions; also: race\)/);
    expect(r.out).toContain('store.plain(x, 1);');
    expect(r.out).toContain('memweave graph');
  });

  it('show finds names case-insensitively and rejects unknown ones with exit 2', async () => {
    expect((await run(['show', 'mp+rel-acq'])).out).toContain('MP+rel-acq — ');
    const bad = await run(['show', 'SBX']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("no test named 'SBX'");
    expect(bad.err).toContain('similar: SB');
  });

  it('table --write writes the page; --check tells current from stale', async () => {
    const w = await run(['table', '--write', 'out.md']);
    expect(w.code).toBe(0);
    const page = w.written.get('out.md') ?? '';
    expect(page).toBe(litmusDocFor(tests));
    expect((await run(['table', '--check', 'cur.md'], { 'cur.md': page })).code).toBe(0);
    const stale = await run(['table', '--check', 'old.md'], { 'old.md': page.replace('Allowed', 'Forbidden') });
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('out of date');
  });

  it('rejects bad usage with exit 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['frob'])).code).toBe(2);
    expect((await run(['show'])).code).toBe(2);
    expect((await run(['list', 'extra'])).code).toBe(2);
    expect((await run(['list', '--write', 'x.md'])).code).toBe(2);
  });
});
