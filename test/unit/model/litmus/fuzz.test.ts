/**
 * parseLitmus never throws, for mutated versions of every example (and arbitrary text), and every
 * diagnostic it reports is an H4xx code with a span inside the file. Seed: MEMWEAVE_SEED.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { SourceFile } from '../../../../model/syntax/source.js';
import { parseLitmus } from '../../../../model/litmus/index.js';
import { compileSource } from '../../../../model/frontend.js';
import { assertSeeded, seedFromEnv } from '../../../arbitraries/irProgram.js';

const SEED = seedFromEnv(4242);

/** fc.assert with the pinned seed, printed on failure. */
const check = <T>(prop: fc.IProperty<T>, numRuns: number): void => assertSeeded(prop, SEED, numRuns);

const FILES = ['examples/herd/x86', 'examples/herd/c', 'examples/herd/c-lk'].flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.litmus')).map((f) => readFileSync(`${d}/${f}`, 'utf8')));

/** Fragments that stress the splitter and the parsers. */
const FRAGMENTS = [
  '{', '}', '(', ')', '[', ']', ';', '|', ':', ',', '*', '&', '"', '(*', '*)', '/*', '*/', '//', '\n', ' ', '=', '~', '/\\', '\\/', '=>', '$', '-', '0x',
  'exists', '~exists', 'forall', 'final', 'locations', 'filter', 'with', 'observed', 'true', 'false', 'not',
  'P0', 'P1', 'P9', '0:', '1:EAX', 'EAX', 'EBX', '[x]', 'x', 'MOV', 'LOCK', 'XCHG', 'CMPXCHG', 'XADD', 'MFENCE', 'JNE L0', 'L0:', 'CMP',
  'int', 'atomic_int*', 'atomic_load_explicit(', 'atomic_store_explicit(', 'atomic_compare_exchange_strong(x, &', 'memory_order_seq_cst', 'memory_order_bogus',
  'if', 'else', 'while', 'READ_ONCE(*', 'WRITE_ONCE(', 'smp_mb()', '99999999999', '-2147483648', 'X86', 'C', 'PPC',
  'smp_rmb()', 'smp_wmb()', 'spin_lock(', 'spin_unlock(', 'spin_trylock(', 'spin_is_locked(', 'atomic_add_unless(', 'atomic_add_return(1, ', 'atomic_fetch_add(', 'atomic_inc(', 'xchg(', 'cmpxchg(', 'atomic_compare_exchange_strong(x, y, ',
];

type Mutation = { kind: 'delete'; at: number; len: number } | { kind: 'insert'; at: number; text: string } | { kind: 'dup'; at: number; len: number; to: number };

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })) }),
  fc.record({ kind: fc.constant('dup' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 30 }), to: fc.nat() }),
);

function mutate(text: string, ms: readonly Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const n = t.length + 1;
    switch (m.kind) {
      case 'delete': {
        const a = m.at % n;
        t = t.slice(0, a) + t.slice(a + m.len);
        break;
      }
      case 'insert': {
        const a = m.at % n;
        t = t.slice(0, a) + m.text + t.slice(a);
        break;
      }
      case 'dup': {
        const a = m.at % n;
        const piece = t.slice(a, a + m.len);
        const to = m.to % n;
        t = t.slice(0, to) + piece + t.slice(to);
        break;
      }
    }
  }
  return t;
}

const arbMutated: fc.Arbitrary<string> = fc.tuple(fc.constantFrom(...FILES), fc.array(arbMutation, { minLength: 1, maxLength: 6 })).map(([f, ms]) => mutate(f, ms));

/** Parse and check the invariants; returns the number of diagnostics. */
function parsesCleanly(text: string): number {
  const file = new SourceFile('fuzz.litmus', text);
  const r = parseLitmus(file);
  for (const d of r.diagnostics) {
    expect(d.code).toMatch(/^H4\d\d$/);
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
    expect(d.span.line).toBeGreaterThanOrEqual(1);
    expect(d.file).toBe('fuzz.litmus');
  }
  // threads are always P0, P1, … in order
  expect(r.program.threads.map((t) => t.name.name)).toEqual(r.program.threads.map((_, k) => `P${k}`));
  return r.diagnostics.length;
}

describe('parseLitmus never throws', () => {
  it(`on 1500 mutated examples (seed ${SEED})`, () => {
    check(
      fc.property(arbMutated, (text) => {
        parsesCleanly(text);
      }),
      1500,
    );
  });

  it(`on arbitrary text after a valid header (seed ${SEED})`, () => {
    check(
      fc.property(fc.constantFrom('X86 T\n', 'C T\n', ''), fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 3 })), { maxLength: 40 }), (head, parts) => {
        parsesCleanly(head + parts.join(' '));
      }),
      500,
    );
  });

  it('the mutation generator actually breaks files (so the properties are not vacuous)', () => {
    const samples = fc.sample(arbMutated, { seed: SEED, numRuns: 200 });
    const withDiags = samples.filter((t) => parsesCleanly(t) > 0).length;
    expect(withDiags).toBeGreaterThan(20);
  });

  it(`compileSource never throws on mutated examples either (seed ${SEED})`, () => {
    check(
      fc.property(arbMutated, (text) => {
        const out = compileSource('fuzz.litmus', text);
        expect(Array.isArray(out.diagnostics)).toBe(true);
      }),
      300,
    );
  });
});
