import { describe, expect, it } from 'vitest';
import { createMachine } from '../../../../model/semantics/createMachine.js';
import { STEP, TR } from '../../../../model/semantics/machine.js';
import type { MachineModel } from '../../../../model/semantics/machine.js';
import { bin, buildProgram, thread } from '../../../support/irBuilders.js';
import { enabledList, exploreAll, hasOutcome, runPath, step } from '../../../support/explore.js';

const ALL: MachineModel[] = ['sc', 'tso', 'pso', 'js'];
const exec = (t: number) => [TR.exec, t] as const;

describe('wait / notify', () => {
  it('wait on an unequal value returns not_equal (1) and does not block', () => {
    const p = buildProgram('ne', { x: 0 }, [thread('P0', (b) => b.wait('r', 'x', 1))]);
    for (const model of ALL) {
      const r = exploreAll(createMachine(p, model));
      expect([...r.finals]).toEqual(['P0:r=1 x=0']);
      expect(r.deadlocks).toBe(0);
    }
  });

  it('wakes waiters in FIFO order; the woken get ok (0) and the notifier the count', () => {
    const p = buildProgram('fifo', { x: 0 }, [
      thread('P0', (b) => { b.assign('r0', 9); b.wait('r0', 'x', 0); }),
      thread('P1', (b) => { b.assign('r1', 9); b.wait('r1', 'x', 0); }),
      thread('P2', (b) => { b.notify('n', 'x', 1); b.notify('m', 'x', 1); }),
    ]);
    const m = createMachine(p, 'sc');
    // P1 enqueues first, then P0: one notify must wake P1 only
    const s = runPath(m, [exec(1), exec(1), exec(0), exec(0), exec(2)]);
    expect(m.renderState(s, 0)).toMatchObject({ 'P0:r0': 9, 'P1:r1': 0, 'P2:n': 1 });
    expect(m.describeThreads(s, 0)).toEqual(['blocked in wait on x at fifo.mw:4', 'finished', 'running at fifo.mw:10']);
    const s2 = step(m, s, TR.exec, 2).next;
    expect(m.renderState(s2, 0)).toMatchObject({ 'P0:r0': 0, 'P2:m': 1 });
    expect(m.isFinal(s2, 0)).toBe(true);
    // the other order wakes P0 first
    const t = runPath(m, [exec(0), exec(0), exec(1), exec(1), exec(2)]);
    expect(m.renderState(t, 0)).toMatchObject({ 'P0:r0': 0, 'P1:r1': 9 });
    expect(m.describe(runPath(m, [exec(0), exec(0), exec(1), exec(1)]), 0, TR.exec, 2, 0).effect).toBe('notify x: woke 1 (P0)');
  });

  it('notify without a count wakes every waiter; with no waiters it returns 0', () => {
    const p = buildProgram('all', { x: 0 }, [
      thread('P0', (b) => b.wait('r0', 'x', 0)),
      thread('P1', (b) => b.wait('r1', 'x', 0)),
      thread('P2', (b) => b.notify('n', 'x')),
    ]);
    const m = createMachine(p, 'sc');
    const s = runPath(m, [exec(0), exec(1), exec(2)]);
    expect(m.renderState(s, 0)).toMatchObject({ 'P0:r0': 0, 'P1:r1': 0, 'P2:n': 2 });
    expect(m.isFinal(s, 0)).toBe(true);
    const early = runPath(m, [exec(2)]);
    expect(m.renderState(early, 0)['P2:n']).toBe(0);
    const r = exploreAll(m);
    expect(r.deadlocks).toBeGreaterThan(0); // notifying before anyone waits strands the waiters
    expect(hasOutcome(r.finals, 'P2:n=2')).toBe(true);
  });

  it('a negative count wakes nobody', () => {
    const p = buildProgram('neg', { x: 0 }, [thread('P0', (b) => b.wait('r0', 'x', 0)), thread('P1', (b) => b.notify('n', 'x', -1))]);
    const m = createMachine(p, 'sc');
    const s = runPath(m, [exec(0), exec(1)]);
    expect(m.renderState(s, 0)['P1:n']).toBe(0);
    expect(enabledList(m, s)).toEqual([]);
    expect(m.isFinal(s, 0)).toBe(false);
  });

  it('a lost wake-up deadlocks: checking a flag then waiting on something else', () => {
    const lost = buildProgram('lost', { flag: 0, x: 0 }, [
      thread('P0', (b) => { b.load('r', 'flag', 'sc'); b.branch(bin('!=', 'r', 0), 'done'); b.wait(null, 'x', 0); b.label('done'); }),
      thread('P1', (b) => { b.store('flag', 1, 'sc'); b.notify(null, 'x'); }),
    ]);
    const r = exploreAll(createMachine(lost, 'sc'));
    expect(r.deadlocks).toBe(1);
    // Atomics.wait compares and sleeps atomically, so waiting on the flag itself cannot lose the wake-up
    const ok = buildProgram('ok', { flag: 0 }, [
      thread('P0', (b) => b.wait(null, 'flag', 0)),
      thread('P1', (b) => { b.store('flag', 1, 'sc'); b.notify(null, 'flag'); }),
    ]);
    for (const model of ALL) expect(exploreAll(createMachine(ok, model)).deadlocks).toBe(0);
  });

  it('under tso/pso a wait is enabled only with an empty own buffer', () => {
    const p = buildProgram('wb', { x: 0 }, [thread('P0', (b) => { b.store('x', 1); b.wait('r', 'x', 0); })]);
    for (const model of ['tso', 'pso'] as const) {
      const m = createMachine(p, model);
      const s = runPath(m, [exec(0)]);
      expect(enabledList(m, s).map((t) => t[0])).toEqual([TR.drain]);
      expect([...exploreAll(m).finals]).toEqual(['P0:r=1 x=1']); // it sees its own store: not_equal
    }
  });
});

