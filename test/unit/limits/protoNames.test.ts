/**
 * Issue 13, names that are properties of Object.prototype (`__proto__`, `constructor`,
 * `toString`, `valueOf`, `hasOwnProperty`) are names like any other in every name-keyed table:
 * -D params, outcomes (checker, graph, conform, report), and the C importer's memory orders.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { parseDefines } from '../../../cli/args.js';
import { parseOutcomeSpec } from '../../../cli/graph/picture.js';
import { compileSource } from '../../../model/frontend.js';
import { nameRecord, ownValue, valuesFromNamed } from '../../../model/outcome.js';
import { fakeIo } from '../cli/fakeIo.js';

const PARAM = 'test o;\nparam __proto__ = 1;\nparam constructor = 2;\nshared x = 0;\nthread P0 { store.sc(x, __proto__ + constructor); }\nlocations [x]\n';
const LOC = 'test l;\nshared __proto__ = 0;\nshared toString = 0;\nthread P0 {\n  store.sc(__proto__, 1);\n  constructor = load.sc(toString);\n}\nlocations [__proto__; toString; P0:constructor]\n';

describe('Object.prototype names', () => {
  it('-D __proto__=7 and -D constructor=5 override the params', async () => {
    const d = parseDefines(['__proto__=7', 'constructor=5']).defines;
    expect(Object.hasOwn(d, '__proto__') && Object.hasOwn(d, 'constructor')).toBe(true);
    expect(Object.keys(d)).toEqual(['__proto__', 'constructor']);
    const io = fakeIo({ files: { 'o.mw': PARAM } });
    expect(await main(['check', 'o.mw', '-D', '__proto__=7', '-D', 'constructor=5'], io)).toBe(0);
    expect(io.out).toContain('x=12;');
    expect(compileSource('o.mw', PARAM, { defines: d }).ir?.params).toEqual(Object.fromEntries([['__proto__', 7], ['constructor', 5]]));
  });

  it('a param named constructor without -D keeps its declared value', () => {
    const ir = compileSource('o.mw', PARAM, { defines: {} }).ir;
    expect(ir?.params['constructor']).toBe(2);
    expect(ir?.params['__proto__']).toBe(1);
  });

  it('check: outcomes keep locations and registers named __proto__, toString, constructor', async () => {
    const io = fakeIo({ files: { 'l.mw': LOC } });
    expect(await main(['check', 'l.mw'], io)).toBe(0);
    expect(io.out).toContain('__proto__=1; toString=0; P0:constructor=0;');
    const json = fakeIo({ files: { 'l.mw': LOC } });
    await main(['check', 'l.mw', '--format', 'json'], json);
    expect(json.out).toContain('"__proto__": 1');
    expect(json.out).not.toContain('[object Object]');
  });

  it('graph: the outcome __proto__=1 is drawn, with its value', async () => {
    const spec = parseOutcomeSpec('__proto__=1; toString=0; P0:constructor=0');
    expect(spec.ok && Object.keys(spec.outcome)).toEqual(['__proto__', 'toString', 'P0:constructor']);
    const io = fakeIo({ files: { 'l.mw': LOC } });
    expect(await main(['graph', 'l.mw', '--outcome', '__proto__=1; toString=0; P0:constructor=0'], io), io.err).toBe(0);
    expect(io.out).toContain('__proto__=1;');
    expect(io.out).not.toContain('[object Object]');
  });

  it('conform: the observed __proto__=1 is the allowed one', async () => {
    const io = fakeIo({ files: { 'l.mw': LOC } });
    expect(await main(['conform', 'l.mw', '--iterations', '20'], io), io.out + io.err).toBe(0);
    expect(io.out).toContain('CONSISTENT');
    expect(io.out).toContain('coverage: 1/1');
    expect(io.out).not.toContain('[object Object]');
  });

  it('report: outcomes show values, not [object Object]', async () => {
    const io = fakeIo({ files: { 'l.mw': LOC } });
    expect(await main(['report', 'l.mw', '-o', 'r.html'], io), io.err).toBe(0);
    const html = io.written.get('r.html') ?? '';
    expect(html).toContain('__proto__=1;');
    expect(html).not.toContain('[object Object]');
  });

  it('C litmus: registers named constructor and toString are registers, not memory orders', () => {
    const text = 'C T\n{}\nP0(atomic_int* x) {\n  int constructor = atomic_load_explicit(x, memory_order_relaxed);\n  int toString = constructor + 1;\n}\nexists (0:toString=1)\n';
    expect(compileSource('t.litmus', text).diagnostics.map((d) => d.code)).toEqual([]);
    const bad = 'C T\n{}\nP0(atomic_int* x) {\n  atomic_store_explicit(x, 1, constructor);\n}\nexists (x=1)\n';
    expect(compileSource('t.litmus', bad).diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual(['H409: unknown memory order "constructor"']);
  });

  it('nameRecord and ownValue: no inherited members', () => {
    const r = nameRecord<number>();
    r['__proto__'] = 3;
    expect(Object.keys(r)).toEqual(['__proto__']);
    expect(ownValue(r, 'constructor')).toBeUndefined();
    expect(ownValue({} as Record<string, number>, 'toString')).toBeUndefined();
    const program = compileSource('l.mw', LOC).ir;
    expect(program && valuesFromNamed(program, {})).toEqual([0, 0, 0]);
  });
});
