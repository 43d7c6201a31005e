import { describe, expect, it } from 'vitest';
import { createMachine } from '../../../../model/semantics/createMachine.js';
import { TR } from '../../../../model/semantics/machine.js';
import { bin, buildProgram, thread } from '../../../support/irBuilders.js';
import { enabledList, exploreAll, hasOutcome, runPath, step } from '../../../support/explore.js';
import { mp, sb } from '../../../support/litmusPrograms.js';

const weakMp = (r: ReturnType<typeof exploreAll>) => hasOutcome(r.finals, 'P1:r0=1', 'P1:r1=0');

describe('pso storage', () => {
  it('SB: r0=r1=0 is reachable; fence.sc, RMW and sc stores forbid it', () => {
    expect(hasOutcome(exploreAll(createMachine(sb(), 'pso')).finals, 'P0:r0=0', 'P1:r0=0')).toBe(true);
    for (const opts of [{ fence: 'sc' as const }, { rmwStore: true }, { storeMode: 'sc' as const }]) {
      expect(hasOutcome(exploreAll(createMachine(sb(opts), 'pso')).finals, 'P0:r0=0', 'P1:r0=0')).toBe(false);
    }
  });

  it('MP: the weak outcome is reachable under pso only', () => {
    expect(weakMp(exploreAll(createMachine(mp(), 'pso')))).toBe(true);
    expect(weakMp(exploreAll(createMachine(mp(), 'tso')))).toBe(false);
    expect(weakMp(exploreAll(createMachine(mp(), 'sc')))).toBe(false);
  });

  it.each([
    ['a rel flag store', { flagStore: 'rel' as const }],
    ['an sc flag store', { flagStore: 'sc' as const }],
    ['fence.rel', { fence: 'rel' as const }],
    ['fence.sc', { fence: 'sc' as const }],
    ['fence.acq_rel', { fence: 'acq_rel' as const }],
  ])('MP with %s: the weak outcome is not reachable', (_, opts) => {
    expect(weakMp(exploreAll(createMachine(mp(opts), 'pso')))).toBe(false);
  });

  it('MP with fence.acq between the stores: still reachable (acq orders nothing here)', () => {
    expect(weakMp(exploreAll(createMachine(mp({ fence: 'acq' }), 'pso')))).toBe(true);
  });

  it('drains per slot: either slot may drain first, each slot FIFO', () => {
    const p = buildProgram('two', { x: 0, y: 0 }, [thread('P0', (b) => { b.store('x', 1); b.store('y', 2); b.store('x', 3); })]);
    const m = createMachine(p, 'pso');
    const s = runPath(m, [[TR.exec, 0], [TR.exec, 0], [TR.exec, 0]]);
    expect(m.renderBuffers(s, 0)).toEqual(['[x=1, x=3, y=2]']);
    expect(enabledList(m, s)).toEqual([[TR.drain, 0, 0], [TR.drain, 0, 1]]);
    expect(m.describe(s, 0, TR.drain, 0, 0).text).toBe('drain x = 1');
    const afterY = step(m, s, TR.drain, 0, 1).next;
    expect(m.renderState(afterY, 0)).toEqual({ x: 0, y: 2 });
    const afterX = step(m, afterY, TR.drain, 0, 0).next;
    expect(m.renderState(afterX, 0)).toEqual({ x: 1, y: 2 });
    expect(m.renderBuffers(afterX, 0)).toEqual(['[x=3]']);
  });

  it('loads forward the newest own store to that slot', () => {
    const p = buildProgram('fwd', { x: 0, y: 0 }, [thread('P0', (b) => { b.store('x', 1); b.store('y', 7); b.store('x', 2); b.load('r0', 'x'); b.load('r1', 'y'); })]);
    const m = createMachine(p, 'pso');
    const s = runPath(m, [[TR.exec, 0], [TR.exec, 0], [TR.exec, 0], [TR.exec, 0], [TR.exec, 0]]);
    expect(m.renderState(s, 0)).toMatchObject({ 'P0:r0': 2, 'P0:r1': 7, x: 0, y: 0 });
  });

  it('bounds each (thread, slot) FIFO by bufferBound', () => {
    const p = buildProgram('bound', { x: 0, y: 0 }, [thread('P0', (b) => { b.store('x', 1); b.store('y', 1); b.store('x', 2); })]);
    const m = createMachine(p, 'pso', { bufferBound: 1 });
    const s = runPath(m, [[TR.exec, 0], [TR.exec, 0]]); // x and y each hold one entry: a second slot is fine
    expect(m.bufferBoundHit).toBe(false);
    expect(enabledList(m, s)).toEqual([[TR.drain, 0, 0], [TR.drain, 0, 1]]); // store x=2 is blocked
    expect(m.bufferBoundHit).toBe(true);
  });

  it('a rel store is buffered at once and does not hold back the thread or its later loads', () => {
    const p = buildProgram('rel', { x: 0, y: 0, z: 0 }, [
      thread('P0', (b) => { b.store('x', 1); b.store('y', 1, 'rel'); b.load('r0', 'z'); }),
      thread('P1', (b) => b.store('z', 1, 'sc')),
    ]);
    const m = createMachine(p, 'pso');
    const s = runPath(m, [[TR.exec, 0], [TR.exec, 0], [TR.exec, 0]]); // no drain needed before the load
    expect(m.renderBuffers(s, 0)).toEqual(['[x=1 | y=1]', '[]']);
    expect(m.renderState(s, 0)).toMatchObject({ 'P0:r0': 0, x: 0, y: 0 });
  });

  it('a rel store cannot overtake the stores buffered before it', () => {
    const p = buildProgram('rel', { x: 0, y: 0, z: 0 }, [thread('P0', (b) => { b.store('z', 1); b.store('x', 1); b.store('y', 1, 'rel'); })]);
    const m = createMachine(p, 'pso');
    const s = runPath(m, [[TR.exec, 0], [TR.exec, 0], [TR.exec, 0]]);
    expect(m.renderBuffers(s, 0)).toEqual(['[x=1, z=1 | y=1]']);
    expect(enabledList(m, s)).toEqual([[TR.drain, 0, 0], [TR.drain, 0, 2]]); // x and z, not y
    expect(m.describe(s, 0, TR.drain, 0, 1).text).toBe('drain (nothing buffered)'); // y is not drainable
    const afterX = step(m, s, TR.drain, 0, 0).next;
    expect(enabledList(m, afterX)).toEqual([[TR.drain, 0, 2]]); // still not y: z is older
    const afterZ = step(m, afterX, TR.drain, 0, 2).next;
    expect(enabledList(m, afterZ)).toEqual([[TR.drain, 0, 1]]);
  });

  it('stores after a rel store may pass it (the barrier is before the rel store, not after)', () => {
    const p = buildProgram('relAfter', { x: 0, y: 0, z: 0 }, [thread('P0', (b) => { b.store('x', 1); b.store('y', 1, 'rel'); b.store('z', 1); })]);
    const m = createMachine(p, 'pso');
    const s = runPath(m, [[TR.exec, 0], [TR.exec, 0], [TR.exec, 0], [TR.drain, 0, 0]]);
    expect(m.renderBuffers(s, 0)).toEqual(['[y=1, z=1]']);
    expect(enabledList(m, s)).toEqual([[TR.drain, 0, 1], [TR.drain, 0, 2]]);
  });

  it.each(['rel', 'acq_rel'] as const)('fence.%s orders the stores before it before the stores after it, without blocking', (mode) => {
    const p = buildProgram('fence', { x: 0, y: 0, z: 0, w: 0 }, [
      thread('P0', (b) => { b.store('x', 1); b.store('y', 1); b.fence(mode); b.store('w', 1); b.store('z', 1); b.load('r0', 'w'); }),
    ]);
    const m = createMachine(p, 'pso');
    const afterFence = runPath(m, [[TR.exec, 0], [TR.exec, 0], [TR.exec, 0]]); // the fence ran with x, y buffered
    expect(m.renderBuffers(afterFence, 0)).toEqual(['[x=1, y=1]']);
    const s = runPath(m, [[TR.exec, 0], [TR.exec, 0], [TR.exec, 0], [TR.exec, 0], [TR.exec, 0], [TR.exec, 0]]);
    expect(m.renderBuffers(s, 0)).toEqual(['[x=1, y=1 | z=1, w=1]']);
    expect(m.renderState(s, 0)).toMatchObject({ 'P0:r0': 1 }); // forwarded from the buffer
    expect(enabledList(m, s)).toEqual([[TR.drain, 0, 0], [TR.drain, 0, 1]]);
    const afterY = step(m, s, TR.drain, 0, 1).next;
    expect(enabledList(m, afterY)).toEqual([[TR.drain, 0, 0]]);
    const afterX = step(m, afterY, TR.drain, 0, 0).next;
    expect(enabledList(m, afterX)).toEqual([[TR.drain, 0, 2], [TR.drain, 0, 3]]);
  });

  it('several barriers keep their order: each epoch drains after the one before it', () => {
    const p = buildProgram('epochs', { x: 0, y: 0, z: 0 }, [thread('P0', (b) => { b.store('z', 1); b.store('y', 1, 'rel'); b.fence('rel'); b.fence('rel'); b.store('x', 1); })]);
    const m = createMachine(p, 'pso');
    const s = runPath(m, [[TR.exec, 0], [TR.exec, 0], [TR.exec, 0], [TR.exec, 0], [TR.exec, 0]]);
    expect(m.renderBuffers(s, 0)).toEqual(['[z=1 | y=1 | x=1]']); // two fences in a row are one barrier
    expect(enabledList(m, s)).toEqual([[TR.drain, 0, 2]]);
    const s2 = step(m, s, TR.drain, 0, 2).next;
    expect(enabledList(m, s2)).toEqual([[TR.drain, 0, 1]]);
    const s3 = step(m, s2, TR.drain, 0, 1).next;
    expect(enabledList(m, s3)).toEqual([[TR.drain, 0, 0]]);
  });

  it('a rel store or fence.rel does not block later loads: SB with a release in between stays weak (TSO allows it too)', () => {
    for (const release of ['store', 'fence'] as const) {
      const p = buildProgram('relSb', { x: 0, y: 0, z: 0 }, [
        thread('P0', (b) => { b.store('x', 1); if (release === 'store') b.store('y', 1, 'rel'); else b.fence('rel'); b.load('r0', 'z'); }),
        thread('P1', (b) => { b.store('z', 1, 'sc'); b.load('r0', 'x'); }),
      ]);
      expect(hasOutcome(exploreAll(createMachine(p, 'tso')).finals, 'P0:r0=0', 'P1:r0=0')).toBe(true);
      expect(hasOutcome(exploreAll(createMachine(p, 'pso')).finals, 'P0:r0=0', 'P1:r0=0')).toBe(true);
    }
  });

  it('fence.sc and locked operations still wait for every own buffered store, barriers or not', () => {
    const p = buildProgram('full', { x: 0, y: 0 }, [thread('P0', (b) => { b.store('x', 1); b.fence('rel'); b.store('y', 1); b.fence('sc'); })]);
    const m = createMachine(p, 'pso');
    const s = runPath(m, [[TR.exec, 0], [TR.exec, 0], [TR.exec, 0]]);
    expect(enabledList(m, s)).toEqual([[TR.drain, 0, 0]]); // fence.sc blocked; only x may drain
    const s2 = runPath(m, [[TR.exec, 0], [TR.exec, 0], [TR.exec, 0], [TR.drain, 0, 0]]);
    expect(enabledList(m, s2)).toEqual([[TR.drain, 0, 1]]);
    const s3 = step(m, s2, TR.drain, 0, 1).next;
    expect(enabledList(m, s3)).toEqual([[TR.exec, 0, 0]]);
  });

  it('is canonical: epochs are renumbered from 0 and a barrier with nothing before it is forgotten', () => {
    // x=1; fence.rel; y=1, with x drained before the fence, between fence and store, or after the store
    const p = buildProgram('epochCanon', { x: 0, y: 0 }, [thread('P0', (b) => { b.store('x', 1); b.fence('rel'); b.store('y', 1); })]);
    const m = createMachine(p, 'pso');
    const e = [TR.exec, 0] as const;
    const d = [TR.drain, 0, 0] as const;
    const before = runPath(m, [e, d, e, e]);
    const between = runPath(m, [e, e, d, e]);
    const after = runPath(m, [e, e, e, d]);
    expect(m.renderBuffers(before, 0)).toEqual(['[y=1]']);
    expect([...between]).toEqual([...before]);
    expect([...after]).toEqual([...before]);
    // a pending barrier is state while something is buffered before it
    const pending = runPath(m, [e, e]);
    const noFence = runPath(m, [e]);
    expect([...pending]).not.toEqual([...noFence]);
  });

  it('is canonical across epochs: the slots inside an epoch are ordered, not the issue order', () => {
    // z=1; fence.rel; then x, y in either order (chosen by a load of w), then forget the choice
    const p = buildProgram('epochOrder', { x: 0, y: 0, z: 0, w: 0 }, [
      thread('P0', (b) => {
        b.store('z', 1);
        b.fence('rel');
        b.load('r', 'w');
        b.branch(bin('!=', 'r', 0), 'L');
        b.store('x', 1);
        b.store('y', 1);
        b.jump('E');
        b.label('L');
        b.store('y', 1);
        b.store('x', 1);
        b.label('E');
        b.assign('r', 0);
      }),
      thread('P1', (b) => b.store('w', 1, 'sc')),
    ]);
    const m = createMachine(p, 'pso');
    const e = (t: number) => [TR.exec, t] as const;
    const a = runPath(m, [e(0), e(0), e(0), e(0), e(0), e(0), e(0), e(0), e(1)]);
    const b = runPath(m, [e(1), e(0), e(0), e(0), e(0), e(0), e(0), e(0)]);
    expect(m.renderBuffers(a, 0)).toEqual(['[z=1 | x=1, y=1]', '[]']);
    expect([...a]).toEqual([...b]);
  });

  it('is canonical: the same buffered stores issued in different orders encode identically', () => {
    // P0 stores x then y, or y then x, depending on z; then forgets which (r = 0)
    const p = buildProgram('order', { x: 0, y: 0, z: 0 }, [
      thread('P0', (b) => {
        b.load('r', 'z');
        b.branch(bin('!=', 'r', 0), 'L');
        b.store('x', 1);
        b.store('y', 1);
        b.jump('E');
        b.label('L');
        b.store('y', 1);
        b.store('x', 1);
        b.label('E');
        b.assign('r', 0);
      }),
      thread('P1', (b) => b.store('z', 1, 'sc')),
    ]);
    const m = createMachine(p, 'pso');
    const e = (t: number) => [TR.exec, t] as const;
    const a = runPath(m, [e(0), e(0), e(0), e(0), e(0), e(0), e(1)]);
    const b = runPath(m, [e(1), e(0), e(0), e(0), e(0), e(0)]);
    expect(m.renderBuffers(a, 0)).toEqual(['[x=1, y=1]', '[]']);
    expect([...a]).toEqual([...b]);
  });
});
