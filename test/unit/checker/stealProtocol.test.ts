/**
 * The work-stealing control words (checker/stealProtocol.ts), step by step in one thread: the
 * counts a sequence of requests, claims, deliveries and withdrawals leaves (BUSY counts holders
 * plus batches in flight, WANT the waiting workers), that only the last worker to ask for work
 * sees BUSY reach 0, that a claimed mailbox cannot be withdrawn or claimed twice, and that a stop
 * ends the claims. The threads' side is tested in test/stress/stateSteal.test.ts and
 * test/stress/graphSteal.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { claimHungry, deliver, goHungry, initSteal, MAILBOX, mailboxState, received, someoneHungry, STEAL_BUSY, STEAL_WANT, stealControlWords, stopAll, unclaim, withdraw } from '../../../checker/stealProtocol.js';

const words = (ctl: Int32Array): { busy: number; want: number; states: number[] } => ({
  busy: ctl[STEAL_BUSY] as number,
  want: ctl[STEAL_WANT] as number,
  states: [0, 1, 2].map((w) => mailboxState(ctl, w)),
});

describe('the work-stealing control words', () => {
  it('count holders and batches in flight; only the last request for work sees BUSY reach 0', () => {
    const ctl = new Int32Array(new SharedArrayBuffer(4 * stealControlWords(3)));
    initSteal(ctl, 3);
    const { idle, hungry, filling, full } = MAILBOX;
    expect(someoneHungry(ctl)).toBe(false);
    expect(claimHungry(ctl, 3, 0)).toBe(-1);
    expect(goHungry(ctl, 1)).toBe(false);
    expect(goHungry(ctl, 2)).toBe(false);
    expect(words(ctl)).toEqual({ busy: 1, want: 2, states: [idle, hungry, hungry] });
    expect(someoneHungry(ctl)).toBe(true);
    // worker 0 claims the first hungry mailbox after its own: 1
    expect(claimHungry(ctl, 3, 0)).toBe(1);
    expect(words(ctl)).toEqual({ busy: 2, want: 1, states: [idle, filling, hungry] });
    // a mailbox being filled is not withdrawn, nor claimed again
    expect(withdraw(ctl, 1)).toBe(false);
    expect(claimHungry(ctl, 3, 0)).toBe(2);
    unclaim(ctl, 2);
    expect(words(ctl)).toEqual({ busy: 2, want: 1, states: [idle, filling, hungry] });
    deliver(ctl, 1);
    received(ctl, 1);
    expect(words(ctl)).toEqual({ busy: 2, want: 1, states: [idle, idle, hungry] });
    // worker 0 runs out: worker 1 still holds the batch it took
    expect(goHungry(ctl, 0)).toBe(false);
    expect(words(ctl)).toEqual({ busy: 1, want: 2, states: [hungry, idle, hungry] });
    // worker 2 withdraws (a stop); worker 1 is the last to ask: BUSY reaches 0
    expect(withdraw(ctl, 2)).toBe(true);
    expect(goHungry(ctl, 1)).toBe(true);
    expect(words(ctl)).toEqual({ busy: 0, want: 2, states: [hungry, hungry, idle] });
    // a full mailbox is not claimed
    expect(claimHungry(ctl, 3, 2)).toBe(0);
    deliver(ctl, 0);
    expect(claimHungry(ctl, 3, 2)).toBe(1);
    expect(mailboxState(ctl, 0)).toBe(full);
    // after a stop nobody claims
    unclaim(ctl, 1);
    stopAll(ctl, 3, 7);
    expect(claimHungry(ctl, 3, 2)).toBe(-1);
  });
});
