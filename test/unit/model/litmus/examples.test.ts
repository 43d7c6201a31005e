/**
 * Every herd example under examples/herd imports with no diagnostics, has the expected threads and
 * instructions, has a cited verdict in examples/herd/expected.json, and compiles to IR.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { compileSource } from '../../../../model/frontend.js';
import { cond, parse, threads, where } from './helpers.js';

const DIRS = ['examples/herd/x86', 'examples/herd/c', 'examples/herd/c-rc11'];
const FILES = DIRS.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.litmus')).map((f) => `${d}/${f}`)).sort();
const EXPECTED = JSON.parse(readFileSync('examples/herd/expected.json', 'utf8')) as Record<string, { sc: string; tso: string; source: string }>;

/** Does a C test call a Linux-kernel macro (READ_ONCE, smp_mb, …)? */
function usesLinuxMacros(text: string): boolean {
  return /^C /.test(text) && /\b(READ_ONCE|WRITE_ONCE|smp_[a-z_]+|spin_[a-z_]+|cmpxchg|xchg)\s*\(/.test(text);
}

describe('examples/herd', () => {
  it('has at least 12 X86 and 8 C tests', () => {
    expect(FILES.filter((f) => f.includes('/x86/')).length).toBeGreaterThanOrEqual(12);
    expect(FILES.filter((f) => f.includes('/c/')).length).toBeGreaterThanOrEqual(8);
  });

  it.each(FILES)('%s imports with no diagnostics but H412 once where it uses Linux-kernel macros', (path) => {
    const text = readFileSync(path, 'utf8');
    const r = parse(text, path);
    expect(where(r.diagnostics.filter((d) => d.code !== 'H412'))).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === 'H412').length).toBe(usesLinuxMacros(text) ? 1 : 0);
    expect(r.program.threads.length).toBeGreaterThan(0);
    expect(r.program.condition).not.toBeNull();
    expect(r.program.name).toBe(path.replace(/^.*\//, '').replace(/\.litmus$/, ''));
    expect(r.program.threads.map((t) => t.name.name)).toEqual(r.program.threads.map((_, k) => `P${k}`));
  });

  it.each(FILES)('%s compiles to IR with no diagnostics', (path) => {
    const out = compileSource(path, readFileSync(path, 'utf8'));
    expect(where(out.diagnostics.filter((d) => d.code !== 'H412'))).toEqual([]);
    expect(out.ir).not.toBeNull();
  });

  it('expected.json covers exactly the example files, with a verdict and a source each', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(FILES);
    for (const [path, v] of Object.entries(EXPECTED)) {
      expect(['Allowed', 'Forbidden'], path).toContain(v.sc);
      expect(['Allowed', 'Forbidden'], path).toContain(v.tso);
      expect(v.source.length, path).toBeGreaterThan(10);
      // every outcome allowed under SC is allowed under TSO (TSO is weaker)
      if (v.sc === 'Allowed') expect(v.tso, path).toBe('Allowed');
    }
  });

  it('documents every example and its verdicts in docs/litmus-import.md', () => {
    const doc = readFileSync('docs/litmus-import.md', 'utf8');
    for (const [path, v] of Object.entries(EXPECTED)) {
      const row = doc.split('\n').find((l) => l.includes(`\`${path}\``));
      expect(row, path).toBeDefined();
      expect(row, path).toContain(`| ${v.sc} | ${v.tso} |`);
    }
  });
});