describe('timeouts', () => {
  it('a wait with a timeout may time out (2); without one it deadlocks', () => {
    const timed = buildProgram('to', { x: 0 }, [thread('P0', (b) => b.wait('r', 'x', 0, 100))]);
    const r = exploreAll(createMachine(timed, 'sc'));
    expect([...r.finals]).toEqual(['P0:r=2 x=0']);
    expect(r.deadlocks).toBe(0);
    const forever = buildProgram('fe', { x: 0 }, [thread('P0', (b) => b.wait('r', 'x', 0))]);
    const f = exploreAll(createMachine(forever, 'sc'));
    expect(f.finals.size).toBe(0);
    expect(f.deadlocks).toBe(1);
  });

  it('a timed-out waiter leaves the queue: the next notify wakes the one behind it', () => {
    const p = buildProgram('tq', { x: 0 }, [
      thread('P0', (b) => b.wait('r0', 'x', 0, 5)),
      thread('P1', (b) => b.wait('r1', 'x', 0)),
      thread('P2', (b) => b.notify('n', 'x', 1)),
    ]);
    const m = createMachine(p, 'sc');
    const s = runPath(m, [exec(0), exec(1)]);
    expect(enabledList(m, s)).toEqual([[TR.exec, 2, 0], [TR.timeout, 0, 0]]);
    expect(m.describe(s, 0, TR.timeout, 0, 0)).toMatchObject({ action: 'timeout', effect: 'wait on x → timed_out', location: 'tq.mw:3' });
    const after = runPath(m, [exec(0), exec(1), [TR.timeout, 0], exec(2)]);
    expect(m.renderState(after, 0)).toMatchObject({ 'P0:r0': 2, 'P1:r1': 0, 'P2:n': 1 });
    expect(m.isFinal(after, 0)).toBe(true);
    // canonical queue positions: P1 alone in the queue looks the same however it got to the front
    const viaTimeout = runPath(m, [exec(0), exec(1), [TR.timeout, 0]]);
    const direct = runPath(m, [exec(1), exec(0), [TR.timeout, 0]]);
    expect([...viaTimeout]).toEqual([...direct]);
  });
});

describe('await and block', () => {
  it('await is enabled only when the loaded value satisfies the condition', () => {
    const p = buildProgram('aw', { f: 0 }, [
      thread('P0', (b) => b.await('v', 'f', bin('==', 'v', 2))),
      thread('P1', (b) => { b.store('f', 1, 'sc'); b.store('f', 2, 'sc'); }),
    ]);
    const m = createMachine(p, 'sc');
    const s0 = runPath(m, []);
    expect(enabledList(m, s0)).toEqual([[TR.exec, 1, 0]]);
    expect(m.describeThreads(s0, 0)[0]).toBe('blocked in await on f at aw.mw:3 (condition false)');
    expect(enabledList(m, runPath(m, [exec(1)]))).toEqual([[TR.exec, 1, 0]]);
    const r = exploreAll(m);
    expect([...r.finals]).toEqual(['P0:v=2 f=2']);
  });

  it('block waits for a register condition: never true means a deadlock', () => {
    const p = buildProgram('bl', {}, [thread('P0', (b) => { b.assign('r', 1); b.block(bin('==', 'r', 2)); })]);
    const r = exploreAll(createMachine(p, 'sc'));
    expect(r.deadlocks).toBe(1);
  });
});

