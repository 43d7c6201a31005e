/**
 * Scalarset symmetry (checker/scalarset.ts, checker/symmetry.ts) is exact: on every bundled example
 * it now reduces and on generated template programs that use their index symmetrically (owner = i,
 * g[i], cmpxchg(owner, -1, i), o == i), checking with symmetry on and with --no-symmetry gives the
 * same verdict, the same violation kinds, the same outcomes with the same (orbit-weighted) final
 * state counts and the same condition, under sc, tso and pso; with POR off, the orbits of the
 * stored representatives add up to the unreduced state count exactly; counterexamples replay.
 * Also pinned: the fallbacks say why (bakery orders indices; turn starting at a thread index;
 * --no-dead-registers), and a state where only the blocks move but not the index-valued data is
 * not merged with its mirror image.
 *
 * Seed: env MEMWEAVE_SEED or the default below.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { replay } from '../../../checker/replay.js';
import { symmetryFor } from '../../../checker/symmetry.js';
import type { CheckOptions, CheckResult, ModelName } from '../../../checker/api.js';
import type { IrProgram } from '../../../model/ir.js';
import { createMachine } from '../../../model/semantics/createMachine.js';
import { seedFromEnv } from '../../arbitraries/irProgram.js';
import { arbTemplateProgram } from '../../arbitraries/templateProgram.js';
import { compileOrThrow as compile } from '../../support/programs.js';

const SEED = seedFromEnv(0x5ca1a);
const EXAMPLES = fileURLToPath(new URL('../../../examples', import.meta.url));
const MODELS: readonly ModelName[] = ['sc', 'tso', 'pso'];
const MAX_STATES = 30_000;
/** generated programs (each checked four times under one model) */
const RUNS = 70;

function answers(r: CheckResult): unknown {
  return {
    verdict: r.verdict,
    budgetExhausted: r.budgetExhausted,
    violations: r.violations.map((v) => v.kind).sort(),
    outcomes: r.outcomes,
    condition: r.condition,
    bufferBoundHit: r.stats.bufferBoundHit,
    finalStates: r.stats.finalStates,
  };
}

function assertReplays(p: IrProgram, options: CheckOptions, r: CheckResult, what: string): void {
  for (const v of r.violations) {
    const rr = replay(p, options, v.replay);
    if (!rr.ok) throw new Error(`${what}: replay of the ${v.kind} counterexample failed: ${rr.error}`);
    expect(rr.trace, `${what}: ${v.kind} trace replays`).toEqual(v.trace);
    if (v.kind !== 'livelock') expect(rr.observed, `${what}: ${v.kind} is observed at the end of its trace`).toBe(v.kind);
  }
}

/**
 * Symmetry on against off, with POR on and off (dead-register reset on in both: scalarset symmetry
 * renames index-valued registers where they are live and needs dead ones zeroed). Returns the
 * symmetry status, or null when the program is too big to compare.
 */
function sameWithAndWithout(p: IrProgram, model: ModelName, what: string, extra: Partial<CheckOptions> = {}): string | null {
  const base: CheckOptions = { model, engine: 'state', maxStates: MAX_STATES, bufferBound: 2, ...extra };
  let status: string | null = null;
  for (const por of [true, false]) {
    const off = check(p, { ...base, por, symmetry: false });
    if (off.budgetExhausted !== null) return null;
    const on = check(p, { ...base, por });
    status = on.stats.symmetry ?? null;
    const want = JSON.stringify(answers(off));
    const got = JSON.stringify(answers(on));
    if (got !== want) throw new Error(`${what} under ${model} (por ${por}): answers differ\n--no-symmetry: ${want}\nsymmetry:      ${got}\nstats: ${JSON.stringify(on.stats)}`);
    if (!por && status === 'on') expect(on.stats.symmetryStates, `${what} under ${model}: orbits add up to the unreduced count`).toBe(off.stats.statesStored);
    assertReplays(p, { ...base, por }, on, `${what} under ${model} (por ${por})`);
  }
  return status;
}

const read = (name: string): string => readFileSync(join(EXAMPLES, name), 'utf8');

