import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IntDeque, MemoryBudget } from '../../../checker/memoryBudget.js';
import { hashWords, INSERT_NO_MEMORY, INSERT_NO_ROOM, packTransition, transArg, transKind, transThread, VisitedSet } from '../../../checker/visited.js';

const SEED = Number(process.env['MEMWEAVE_SEED'] ?? 20240611);

function assertProp<T>(prop: fc.IProperty<T>, numRuns = 100): void {
  try {
    fc.assert(prop, { seed: SEED, numRuns });
  } catch (e) {
    console.error(`fast-check failed with seed ${SEED} (set MEMWEAVE_SEED to change it)`);
    throw e;
  }
}

const BIG = new MemoryBudget(1 << 30);

describe('VisitedSet', () => {
  it("insert's one-pass pack-and-hash at byte width agrees with find's pack then hashWords, and survives a widening", () => {
    assertProp(
      fc.property(fc.integer({ min: 0, max: 13 }), fc.array(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 13, maxLength: 13 }), { minLength: 1, maxLength: 40 }), (L, rows) => {
        const v = new VisitedSet(L, new MemoryBudget(1 << 30));
        const states = rows.map((r) => Int32Array.from(r.slice(0, L)));
        const idx = states.map((st) => v.insert(st, 0, -1, -1));
        // each state is found where insert put it (find packs, then hashes the packed words)
        states.forEach((st, k) => expect(v.find(st, 0)).toBe(idx[k]));
        // a value past a byte widens the set and rehashes every stored state with hashWords
        if (L > 0) {
          const wide = new Int32Array(L).fill(1000);
          v.insert(wide, 0, -1, -1);
          states.forEach((st, k) => expect(v.find(st, 0)).toBe(idx[k]));
          states.forEach((st, k) => expect(v.insert(st, 0, -1, -1)).toBe(idx[k]));
        }
      }),
      60,
    );
  });

  it('inserts, finds and reports duplicates', () => {
    const v = new VisitedSet(3, new MemoryBudget(1 << 30));
    const a = Int32Array.of(1, 2, 3);
    const b = Int32Array.of(1, 2, 4);
    expect(v.insert(a, 0, -1, -1)).toBe(0);
    expect(v.lastInserted).toBe(true);
    expect(v.insert(b, 0, 0, packTransition(1, 5, 7))).toBe(1);
    expect(v.insert(Int32Array.of(9, 1, 2, 3), 1, 1, 0)).toBe(0);
    expect(v.lastInserted).toBe(false);
    expect(v.count).toBe(2);
    expect(v.find(b, 0)).toBe(1);
    expect(v.find(Int32Array.of(0, 0, 0), 0)).toBe(-1);
    expect(v.parent(1)).toBe(0);
    expect(Array.from(v.copy(1))).toEqual([1, 2, 4]);
    const t = v.transition(1);
    expect([transKind(t), transThread(t), transArg(t)]).toEqual([1, 5, 7]);
  });

  it('packs transitions with arg -1 and large slots', () => {
    for (const [k, th, arg] of [[0, 0, -1], [2, 63, 4095], [1, 127, 0]] as const) {
      const p = packTransition(k, th, arg);
      expect([transKind(p), transThread(p), transArg(p)]).toEqual([k, th, arg]);
    }
  });

  it('grows across chunks and table doublings', () => {
    const v = new VisitedSet(2, new MemoryBudget(1 << 30));
    const s = new Int32Array(2);
    for (let i = 0; i < 20000; i++) {
      s[0] = i;
      s[1] = -i;
      expect(v.insert(s, 0, i - 1, 0)).toBe(i);
    }
    for (let i = 0; i < 20000; i += 997) {
      s[0] = i;
      s[1] = -i;
      expect(v.find(s, 0)).toBe(i);
      expect(v.parent(i)).toBe(i - 1);
    }
    expect(v.count).toBe(20000);
    expect(v.bytes).toBeGreaterThan(20000 * (2 + 4) * 4);
  });

  it('matches a Map<string> model (property)', () => {
    assertProp(
      fc.property(fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 }), { maxLength: 3000 }), (states) => {
        const v = new VisitedSet(3, BIG);
        const model = new Map<string, number>();
        states.forEach((st, i) => {
          const arr = Int32Array.from(st);
          const idx = v.insert(arr, 0, i, 0);
          const key = st.join(',');
          const known = model.get(key);
          if (known === undefined) {
            expect(idx).toBe(model.size);
            expect(v.lastInserted).toBe(true);
            model.set(key, idx);
          } else {
            expect(idx).toBe(known);
            expect(v.lastInserted).toBe(false);
          }
        });
        expect(v.count).toBe(model.size);
        for (const [key, idx] of model) {
          expect(Array.from(v.copy(idx)).join(',')).toBe(key);
          expect(v.find(Int32Array.from(key.split(',').map(Number)), 0)).toBe(idx);
        }
        v.dispose();
      }),
      50,
    );
  });

  it('handles forced hash collisions (same hash bucket chains)', () => {
    // states differing only in a way that collides in the low table bits still resolve exactly
    const v = new VisitedSet(1, new MemoryBudget(1 << 30));
    const seen = new Map<number, number[]>();
    for (let x = 0; x < 5000; x++) {
      const b = hashWords(Int32Array.of(x), 0, 1) & 1023;
      seen.set(b, [...(seen.get(b) ?? []), x]);
    }
    const bucket = [...seen.values()].sort((a, b) => b.length - a.length)[0] as number[];
    expect(bucket.length).toBeGreaterThan(3);
    bucket.forEach((x, i) => expect(v.insert(Int32Array.of(x), 0, -1, 0)).toBe(i));
    bucket.forEach((x, i) => expect(v.find(Int32Array.of(x), 0)).toBe(i));
  });

  it('tells apart two states with the same 32-bit hash that differ only after their first word', () => {
    // 4-byte values are stored one to a word, so the hash is over the state itself: search for a
    // full 32-bit collision among states [BIG, a, b] (a birthday search, about 2^16 draws expected)
    const first = 0x40000000;
    const byHash = new Map<number, [number, number]>();
    let pair: [Int32Array, Int32Array] | null = null;
    let x = 0x12345;
    for (let i = 0; i < 2_000_000 && pair === null; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      const a = 0x10000 + (x >>> 8);
      const b = 0x10000 + ((Math.imul(x, 69069) + 1) >>> 9);
      const h = hashWords(Int32Array.of(first, a, b), 0, 3);
      const had = byHash.get(h);
      if (had !== undefined && (had[0] !== a || had[1] !== b)) pair = [Int32Array.of(first, had[0], had[1]), Int32Array.of(first, a, b)];
      else byHash.set(h, [a, b]);
    }
    expect(pair, 'a colliding pair was found').not.toBeNull();
    const [p, q] = pair as [Int32Array, Int32Array];
    expect(hashWords(p, 0, 3)).toBe(hashWords(q, 0, 3));
    const v = new VisitedSet(3, new MemoryBudget(1 << 30));
    expect(v.insert(p, 0, -1, 0)).toBe(0);
    expect(v.insert(q, 0, -1, 0)).toBe(1);
    expect(v.find(p, 0)).toBe(0);
    expect(v.find(q, 0)).toBe(1);
  });

  it('answers INSERT_NO_ROOM at maxStates and INSERT_NO_MEMORY past the budget', () => {
    const v = new VisitedSet(1, new MemoryBudget(1 << 30), 3);
    for (let i = 0; i < 3; i++) expect(v.insert(Int32Array.of(i), 0, -1, 0)).toBe(i);
    expect(v.insert(Int32Array.of(99), 0, -1, 0)).toBe(INSERT_NO_ROOM);
    expect(v.insert(Int32Array.of(1), 0, -1, 0)).toBe(1);

    const budget = new MemoryBudget(200_000);
    const w = new VisitedSet(4, budget);
    let i = 0;
    let r = 0;
    while ((r = w.insert(Int32Array.of(i, i, i, i), 0, -1, 0)) >= 0) i++;
    expect(r).toBe(INSERT_NO_MEMORY);
    expect(budget.used).toBeLessThanOrEqual(200_000);
    expect(w.count).toBe(i);
    w.dispose();
    expect(budget.used).toBe(0);
  });
});

