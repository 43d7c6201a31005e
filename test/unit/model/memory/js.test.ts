import { describe, expect, it } from 'vitest';
import type { Mode } from '../../../../model/ir.js';
import { createMachine } from '../../../../model/semantics/createMachine.js';
import { bin, buildProgram, thread } from '../../../support/irBuilders.js';
import { exploreAll } from '../../../support/explore.js';
import { mp, sb } from '../../../support/litmusPrograms.js';

/** P0 writes x with `w`; P1 reads x with `r`. */
const writeRead = (w: Mode, r: Mode) => buildProgram('wr', { x: 0 }, [thread('P0', (b) => b.store('x', 1, w)), thread('P1', (b) => b.load('r0', 'x', r))]);

const initialRace = (p: ReturnType<typeof writeRead>) => {
  const m = createMachine(p, 'js');
  const s = new Int32Array(m.stateLength);
  m.initial(s, 0);
  return m.race(s, 0);
};

describe('js model', () => {
  it('plain store vs plain load on the same location is a race, with names and lines', () => {
    const race = initialRace(writeRead('plain', 'plain'));
    expect(race?.threads).toEqual([0, 1]);
    expect(race?.message).toBe('data race on x: P0 (store.plain(x, 1) at wr.mw:3) and P1 (r0 = load.plain(x) at wr.mw:5) are concurrent conflicting accesses, at least one non-atomic');
  });

  it('plain vs sc is a race (either side plain)', () => {
    expect(initialRace(writeRead('sc', 'plain'))).not.toBeNull();
    expect(initialRace(writeRead('plain', 'sc'))).not.toBeNull();
  });

  it('sc vs sc is not a race, nor rel vs acq', () => {
    expect(initialRace(writeRead('sc', 'sc'))).toBeNull();
    expect(initialRace(writeRead('rel', 'acq'))).toBeNull();
  });

  it('two plain loads do not race, nor accesses to different array elements', () => {
    const loads = buildProgram('rr', { x: 0 }, [thread('P0', (b) => b.load('r0', 'x')), thread('P1', (b) => b.load('r0', 'x'))]);
    expect(exploreAll(createMachine(loads, 'js')).violations).toEqual([]);
    const elems = buildProgram('arr', { a: [0, 0] }, [
      thread('P0', (b) => b.store(['a', 0], 1)),
      thread('P1', (b) => { b.assign('i', 1); b.store(['a', 'i'], 1); }),
    ]);
    expect(exploreAll(createMachine(elems, 'js')).violations).toEqual([]);
    const same = buildProgram('arr', { a: [0, 0] }, [
      thread('P0', (b) => b.store(['a', 1], 1)),
      thread('P1', (b) => { b.assign('i', 1); b.store(['a', 'i'], 2); }),
    ]);
    expect(exploreAll(createMachine(same, 'js')).violations).toEqual([expect.stringMatching(/^race: data race on a\[1\]: P0 .* and P1 /)]);
  });

  it('an RMW is atomic: RMW vs sc load is no race, RMW vs plain load is', () => {
    const p = (mode: Mode) => buildProgram('rmw', { x: 0 }, [thread('P0', (b) => b.rmw('fetch_add', null, 'x', 1, 'rlx')), thread('P1', (b) => b.load('r', 'x', mode))]);
    expect(exploreAll(createMachine(p('sc'), 'js')).violations).toEqual([]);
    expect(exploreAll(createMachine(p('plain'), 'js')).violations).toHaveLength(1);
  });

  it('message passing with an sc flag and plain data has no race (the accesses are never concurrent)', () => {
    const p = buildProgram('mp', { d: 0, f: 0 }, [
      thread('P0', (b) => { b.store('d', 42); b.store('f', 1, 'sc'); }),
      thread('P1', (b) => { b.await('r0', 'f', bin('==', 'r0', 1), 'sc'); b.load('r1', 'd'); }),
    ]);
    const r = exploreAll(createMachine(p, 'js'));
    expect(r.violations).toEqual([]);
    expect([...r.finals]).toEqual(['P1:r0=1 P1:r1=42 d=42 f=1']);
  });

  it('message passing with a plain flag races on the flag (a blocked await still counts as a load)', () => {
    const r = exploreAll(createMachine(mp(), 'js'));
    expect(r.violations.some((v) => v.startsWith('race: data race on y'))).toBe(true);
    const p = buildProgram('spin', { f: 0 }, [
      thread('P0', (b) => b.store('f', 1)),
      thread('P1', (b) => b.await('r0', 'f', bin('==', 'r0', 1), 'plain')),
    ]);
    expect(exploreAll(createMachine(p, 'js')).violations).toHaveLength(1);
  });

  it('has SC outcomes and no race check under the other models', () => {
    const js = exploreAll(createMachine(sb(), 'js'));
    const sc = exploreAll(createMachine(sb(), 'sc'));
    expect(js.finals).toEqual(sc.finals);
    const m = createMachine(writeRead('plain', 'plain'), 'sc');
    const s = new Int32Array(m.stateLength);
    m.initial(s, 0);
    expect(m.race(s, 0)).toBeNull();
  });
});
