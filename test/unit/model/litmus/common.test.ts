/** The dialect-independent parts of a litmus file: header, metadata, init block, final condition. */
import { describe, expect, it } from 'vitest';
import { cond, parse, term, threads, where } from './helpers.js';
import { compileSource } from '../../../../model/frontend.js';

/** A test in the exact layout herd's catalogue uses (diycross7 output). */
const CATALOGUE_SB = [
  'X86 SB',
  '"PodWR Fre PodWR Fre"',
  'Cycle=Fre PodWR Fre PodWR',
  'Generator=diycross7 (version 7.54+01(dev))',
  'Prefetch=0:x=F,0:y=T,1:y=F,1:x=T',
  'Com=Fr Fr',
  'Orig=PodWR Fre PodWR Fre',
  '{',
  '}',
  ' P0          | P1          ;',
  ' MOV [x],$1  | MOV [y],$1  ;',
  ' MOV EAX,[y] | MOV EAX,[x] ;',
  'exists',
  '(0:EAX=0 /\\ 1:EAX=0)',
  '',
].join('\n');

/** A minimal X86 test with a given init block and constraints section. */
function x86(init: string, constraints: string, code = ' P0 | P1 ;\n MOV [x],$1 | MOV EAX,[x] ;\n'): string {
  return `X86 T\n{${init}}\n${code}${constraints}\n`;
}

describe('header and metadata', () => {
  it('reads a catalogue file verbatim', () => {
    const r = parse(CATALOGUE_SB);
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.program.name).toBe('SB');
    expect(r.program.description).toBe('PodWR Fre PodWR Fre');
    expect(r.program.metadata.map((m) => m.key)).toEqual(['Cycle', 'Generator', 'Prefetch', 'Com', 'Orig']);
    expect(r.program.metadata[1]).toEqual({ key: 'Generator', value: 'diycross7 (version 7.54+01(dev))' });
    expect(r.program.metadata[2]).toEqual({ key: 'Prefetch', value: '0:x=F,0:y=T,1:y=F,1:x=T' });
    expect(cond(r.program.condition!.expr)).toBe('(0:EAX=0 & 1:EAX=0)');
  });

  it('accepts a doc string on the header line, a texname and names with + - . [ ]', () => {
    const r = parse('X86 2+2W.x[1]-a (tex) "the doc"\n{}\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n');
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.program.name).toBe('2+2W.x[1]-a');
    expect(r.program.description).toBe('the doc');
  });

  it('skips (* *) comments, nested, and other text before the init block', () => {
    const r = parse('X86 T\n(* a (* nested *) comment { with a brace *)\nsome junk line\nKey = spaced value  \n{ x=1; }\n P0 ;\n MOV EAX,[x] ;\nexists (0:EAX=1)\n');
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.program.metadata).toEqual([{ key: 'Key', value: 'spaced value' }]);
  });

  it('H401: no architecture or no name on the first line', () => {
    expect(where(parse('\n  {}\n').diagnostics)).toEqual(['H401@2:3']);
    expect(where(parse('X86\n{}\n').diagnostics)).toEqual(['H401@1:1']);
    expect(where(parse('X86 T\n(* unterminated\n{}\n').diagnostics)).toEqual(['H401@2:1']);
  });

  it('H402: an architecture other than X86 and C', () => {
    const r = parse('PPC SB\n{ 0:r2=x; }\n P0 ;\n stw r1,0(r2) ;\nexists (x=1)\n');
    expect(where(r.diagnostics)).toEqual(['H402@1:1']);
    expect(r.diagnostics[0]?.message).toContain('"PPC"');
    expect(r.program.name).toBe('SB');
    expect(where(parse('AArch64 MP\n{}\n').diagnostics)).toEqual(['H402@1:1']);
  });

  it('the architecture is case-insensitive', () => {
    expect(where(parse('x86 T\n{}\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n').diagnostics)).toEqual([]);
  });
});

