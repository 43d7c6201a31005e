import { describe, expect, it } from 'vitest';
import { createMachine } from '../../../../model/semantics/createMachine.js';
import { TR } from '../../../../model/semantics/machine.js';
import { buildProgram, thread } from '../../../support/irBuilders.js';
import { enabledList, exploreAll, hasOutcome, runPath, step } from '../../../support/explore.js';
import { mp, sb } from '../../../support/litmusPrograms.js';

describe('tso storage (x86-TSO)', () => {
  it('SB: r0=r1=0 is reachable (stores wait in the buffers)', () => {
    const r = exploreAll(createMachine(sb(), 'tso'));
    expect(hasOutcome(r.finals, 'P0:r0=0', 'P1:r0=0')).toBe(true);
    expect(r.finals.size).toBe(4);
    expect(r.deadlocks).toBe(0);
  });

  it('SB with sc loads still reaches r0=r1=0 (sc loads are plain MOVs)', () => {
    expect(hasOutcome(exploreAll(createMachine(sb({ loadMode: 'sc' }), 'tso')).finals, 'P0:r0=0', 'P1:r0=0')).toBe(true);
  });

  it.each([
    ['fence.sc', { fence: 'sc' as const }],
    ['an RMW store', { rmwStore: true }],
    ['sc stores (XCHG)', { storeMode: 'sc' as const }],
  ])('SB with %s: r0=r1=0 is not reachable', (_, opts) => {
    const r = exploreAll(createMachine(sb(opts), 'tso'));
    expect(hasOutcome(r.finals, 'P0:r0=0', 'P1:r0=0')).toBe(false);
    expect(r.finals.size).toBe(3);
  });

  it('SB with fence.acq_rel or fence.rel: still reachable (no-ops on x86)', () => {
    expect(hasOutcome(exploreAll(createMachine(sb({ fence: 'acq_rel' }), 'tso')).finals, 'P0:r0=0', 'P1:r0=0')).toBe(true);
    expect(hasOutcome(exploreAll(createMachine(sb({ fence: 'rel' }), 'tso')).finals, 'P0:r0=0', 'P1:r0=0')).toBe(true);
  });

  it('MP: the weak outcome is not reachable (buffers are FIFO)', () => {
    const r = exploreAll(createMachine(mp(), 'tso'));
    expect(hasOutcome(r.finals, 'P1:r0=1', 'P1:r1=0')).toBe(false);
    expect(hasOutcome(r.finals, 'P1:r0=1', 'P1:r1=1')).toBe(true);
  });

  it('a load forwards the newest own buffered store to the same slot', () => {
    const p = buildProgram('fwd', { x: 0 }, [thread('P0', (b) => { b.store('x', 1); b.store('x', 2); b.load('r0', 'x'); })]);
    const m = createMachine(p, 'tso');
    const s = runPath(m, [[TR.exec, 0], [TR.exec, 0], [TR.exec, 0]]);
    expect(m.renderState(s, 0)).toEqual({ x: 0, 'P0:r0': 2 });
    expect(m.renderBuffers(s, 0)).toEqual(['[x=1, x=2]']);
    expect(m.isFinal(s, 0)).toBe(false); // finished, but stores are still buffered
    expect(enabledList(m, s)).toEqual([[TR.drain, 0, -1]]);
    expect(m.describe(s, 0, TR.drain, 0, -1)).toMatchObject({ action: 'drain', text: 'drain x = 1', location: '' });
    const d1 = step(m, s, TR.drain, 0).next;
    expect(m.renderState(d1, 0).x).toBe(1);
    const d2 = step(m, d1, TR.drain, 0).next;
    expect(m.isFinal(d2, 0)).toBe(true);
    expect(m.renderBuffers(d2, 0)).toEqual(['[]']);
  });

  it('locked operations and sc stores wait for an empty own buffer', () => {
    const p = buildProgram('locked', { x: 0, y: 0 }, [thread('P0', (b) => { b.store('x', 1); b.rmw('fetch_add', 'r0', 'y', 1); b.store('y', 5, 'sc'); })]);
    const m = createMachine(p, 'tso');
    const s = runPath(m, [[TR.exec, 0]]);
    expect(enabledList(m, s)).toEqual([[TR.drain, 0, -1]]); // the RMW is blocked
    expect(m.describeThreads(s, 0)[0]).toMatch(/^blocked at locked\.mw:\d+ \(waiting for its buffered stores to drain\)$/);
    const s2 = runPath(m, [[TR.exec, 0], [TR.drain, 0], [TR.exec, 0], [TR.exec, 0]]);
    expect(m.renderState(s2, 0)).toEqual({ x: 1, y: 5, 'P0:r0': 0 });
    expect(m.isFinal(s2, 0)).toBe(true);
  });

  it('a full buffer blocks the store and sets bufferBoundHit', () => {
    const p = buildProgram('full', { x: 0 }, [thread('P0', (b) => { b.store('x', 1); b.store('x', 2); })]);
    const small = createMachine(p, 'tso', { bufferBound: 1 });
    const s = runPath(small, [[TR.exec, 0]]);
    expect(small.bufferBoundHit).toBe(false);
    expect(enabledList(small, s)).toEqual([[TR.drain, 0, -1]]);
    expect(small.bufferBoundHit).toBe(true);
    expect(small.describeThreads(s, 0)[0]).toContain('store buffer full');
    const big = createMachine(p, 'tso', { bufferBound: 2 });
    exploreAll(big);
    expect(big.bufferBoundHit).toBe(false);
  });

  it('is canonical: two drain orders reach the same words', () => {
    const p = buildProgram('canon', { x: 0, y: 0 }, [thread('P0', (b) => b.store('x', 1)), thread('P1', (b) => b.store('y', 1))]);
    const m = createMachine(p, 'tso');
    const a = runPath(m, [[TR.exec, 0], [TR.drain, 0], [TR.exec, 1], [TR.drain, 1]]);
    const b = runPath(m, [[TR.exec, 1], [TR.exec, 0], [TR.drain, 1], [TR.drain, 0]]);
    expect([...a]).toEqual([...b]);
    expect(m.isFinal(a, 0)).toBe(true);
  });

  it('describes a buffered store as buffered', () => {
    const m = createMachine(sb(), 'tso');
    const s = new Int32Array(m.stateLength);
    m.initial(s, 0);
    expect(m.describe(s, 0, TR.exec, 0, 0)).toMatchObject({ action: 'instr', text: 'store.plain(x, 1)', effect: 'write x = 1 (buffered)', location: 'SB.mw:4', message: null });
  });
});
