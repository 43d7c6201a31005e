/** Misuse of every primitive's layout is a SyncError with a clear code and message. */
import { describe, expect, it } from 'vitest';
import { Barrier, CondVar, Latch, Mutex, Once, RWLock, Semaphore, SpinLock, SyncError, TicketLock } from '../../../../impl/sync/index.js';

/** Every primitive: its class, and initialize with valid extra arguments. */
const PRIMITIVES = [
  { name: 'Mutex', cls: Mutex, init: (b: SharedArrayBuffer, o: number) => Mutex.initialize(b, o) },
  { name: 'SpinLock', cls: SpinLock, init: (b: SharedArrayBuffer, o: number) => SpinLock.initialize(b, o) },
  { name: 'TicketLock', cls: TicketLock, init: (b: SharedArrayBuffer, o: number) => TicketLock.initialize(b, o) },
  { name: 'Semaphore', cls: Semaphore, init: (b: SharedArrayBuffer, o: number) => Semaphore.initialize(b, o, 1) },
  { name: 'Barrier', cls: Barrier, init: (b: SharedArrayBuffer, o: number) => Barrier.initialize(b, o, 2) },
  { name: 'CondVar', cls: CondVar, init: (b: SharedArrayBuffer, o: number) => CondVar.initialize(b, o) },
  { name: 'RWLock', cls: RWLock, init: (b: SharedArrayBuffer, o: number) => RWLock.initialize(b, o) },
  { name: 'Once', cls: Once, init: (b: SharedArrayBuffer, o: number) => Once.initialize(b, o) },
  { name: 'Latch', cls: Latch, init: (b: SharedArrayBuffer, o: number) => Latch.initialize(b, o, 1) },
] as const;

function caught(f: () => unknown): SyncError {
  try {
    f();
  } catch (e) {
    if (e instanceof SyncError) return e;
    throw e;
  }
  throw new Error('expected a SyncError, nothing was thrown');
}

describe.each(PRIMITIVES)('$name layout misuse', ({ name, cls, init }) => {
  const attach = (b: unknown, o: unknown): unknown => new (cls as new (b: unknown, o: unknown) => unknown)(b, o);

  it('BYTES = 4 × SLOTS and the layout fits exactly', () => {
    expect(cls.BYTES).toBe(4 * cls.SLOTS);
    const b = new SharedArrayBuffer(cls.BYTES + 8);
    init(b, 8);
    expect(() => attach(b, 8)).not.toThrow();
  });

  it('refuses an ArrayBuffer (not shared)', () => {
    const e = caught(() => attach(new ArrayBuffer(256), 0));
    expect(e.code).toBe('not-shared');
    expect(e.message).toContain(name);
    expect(e.message).toContain('SharedArrayBuffer');
    expect(caught(() => init(new ArrayBuffer(256) as unknown as SharedArrayBuffer, 0)).code).toBe('not-shared');
  });

  it('refuses a buffer that ends before the layout', () => {
    const e = caught(() => init(new SharedArrayBuffer(cls.BYTES + 4), 8));
    expect(e.code).toBe('too-small');
    expect(e.message).toContain(`${cls.BYTES} bytes`);
  });

  it('refuses a misaligned or invalid offset', () => {
    const b = new SharedArrayBuffer(256);
    expect(caught(() => init(b, 6)).code).toBe('misaligned');
    expect(caught(() => init(b, -4)).code).toBe('bad-offset');
    expect(caught(() => init(b, 1.5)).code).toBe('bad-offset');
  });

  it('refuses memory that was never initialised, or holds another primitive', () => {
    const b = new SharedArrayBuffer(256);
    const e = caught(() => attach(b, 0));
    expect(e.code).toBe('uninitialized');
    expect(e.message).toContain(`${name}.initialize`);
    const other = name === 'Mutex' ? PRIMITIVES[1] : PRIMITIVES[0];
    other.init(b, 64);
    // place our layout's last slot over the other primitive's magic word
    const at = 64 + other.cls.BYTES - cls.BYTES;
    if (at >= 0) expect(caught(() => attach(b, at)).message).toMatch(/holds a \w+, not a/);
  });
});

describe('handle ids', () => {
  it('every handle on one mutex gets a distinct non-zero id', () => {
    const b = new SharedArrayBuffer(64);
    Mutex.initialize(b, 0);
    const ids = Array.from({ length: 50 }, () => new Mutex(b, 0).id);
    expect(new Set(ids).size).toBe(50);
    expect(ids.every((id) => id > 0)).toBe(true);
  });
});
