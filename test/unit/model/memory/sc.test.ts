import { describe, expect, it } from 'vitest';
import { createMachine } from '../../../../model/semantics/createMachine.js';
import { exploreAll, hasOutcome } from '../../../support/explore.js';
import { mp, sb } from '../../../support/litmusPrograms.js';

describe('sc storage', () => {
  it('SB: r0=r1=0 is not reachable; exactly the three interleaving outcomes are', () => {
    const r = exploreAll(createMachine(sb(), 'sc'));
    expect(hasOutcome(r.finals, 'P0:r0=0', 'P1:r0=0')).toBe(false);
    expect([...r.finals].sort()).toEqual([
      'P0:r0=0 P1:r0=1 x=1 y=1',
      'P0:r0=1 P1:r0=0 x=1 y=1',
      'P0:r0=1 P1:r0=1 x=1 y=1',
    ]);
    // (pc0, pc1) grid: 7 pairs with one state each; (2,1) and (1,2): 2 states each (did the load see
    // the other store?); (2,2): 3 outcomes → 7 + 4 + 3 = 13 states
    expect(r.states).toBe(13);
    expect(r.deadlocks).toBe(0);
    expect(r.violations).toEqual([]);
  });

  it('MP: the weak outcome r0=1, r1=0 is not reachable', () => {
    const r = exploreAll(createMachine(mp(), 'sc'));
    expect(hasOutcome(r.finals, 'P1:r0=1', 'P1:r1=0')).toBe(false);
    expect(hasOutcome(r.finals, 'P1:r0=1', 'P1:r1=1')).toBe(true);
  });

  it('has no buffers: no drains, empty renderBuffers, no race check', () => {
    const m = createMachine(sb(), 'sc');
    const s = new Int32Array(m.stateLength);
    m.initial(s, 0);
    expect(m.renderBuffers(s, 0)).toEqual([]);
    expect(m.race(s, 0)).toBeNull();
    expect(m.maxTransitions).toBe(2);
    expect(m.bufferBoundHit).toBe(false);
  });
});