describe('control flow', () => {
  it('branches and jumps: a counting loop', () => {
    const p = buildProgram('loop', { x: 0 }, [thread('P0', (b) => {
      b.label('top');
      b.branch(bin('>=', 'i', 3), 'end');
      b.rmw('fetch_add', null, 'x', 2);
      b.assign('i', bin('+', 'i', 1));
      b.jump('top');
      b.label('end');
    })]);
    const r = exploreAll(createMachine(p, 'tso'));
    expect([...r.finals]).toEqual(['P0:i=3 x=6']);
  });

  it('RMW operations compute their results and return the old value', () => {
    const p = buildProgram('rmw', { x: 6 }, [thread('P0', (b) => {
      b.rmw('fetch_sub', 'a', 'x', 1);     // x 6 → 5
      b.rmw('fetch_and', 'b', 'x', 3);     // 5 → 1
      b.rmw('fetch_or', 'c', 'x', 8);      // 1 → 9
      b.rmw('fetch_xor', 'd', 'x', 1);     // 9 → 8
      b.rmw('cmpxchg', 'e', 'x', 100, 'sc', 7); // fails: 8 stays
      b.rmw('cmpxchg', 'f', 'x', 100, 'sc', 8); // 8 → 100
      b.rmw('exchange', 'g', 'x', -1);     // 100 → -1
    })]);
    const m = createMachine(p, 'sc');
    expect([...exploreAll(m).finals]).toEqual(['P0:a=6 P0:b=5 P0:c=1 P0:d=9 P0:e=8 P0:f=8 P0:g=100 x=-1']);
    const s = runPath(m, [exec(0), exec(0), exec(0), exec(0)]);
    expect(m.describe(s, 0, TR.exec, 0, 0).effect).toBe('read x = 8 (compare failed, no write)');
  });
});

describe('properties and errors', () => {
  it('assert false reports assertFailed with its message and leaves the thread at the assert', () => {
    const p = buildProgram('as', { x: 0 }, [
      thread('P0', (b) => b.store('x', 1, 'sc')),
      thread('P1', (b) => { b.load('r', 'x', 'sc'); b.assert(bin('==', 'r', 0), 'saw the store'); }),
    ]);
    const m = createMachine(p, 'sc');
    const s = runPath(m, [exec(0), exec(1)]);
    const next = new Int32Array(m.stateLength);
    expect(m.apply(s, 0, TR.exec, 1, 0, next, 0)).toBe(STEP.assertFailed);
    expect(m.describe(s, 0, TR.exec, 1, 0)).toMatchObject({ effect: 'assertion failed', message: 'saw the store', location: 'as.mw:6' });
    expect([...next]).toEqual([...s]);
    expect(exploreAll(m).violations).toEqual(['assert: saw the store']);
  });

  it('assume false prunes the branch', () => {
    const p = buildProgram('am', { x: 0 }, [
      thread('P0', (b) => b.store('x', 1, 'sc')),
      thread('P1', (b) => { b.load('r', 'x', 'sc'); b.assume(bin('==', 'r', 1)); }),
    ]);
    const m = createMachine(p, 'sc');
    const s = runPath(m, [exec(1)]);
    expect(step(m, s, TR.exec, 1).status).toBe(STEP.pruned);
    expect([...exploreAll(m).finals]).toEqual(['P1:r=1 x=1']);
  });

  it('division by zero and out-of-bounds indices are run-time errors that write nothing', () => {
    const div = buildProgram('dz', { x: 0 }, [thread('P0', (b) => b.assign('r', bin('/', 1, 'z')))]);
    expect(exploreAll(createMachine(div, 'sc')).violations).toEqual(['runtime: division by zero']);
    const oob = buildProgram('ob', { a: [0, 0], x: 0 }, [thread('P0', (b) => { b.assign('i', 2); b.store(['a', 'i'], 7); })]);
    for (const model of ALL) {
      const m = createMachine(oob, model);
      const s = runPath(m, [exec(0)]);
      const r = step(m, s, TR.exec, 0);
      expect(r.status).toBe(STEP.runtimeError);
      expect([...r.next]).toEqual([...s]);
      expect(m.describe(s, 0, TR.exec, 0, 0).message).toBe('index 2 out of bounds for a[2]');
    }
    const neg = buildProgram('ng', { a: [0, 0] }, [thread('P0', (b) => b.load('r', ['a', -1]))]);
    expect(exploreAll(createMachine(neg, 'tso')).violations).toEqual(['runtime: index -1 out of bounds for a[2]']);
  });

  it('entering an occupied region is a mutex violation; the successor is still produced', () => {
    const p = buildProgram('mx', {}, [
      thread('P0', (b) => { b.enter(); b.skip(); b.exit(); }),
      thread('P1', (b) => { b.enter(); b.skip(); b.exit(); }),
    ]);
    const m = createMachine(p, 'sc');
    const s = runPath(m, [exec(0)]);
    const r = step(m, s, TR.exec, 1);
    expect(r.status).toBe(STEP.mutexViolated);
    expect(m.describe(s, 0, TR.exec, 1, 0).message).toBe('P1 entered the critical region while P0 is inside');
    expect(m.isFinal(runPath(m, [exec(0), exec(0), exec(0), exec(1), exec(1), exec(1)]), 0)).toBe(true);
    const e = exploreAll(m);
    expect(e.violations).toHaveLength(2);
    expect(e.finals.size).toBe(1);
  });

  it('a spinlock built from cmpxchg keeps the region exclusive under every model', () => {
    const p = buildProgram('spin', { l: 0, c: 0 }, [0, 1].map((i) => thread(`P${i}`, (b) => {
      b.label('retry');
      b.rmw('cmpxchg', 'o', 'l', 1, 'acq', 0);
      b.branch(bin('!=', 'o', 0), 'retry');
      b.enter();
      b.load('v', 'c');
      b.store('c', bin('+', 'v', 1));
      b.exit();
      b.store('l', 0, 'rel');
    })));
    for (const model of ['sc', 'tso', 'pso'] as const) {
      const r = exploreAll(createMachine(p, model));
      expect(r.violations).toEqual([]);
      expect([...r.finals].every((f) => f.includes('c=2'))).toBe(true);
    }
  });

  it('different regions do not exclude each other', () => {
    const p = buildProgram('rg', {}, [thread('P0', (b) => { b.enter(0); b.exit(0); }), thread('P1', (b) => { b.enter(1); b.exit(1); })], { regions: ['a', 'b'] });
    expect(exploreAll(createMachine(p, 'sc')).violations).toEqual([]);
  });
});

