/**
 * explore/races.ts, the ECMAScript data-race detector, on hand-made access sequences: each clause
 * of ECMA-262 §29.7's data race, and each way happens-before is made (agent order, a SeqCst read
 * of a SeqCst write of the same range, a notify to the wait it wakes).
 */
import { describe, expect, it } from 'vitest';
import { RaceDetector, type Access } from '../../../explore/races.js';

const at = (thread: number, from: number, size: number, kind: 'read' | 'write' | 'rmw', seqCst: boolean): Access => ({
  thread,
  from,
  to: from + size,
  reads: kind !== 'write',
  writes: kind !== 'read',
  seqCst,
  what: `${seqCst ? 'Atomics ' : ''}${kind} [${from}, ${from + size})`,
  at: `t${thread}:${from}`,
});

function races(...accesses: Access[]): boolean {
  const d = new RaceDetector(16, 3);
  return accesses.some((a) => d.access(a) !== null);
}

describe('the data race of ECMA-262 §29.7', () => {
  it('two plain writes of different threads race; of one thread they do not (agent order)', () => {
    expect(races(at(0, 0, 4, 'write', false), at(1, 0, 4, 'write', false))).toBe(true);
    expect(races(at(0, 0, 4, 'write', false), at(0, 0, 4, 'write', false))).toBe(false);
  });

  it('two reads never race; a read and a write do, in either order', () => {
    expect(races(at(0, 0, 4, 'read', false), at(1, 0, 4, 'read', false))).toBe(false);
    expect(races(at(0, 0, 4, 'read', false), at(1, 0, 4, 'write', false))).toBe(true);
    expect(races(at(0, 0, 4, 'write', false), at(1, 0, 4, 'read', false))).toBe(true);
  });

  it('disjoint bytes do not race; overlapping ones do', () => {
    expect(races(at(0, 0, 4, 'write', false), at(1, 4, 4, 'write', false))).toBe(false);
    expect(races(at(0, 0, 4, 'write', false), at(1, 2, 2, 'write', false))).toBe(true);
  });

  it('two SeqCst accesses of equal range do not race; of unequal overlapping ranges they do', () => {
    expect(races(at(0, 0, 4, 'write', true), at(1, 0, 4, 'write', true))).toBe(false);
    expect(races(at(0, 0, 4, 'write', true), at(1, 0, 2, 'write', true))).toBe(true);
    // one SeqCst and one plain: a race
    expect(races(at(0, 0, 4, 'write', true), at(1, 0, 4, 'read', false))).toBe(true);
  });
});

describe('happens-before', () => {
  it('message passing: a plain payload, a SeqCst flag read by a SeqCst read — ordered, no race', () => {
    expect(races(at(0, 0, 4, 'write', false), at(0, 4, 4, 'write', true), at(1, 4, 4, 'read', true), at(1, 0, 4, 'read', false))).toBe(false);
  });

  it('the same with a plain flag, or a flag read of another range, or the payload read first: a race', () => {
    expect(races(at(0, 0, 4, 'write', false), at(0, 4, 4, 'write', false), at(1, 4, 4, 'read', true), at(1, 0, 4, 'read', false))).toBe(true);
    expect(races(at(0, 0, 4, 'write', false), at(0, 4, 4, 'write', true), at(1, 4, 2, 'read', true), at(1, 0, 4, 'read', false))).toBe(true);
    expect(races(at(0, 0, 4, 'write', false), at(1, 0, 4, 'read', false), at(0, 4, 4, 'write', true), at(1, 4, 4, 'read', true))).toBe(true);
  });

  it('synchronization is transitive through a third thread (an RMW reads and writes)', () => {
    expect(races(at(0, 0, 4, 'write', false), at(0, 4, 4, 'write', true), at(1, 4, 4, 'rmw', true), at(2, 4, 4, 'read', true), at(2, 0, 4, 'read', false))).toBe(false);
  });

  it('a notify synchronizes with the wait it wakes', () => {
    const d = new RaceDetector(16, 2);
    expect(d.access(at(0, 0, 4, 'write', false))).toBeNull();
    d.notified(0, [1]);
    d.woke(1);
    expect(d.access(at(1, 0, 4, 'read', false))).toBeNull();
    // without the wake: a race
    const e = new RaceDetector(16, 2);
    e.access(at(0, 0, 4, 'write', false));
    e.notified(0, []);
    expect(e.access(at(1, 0, 4, 'read', false))).not.toBeNull();
  });

  it('a race names the earlier access first', () => {
    const d = new RaceDetector(16, 2);
    d.access(at(0, 0, 4, 'write', false));
    expect(d.access(at(1, 0, 4, 'read', false))).toEqual({ first: { thread: 0, what: 'write [0, 4)', at: 't0:0' }, second: { thread: 1, what: 'read [0, 4)', at: 't1:0' } });
  });
});
