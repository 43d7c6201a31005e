// The playground's colouring of herd7 `.litmus` texts (model/litmus/highlight.ts, issue 19): words
// classed as the importer reads them — the architecture and the constraint words, mnemonics, C
// keywords and atomics as keywords, memory orders as modes, P0 as a thread, P0:EAX's register and
// the code's registers as registers, memory operands and pointer parameters as locations — spans
// ordered, inside the text and never overlapping, on every bundled herd file and on any text.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highlightLitmus } from '../../../../model/litmus/highlight.js';

const X86_SB = `X86 SB
"Store buffering"
{ x=0; y=0; }
 P0          | P1          ;
 MOV [x],$1  | MOV [y],$1  ;
 MOV EAX,[y] | MOV EAX,[x] ;
exists (0:EAX=0 /\\ P1:EAX=0)
`;

const C_MP = `C MP
{}
P0 (atomic_int* x, atomic_int* y) {
  atomic_store_explicit(x, 1, memory_order_relaxed);
  atomic_store_explicit(y, 1, memory_order_release);
}
P1 (atomic_int* x, atomic_int* y) {
  int r0 = atomic_load_explicit(y, memory_order_acquire);
  int r1 = atomic_load_explicit(x, memory_order_relaxed);
}
~exists (1:r0=1 /\\ 1:r1=0)
`;

/** The class of each coloured word: "text@class", in order. */
function classes(text: string): string[] {
  return highlightLitmus(text).map((s) => `${text.slice(s.start, s.end)}@${s.cls}`);
}

function wellFormed(text: string): void {
  let end = 0;
  for (const s of highlightLitmus(text)) {
    expect(s.start).toBeGreaterThanOrEqual(end);
    expect(s.end).toBeGreaterThan(s.start);
    expect(s.end).toBeLessThanOrEqual(text.length);
    end = s.end;
  }
}

describe('highlightLitmus', () => {
  it('x86: architecture, name, threads, mnemonics, memory operands, immediates, registers, the condition', () => {
    const c = classes(X86_SB);
    expect(c.slice(0, 3)).toEqual(['X86@keyword', 'SB@string', '"Store buffering"@string']);
    for (const w of ['x@location', 'P0@thread', 'P1@thread', 'MOV@keyword', '$1@number', 'EAX@register', 'exists@keyword', '0@number']) expect(c).toContain(w);
    // the condition's P1:EAX: a thread, then its register
    const tail = c.slice(c.indexOf('exists@keyword'));
    expect(tail).toEqual(['exists@keyword', '0@number', 'EAX@register', '0@number', 'P1@thread', 'EAX@register', '0@number']);
  });

  it('C: types and atomics as keywords, memory orders as modes, parameters as locations, locals as registers', () => {
    const c = classes(C_MP);
    for (const w of ['atomic_int@keyword', 'atomic_store_explicit@keyword', 'atomic_load_explicit@keyword', 'memory_order_release@mode', 'memory_order_acquire@mode', 'int@keyword', 'r0@register', 'r1@register', 'x@location', 'y@location', 'P1@thread']) expect(c).toContain(w);
    expect(c).not.toContain('x@register');
    expect(c.slice(c.indexOf('~@keyword'))).toEqual(['~@keyword', 'exists@keyword', '1@number', 'r0@register', '1@number', '1@number', 'r1@register', '0@number']);
  });

  it('every bundled herd file: ordered spans inside the text, never overlapping, the architecture first', () => {
    let files = 0;
    for (const dir of readdirSync('examples/herd', { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      for (const f of readdirSync(`examples/herd/${dir.name}`)) {
        if (!f.endsWith('.litmus')) continue;
        const text = readFileSync(`examples/herd/${dir.name}/${f}`, 'utf8');
        wellFormed(text);
        expect(highlightLitmus(text)[0]?.cls).toBe('keyword');
        files++;
      }
    }
    expect(files).toBeGreaterThan(50);
  });

  it('never throws, and stays well formed, on any text (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(X86_SB, C_MP).chain((t) => fc.integer({ min: 0, max: t.length }).map((n) => t.slice(0, n)))), (text) => {
        wellFormed(text);
      }),
      { numRuns: 500, seed: 19_019 },
    );
  });
});
