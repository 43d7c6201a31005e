/**
 * Issue 13, limits of the sync library: the handle-id counter of every lock wraps safely (tested
 * by starting the counter near 2^31 and near 2^32, as the layouts document the IDS word), a
 * barrier's parties must fit its 32-bit word, CondVar.wait takes only a Mutex (and leaves the
 * layout untouched otherwise), and Once.run from inside its own initialiser is refused instead
 * of blocking forever. Each refusal is a SyncError with a code.
 */
import { describe, expect, it } from 'vitest';
import { Barrier, CondVar, Mutex, Once, RWLock, SpinLock, SyncError, TicketLock } from '../../../../impl/sync/index.js';

function caught(f: () => unknown): SyncError {
  try {
    f();
  } catch (e) {
    if (e instanceof SyncError) return e;
    throw e;
  }
  throw new Error('expected a SyncError, nothing was thrown');
}

/** Each lock, with its IDS slot (from its layout comment) and a lock/unlock pair on a handle. */
const LOCKS = [
  { name: 'Mutex', cls: Mutex, ids: 2, cycle: (b: SharedArrayBuffer) => { const m = new Mutex(b, 0); m.lock(); expect(m.isHeld).toBe(true); m.unlock(); expect(m.isHeld).toBe(false); return m.id; } },
  { name: 'SpinLock', cls: SpinLock, ids: 2, cycle: (b: SharedArrayBuffer) => { const m = new SpinLock(b, 0); m.lock(); expect(m.isHeld).toBe(true); m.unlock(); return m.id; } },
  { name: 'TicketLock', cls: TicketLock, ids: 4, cycle: (b: SharedArrayBuffer) => { const m = new TicketLock(b, 0); m.lock(); expect(m.isHeld).toBe(true); m.unlock(); return m.id; } },
  { name: 'RWLock', cls: RWLock, ids: 4, cycle: (b: SharedArrayBuffer) => { const m = new RWLock(b, 0); m.writeLock(); expect(m.isWriteHeld).toBe(true); m.writeUnlock(); m.readLock(); m.readUnlock(); return m.id; } },
] as const;

describe.each(LOCKS)('$name handle ids', ({ cls, ids, cycle }) => {
  for (const [what, start] of [['2^31', 2 ** 31 - 3], ['2^32', -3]] as const) {
    it(`wrap past ${what}: every handle can lock and unlock, ids stay distinct and non-zero`, () => {
      const b = new SharedArrayBuffer(cls.BYTES);
      cls.initialize(b, 0);
      new Int32Array(b, 0, cls.SLOTS)[ids] = start; // as if `start` handles had been made
      const seen = new Set<number>();
      for (let i = 0; i < 6; i++) {
        const id = cycle(b);
        expect(id).not.toBe(0);
        expect(Number.isInteger(id) && id >= -(2 ** 31) && id < 2 ** 31).toBe(true);
        seen.add(id);
      }
      expect(seen.size).toBe(6);
    });
  }

  it('a handle past the wrap and one before it exclude each other', () => {
    const b = new SharedArrayBuffer(cls.BYTES);
    cls.initialize(b, 0);
    new Int32Array(b, 0, cls.SLOTS)[ids] = 2 ** 31 - 2;
    const first = cycle(b);
    const second = cycle(b);
    expect(first).toBe(2 ** 31 - 1);
    expect(second).toBe(-(2 ** 31));
  });
});

describe('Barrier.initialize parties', () => {
  it('refuses parties that do not fit the 32-bit word', () => {
    for (const parties of [0, -1, 2 ** 31, 2 ** 32 + 1, 1.5, Number.NaN, Infinity]) {
      const e = caught(() => Barrier.initialize(new SharedArrayBuffer(Barrier.BYTES), 0, parties));
      expect(e.code, String(parties)).toBe('bad-argument');
      expect(e.message).toContain('Barrier.initialize: parties must be an integer from 1 to 2147483647');
    }
  });
  it('takes 2^31 − 1 parties', () => {
    const b = new SharedArrayBuffer(Barrier.BYTES);
    Barrier.initialize(b, 0, 2 ** 31 - 1);
    expect(new Barrier(b, 0).parties).toBe(2 ** 31 - 1);
  });
});

describe('CondVar.wait with a lock that is not a Mutex', () => {
  it('is a SyncError and leaves SLEEPERS at 0, the lock held', () => {
    const b = new SharedArrayBuffer(CondVar.BYTES + SpinLock.BYTES + RWLock.BYTES);
    CondVar.initialize(b, 0);
    SpinLock.initialize(b, CondVar.BYTES);
    const cv = new CondVar(b, 0);
    const spin = new SpinLock(b, CondVar.BYTES);
    spin.lock();
    const e = caught(() => cv.wait(spin as unknown as Mutex, 0));
    expect(e.code).toBe('bad-argument');
    expect(e.message).toContain('CondVar.wait: the lock must be a Mutex');
    expect(new Int32Array(b, 0, CondVar.SLOTS)[1]).toBe(0); // SLEEPERS
    expect(spin.isHeld).toBe(true);
    for (const other of [null, undefined, {}, 42]) expect(caught(() => cv.wait(other as unknown as Mutex, 0)).code).toBe('bad-argument');
  });
  it('waitAsync too', async () => {
    const b = new SharedArrayBuffer(CondVar.BYTES);
    CondVar.initialize(b, 0);
    const cv = new CondVar(b, 0);
    await expect(cv.waitAsync({} as unknown as Mutex, 0)).rejects.toMatchObject({ name: 'SyncError', code: 'bad-argument' });
    expect(new Int32Array(b, 0, CondVar.SLOTS)[1]).toBe(0);
  });
});

describe('Once.run from inside its own initialiser', () => {
  it('is a SyncError, through the same handle or another; the flag can still run later', () => {
    const b = new SharedArrayBuffer(Once.BYTES);
    Once.initialize(b, 0);
    const once = new Once(b, 0);
    const other = new Once(b, 0);
    const inner: SyncError[] = [];
    const e = caught(() =>
      once.run(() => {
        inner.push(caught(() => other.run(() => undefined)));
        once.run(() => undefined);
      }),
    );
    expect(inner[0]?.code).toBe('relock');
    expect(e.code).toBe('relock');
    expect(e.message).toContain('Once.run: called from inside its own initialiser');
    // the failed initialiser put the flag back: a later run runs
    let ran = 0;
    expect(once.run(() => void ran++)).toBe(true);
    expect(ran).toBe(1);
    expect(once.isDone).toBe(true);
  });
  it('a blocking run while this thread runs the initialiser with runAsync is refused too', async () => {
    const b = new SharedArrayBuffer(Once.BYTES);
    Once.initialize(b, 0);
    const once = new Once(b, 0);
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const running = once.runAsync(() => gate);
    expect(caught(() => new Once(b, 0).run(() => undefined)).code).toBe('relock');
    release();
    expect(await running).toBe(true);
    expect(new Once(b, 0).run(() => undefined)).toBe(false);
  });
  it('different once-flags nest', () => {
    const b = new SharedArrayBuffer(2 * Once.BYTES);
    Once.initialize(b, 0);
    Once.initialize(b, Once.BYTES);
    const outer = new Once(b, 0);
    const inner = new Once(b, Once.BYTES);
    expect(outer.run(() => expect(inner.run(() => undefined)).toBe(true))).toBe(true);
  });
});
