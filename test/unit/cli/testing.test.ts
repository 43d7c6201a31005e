/**
 * `memweave/testing` (issue 12): the `toHold` matcher fails with the trace table, and `arbProgram`
 * generates programs that compile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { arbIrProgram, arbProgram, memweaveMatchers, type MemweaveMatchers } from '../../../cli/testing.js';
import { compileSource } from '../../../model/frontend.js';
import { assertSeeded, seedFromEnv } from '../../arbitraries/irProgram.js';
import { compileOrThrow } from '../../support/programs.js';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends MemweaveMatchers<T> {}
}

expect.extend(memweaveMatchers);

const ROOT = join(import.meta.dirname, '..', '..', '..');
const peterson = compileOrThrow('examples/locks/peterson.mw', readFileSync(join(ROOT, 'examples/locks/peterson.mw'), 'utf8'));
const SEED = seedFromEnv(0x7e57);

describe('toHold', () => {
  it('passes when every property holds', () => {
    expect(check(peterson, { model: 'sc' })).toHold();
  });

  it('fails with the violation, its trace table and the replay token', () => {
    const r = check(peterson, { model: 'tso' });
    let message = '';
    try {
      expect(r).toHold(peterson);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^expected peterson to hold under tso/);
    expect(message).toContain('violation (mutex): mutual exclusion violated in T[1]');
    expect(message).toMatch(/trace \(\d+ steps\):\n {4}# +T\[0\] +T\[1\] +location +effect +buffers\n/);
    expect(message).toContain('store.plain(flag[i], 1)');
    expect(message).toMatch(/replay token: mw1\.tso\.\S+/);
    // without the program, thread names come from the trace
    expect(() => expect(r).toHold()).toThrow(/# +T\[0\] +T\[1\]/);
    expect(r).not.toHold();
  });

  it('an inconclusive check does not hold, and says why', () => {
    const r = check(peterson, { model: 'tso', maxStates: 5 });
    expect(r.verdict).toBe('inconclusive');
    expect(() => expect(r).toHold()).toThrow(/inconclusive — the states budget ran out/);
  });
});

describe('arbProgram', () => {
  it('generates programs that compile without errors, and checks that complete', () => {
    assertSeeded(
      fc.property(arbProgram(), (text) => {
        const c = compileSource('g.mw', text);
        expect(c.diagnostics.filter((d) => d.severity === 'error'), text).toEqual([]);
        expect(c.ir?.threads.length).toBeGreaterThanOrEqual(2);
      }),
      SEED,
      200,
    );
    assertSeeded(
      fc.property(arbIrProgram({ maxThreads: 2, maxOps: 3 }), (p) => {
        const sc = check(p, { model: 'sc' });
        const tso = check(p, { model: 'tso', bufferBound: 3 });
        expect(sc.verdict).not.toBe('inconclusive');
        // every sc outcome is a tso outcome
        const tsoKeys = new Set(tso.outcomes.map((o) => JSON.stringify(o.values)));
        for (const o of sc.outcomes) expect(tsoKeys.has(JSON.stringify(o.values))).toBe(true);
      }),
      SEED,
      50,
    );
  });
});
