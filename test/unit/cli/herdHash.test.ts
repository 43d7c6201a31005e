/**
 * herd7's Hash= (cli/herdHash.ts) on small tests of each dialect, against the hashes herd prints
 * for the same tests: SB in herd's manual (herdtools7 doc/herd.tex, "herd7 -cat ./sc.cat
 * SB.litmus": Hash=7dbd6b8e6dd4abc2ef3d48b0376fb2e3) and herd's regression test A012
 * (herd/tests/instructions/X86_64/A012.litmus.expected: Hash=3b021e40517dcff1f1cb8894d645b677), and
 * what must not change it (comments, spacing, the doc string) or must (an instruction, a value).
 */
import { describe, expect, it } from 'vitest';
import { herdHash } from '../../../cli/herdHash.js';

const SB = `X86 SB
"Fre PodWR Fre PodWR"
{x=0; y=0;}
 P0          | P1          ;
 MOV [x],$1  | MOV [y],$1  ;
 MOV EAX,[y] | MOV EAX,[x] ;
exists (0:EAX=0 /\\ 1:EAX=0)
`;
const SB_HASH = '7dbd6b8e6dd4abc2ef3d48b0376fb2e3';

describe('herdHash', () => {
  it("X86: herd's hash of SB, whatever the layout, comments and doc string", () => {
    expect(herdHash('X86', SB)).toBe(SB_HASH);
    const relaid = `X86 SB\n(* a comment *)\n{ y=0; x=0 }\n P0 | P1 ;\n mov [x], $1 | MOV [y],$0x1 ;\n MOV EAX, [y] | MOV EAX,[x] ;\nexists (0:EAX=0 /\\ 1:EAX=0)\n`;
    expect(herdHash('X86', relaid)).toBe(SB_HASH);
  });

  it('changes with what herd hashes: an instruction, an initial value, an observed location', () => {
    expect(herdHash('X86', SB.replace('MOV EAX,[x]', 'MOV EBX,[x]'))).not.toBe(SB_HASH);
    expect(herdHash('X86', SB.replace('{x=0;', '{x=1;'))).not.toBe(SB_HASH);
    expect(herdHash('X86', SB.replace('1:EAX=0)', '1:EAX=0 /\\ x=1)'))).not.toBe(SB_HASH);
    // the filter is not observed (herd hashes the locations list and the condition only)
    expect(herdHash('X86', SB.replace('exists', 'filter (x=1)\nexists'))).toBe(SB_HASH);
  });

  it('X86_64: A012 (implicit init), spelled in AT&T syntax', () => {
    expect(herdHash('X86_64', 'X86_64 A012\n{ }\n P0 ;\n movl $1,(x) ;\nforall [x]=1\n')).toBe('3b021e40517dcff1f1cb8894d645b677');
  });

  it('a Hash= in the metadata is the hash (herd prints the one the test gives)', () => {
    expect(herdHash('X86', SB.replace('"Fre PodWR Fre PodWR"', '"Fre PodWR Fre PodWR"\nHash=00112233445566778899aabbccddeeff'))).toBe('00112233445566778899aabbccddeeff');
  });

  it('null, not a guess, for what it does not print as herd does', () => {
    expect(herdHash('X86', SB.replace('MOV [y],$1 ', 'XADD [y],EAX'))).toBeNull(); // herd's X86 has no XADD
    expect(herdHash('X86', SB.replace('{x=0; y=0;}', '{ int t[2]; }'))).toBeNull(); // an array
    expect(herdHash('C', 'C t\n{}\nP0(struct s *x) { }\nexists (0:r0=0)\n')).toBeNull(); // a parameter type outside the table
    expect(herdHash(null, 'test x\n')).toBeNull();
    expect(herdHash('AArch64', SB)).toBeNull();
  });

  it('C: the thread bodies are hashed as written, the parameters as herd prints their types', () => {
    const c = 'C t\n{}\nP0(int *x, atomic_int* y) // a comment\n{\n\tWRITE_ONCE(*x, 1);\n}\nexists (x=1)\n';
    const h = herdHash('C', c);
    expect(h).toMatch(/^[0-9a-f]{32}$/);
    expect(herdHash('C', c.replace('// a comment', ''))).toBe(h); // outside the body
    expect(herdHash('C', c.replace('int *x', 'int* x'))).toBe(h); // the type, not its spelling
    expect(herdHash('C', c.replace('\tWRITE', '  WRITE'))).not.toBe(h); // inside the body
  });
});
