/**
 * Model-based tests (fast-check fc.commands) of the three locks' single-thread API: several
 * handles on one lock in one thread, every call checked against a model of who holds it, and
 * every misuse (unlock by a non-holder, relock, double guard unlock) against the error it must
 * raise. Blocking calls are only issued when the model says they cannot block.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LockGuard, Mutex, SpinLock, SyncError, TicketLock } from '../../../../impl/sync/index.js';
import { assertSeeded, seedFromEnv } from '../../../arbitraries/irProgram.js';

const SEED = seedFromEnv(5005);

/** fc.assert with the pinned seed, printed on failure. */
const assertProperty = <T>(prop: fc.IProperty<T>, numRuns: number): void => assertSeeded(prop, SEED, numRuns);

/** What the three locks share. */
interface AnyLock {
  readonly id: number;
  readonly isHeld: boolean;
  lock(): LockGuard;
  tryLock(timeoutMs?: number): boolean;
  unlock(): void;
}

interface LockModel {
  owner: number | null; // handle index holding the lock
  liveGuard: number | null; // index in real.guards of the guard of the current acquisition (null: taken by tryLock)
}

interface LockReal {
  readonly handles: AnyLock[];
  /** every guard lock() handed out, live or stale */
  readonly guards: LockGuard[];
}

function expectSyncError(f: () => unknown, code: string): void {
  // (returns void so command bodies can `return expectSyncError(...)`)
  let thrown: unknown = null;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(SyncError);
  expect((thrown as SyncError).code).toBe(code);
}

/** A command from a name and a body (always applicable; bodies skip what would block). */
function cmd(name: string, run: (m: LockModel, r: LockReal) => void): fc.Command<LockModel, LockReal> {
  return { check: () => true, run, toString: () => name };
}

function tryLockCmd(h: number, timeoutMs: number): fc.Command<LockModel, LockReal> {
  return cmd(`tryLock(h${h}, ${timeoutMs})`, (m, r) => {
    const handle = r.handles[h]!;
    if (m.owner === h) return expectSyncError(() => handle.tryLock(timeoutMs), 'relock');
    const got = handle.tryLock(timeoutMs);
    expect(got).toBe(m.owner === null);
    if (got) {
      m.owner = h;
      m.liveGuard = null;
    }
  });
}

function lockCmd(h: number): fc.Command<LockModel, LockReal> {
  return cmd(`lock(h${h})`, (m, r) => {
    const handle = r.handles[h]!;
    if (m.owner === h) return expectSyncError(() => handle.lock(), 'relock');
    if (m.owner !== null) return; // would block
    r.guards.push(handle.lock());
    m.owner = h;
    m.liveGuard = r.guards.length - 1;
  });
}

function unlockCmd(h: number): fc.Command<LockModel, LockReal> {
  return cmd(`unlock(h${h})`, (m, r) => {
    const handle = r.handles[h]!;
    if (m.owner === h) {
      handle.unlock();
      m.owner = null;
      m.liveGuard = null;
    } else {
      expectSyncError(() => handle.unlock(), m.owner === null ? 'not-held' : 'not-owner');
    }
  });
}

function guardCmd(pick: number, viaDispose: boolean): fc.Command<LockModel, LockReal> {
  return cmd(`${viaDispose ? 'dispose' : 'unlock'}Guard(#${pick})`, (m, r) => {
    if (r.guards.length === 0) return;
    const k = pick % r.guards.length;
    const g = r.guards[k]!;
    // Only the guard of the current acquisition is live; older ones are stale and must not
    // release a later acquisition.
    const live = m.liveGuard === k;
    expect(g.held).toBe(live);
    if (viaDispose) {
      g[Symbol.dispose]();
    } else if (live) {
      g.unlock();
      expectSyncError(() => g.unlock(), 'not-held');
    } else {
      expectSyncError(() => g.unlock(), 'not-held');
    }
    if (live) {
      m.owner = null;
      m.liveGuard = null;
    }
    expect(g.held).toBe(false);
  });
}

