import { describe, expect, it } from 'vitest';
import type { IrProgram } from '../../../../model/ir.js';
import { PSO_BUF_HEADER, PSO_ENTRY_WORDS } from '../../../../model/memory/pso.js';
import { modelOf } from '../../../../model/memory/registry.js';
import { computeLayout as layoutOf, THREAD_REGS } from '../../../../model/semantics/layout.js';
import { buildProgram, thread } from '../../../support/irBuilders.js';

const prog = buildProgram('L', { x: 0, a: [1, 2, 3] }, [
  thread('P0', (b) => { b.store('x', 1); b.load('r0', 'x'); }),
  thread('P1', (b) => { b.store(['a', 1], 1, 'sc'); b.load('r0', 'x'); b.load('r1', 'x'); }),
  thread('P2', (b) => { b.store(['a', 0], 1, 'rlx'); b.store('x', 2); }),
], { regions: ['', 'other'] });

/** The layout of a program under a model of the registry (the model declares its words, the layout places them). */
const computeLayout = (p: IrProgram, model: string, bound: number) => layoutOf(p, modelOf(model).words(p, bound), bound);
/** tso: a buffer of `cap` entries is [len, (slot, value) × cap]. */
const tsoWords = (cap: number): number => 1 + 2 * cap;
/** pso: a buffer of `cap` entries is [len, barrier, (slot, value, epoch) × cap]. */
const psoWords = (cap: number): number => PSO_BUF_HEADER + PSO_ENTRY_WORDS * cap;

describe('computeLayout', () => {
  it('packs threads, memory and regions without gaps', () => {
    const l = computeLayout(prog, 'sc', 4);
    expect([...l.threadBase]).toEqual([0, THREAD_REGS + 1, 2 * THREAD_REGS + 3]);
    expect([...l.regBase]).toEqual([THREAD_REGS, 2 * THREAD_REGS + 1, 3 * THREAD_REGS + 3]);
    expect(l.memBase).toBe(3 * THREAD_REGS + 3);
    expect(l.regionBase).toBe(l.memBase + 4);
    expect(l.length).toBe(l.regionBase + 2 * 3);
    expect([...l.blockWords]).toEqual([0, 0, 0]);
  });

  it('tso: a buffer of bufferBound entries only for threads with buffered stores', () => {
    const l = computeLayout(prog, 'tso', 3);
    expect([...l.blockWords]).toEqual([tsoWords(3), 0, tsoWords(3)]); // P1's only store is sc (locked, never buffered)
    expect(l.blockBase[1]).toBe(-1);
    expect(l.length).toBe(l.regionBase + 6 + 2 * (1 + 2 * 3));
  });

  it('pso: bufferBound entries per slot the thread may store to', () => {
    const l = computeLayout(prog, 'pso', 2);
    expect([...l.blockWords]).toEqual([psoWords(2), 0, psoWords(2 * 4)]); // P2 stores to x (1 slot) and a (3 slots)
  });
});
