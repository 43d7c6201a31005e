/**
 * The synchronisation library: primitives on Atomics over a caller's SharedArrayBuffer, each
 * with a documented layout, a one-time `initialize`, a per-worker handle, and an async variant
 * on Atomics.waitAsync for the main thread. See docs/sync.md.
 */
export { SyncError, LockGuard } from './common.js';
export type { SyncErrorCode, GuardTarget } from './common.js';
export { Mutex } from './mutex.js';
export { SpinLock } from './spinLock.js';
export { TicketLock } from './ticketLock.js';
export { Semaphore } from './semaphore.js';
export { Barrier } from './barrier.js';
export { CondVar } from './condVar.js';
export { RWLock } from './rwLock.js';
export { Once } from './once.js';
export { Latch } from './latch.js';