describe('encoding and rendering', () => {
  it('is canonical: two orders of independent steps give identical words', () => {
    const p = buildProgram('ind', { x: 0, y: 0 }, [thread('P0', (b) => b.store('x', 1)), thread('P1', (b) => b.store('y', 2))]);
    for (const model of ALL) {
      const m = createMachine(p, model);
      const drains = model === 'tso' || model === 'pso';
      const d = (t: number) => (model === 'pso' ? [TR.drain, t, t] as const : [TR.drain, t] as const);
      const a = runPath(m, drains ? [exec(0), d(0), exec(1), d(1)] : [exec(0), exec(1)]);
      const b = runPath(m, drains ? [exec(1), exec(0), d(1), d(0)] : [exec(1), exec(0)]);
      expect([...a]).toEqual([...b]);
      expect(m.isFinal(a, 0)).toBe(true);
    }
  });

  it('works at an offset inside a larger buffer', () => {
    const p = buildProgram('off', { x: 5 }, [thread('P0', (b) => { b.load('r', 'x'); b.store('x', bin('+', 'r', 1)); })]);
    const m = createMachine(p, 'tso');
    const L = m.stateLength;
    const big = new Int32Array(3 * L).fill(-7);
    m.initial(big, L);
    const out = new Int32Array(3 * m.maxTransitions);
    expect(m.enabled(big, L, out)).toBe(1);
    expect(m.apply(big, L, TR.exec, 0, 0, big, 2 * L)).toBe(STEP.ok);
    expect(m.observe(big, 2 * L, { kind: 'reg', thread: 0, reg: 0 })).toBe(5);
    expect(big[0]).toBe(-7);
    expect(big[3 * L - 1]).not.toBe(-7);
  });

  it('renders memory and user registers, not $ temporaries', () => {
    const p = buildProgram('rs', { x: 3, a: [1, 2] }, [thread('T[0]', (b) => { b.assign('r', 4); b.assign('$t', 5); })]);
    const m = createMachine(p, 'sc');
    const s = runPath(m, [exec(0), exec(0)]);
    expect(m.renderState(s, 0)).toEqual({ x: 3, 'a[0]': 1, 'a[1]': 2, 'T[0]:r': 4 });
    expect(m.describeThreads(s, 0)).toEqual(['finished']);
    expect(m.describe(runPath(m, []), 0, TR.exec, 0, 0)).toEqual({ thread: 0, action: 'instr', text: 'r = 4', location: 'rs.mw:4', effect: 'r = 4', message: null });
  });

  it('maxTransitions bounds what enabled returns (pso with many slots)', () => {
    const p = buildProgram('many', { a: [0, 0, 0, 0] }, [0, 1].map((t) => thread(`P${t}`, (b) => {
      for (let i = 0; i < 4; i++) b.store(['a', i], t + 1);
      b.wait(null, ['a', 0], 9, 1);
    })));
    const m = createMachine(p, 'pso');
    const r = exploreAll(m); // exploreAll throws if enabled ever exceeds maxTransitions
    expect(r.finals.size).toBeGreaterThan(0);
    expect(m.maxTransitions).toBe(2 * (1 + 4));
  });
});
