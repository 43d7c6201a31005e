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

  it('a rel store waits for all own buffers to drain', () => {
    const p = buildProgram('rel', { x: 0, y: 0 }, [thread('P0', (b) => { b.store('x', 1); b.store('y', 1, 'rel'); })]);
    const m = createMachine(p, 'pso');
    const s = runPath(m, [[TR.exec, 0]]);
    expect(enabledList(m, s)).toEqual([[TR.drain, 0, 0]]);
    const s2 = runPath(m, [[TR.exec, 0], [TR.drain, 0, 0], [TR.exec, 0]]);
    expect(m.renderBuffers(s2, 0)).toEqual(['[y=1]']); // the rel store itself is buffered
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