describe('init block', () => {
  it('locations get their initial values; others default to 0', () => {
    const r = parse(x86(' x=1; int y = -2; [z]=0x10; atomic_int w = ATOMIC_INIT(3); v ', 'exists (y=-2 /\\ u=0)'));
    expect(where(r.diagnostics)).toEqual([]);
    const init = Object.fromEntries(r.program.shared.map((s) => [s.name.name, s.init.kind === 'fill' && s.init.value.kind === 'int' ? s.init.value.value : s.init.kind]));
    expect(init).toEqual({ x: 1, y: -2, z: 16, w: 3, v: 0, u: 'none' });
    expect(r.program.shared.map((s) => s.name.name)).toEqual(['x', 'y', 'z', 'w', 'v', 'u']);
    expect(r.program.shared.every((s) => s.size === null)).toBe(true);
  });

  it('a trailing semicolon is optional and {} is empty', () => {
    expect(where(parse(x86('x=1', 'exists (x=1)')).diagnostics)).toEqual([]);
    expect(where(parse(x86('', 'exists (x=1)')).diagnostics)).toEqual([]);
  });

  it('register initialisations become assignments at the start of the thread', () => {
    const r = parse(x86('0:EAX=5; P1:ebx=7;', 'exists (1:EAX=1)'));
    expect(where(r.diagnostics)).toEqual([]);
    expect(threads(r.program)).toEqual({ P0: ['EAX = 5', 'store.plain(x, 1)'], P1: ['EBX = 7', 'EAX = load.plain(x)'] });
    const a = r.program.threads[0]!.body[0]!;
    expect(a.span.line).toBe(2);
    expect(a.span.col).toBe(2);
  });

  it('H403: malformed entries, missing or unterminated blocks, unknown threads', () => {
    expect(where(parse(x86(' x=; y=1', 'exists (x=1)')).diagnostics)).toEqual(['H403@2:4']);
    expect(where(parse(x86(' int x[2];', 'exists (y=1)')).diagnostics)).toEqual(['H403@2:3']);
    expect(where(parse(x86(' 5:EAX=1;', 'exists (x=1)')).diagnostics)).toEqual(['H403@2:3']);
    expect(where(parse(x86(' x=99999999999;', 'exists (x=1)')).diagnostics)).toEqual(['H411@2:5']);
    expect(where(parse(x86(' x=1 2;', 'exists (x=1)')).diagnostics)).toEqual(['H403@2:5']);
    expect(where(parse('X86 T\n P0 ;\n MOV [x],$1 ;\n').diagnostics)).toEqual(['H403@4:1']);
    expect(where(parse('X86 T\n{ x=1;\n P0 ;\n').diagnostics)).toEqual(['H403@2:1']);
  });

  it('H406: addresses and pointers in the init block are out of scope', () => {
    const r = parse(x86(' 0:EBX=x; y=0;', 'exists (x=1)'));
    expect(where(r.diagnostics)).toEqual(['H406@2:3']);
    expect(r.diagnostics[0]?.message).toContain('address');
    expect(where(parse(x86(' int *p = &x;', 'exists (x=1)')).diagnostics)).toEqual(['H406@2:3']);
  });
});

