/**
 * The litmus catalogue against published verdicts and pinned exploration numbers.
 *
 * 1. Published verdicts: every test in examples/litmus/ and examples/herd/ whose verdict under a
 *    model is published (expected.json beside the tests, each entry with its source) must get
 *    that verdict from the checker: "Allowed" iff some final state satisfies the condition's
 *    proposition.
 * 2. Golden numbers: for every test and model (sc, tso, pso), the verdict, the condition's
 *    Ok/No, the number of distinct outcomes, states stored and transitions are pinned in
 *    test/golden/litmus/catalogue.expected, so any change in exploration is seen.
 *    MEMWEAVE_PROMOTE=1 (npm run promote) rewrites it; review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/check.js';
import type { CheckResult, ModelName } from '../../checker/api.js';
import { compileSource } from '../../model/frontend.js';
import type { IrProgram } from '../../model/ir.js';

const ROOT = join(import.meta.dirname, '..', '..');
const GOLDEN = join(ROOT, 'test', 'golden', 'litmus', 'catalogue.expected');
const PROMOTE = process.env['MEMWEAVE_PROMOTE'] === '1';
const MODELS: readonly ('sc' | 'tso' | 'pso')[] = ['sc', 'tso', 'pso'];

type Verdict = 'Allowed' | 'Forbidden';
interface Published {
  readonly sc?: Verdict;
  readonly tso?: Verdict;
  readonly pso?: Verdict;
  readonly js?: Verdict;
  readonly ra?: Verdict;
  readonly rc11?: Verdict;
  readonly source: string;
  /** where the rc11 verdict comes from, when not from `source` */
  readonly rc11Source?: string;
}

/** Models with published verdicts: the golden catalogue's, and the graph engine's C11 models. */
const PUBLISHED_MODELS: readonly (ModelName & keyof Published)[] = [...MODELS, 'ra', 'rc11'];

function walk(dir: string, exts: readonly string[]): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, exts));
    else if (exts.some((x) => e.name.endsWith(x))) out.push(p);
  }
  return out.sort();
}

function compile(path: string): IrProgram {
  const rel = relative(ROOT, path);
  const r = compileSource(rel, readFileSync(path, 'utf8'));
  if (r.ir === null) throw new Error(`${rel}: ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return r.ir;
}

const files = [...walk(join(ROOT, 'examples', 'litmus'), ['.mw']), ...walk(join(ROOT, 'examples', 'herd'), ['.litmus'])];
const results = new Map<string, Map<ModelName, CheckResult>>();
function resultsFor(path: string): Map<ModelName, CheckResult> {
  let m = results.get(path);
  if (m === undefined) {
    const p = compile(path);
    m = new Map(MODELS.map((model) => [model, check(p, { model })]));
    results.set(path, m);
  }
  return m;
}

/** Published verdicts, keyed by path relative to the repository root. */
function published(): Map<string, Published> {
  const out = new Map<string, Published>();
  const litmus = JSON.parse(readFileSync(join(ROOT, 'examples', 'litmus', 'expected.json'), 'utf8')) as Record<string, Published>;
  for (const [k, v] of Object.entries(litmus)) out.set(join('examples', 'litmus', k), v);
  const herd = JSON.parse(readFileSync(join(ROOT, 'examples', 'herd', 'expected.json'), 'utf8')) as Record<string, Published>;
  for (const [k, v] of Object.entries(herd)) out.set(k, v);
  return out;
}

describe('litmus catalogue', () => {
  it('has at least 30 .mw tests and 20 herd tests', () => {
    expect(files.filter((f) => f.endsWith('.mw')).length).toBeGreaterThanOrEqual(30);
    expect(files.filter((f) => f.endsWith('.litmus')).length).toBeGreaterThanOrEqual(20);
  });

  it('every published verdict (with its source) is what the checker computes', () => {
    const pub = published();
    expect(pub.size).toBeGreaterThanOrEqual(50);
    const mismatches: string[] = [];
    for (const [rel, v] of pub) {
      const path = join(ROOT, rel);
      expect(existsSync(path), `${rel} listed in expected.json exists`).toBe(true);
      expect(v.source.length).toBeGreaterThan(10);
      const res = resultsFor(path);
      for (const model of PUBLISHED_MODELS) {
        const want = v[model];
        if (want === undefined) continue;
        if (!res.has(model)) res.set(model, check(compile(path), { model }));
        const r = res.get(model);
        expect(r?.condition, `${rel} has a final condition`).not.toBeNull();
        expect(r?.verdict === 'inconclusive', `${rel} ${model} completes`).toBe(false);
        const got: Verdict = (r?.condition?.positive ?? 0) > 0 ? 'Allowed' : 'Forbidden';
        if (got !== want) mismatches.push(`${rel} under ${model}: published ${want}, checker says ${got}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('verdicts, outcomes and exact state counts match the golden file', () => {
    const lines: string[] = ['# file model verdict condition outcomes states transitions'];
    for (const f of files) {
      const res = resultsFor(f);
      for (const model of MODELS) {
        const r = res.get(model);
        if (r === undefined) continue;
        const cond = r.condition === null ? '-' : r.condition.validated ? 'Ok' : 'No';
        lines.push(`${relative(ROOT, f)} ${model} ${r.verdict} ${cond} ${r.outcomes.length} ${r.stats.statesStored} ${r.stats.transitions}`);
      }
    }
    const text = lines.join('\n') + '\n';
    if (PROMOTE || !existsSync(GOLDEN)) {
      if (!PROMOTE) throw new Error(`missing ${GOLDEN}: run npm run promote`);
      writeFileSync(GOLDEN, text);
    }
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});