describe('scalarset symmetry on the examples', () => {
  const cases: [string, Record<string, number>, readonly ModelName[]][] = [
    ['locks/peterson.mw', { K: 1 }, MODELS],
    ['locks/peterson.mw', { K: 2 }, ['sc', 'tso']],
    ['locks/peterson_fenced.mw', { K: 1 }, MODELS],
    ['locks/peterson_pso.mw', { K: 1 }, MODELS],
    ['locks/peterson_pso.mw', { K: 2 }, ['sc']],
    ['broken/two_flag_deadlock_fixed.mw', {}, MODELS],
  ];
  it('peterson and its variants: reduced, and the same answers as --no-symmetry under sc, tso, pso', () => {
    for (const [name, defines, models] of cases) {
      const p = compile(name, read(name), defines);
      for (const model of models) {
        const status = sameWithAndWithout(p, model, `${name} ${JSON.stringify(defines)}`);
        expect(status, `${name} ${JSON.stringify(defines)} ${model}`).toBe('on');
      }
    }
  });
  it('peterson stores about half the states (two instances: orbits of size 2)', () => {
    const p = compile('peterson.mw', read('locks/peterson.mw'), { K: 2 });
    const on = check(p, { model: 'tso', por: false });
    const off = check(p, { model: 'tso', por: false, symmetry: false });
    expect(on.stats.statesStored).toBeLessThan(off.stats.statesStored * 0.55);
    expect(on.stats.statesStored).toBeGreaterThan(off.stats.statesStored * 0.45);
  });
  it('bakery stays off: its loops visit the threads in index order and its tie-break compares j < i', () => {
    const p = compile('bakery.mw', read('locks/bakery.mw'));
    const r = check(p, { model: 'sc' });
    expect(r.stats.symmetry).toMatch(/^off \(template T uses its index: it orders thread indices: .*j < i.*for j in 0\.\.N \[>=\].*a loop over the threads in index order or a tie-break by index is not symmetric\)$/);
  });
  it('a thread index as an initial value keeps symmetry off, with the reason', () => {
    const p = compile('p.mw', read('locks/peterson.mw').replace('shared turn = -1;', 'shared turn = 0;'));
    expect(check(p, { model: 'sc' }).stats.symmetry).toBe('off (template T uses its index: the initial state is not symmetric: turn starts at 0, a thread index)');
  });
  it('index-valued registers need dead-register reset: off with --no-dead-registers, with the reason', () => {
    const p = compile('peterson.mw', read('locks/peterson.mw'));
    expect(check(p, { model: 'sc', deadRegisters: false }).stats.symmetry).toMatch(/^off \(template T uses its index: register T\[0\]:\S+ holds thread indices: renaming it needs dead-register reset \(--no-dead-registers\)\)$/);
  });
  it('more than 6 instances: off, saying that all k! permutations would be tried', () => {
    const text = (n: number): string => `shared g[8];\nthread T[i in 0..${n}] { store.sc(g[i], 1); }\nforall (true)\n`;
    expect(check(compile('g6.mw', text(6)), { model: 'sc' }).stats.symmetry).toBe('on');
    expect(check(compile('g7.mw', text(7)), { model: 'sc' }).stats.symmetry).toBe('off (template T uses its index and has 7 instances: scalarset symmetry tries all k! permutations, so it stops at k = 6)');
  });
  it('a fixed thread index (a special thread) keeps symmetry off', () => {
    const p = compile('f.mw', 'shared g[2];\nthread T[i in 0..2] { store.sc(g[i], 1); r = load.sc(g[0]); }\nlocations [g]\n');
    expect(check(p, { model: 'sc' }).stats.symmetry).toMatch(/a fixed thread index 0 is used where indices are permuted/);
  });
});