/** Each file's threads, rendered; a change in the importer's mapping shows up here. */
const SHAPES: Record<string, Record<string, string[]>> = {
  'examples/herd/x86/SB.litmus': {
    P0: ['store.plain(x, 1)', 'EAX = load.plain(y)'],
    P1: ['store.plain(y, 1)', 'EAX = load.plain(x)'],
  },
  'examples/herd/x86/SB+mfences.litmus': {
    P0: ['store.plain(x, 1)', 'fence.sc()', 'EAX = load.plain(y)'],
    P1: ['store.plain(y, 1)', 'fence.sc()', 'EAX = load.plain(x)'],
  },
  'examples/herd/x86/SB+mfence+po.litmus': {
    P0: ['store.plain(x, 1)', 'fence.sc()', 'EAX = load.plain(y)'],
    P1: ['store.plain(y, 1)', 'EAX = load.plain(x)'],
  },
  'examples/herd/x86/IRIW.litmus': {
    P0: ['store.plain(x, 1)'],
    P1: ['store.plain(y, 1)'],
    P2: ['EAX = load.plain(x)', 'EBX = load.plain(y)'],
    P3: ['EAX = load.plain(y)', 'EBX = load.plain(x)'],
  },
  'examples/herd/x86/SB+xchgs.litmus': {
    P0: ['EAX = 1', 'EAX = exchange.sc(x, EAX)', 'EBX = load.plain(y)'],
    P1: ['EAX = 1', 'EAX = exchange.sc(y, EAX)', 'EBX = load.plain(x)'],
  },
  'examples/herd/x86/INC+locks.litmus': {
    P0: ['fetch_add.sc(x, 1)'],
    P1: ['fetch_add.sc(x, 1)'],
  },
  'examples/herd/x86/CAS+locks.litmus': {
    P0: ['ECX = 1', 'EAX = 0', 'EAX = cmpxchg.sc(x, EAX, ECX)'],
    P1: ['ECX = 1', 'EAX = 0', 'EAX = cmpxchg.sc(x, EAX, ECX)'],
  },
  'examples/herd/x86/XADD+locks.litmus': {
    P0: ['EAX = 1', 'EAX = fetch_add.sc(x, EAX)'],
    P1: ['EAX = 1', 'EAX = fetch_add.sc(x, EAX)'],
  },
  'examples/herd/x86/MP+branch.litmus': {
    P0: ['store.plain(x, 1)', 'store.plain(y, 1)'],
    P1: ['EBX = 2', 'EAX = load.plain(y)', 'EBX = 0', 'ZF = (EAX == 1)', 'if !ZF { goto Done }', 'EBX = load.plain(x)', 'Done:'],
  },
  'examples/herd/c/SB+rlx.litmus': {
    P0: ['store.rlx(x, 1)', 'r0 = load.rlx(y)'],
    P1: ['store.rlx(y, 1)', 'r0 = load.rlx(x)'],
  },
  'examples/herd/c/SB+sc.litmus': {
    P0: ['store.sc(x, 1)', 'r0 = load.sc(y)'],
    P1: ['store.sc(y, 1)', 'r0 = load.sc(x)'],
  },
  'examples/herd/c/SB+fences.litmus': {
    P0: ['store.rlx(x, 1)', 'fence.sc()', 'r0 = load.rlx(y)'],
    P1: ['store.rlx(y, 1)', 'fence.sc()', 'r0 = load.rlx(x)'],
  },
  'examples/herd/c/SB+plain.litmus': {
    P0: ['store.plain(x, 1)', 'r0 = load.plain(y)'],
    P1: ['store.plain(y, 1)', 'r0 = load.plain(x)'],
  },
  'examples/herd/c/MP+rel+acq.litmus': {
    P0: ['store.rlx(x, 1)', 'store.rel(y, 1)'],
    P1: ['r0 = load.acq(y)', 'r1 = load.rlx(x)'],
  },
  'examples/herd/c/CAS+excl.litmus': {
    P0: ['e = 0', '__cas_e = cmpxchg.acq_rel(x, e, 1)', 'b = (__cas_e == e)', 'e = __cas_e'],
    P1: ['e = 0', '__cas_e = cmpxchg.sc(x, e, 1)', 'b = (__cas_e == e)', 'e = __cas_e'],
  },
  'examples/herd/c/FAA+counter.litmus': {
    P0: ['r0 = fetch_add.rlx(x, 1)'],
    P1: ['r0 = fetch_add.sc(x, 1)'],
  },
  'examples/herd/c/SB+fencembonceonces.litmus': {
    P0: ['store.rlx(x, 1)', 'fence.sc()', 'r0 = load.rlx(y)'],
    P1: ['store.rlx(y, 1)', 'fence.sc()', 'r0 = load.rlx(x)'],
  },
  'examples/herd/c/MP+pooncerelease+poacquireonce.litmus': {
    P0: ['store.rlx(buf, 1)', 'store.rel(flag, 1)'],
    P1: ['r0 = load.acq(flag)', 'r1 = load.rlx(buf)'],
  },
  'examples/herd/c/LB+fencembonceonce+ctrlonceonce.litmus': {
    P0: ['r0 = load.rlx(x)', 'if r0 { store.rlx(y, 1) }'],
    P1: ['r0 = load.rlx(y)', 'fence.sc()', 'store.rlx(x, 1)'],
  },
};

describe('example shapes', () => {
  it.each(Object.keys(SHAPES))('%s lowers to the expected statements', (path) => {
    const r = parse(readFileSync(path, 'utf8'), path);
    expect(threads(r.program)).toEqual(SHAPES[path]);
  });

  it('SB: shared locations, condition and metadata', () => {
    const r = parse(readFileSync('examples/herd/x86/SB.litmus', 'utf8'));
    expect(r.program.shared.map((s) => s.name.name)).toEqual(['x', 'y']);
    expect(r.program.condition?.quantifier).toBe('exists');
    expect(cond(r.program.condition!.expr)).toBe('(0:EAX=0 & 1:EAX=0)');
    expect(r.program.metadata).toEqual([
      { key: 'Cycle', value: 'Fre PodWR Fre PodWR' },
      { key: 'Com', value: 'Fr Fr' },
    ]);
    expect(r.program.description).toMatch(/^Store buffering/);
  });

  it('n6: the condition mentions a location', () => {
    const r = parse(readFileSync('examples/herd/x86/n6.litmus', 'utf8'));
    expect(cond(r.program.condition!.expr)).toBe('((0:EAX=1 & 0:EBX=0) & [x]=1)');
  });
});
