/**
 * The control protocol of receiver-initiated work stealing between threads, shared by the
 * execution-graph engine (graphSteal.ts: whole graphs change threads) and the parallel stateful
 * search (parallelSearch.ts: batches of frontier entries change threads). What crosses, and
 * where it is written, is the caller's business; this file owns only the words that say who
 * wants work, who is filling whose mailbox, and when the work is over.
 *
 * Layout (Int32 words of one SharedArrayBuffer, from word 0):
 *   BUSY   workers holding work plus batches in flight (starts at the number of workers)
 *   WANT   workers waiting for work (a cheap word for busy workers to look at)
 *   DONE   1 once BUSY reached 0: no worker holds work and nothing is in flight
 *   STOP   0, or why the work was stopped (the caller's codes)
 *   then one mailbox state word per worker (STEAL_STATE + w): IDLE, HUNGRY, FILLING or FULL.
 * A caller may put its own words after `stealControlWords(workers)`.
 *
 * The protocol, after the termination detection by a shared count of busy workers (Dijkstra &
 * Scholten's, for shared memory):
 * - a worker whose work ran out marks its mailbox HUNGRY, adds one to WANT and takes one from
 *   BUSY (`goHungry`); the one that takes BUSY to 0 knows that nobody holds work and nothing is in
 *   flight (a donor is busy while it donates);
 * - a busy worker that sees WANT > 0 claims a HUNGRY mailbox by compare-exchange (HUNGRY →
 *   FILLING, `claimHungry`), which adds one to BUSY for the batch in flight and takes one from
 *   WANT; it writes the batch and marks the mailbox FULL (`deliver`), or gives the claim back
 *   (`unclaim`);
 * - the receiver takes the batch (BUSY already counts it) and marks its mailbox IDLE (`received`).
 * Every store is an Atomics operation (sequentially consistent), so a batch written before FULL is
 * seen whole by a receiver that reads FULL.
 */

/** Control words. */
export const STEAL_BUSY = 0;
export const STEAL_WANT = 1;
export const STEAL_DONE = 2;
export const STEAL_STOP_WORD = 3;
/** The first mailbox state word (worker w's is STEAL_STATE + w). */
export const STEAL_STATE = 4;

/** Mailbox states. */
export const MAILBOX = { idle: 0, hungry: 1, filling: 2, full: 3 } as const;

/** Words the protocol takes for `workers` workers (a caller's own words may follow). */
export function stealControlWords(workers: number): number {
  return STEAL_STATE + workers;
}

/** Set up the protocol's words in `ctl` for `workers` workers: every worker counts as busy until it asks for work. */
export function initSteal(ctl: Int32Array, workers: number): void {
  ctl[STEAL_BUSY] = workers;
}

/** Wake every worker waiting on its mailbox (DONE, STOP, or a caller's event such as a new level). */
export function wakeAll(ctl: Int32Array, workers: number): void {
  for (let w = 0; w < workers; w++) Atomics.notify(ctl, STEAL_STATE + w);
}

/** Set STOP to `code` unless it is set already (the first reason wins), and wake every worker. */
export function stopAll(ctl: Int32Array, workers: number, code: number): void {
  Atomics.compareExchange(ctl, STEAL_STOP_WORD, 0, code);
  wakeAll(ctl, workers);
}

/** Some worker waits for work (one atomic load: cheap enough for a hot loop every few steps). */
export function someoneHungry(ctl: Int32Array): boolean {
  return Atomics.load(ctl, STEAL_WANT) > 0;
}

/** Claim a HUNGRY mailbox other than `me`'s (searching from me + 1): its worker, or -1 when none waits or the work is stopped. BUSY then counts the batch in flight. */
export function claimHungry(ctl: Int32Array, workers: number, me: number): number {
  if (Atomics.load(ctl, STEAL_STOP_WORD) !== 0) return -1;
  for (let i = 1; i < workers; i++) {
    const w = (me + i) % workers;
    if (Atomics.compareExchange(ctl, STEAL_STATE + w, MAILBOX.hungry, MAILBOX.filling) !== MAILBOX.hungry) continue;
    // claimed: a batch is in flight (BUSY counts it), and w no longer waits
    Atomics.add(ctl, STEAL_BUSY, 1);
    Atomics.sub(ctl, STEAL_WANT, 1);
    return w;
  }
  return -1;
}

/** Give back a claim that `claimHungry` made (nothing was written): nothing is in flight after all, and w waits again. */
export function unclaim(ctl: Int32Array, w: number): void {
  Atomics.sub(ctl, STEAL_BUSY, 1);
  Atomics.add(ctl, STEAL_WANT, 1);
  Atomics.store(ctl, STEAL_STATE + w, MAILBOX.hungry);
}

/** The batch for claimed worker w is written: mark its mailbox FULL and wake it. */
export function deliver(ctl: Int32Array, w: number): void {
  Atomics.store(ctl, STEAL_STATE + w, MAILBOX.full);
  Atomics.notify(ctl, STEAL_STATE + w);
}

/** Worker `me`'s work ran out: wait for more. True when this call took BUSY to 0 (nobody holds work, nothing is in flight): the caller then ends the work (`finish`) or starts a new round of it. */
export function goHungry(ctl: Int32Array, me: number): boolean {
  Atomics.store(ctl, STEAL_STATE + me, MAILBOX.hungry);
  Atomics.add(ctl, STEAL_WANT, 1);
  return Atomics.sub(ctl, STEAL_BUSY, 1) === 1;
}

/** Set DONE and wake every worker (called by the worker whose `goHungry` took BUSY to 0). */
export function finish(ctl: Int32Array, workers: number): void {
  Atomics.store(ctl, STEAL_DONE, 1);
  wakeAll(ctl, workers);
}

/** Worker `me` took the batch in its FULL mailbox. */
export function received(ctl: Int32Array, me: number): void {
  Atomics.store(ctl, STEAL_STATE + me, MAILBOX.idle);
}

/** Withdraw `me`'s request for work (a stop): true when withdrawn; false when a donor is filling the mailbox right now (take that batch first). */
export function withdraw(ctl: Int32Array, me: number): boolean {
  if (Atomics.compareExchange(ctl, STEAL_STATE + me, MAILBOX.hungry, MAILBOX.idle) !== MAILBOX.hungry) return false;
  Atomics.sub(ctl, STEAL_WANT, 1);
  return true;
}

/** The state of `me`'s mailbox. */
export function mailboxState(ctl: Int32Array, me: number): number {
  return Atomics.load(ctl, STEAL_STATE + me);
}

/** Wait (at most `ms`) while `me`'s mailbox is in state `seen`. */
export function waitMailbox(ctl: Int32Array, me: number, seen: number, ms: number): void {
  Atomics.wait(ctl, STEAL_STATE + me, seen, ms);
}
