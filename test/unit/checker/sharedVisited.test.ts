/**
 * The shared visited table (checker/sharedVisited.ts) on one thread: find-or-put, records dense in
 * claim order with their parent links, probing past full groups, the fixed capacity answering
 * SHARED_FULL, and the sizing from a byte budget. The multi-thread stress test is
 * test/stress/sharedVisited.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { capacityFor, createSharedVisitedBuffer, MIN_CAPACITY, SHARED_FULL, sharedVisitedBytes, SharedVisited } from '../../../checker/sharedVisited.js';
import { FLAG } from '../../../checker/visited.js';

function table(capacity: number, L: number): SharedVisited {
  const buf = createSharedVisitedBuffer(capacity, L);
  if (buf === null) throw new Error('no buffer');
  return new SharedVisited(buf, capacity, L);
}

describe('SharedVisited', () => {
  it('stores states of bytes packed and any other state as it is: each found, loaded back and told apart, whatever the mix', () => {
    // values mostly bytes (narrow records), some past a byte or negative (wide records); the
    // lengths cover whole and partial packed words
    const value = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 255 }) }, { weight: 1, arbitrary: fc.integer({ min: -70_000, max: 70_000 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.array(fc.array(value, { minLength: 9, maxLength: 9 }), { minLength: 1, maxLength: 60 }), (L, rows) => {
        const t = table(MIN_CAPACITY, L);
        const states = rows.map((r) => Int32Array.from(r.slice(0, L)));
        const seen = new Map<string, number>();
        for (const st of states) {
          const r = t.insert(st, 0, -1, 0);
          const key = st.join(',');
          // a state is stored once: an equal state gets its record, a different one a new record
          expect(t.lastInserted).toBe(!seen.has(key));
          if (seen.has(key)) expect(r).toBe(seen.get(key));
          else seen.set(key, r);
        }
        expect(t.count).toBe(seen.size);
        for (const [key, r] of seen) {
          const st = Int32Array.from(key.split(',').map(Number));
          expect([...t.copy(r)]).toEqual([...st]);
          expect(t.find(st, 0)).toBe(r);
        }
      }),
      { seed: 20261204, numRuns: 80 },
    );
  });

  it('a wide state whose words are a narrow record\'s packed words is a different state', () => {
    const t = table(MIN_CAPACITY, 4);
    const narrow = Int32Array.of(1, 2, 3, 4);
    const a = t.insert(narrow, 0, -1, 0);
    // the record of `narrow` holds 0x04030201 in its first word and zeros after it
    const wide = Int32Array.of(0x04030201, 0, 0, 0);
    const b = t.insert(wide, 0, -1, 0);
    expect(t.lastInserted).toBe(true);
    expect(b).not.toBe(a);
    expect([...t.copy(a)]).toEqual([1, 2, 3, 4]);
    expect([...t.copy(b)]).toEqual([0x04030201, 0, 0, 0]);
    expect(t.find(narrow, 0)).toBe(a);
    expect(t.find(wide, 0)).toBe(b);
  });

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
