/** The X86_64 dialect (AT&T syntax): each instruction's mapping, register aliases and sizes, and its diagnostics. */
import { describe, expect, it } from 'vitest';
import { check } from '../../../../checker/check.js';
import { compileOrThrow } from '../../../support/programs.js';
import { cond, parse, threads, where } from './helpers.js';

/** One-thread X86_64 test around the given rows (each row a cell of P0). */
function one(rows: readonly string[], condition = 'exists ([x]=1)', init = ''): string {
  return `X86_64 T\n{${init}}\n P0 ;\n${rows.map((r) => ` ${r} ;\n`).join('')}${condition}\n`;
}
function p0(...rows: string[]): string[] {
  const r = parse(one(rows));
  expect(where(r.diagnostics)).toEqual([]);
  return threads(r.program)['P0'] ?? [];
}
function codes(...rows: string[]): string[] {
  return where(parse(one(rows)).diagnostics);
}
/** The final values of one thread's registers after running a one-thread test under sc. */
function finalOf(rows: readonly string[], condition: string, init = ''): string[] {
  const r = check(compileOrThrow('t.litmus', one(rows, condition, init)), { model: 'sc' });
  return r.outcomes.map((o) => Object.entries(o.values).map(([k, v]) => `${k}=${v}`).join(' '));
}

describe('X86_64 instructions (AT&T order: source, destination)', () => {
  it('mov with suffixes: stores, loads, immediates with and without $, register moves', () => {
    expect(p0('movl $1,(x)', 'movq $2,(y)', 'movl (x),%eax', 'mov $-3,%rbx', 'movq %rax,%rcx', 'movl %ecx,(x)', 'MOVL 16,%EDX')).toEqual([
      'store.plain(x, 1)',
      'store.plain(y, 2)',
      'rax = load.plain(x)',
      'rbx = -3',
      'rcx = rax',
      'store.plain(x, rcx)',
      'rdx = 16',
    ]);
  });

  it('fences, nops and endbr64', () => {
    expect(p0('mfence', 'lfence', 'sfence', 'nop', 'nopl 0(%rax,%eax,0)', 'nopw %cs:0(%rax,%eax,0)', 'endbr64')).toEqual(['fence.sc()', 'skip', 'skip', 'skip', 'skip', 'skip', 'skip']);
  });

  it('xchg (implicitly locked) in both operand orders, and the locked read-modify-writes', () => {
    expect(p0('xchgl (y),%eax', 'xchg %rbx,(y)', 'lock addl $2,(x)', 'lock subq %rax,(x)', 'lock andl $1,(x)', 'lock orl $4,(x)', 'lock xorl $8,(x)', 'lock incl (x)', 'lock decq (x)', 'lock xaddl %ebx,(x)', 'lock cmpxchgl %ecx,(x)')).toEqual([
      'rax = exchange.sc(y, rax)',
      'rbx = exchange.sc(y, rbx)',
      'fetch_add.sc(x, 2)',
      'fetch_sub.sc(x, rax)',
      'fetch_and.sc(x, 1)',
      'fetch_or.sc(x, 4)',
      'fetch_xor.sc(x, 8)',
      'fetch_add.sc(x, 1)',
      'fetch_sub.sc(x, 1)',
      'rbx = fetch_add.sc(x, rbx)',
      'rax = cmpxchg.sc(x, rax, rcx)',
    ]);
  });

  it('register arithmetic, shl, cmp and the jumps; ret jumps to the end of the thread', () => {
    expect(p0('addl $1,%eax', 'subq %rbx,%rax', 'xor %eax,%eax', 'orl (x),%eax', 'and %eax,%eax', 'shl 2,%eax', 'incl %ecx', 'decq %rcx')).toEqual([
      'rax = (rax + 1)',
      'rax = (rax - rbx)',
      'rax = (rax ^ rax)',
      'rax = (rax | load.plain(x))',
      'rax = (rax & rax)',
      'rax = (rax << 2)',
      'rcx = (rcx + 1)',
      'rcx = (rcx - 1)',
    ]);
    expect(p0('cmp $1,%eax', 'je L0', 'jne L0', 'L0: jmp L1', 'L1: ret', 'movl $1,(x)')).toEqual(['zf = (rax == 1)', 'if zf { goto L0 }', 'if !zf { goto L0 }', 'L0:', 'goto L1', 'L1:', 'goto __ret', 'store.plain(x, 1)', '__ret:']);
  });

  it('sub-registers: writes keep the other bits, reads mask (herd A007/A008-style checks, run under sc)', () => {
    // rax starts at 0x1234; movb writes the low byte only, movw the low 16 bits, movb to %ah bits 8-15
    expect(finalOf(['movb $0x1ff,%al'], 'forall (0:rax=0x12ff)', '0:rax=0x1234;')).toEqual(['P0:rax=4863']);
    expect(finalOf(['movw $0xabcd,%ax'], 'forall (0:rax=0xabcd)', '0:rax=0x11234;')).toEqual(['P0:rax=109517']);
    expect(finalOf(['movb $7,%ah'], 'forall (0:rax=0x734)', '0:rax=0x1234;')).toEqual(['P0:rax=1844']);
    // reading %ah: bits 8-15; movb to memory truncates to a byte
    expect(finalOf(['movb %ah,%bl', 'movb $0x102,(x)'], 'forall (0:rbx=0x12 /\\ [x]=2)', '0:rax=0x1234;')).toEqual(['P0:rbx=18 x=2']);
    expect(finalOf(['shl 2,%eax'], 'forall 0:RAX=4', '0:RAX=1')).toEqual(['P0:rax=4']);
  });

  it('register names in conditions and init blocks: any alias, any case, is the 64-bit register', () => {
    const r = parse(one(['movl $1,%eax'], 'exists (0:EAX=1 /\\ 0:rax=1 /\\ 0:Al=1 /\\ 0:rip=0)', '0:RBX=2; 0:cs=0;'));
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.program.condition === null ? '' : cond(r.program.condition.expr)).toBe('(((0:rax=1 & 0:rax=1) & 0:rax=1) & 0:rip=0)');
    expect(threads(r.program)['P0']).toEqual(['rbx = 2', 'cs = 0', 'rip = 0', 'rax = 1']);
  });
});