describe('the index-valued data moves with the threads', () => {
  // T[j] announces itself in owner, then counts itself in x only if owner still names it
  const text = 'shared owner = -1;\nshared x = 0;\nthread T[i in 0..3] {\n  store.sc(owner, i);\n  o = load.sc(owner);\n  if (o == i) { r = fetch_add.sc(x, 1); }\n}\nlocations [x]\n';
  const p = compile('owner.mw', text);
  it('same answers as --no-symmetry, under sc, tso, pso', () => {
    for (const model of MODELS) expect(sameWithAndWithout(p, model, 'owner.mw')).toBe('on');
  });
  it('with part-word stores to a data location beside it (tso buffers keep their bytes): same answers', () => {
    const mixed = compile('owner8.mw', 'shared owner = -1;\nshared x;\nthread T[i in 0..2] {\n  store.plain(x.i8[1], 1);\n  store.plain(owner, i);\n  o = load.plain(owner);\n  if (o == i) { store.plain(x.i8[0], 2); }\n}\nlocations [x]\n');
    for (const model of ['sc', 'tso'] as const) expect(sameWithAndWithout(mixed, model, 'owner8.mw')).toBe('on');
  });
  it('beside a plain group (a second template with identical instances, reading owner): same answers, orbits add up', () => {
    const two = compile('two.mw', 'shared owner = -1;\nshared x = 0;\nthread T[i in 0..2] {\n  o = cmpxchg.sc(owner, -1, i);\n  if (o == -1) { store.sc(owner, -1); }\n}\nthread U[j in 0..2] {\n  u = load.sc(owner);\n  if (u != -1) { r = fetch_add.sc(x, 1); }\n}\nlocations [x]\n');
    for (const model of MODELS) expect(sameWithAndWithout(two, model, 'two.mw')).toBe('on');
    const machine = createMachine(two, 'sc');
    const setup = symmetryFor(machine);
    expect(setup.kind === 'on' ? setup.symmetry.groups : 0).toBe(2);
  });
  it('a state and its image with the blocks swapped but owner not renamed are different canonical states', () => {
    const machine = createMachine(p, 'sc');
    const setup = symmetryFor(machine);
    if (setup.kind !== 'on') throw new Error(setup.status);
    const sym = setup.symmetry;
    const layout = machine.structure?.layout;
    if (layout === undefined) throw new Error('no layout');
    const L = machine.stateLength;
    const ownerSlot = p.locations.find((l) => l.name === 'owner')?.base ?? -1;
    // s: T[0] has run its store (pc 1), the others have not; owner = 0 (T[0]'s own index)
    const s = new Int32Array(L);
    machine.initial(s, 0);
    s[layout.threadBase[0] as number] = 1;
    s[layout.memBase + ownerSlot] = 0;
    // m: the same with T[0]'s and T[1]'s blocks swapped and owner renamed: owner = 1, T[1] at pc 1
    const m = new Int32Array(L);
    machine.initial(m, 0);
    m[layout.threadBase[1] as number] = 1;
    m[layout.memBase + ownerSlot] = 1;
    // b: the blocks swapped but owner left at 0: T[1] at pc 1 while owner names T[0] — not equivalent
    const b = new Int32Array(L);
    machine.initial(b, 0);
    b[layout.threadBase[1] as number] = 1;
    b[layout.memBase + ownerSlot] = 0;
    for (const x of [s, m, b]) sym.canonicalize(x, 0);
    expect(Array.from(m)).toEqual(Array.from(s));
    expect(Array.from(b)).not.toEqual(Array.from(s));
    // orbit sizes: the one that ran can be any of 3, owner follows it: 3; in b owner names one of the two that did not run: 6
    expect(sym.orbitSize(s, 0)).toBe(3);
    expect(sym.orbitSize(b, 0)).toBe(6);
  });
});

describe('scalarset symmetry on generated template programs', () => {
  it('same answers with and without symmetry under sc, tso, pso; the new symmetry applies to some', () => {
    let scalar = 0;
    let compared = 0;
    fc.assert(
      fc.property(arbTemplateProgram({ maxStatements: 3 }), fc.constantFrom<ModelName>(...MODELS), (g, model) => {
        const p = compile('generated.mw', g.text);
        const uses = /\bo\b|owner|g\[i\]/.test(g.text) && !g.text.includes('f[1 - i % 2]') && !g.text.includes('store.sc(x, i)');
        try {
          const status = sameWithAndWithout(p, model, 'generated');
          if (status === null) return;
          compared++;
          if (status === 'on' && uses) scalar++;
        } catch (e) {
          throw new Error(`${(e as Error).stack ?? String(e)}\n${g.text}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(compared).toBeGreaterThan(RUNS * 0.7);
    expect(scalar).toBeGreaterThan(RUNS / 10);
  });
});
