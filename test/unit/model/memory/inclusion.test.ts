/**
 * Laws between the models on random small programs: every SC outcome is a TSO outcome, every TSO
 * outcome a PSO outcome, and the js model has exactly the SC outcomes. The programs mix plain,
 * rel and sc stores, exchanges, loads and sc/rel fences (PSO's release is a StoreStore barrier
 * that never blocks later loads, so TSO ⊆ PSO holds with releases too).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IrProgram } from '../../../../model/ir.js';
import { createMachine } from '../../../../model/semantics/createMachine.js';
import { buildProgram, thread } from '../../../support/irBuilders.js';
import type { ThreadBuilder } from '../../../support/irBuilders.js';
import { exploreAll } from '../../../support/explore.js';

type Op = { kind: 'store' | 'storeRel' | 'storeSc' | 'xchg' | 'load'; loc: 'x' | 'y' } | { kind: 'fence'; mode: 'sc' | 'rel' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('store' as const, 'storeRel' as const, 'storeSc' as const, 'xchg' as const, 'load' as const), loc: fc.constantFrom('x' as const, 'y' as const) }),
  fc.record({ kind: fc.constant('fence' as const), mode: fc.constantFrom('sc' as const, 'rel' as const) }),
);
const progArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 3 });

function toProgram(threads: Op[][]): IrProgram {
  return buildProgram('rand', { x: 0, y: 0 }, threads.map((ops, t) => thread(`P${t}`, (b: ThreadBuilder) => {
    ops.forEach((op, k) => {
      const v = 10 * (t + 1) + k; // every store writes a distinct value
      switch (op.kind) {
        case 'store': b.store(op.loc, v); break;
        case 'storeRel': b.store(op.loc, v, 'rel'); break;
        case 'storeSc': b.store(op.loc, v, 'sc'); break;
        case 'xchg': b.rmw('exchange', `r${k}`, op.loc, v); break;
        case 'load': b.load(`r${k}`, op.loc); break;
        case 'fence': b.fence(op.mode); break;
      }
    });
  })));
}

const subset = (a: Set<string>, b: Set<string>): boolean => [...a].every((x) => b.has(x));

describe('model inclusion laws', () => {
  it('SC ⊆ TSO ⊆ PSO and js = SC on outcomes (property)', () => {
    const seed = Number(process.env.MEMWEAVE_SEED ?? 424242);
    try {
      fc.assert(fc.property(progArb, (threads) => {
        const p = toProgram(threads);
        const sc = exploreAll(createMachine(p, 'sc')).finals;
        const tso = exploreAll(createMachine(p, 'tso')).finals;
        const pso = exploreAll(createMachine(p, 'pso')).finals;
        const js = exploreAll(createMachine(p, 'js')).finals;
        expect(sc.size).toBeGreaterThan(0);
        expect(subset(sc, tso)).toBe(true);
        expect(subset(tso, pso)).toBe(true);
        expect(js).toEqual(sc);
      }), { seed, numRuns: 60 });
    } catch (e) {
      console.error(`inclusion property failed with MEMWEAVE_SEED=${seed}`);
      throw e;
    }
  });
});
