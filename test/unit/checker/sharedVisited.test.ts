/**
 * The shared visited table (checker/sharedVisited.ts) on one thread: find-or-put, records dense in
 * claim order with their parent links, probing past full groups, the fixed capacity answering
 * SHARED_FULL, and the sizing from a byte budget. The multi-thread stress test is
 * test/stress/sharedVisited.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { capacityFor, createSharedVisitedBuffer, MIN_CAPACITY, SHARED_FULL, sharedVisitedBytes, SharedVisited } from '../../../checker/sharedVisited.js';
import { FLAG } from '../../../checker/visited.js';

function table(capacity: number, L: number): SharedVisited {
  const buf = createSharedVisitedBuffer(capacity, L);
  if (buf === null) throw new Error('no buffer');
  return new SharedVisited(buf, capacity, L);
}

describe('SharedVisited', () => {
  it('stores a state once, answers the same record for an equal state, and keeps its parent link', () => {
    const t = table(MIN_CAPACITY, 3);
    const a = t.insert(Int32Array.of(1, 2, 3), 0, -1, 7);
    expect(a).toBe(0);
    expect(t.lastInserted).toBe(true);
    const b = t.insert(Int32Array.of(9, 1, 2, 4), 1, a, 11);
    expect(b).toBe(1);
    expect(t.lastInserted).toBe(true);
    expect(t.insert(Int32Array.of(1, 2, 3), 0, 5, 5)).toBe(a);
    expect(t.lastInserted).toBe(false);
    expect(t.count).toBe(2);
    expect([...t.copy(b)]).toEqual([1, 2, 4]);
    expect(t.parent(b)).toBe(a);
    expect(t.transition(b)).toBe(11);
    expect(t.parent(a)).toBe(-1);
    expect(t.transition(a)).toBe(7);
    expect(t.find(Int32Array.of(1, 2, 4), 0)).toBe(b);
    expect(t.find(Int32Array.of(4, 2, 1), 0)).toBe(-1);
    t.addFlags(b, FLAG.end);
    t.addFlags(b, FLAG.final);
    expect(t.flags(b)).toBe(FLAG.end | FLAG.final);
    expect(t.flags(a)).toBe(0);
  });

  it('keeps every state of a nearly full table apart (probing wraps groups), then answers SHARED_FULL', () => {
    const t = table(MIN_CAPACITY, 2);
    const s = new Int32Array(2);
    const stored: number[] = [];
    let full = -1;
    for (let i = 0; i < MIN_CAPACITY; i++) {
      s[0] = i;
      s[1] = i * 31;
      const r = t.insert(s, 0, -1, i);
      if (r === SHARED_FULL) {
        full = i;
        break;
      }
      expect(t.lastInserted).toBe(true);
      stored.push(r);
    }
    // the table is full at 7/8 of its capacity
    expect(full).toBe((MIN_CAPACITY * 7) / 8);
    expect(t.count).toBe(full);
    expect(new Set(stored).size).toBe(full);
    for (let i = 0; i < full; i++) {
      s[0] = i;
      s[1] = i * 31;
      // an old state is still found in a full table
      expect(t.insert(s, 0, -1, 0)).toBe(i);
      expect(t.lastInserted).toBe(false);
      expect(t.transition(i)).toBe(i);
    }
  });

  it('sizes the capacity from a byte budget, and refuses a budget below the smallest table', () => {
    const L = 5;
    const c = capacityFor(10 * 1024 * 1024, L);
    expect(c & (c - 1)).toBe(0);
    expect(sharedVisitedBytes(c, L)).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(sharedVisitedBytes(2 * c, L)).toBeGreaterThan(10 * 1024 * 1024);
    expect(capacityFor(sharedVisitedBytes(MIN_CAPACITY, L) - 1, L)).toBe(0);
    expect(() => createSharedVisitedBuffer(1000, L)).toThrow(/power of two/);
  });
});