describe('X86_64 diagnostics', () => {
  it('H405: unknown instructions, RMWs on memory without lock, register-register xchg, lock on a non-RMW', () => {
    expect(codes('frob %eax')).toEqual(['H405@4:2']);
    expect(codes('addl $1,(x)')).toEqual(['H405@4:2']);
    expect(codes('cmpxchgl %ecx,(x)')).toEqual(['H405@4:2']);
    expect(codes('xchg %eax,%ebx')).toEqual(['H405@4:2']);
    expect(codes('lock movl $1,(x)')).toEqual(['H405@4:2']);
    expect(codes('jle L0')).toEqual(['H405@4:2']);
  });

  it('H406: indirect, displaced and scaled addressing, unknown registers, Intel-style bare names', () => {
    expect(codes('movl (%rax),%ebx')).toEqual(['H406@4:7']);
    expect(codes('movq 0(%rax,%rbx,8),%rcx')).toEqual(['H406@4:7']);
    expect(codes('movl $1,%xmm0')).toEqual(['H406@4:10']);
    expect(codes('movl $1,x')).toEqual(['H406@4:10']);
    expect(codes('mov (x),(y)')).toEqual(['H406@4:10']);
  });

  it('H411: a 64-bit value that does not fit, in an immediate, the init block or the condition (herd A010)', () => {
    expect(codes('movq $0x202020202020202,(x)')).toEqual(['H411@4:7']);
    expect(where(parse(one(['movq %rbx,(x)'], 'forall ([x]=1)', '0:RBX=0x202020202020202;')).diagnostics)).toEqual(['H411@2:8']);
    expect(where(parse(one(['movq %rbx,(x)'], 'forall ([x]=0x202020202020202)')).diagnostics)).toEqual(['H411@5:13']);
  });

  it('one bad cell does not stop the others: several errors per file', () => {
    expect(codes('frob', 'movl (%rax),%ebx', 'movl $1,(x)')).toEqual(['H405@4:2', 'H406@5:7']);
  });
});
