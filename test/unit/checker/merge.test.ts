/**
 * Statement merging (checker/merge.ts): which instructions are local, that merged searches store
 * fewer states and give the same answers as unmerged ones (`--no-por` turns merging off), that a
 * purely local infinite loop is still a livelock (MERGE_CAP), that an instruction that can fail is
 * not merged, and that counterexample traces still show every instruction as its own row and
 * replay step for step.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { isLocal, MERGE_CAP } from '../../../checker/merge.js';
import { replay } from '../../../checker/replay.js';
import type { CheckResult, ModelName } from '../../../checker/api.js';
import type { IrProgram } from '../../../model/ir.js';
import { compileOrThrow } from '../../support/programs.js';

const compile = (text: string): IrProgram => compileOrThrow('merge.mw', text);

/** The answers merging must not change. */
function answers(r: CheckResult): unknown {
  return { verdict: r.verdict, violations: r.violations.map((v) => v.kind), outcomes: r.outcomes.map((o) => o.values), condition: r.condition?.validated ?? null };
}

function mergedAndNot(p: IrProgram, model: ModelName = 'sc'): { merged: CheckResult; plain: CheckResult } {
  const merged = check(p, { model, symmetry: false, deadRegisters: false });
  const plain = check(p, { model, symmetry: false, deadRegisters: false, por: false });
  expect(plain.stats.mergedSteps).toBe(0);
  expect(answers(merged)).toEqual(answers(plain));
  for (const v of merged.violations) {
    const rr = replay(p, { model }, v.replay);
    if (!rr.ok) throw new Error(rr.error);
    expect(rr.trace).toEqual(v.trace);
  }
  return { merged, plain };
}

describe('isLocal', () => {
  it('takes register-only instructions that cannot fail, nothing else', () => {
    const p = compile(`test t
shared x = 0;
thread A {
  a = 7 / 2;
  b = a / 2 + a % 3;
  c = a / b;
  if (a > b) { skip; }
  r = load.sc(x);
  assert (a == 3);
  d = a % 0;
}`);
    const code = p.threads[0]!.code;
    const by = (text: string) => code.filter((i) => i.origin.text.startsWith(text)).map(isLocal);
    expect(by('a = 7 / 2')).toEqual([true]);
    expect(by('b = a / 2 + a % 3')).toEqual([true]);
    expect(by('c = a / b')).toEqual([false]);
    expect(by('d = a % 0')).toEqual([false]);
    expect(by('r = load.sc(x)')).toEqual([false]);
    expect(by('assert')).toEqual([false]);
    expect(code.filter((i) => i.kind === 'branch' || i.kind === 'skip').every(isLocal)).toBe(true);
  });
});

describe('statement merging', () => {
  it('stores fewer states with the same answers (a loop of local steps between loads)', () => {
    const p = compile(`test loops
shared a[3];
shared done = 0;
thread W { for j in 0..3 { store.sc(a[j], j + 1); } }
thread R {
  m = 0;
  for j in 0..3 { v = load.sc(a[j]); if (v > m) { m = v; } }
  store.sc(done, m);
}
exists (done = 3)`);
    const { merged, plain } = mergedAndNot(p);
    expect(merged.stats.mergedSteps).toBeGreaterThan(0);
    expect(merged.stats.statesStored).toBeLessThan(plain.stats.statesStored);
    expect(merged.condition?.validated).toBe(true);
  });

  it('runs the leading local steps at the start; the trace shows each one as a row', () => {
    const p = compile(`test start
thread A {
  a = 1;
  b = a + 1;
  assert (b == 3);
}`);
    const { merged, plain } = mergedAndNot(p);
    expect(merged.stats.statesStored).toBe(1);
    expect(plain.stats.statesStored).toBe(3);
    const v = merged.violations[0]!;
    expect(v.kind).toBe('assert');
    expect(v.trace.map((s) => s.text)).toEqual(['a = 1', 'b = a + 1', 'assert (b == 3)']);
    expect(v.trace).toEqual(plain.violations[0]!.trace);
  });

  it('does not merge a division by a register: the run-time error is the same', () => {
    const p = compile(`test div
shared x = 0;
thread A { z = 0; y = 1 / z; store.sc(x, y); }
thread B { store.sc(x, 2); }`);
    const { merged } = mergedAndNot(p);
    expect(merged.violations.map((v) => v.kind)).toEqual(['runtime']);
    expect(merged.violations[0]!.trace.at(-1)!.text).toBe('y = 1 / z');
  });

  it('a purely local infinite loop is still a livelock (the cap keeps each step finite)', () => {
    const p = compile(`test spin
shared x = 0;
thread A { r = 0; while (r == 0) { k = (k + 1) % 5; } }
thread B { store.sc(x, 1); }`);
    const { merged } = mergedAndNot(p);
    expect(merged.violations.map((v) => v.kind)).toEqual(['livelock']);
    expect(merged.violations[0]!.message).toMatch(/thread A spins/);
  });

  it('a long local loop is cut every MERGE_CAP instructions, and ends as unmerged', () => {
    const p = compile(`test long
thread A { r = 0; while (r < 200) { r = r + 1; } }
locations [A:r]`);
    const { merged, plain } = mergedAndNot(p);
    // the first assignment, 200 iterations of three instructions, the exit test
    const steps = 1 + 3 * 200 + 1;
    // the start runs MERGE_CAP of them; every later step one plus up to MERGE_CAP merged
    expect((merged.stats.mergedSteps ?? 0) + merged.stats.transitions).toBe(steps);
    expect(merged.stats.statesStored).toBe(1 + Math.ceil((steps - MERGE_CAP) / (MERGE_CAP + 1)));
    expect(merged.outcomes.map((o) => o.values)).toEqual([{ 'A:r': 200 }]);
    expect(plain.stats.statesStored).toBeGreaterThan(steps);
  });

  it('keeps a deadlock and its message under tso', () => {
    const p = compile(`test dl
shared x = 0;
shared y = 0;
thread A { a = 1; await (load.sc(x) == 1); store.sc(y, a); }
thread B { b = 2; await (load.sc(y) == 1); store.sc(x, b); }`);
    const { merged, plain } = mergedAndNot(p, 'tso');
    expect(merged.violations.map((v) => v.kind)).toEqual(['deadlock']);
    expect(merged.violations[0]!.message).toBe(plain.violations[0]!.message);
  });
});
