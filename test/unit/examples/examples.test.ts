/**
 * The bundled examples and the litmus catalogue as data: every program under examples/ compiles
 * with no error diagnostics, the litmus tests and lock examples follow their conventions, and
 * examples/litmus/expected.json is well formed, complete, refers to existing files and is
 * consistent with the model hierarchy SC ⊆ TSO ⊆ PSO.
 *
 * Not here: running the checker against expected.json (a separate comparison test does that).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../model/frontend.js';
import type { IrProgram } from '../../../model/ir.js';
import { walkFiles } from '../../support/programs.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples', import.meta.url));
const LITMUS = join(EXAMPLES, 'litmus');
const LOCKS = join(EXAMPLES, 'locks');


/** Compile one example file; the display name is its path relative to examples/. */
function compileFile(path: string, defines?: Readonly<Record<string, number>>): { ir: IrProgram | null; errors: string[] } {
  const name = relative(EXAMPLES, path);
  const out = compileSource(name, readFileSync(path, 'utf8'), defines === undefined ? {} : { defines });
  const errors = out.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.code} ${d.file}:${d.span.line}:${d.span.col} ${d.message}`);
  return { ir: out.ir, errors };
}

/** Compile or fail the test with the diagnostics. */
function mustCompile(path: string, defines?: Readonly<Record<string, number>>): IrProgram {
  const { ir, errors } = compileFile(path, defines);
  expect(errors, relative(EXAMPLES, path)).toEqual([]);
  if (ir === null) throw new Error(`no IR for ${path}`);
  return ir;
}

const programs = walkFiles(EXAMPLES).filter((p) => p.endsWith('.mw') || p.endsWith('.litmus'));
const litmusFiles = readdirSync(LITMUS).filter((n) => n.endsWith('.mw')).sort();
const lockFiles = readdirSync(LOCKS).filter((n) => n.endsWith('.mw')).sort();

describe('examples/', () => {
  it('holds the bundled examples', () => {
    const rel = new Set(programs.map((p) => relative(EXAMPLES, p).split('\\').join('/')));
    for (const f of [
      'sb.mw', 'mp.mw', 'lb.mw', 'iriw.mw', '2+2w.mw',
      'locks/peterson.mw', 'locks/peterson_fenced.mw', 'locks/ticket.mw', 'locks/tas.mw', 'locks/lost_wakeup.mw',
    ]) {
      expect(rel.has(f), f).toBe(true);
    }
    expect(litmusFiles.length).toBeGreaterThanOrEqual(32);
  });

  it.each(programs.map((p) => [relative(EXAMPLES, p), p] as const))('%s compiles with no errors', (_name, path) => {
    const ir = mustCompile(path);
    expect(ir.threads.length).toBeGreaterThan(0);
    if (path.endsWith('.mw')) {
      expect(ir.condition).not.toBeNull();
      const source = ir.metadata.find((m) => m.key === 'source');
      expect(source?.value.trim().length ?? 0, 'a source "…" citation').toBeGreaterThan(0);
    }
  });
});

describe('examples/litmus/*.mw', () => {
  it.each(litmusFiles)('%s is a herd-style litmus test', (name) => {
    const ir = mustCompile(join(LITMUS, name));
    expect(ir.condition?.quantifier).toBe('exists');
    expect(ir.threads.map((t) => t.name)).toEqual(ir.threads.map((_t, k) => `P${k}`));
    for (const t of ir.threads) {
      for (const r of t.registers) expect(r, `${name} ${t.name}`).toMatch(/^r\d+$/);
    }
    expect(ir.description ?? '').not.toBe('');
  });
});

describe('examples/locks/*.mw', () => {
  const locks = lockFiles.filter((n) => n !== 'lost_wakeup.mw');

  it.each(locks)('%s follows the lock contract (K rounds, a critical region, forall counter = TOTAL)', (name) => {
    const ir = mustCompile(join(LOCKS, name));
    expect(ir.condition?.quantifier).toBe('forall');
    expect(ir.condition?.text).toMatch(/counter\s*=\s*TOTAL/);
    expect(ir.regions).toContain('');
    const { N, K, TOTAL } = ir.params;
    expect(K).toBe(1);
    expect(TOTAL).toBe((N ?? ir.threads.length) * (K ?? 0));
    expect(ir.threads.length).toBe(N ?? 2);
  });

  it.each(locks)('%s scales with -D (TOTAL follows N and K)', (name) => {
    const base = mustCompile(join(LOCKS, name));
    const defines: Record<string, number> = { K: 2 };
    if (base.params.N !== undefined) defines.N = 3;
    const ir = mustCompile(join(LOCKS, name), defines);
    expect(ir.params.TOTAL).toBe((defines.N ?? 2) * 2);
    expect(ir.threads.length).toBe(defines.N ?? 2);
  });

  it('lost_wakeup waits and notifies without a critical region', () => {
    const ir = mustCompile(join(LOCKS, 'lost_wakeup.mw'));
    const kinds = ir.threads.flatMap((t) => t.code.map((i) => i.kind));
    expect(kinds).toContain('wait');
    expect(kinds).toContain('notify');
    expect(ir.regions).toEqual([]);
  });
});

// ---------------------------------------------------------------- expected.json

const VERDICTS = ['Allowed', 'Forbidden'] as const;
type Verdict = (typeof VERDICTS)[number];
const ENTRY_KEYS = new Set(['sc', 'tso', 'pso', 'source', 'derived', 'note']);

interface Entry {
  readonly sc: Verdict;
  readonly tso: Verdict;
  readonly pso?: Verdict;
  readonly source: string;
  readonly derived?: boolean;
  readonly note?: string;
}

const expected = JSON.parse(readFileSync(join(LITMUS, 'expected.json'), 'utf8')) as Record<string, Entry>;

describe('examples/litmus/expected.json', () => {
  it('has an entry for every litmus file and refers only to existing files', () => {
    expect(Object.keys(expected).sort()).toEqual(litmusFiles);
  });

  it.each(Object.entries(expected))('%s is well formed', (_file, entry) => {
    for (const key of Object.keys(entry)) expect(ENTRY_KEYS.has(key), key).toBe(true);
    expect(VERDICTS).toContain(entry.sc);
    expect(VERDICTS).toContain(entry.tso);
    if (entry.pso !== undefined) expect(VERDICTS).toContain(entry.pso);
    expect(entry.source.trim()).not.toBe('');
    if (entry.derived !== undefined) {
      expect(entry.derived).toBe(true);
      expect(entry.note?.trim() ?? '').not.toBe('');
    } else {
      expect(entry.note).toBeUndefined();
    }
  });

  it.each(Object.entries(expected))('%s respects SC ⊆ TSO ⊆ PSO', (_file, entry) => {
    // every SC execution is a TSO execution, every TSO execution a PSO one (fences, locked RMWs,
    // sc and rel accesses only add waits for empty buffers), so Allowed can only grow
    if (entry.sc === 'Allowed') expect(entry.tso).toBe('Allowed');
    if (entry.tso === 'Allowed' && entry.pso !== undefined) expect(entry.pso).toBe('Allowed');
  });

  it('separates the models: some test tells SC from TSO and some TSO from PSO', () => {
    const entries = Object.values(expected);
    expect(entries.some((e) => e.sc === 'Forbidden' && e.tso === 'Allowed')).toBe(true);
    expect(entries.some((e) => e.tso === 'Forbidden' && e.pso === 'Allowed')).toBe(true);
  });
});
