/**
 * ECMA-262's WaiterList (§25.4.3: Atomics.wait/Atomics.notify) for the execution-graph engine:
 * each waited-on word x has a hidden word, its waiter list, whose writes are the list's states
 * and whose accesses are the list's critical sections. Every access to it is an sc
 * read-modify-write, so the critical sections are totally ordered (coherence, atomicity) and each
 * synchronises with the one before it (reads-from), as EnterCriticalSection/LeaveCriticalSection's
 * Synchronize events do.
 *
 * A `wait(x, v[, timeout])` is four events of its thread:
 * - `enter`: an RMW of the list that writes nothing (as a failed compare-exchange: a locked
 *   instruction under tso); it reads the list state its leave reads (the explorer moves it with
 *   the leave's choice), the state left by the section before, so the wait's read of x happens
 *   after that section;
 * - the sc read of x (ValidateAtomicAccess; GetValueFromBuffer SeqCst), inside the section;
 * - `leave`: an RMW of the list that reads the same state as its `enter` — so no other critical
 *   section comes between them in coherence (atomicity) — and writes the list with the thread
 *   appended when the value read was v (AddWaiter), unchanged otherwise (then the wait returns
 *   not-equal); a later
 *   section reads it or a later state, so the value check happens before it;
 * - when the thread was appended, `resume`: it reads the list state that removed it (the notify
 *   that woke it: the wait returns ok, and its continuation happens after that notify), or, with a
 *   timeout, a state that still holds it, and removes itself (timed-out). It has no state to read
 *   until then: the thread blocks there, and a graph where it stays blocked is a deadlock.
 * A `notify(x, count)` is one RMW of the list: it removes the first min(count, length) waiters
 * (RemoveWaiters, FIFO) and returns how many.
 *
 * A list state is a number: its waiters, front first, as base-(threads + 1) digits thread + 1
 * (0 is the empty list). Exact while threads ≤ MAX_WAITER_THREADS (the value stays below 2^53).
 */

/** The read-modify-writes of a waiter list. `resume_t`: a resume that may time out. */
export const WAITER_OPS = ['wl_enter', 'wl_leave', 'wl_notify', 'wl_resume', 'wl_resume_t'] as const;
export type WaiterOp = (typeof WAITER_OPS)[number];

/** Most threads a program may have for its waiter lists to be encoded exactly. */
export const MAX_WAITER_THREADS = 13;

/** Is this read-modify-write operation a waiter-list one? */
export function isWaiterOp(op: string): op is WaiterOp {
  return (WAITER_OPS as readonly string[]).includes(op);
}

/** The hidden word of `slot`'s waiter list (after the program's words and the sc-fence word). */
export function waiterSlot(memorySize: number, slot: number): number {
  return memorySize + 1 + slot;
}

/** The word a waiter-list word stands for, or -1 when `slot` is no waiter-list word. */
export function waitedSlot(memorySize: number, slot: number): number {
  return slot > memorySize && slot <= 2 * memorySize ? slot - memorySize - 1 : -1;
}

/** The waiters of a list state, front first. */
export function waiters(state: number, base: number): number[] {
  const out: number[] = [];
  let v = state;
  while (v > 0) {
    out.push((v % base) - 1);
    v = Math.floor(v / base);
  }
  return out.reverse();
}

/** The list state of these waiters, front first. */
export function listState(ws: readonly number[], base: number): number {
  let v = 0;
  for (const w of ws) v = v * base + (w + 1);
  return v;
}

/** Does the list state hold thread t? */
export function holds(state: number, base: number, t: number): boolean {
  return waiters(state, base).includes(t);
}

/** How many waiters a notify of `count` (null: all; negative: 0) removes from a list state. */
export function notifyCount(state: number, base: number, count: number | null): number {
  const n = waiters(state, base).length;
  return count === null ? n : Math.min(Math.max(count, 0), n);
}

/**
 * The state a waiter-list RMW writes after reading `state`, or null when it writes nothing (a
 * resume that finds its thread already removed: it was woken). Operands: `leave` the thread to
 * append (-1: none), `notify` the count (-1: all), `resume` the resuming thread.
 */
export function waiterWrite(op: WaiterOp, state: number, operand: number, base: number): number | null {
  switch (op) {
    case 'wl_enter':
      return null;
    case 'wl_leave':
      return operand < 0 ? state : listState([...waiters(state, base), operand], base);
    case 'wl_notify': {
      const ws = waiters(state, base);
      return listState(ws.slice(notifyCount(state, base, operand === -1 ? null : operand)), base);
    }
    case 'wl_resume':
    case 'wl_resume_t': {
      const ws = waiters(state, base);
      return ws.includes(operand) ? listState(ws.filter((w) => w !== operand), base) : null;
    }
  }
}