describe('final condition', () => {
  const c = (constraints: string): string => {
    const r = parse(x86('', constraints));
    expect(where(r.diagnostics)).toEqual([]);
    return `${r.program.condition?.quantifier ?? 'none'} ${r.program.condition === null ? '' : cond(r.program.condition.expr)}`;
  };

  it('quantifiers: exists, ~exists, ~ exists, forall, final', () => {
    expect(c('exists (x=1)')).toBe('exists [x]=1');
    expect(c('~exists (x=1)')).toBe('not exists [x]=1');
    expect(c('~ exists (x=1)')).toBe('not exists [x]=1');
    expect(c('forall (x=1 \\/ x=0)')).toBe('forall ([x]=1 | [x]=0)');
    expect(c('final (x=1)')).toBe('exists [x]=1');
    expect(c('exists x=1;')).toBe('exists [x]=1');
  });

  it("herd's precedence: ~ then => then /\\ then \\/", () => {
    expect(c('exists (x=1 /\\ y=1 \\/ z=1 /\\ w=1)')).toBe('exists (([x]=1 & [y]=1) | ([z]=1 & [w]=1))');
    expect(c('exists (a=1 /\\ b=1 => c=1)')).toBe('exists ([a]=1 & ([b]=1 -> [c]=1))');
    expect(c('exists (a=1 => b=1 => c=1)')).toBe('exists ([a]=1 -> ([b]=1 -> [c]=1))');
    expect(c('exists (~a=1 /\\ not b=1)')).toBe('exists (![a]=1 & ![b]=1)');
    expect(c('exists (true /\\ ~false)')).toBe('exists (true & !false)');
  });

  it('terms: 0:EAX, P1:EBX, x, [x], integers, != <> ==, hex and negative values', () => {
    expect(c('exists (0:EAX=1 /\\ P1:EBX!=2 /\\ [x]<>-3 /\\ y==0x1f)')).toBe('exists (((0:EAX=1 & P1:EBX!=2) & [x]!=-3) & [y]=31)');
    expect(c('exists ([x]=[y] /\\ 0:EAX=1:EAX)')).toBe('exists ([x]=[y] & 0:EAX=1:EAX)');
  });

  it('numeric thread references use ordinals, P-names use names', () => {
    const r = parse(x86('', 'exists (0:EAX=1 /\\ P1:EAX=0)'));
    const e = r.program.condition!.expr;
    expect(e.kind === 'and' && e.left.kind === 'cmp' ? e.left.left : null).toMatchObject({ kind: 'reg', thread: { ordinal: 0 }, reg: 'EAX' });
    expect(e.kind === 'and' && e.right.kind === 'cmp' ? e.right.left : null).toMatchObject({ kind: 'reg', thread: { name: 'P1', index: null }, reg: 'EAX' });
  });

  it('a condition may span lines and carry comments', () => {
    expect(c('exists\n(0:EAX=1 (* first *)\n /\\\n x=1)')).toBe('exists (0:EAX=1 & [x]=1)');
  });

  it('locations and filter, in any order before the condition; the with clause is skipped', () => {
    const r = parse(x86('', 'locations [x; 0:EAX; y int*;]\nfilter (0:EAX=1)\nexists (x=1) with tso: exists; sc: ~exists;'));
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.program.locations.map(term)).toEqual(['[x]', '0:EAX', '[y]']);
    expect(cond(r.program.filter!)).toBe('0:EAX=1');
    expect(r.program.shared.map((s) => s.name.name)).toEqual(['x', 'y']);
    expect(parse(x86('', 'locations []')).program.locations).toEqual([]);
  });

  it('a register observed but never written starts at 0, explicitly (herd semantics)', () => {
    const text = x86('', 'locations [1:ECX;]\nexists (0:EBX=0 /\\ P1:EAX=0 /\\ 1:EDX=0)');
    const r = parse(text);
    expect(where(r.diagnostics)).toEqual([]);
    expect(threads(r.program)).toEqual({ P0: ['EBX = 0', 'store.plain(x, 1)'], P1: ['EDX = 0', 'ECX = 0', 'EAX = load.plain(x)'] });
    const out = compileSource('t.litmus', text);
    expect(where(out.diagnostics)).toEqual([]);
    expect(out.ir).not.toBeNull();
  });

  it('no condition at all is fine', () => {
    const r = parse(x86('', ''));
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.program.condition).toBeNull();
  });

  it('H407: malformed conditions, with line and column', () => {
    const h = (constraints: string): string[] => where(parse(x86('', constraints)).diagnostics);
    expect(h('exists (0:EAX=1 /\\ )')).toEqual(['H407@5:20']);
    expect(h('exists (0:EAX 1)')).toEqual(['H407@5:15']);
    expect(h('exists (0:EAX=1')).toEqual(['H407@6:1']);
    expect(h('exists (x=1)\nexists (x=0)')).toEqual(['H407@6:1']);
    expect(h('exists (x[1]=1)')).toEqual(['H407@5:10']);
    expect(h('observed x=1;')).toEqual(['H407@5:1']);
    expect(h('exists (fault(P0,x))')).toEqual(['H407@5:9']);
    expect(h('locations [x;')).toEqual(['H407@6:1']);
    expect(h('exists (x=1) (* open')).toEqual(['H407@5:14']);
  });

  it('H406: comparing with an address', () => {
    expect(where(parse(x86('', 'exists (0:EAX=x)')).diagnostics)).toEqual(['H406@5:15']);
  });
});