describe('IntDeque', () => {
  it('matches an array model under push/pop/shift (property)', () => {
    const op = fc.oneof(fc.record({ op: fc.constant('push' as const), v: fc.integer(), n: fc.integer({ min: 1, max: 40000 }) }), fc.record({ op: fc.constantFrom('pop' as const, 'shift' as const), n: fc.integer({ min: 1, max: 40000 }) }));
    assertProp(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const budget = new MemoryBudget(1 << 30);
        const d = new IntDeque(budget);
        const model: number[] = [];
        for (const o of ops) {
          for (let k = 0; k < o.n; k++) {
            if (o.op === 'push') {
              if (!d.push(o.v + k)) throw new Error('push refused');
              model.push(o.v + k);
            } else if (model.length > 0) {
              const got = o.op === 'pop' ? d.pop() : d.shift();
              const want = o.op === 'pop' ? model.pop() : model.shift();
              if (got !== want) throw new Error(`${o.op} gave ${got}, model ${String(want)}`);
            }
          }
          expect(d.size).toBe(model.length);
          if (model.length > 0) expect(d.get(d.start)).toBe(model[0]);
        }
        d.dispose();
        expect(budget.used).toBe(0);
      }),
      30,
    );
  });

  it('refuses to grow past the budget', () => {
    const d = new IntDeque(new MemoryBudget(70_000));
    let n = 0;
    while (d.push(n)) n++;
    expect(n).toBe(16384);
  });
});

