import { describe, expect, it } from 'vitest';
import { computeLayout, THREAD_REGS } from '../../../../model/semantics/layout.js';
import { buildProgram, thread } from '../../../support/irBuilders.js';

const prog = buildProgram('L', { x: 0, a: [1, 2, 3] }, [
  thread('P0', (b) => { b.store('x', 1); b.load('r0', 'x'); }),
  thread('P1', (b) => { b.store(['a', 1], 1, 'sc'); b.load('r0', 'x'); b.load('r1', 'x'); }),
  thread('P2', (b) => { b.store(['a', 0], 1, 'rlx'); b.store('x', 2); }),
], { regions: ['', 'other'] });

describe('computeLayout', () => {
  it('packs threads, memory and regions without gaps', () => {
    const l = computeLayout(prog, 'sc', 4);
    expect([...l.threadBase]).toEqual([0, THREAD_REGS + 1, 2 * THREAD_REGS + 3]);
    expect([...l.regBase]).toEqual([THREAD_REGS, 2 * THREAD_REGS + 1, 3 * THREAD_REGS + 3]);
    expect(l.memBase).toBe(3 * THREAD_REGS + 3);
    expect(l.regionBase).toBe(l.memBase + 4);
    expect(l.length).toBe(l.regionBase + 2 * 3);
    expect([...l.bufCap]).toEqual([0, 0, 0]);
  });

  it('tso: a buffer of bufferBound entries only for threads with buffered stores', () => {
    const l = computeLayout(prog, 'tso', 3);
    expect([...l.bufCap]).toEqual([3, 0, 3]); // P1's only store is sc (locked, never buffered)
    expect(l.bufBase[1]).toBe(-1);
    expect(l.length).toBe(l.regionBase + 6 + 2 * (1 + 2 * 3));
  });

  it('pso: bufferBound entries per slot the thread may store to', () => {
    const l = computeLayout(prog, 'pso', 2);
    expect([...l.bufCap]).toEqual([2, 0, 2 * 4]); // P2 stores to x (1 slot) and a (3 slots)
  });
});