/** isHeld agrees with the model on every handle. */
const observeCmd = cmd('observe', (m, r) => r.handles.forEach((h, i) => expect(h.isHeld).toBe(m.owner === i)));

const HANDLES = 3;

describe.each([
  { name: 'Mutex', make: (b: SharedArrayBuffer) => (Mutex.initialize(b, 8), () => new Mutex(b, 8)), timed: true },
  { name: 'SpinLock', make: (b: SharedArrayBuffer) => (SpinLock.initialize(b, 8), () => new SpinLock(b, 8)), timed: true },
  { name: 'TicketLock', make: (b: SharedArrayBuffer) => (TicketLock.initialize(b, 8), () => new TicketLock(b, 8)), timed: false },
])('$name single-thread API against a model', ({ make, timed }) => {
  it('agrees with the owner model over random command sequences', () => {
    const h = fc.integer({ min: 0, max: HANDLES - 1 });
    const commands = [
      h.map((i) => tryLockCmd(i, 0)),
      ...(timed ? [h.map((i) => tryLockCmd(i, 1))] : []),
      h.map((i) => lockCmd(i)),
      h.map((i) => unlockCmd(i)),
      fc.tuple(fc.nat(20), fc.boolean()).map(([i, d]) => guardCmd(i, d)),
      fc.constant(observeCmd),
    ];
    assertProperty(
      fc.property(fc.commands(commands, { size: '+1' }), (cmds) => {
        const buffer = new SharedArrayBuffer(128);
        const attach: () => AnyLock = make(buffer);
        const handles = Array.from({ length: HANDLES }, () => attach());
        expect(new Set(handles.map((x) => x.id)).size).toBe(HANDLES); // distinct ids
        fc.modelRun(() => ({ model: { owner: null, liveGuard: null }, real: { handles, guards: [] } }), cmds);
      }),
      150,
    );
  });

  it('using releases at the end of the block, even on throw', () => {
    const buffer = new SharedArrayBuffer(128);
    const attach = make(buffer);
    const a = attach();
    const b = attach();
    {
      using _g = a.lock();
      expect(b.tryLock()).toBe(false);
    }
    expect(a.isHeld).toBe(false);
    expect(() => {
      using _g = a.lock();
      throw new Error('boom');
    }).toThrow('boom');
    expect(b.tryLock()).toBe(true);
    b.unlock();
  });
});

describe('timed tryLock', () => {
  it('Mutex.tryLock(ms) gives up after about ms when held elsewhere', () => {
    const b = new SharedArrayBuffer(64);
    Mutex.initialize(b, 0);
    const a = new Mutex(b, 0);
    const c = new Mutex(b, 0);
    a.lock();
    const t = performance.now();
    expect(c.tryLock(30)).toBe(false);
    const took = performance.now() - t;
    expect(took).toBeGreaterThanOrEqual(25);
    expect(took).toBeLessThan(2000);
    a.unlock();
    // the timed-out waiter left the word "contended"; the next unlock still works and frees it
    expect(c.tryLock(0)).toBe(true);
    c.unlock();
    expect(a.tryLock()).toBe(true);
  });

  it('SpinLock.tryLock(ms) gives up after about ms when held elsewhere', () => {
    const b = new SharedArrayBuffer(64);
    SpinLock.initialize(b, 0);
    const a = new SpinLock(b, 0);
    const c = new SpinLock(b, 0);
    a.lock();
    const t = performance.now();
    expect(c.tryLock(20)).toBe(false);
    expect(performance.now() - t).toBeGreaterThanOrEqual(15);
  });

  it('TicketLock.tryLock() fails while anyone holds a ticket', () => {
    const b = new SharedArrayBuffer(64);
    TicketLock.initialize(b, 0);
    const a = new TicketLock(b, 0);
    const c = new TicketLock(b, 0);
    const g = a.lock();
    expect(c.tryLock()).toBe(false);
    g.unlock();
    expect(c.tryLock()).toBe(true);
    expect(a.tryLock()).toBe(false);
  });
});