describe('VisitedSet packing', () => {
  it('stays exact across widenings (1 → 2 → 4 bytes) with odd state lengths and chunk boundaries (property)', () => {
    // values start small (byte width) and grow: each widening converts the stored chunks and rehashes
    const value = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: -300, max: 300 }) }, { weight: 1, arbitrary: fc.constantFrom(70000, -70000, 0x7fffffff, -0x80000000) });
    assertProp(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.array(fc.array(value, { minLength: 7, maxLength: 7 }), { minLength: 1, maxLength: 300 }), fc.nat(5000), (L, raw, pad) => {
        const v = new VisitedSet(L, BIG);
        const model = new Map<string, number>();
        // many byte-width states first, so the widenings convert more than one chunk
        const states = [...Array.from({ length: pad }, (_, i) => [i & 3, (i >> 2) & 3, (i >> 4) & 3, (i >> 6) & 3, (i >> 8) & 3, (i >> 10) & 3, 0]), ...raw].map((st) => st.slice(0, L));
        for (const st of states) {
          const idx = v.insert(Int32Array.from(st), 0, -1, 0);
          const key = st.join(',');
          const known = model.get(key);
          expect(idx).toBe(known ?? model.size);
          expect(v.lastInserted).toBe(known === undefined);
          if (known === undefined) model.set(key, idx);
        }
        expect(v.count).toBe(model.size);
        for (const [key, idx] of model) {
          expect(Array.from(v.copy(idx)).join(',')).toBe(key);
          expect(v.find(Int32Array.from(key.split(',').map(Number)), 0)).toBe(idx);
        }
        // a state with a value wider than any stored is not found
        expect(v.find(Int32Array.from({ length: L }, () => 0x40000000), 0)).toBe(v.wordBytes === 4 && model.has(Array(L).fill(0x40000000).join(',')) ? 0 : -1);
        v.dispose();
      }),
      40,
    );
  });

  it('reports the padded record: a 5-word byte-width state costs 8 bytes of words', () => {
    const v = new VisitedSet(5, BIG);
    v.insert(Int32Array.of(1, 2, 3, 4, 5), 0, -1, 0);
    expect(v.wordBytes).toBe(1);
    // 8 (two words) + 8 metadata + 1 flag + 2 slots of 8 bytes at half load
    expect(v.bytesPerState()).toBe(8 + 8 + 1 + 16);
    v.insert(Int32Array.of(1, 2, 3, 4, 300), 0, -1, 0);
    expect(v.wordBytes).toBe(2);
    expect(v.bytesPerState()).toBe(12 + 8 + 1 + 16);
    expect(Array.from(v.copy(0))).toEqual([1, 2, 3, 4, 5]);
  });
});
