/** The X86 dialect: the thread table, each instruction's mapping, and its diagnostics. */
import { describe, expect, it } from 'vitest';
import { parse, threads, where } from './helpers.js';

/** One-thread test around the given rows (each row a cell of P0). */
function one(...rows: string[]): string {
  return `X86 T\n{}\n P0 ;\n${rows.map((r) => ` ${r} ;\n`).join('')}exists (x=1)\n`;
}
function p0(...rows: string[]): string[] {
  const r = parse(one(...rows));
  expect(where(r.diagnostics)).toEqual([]);
  return threads(r.program)['P0'] ?? [];
}

describe('X86 instructions', () => {
  it('MOV: loads, stores, immediates with and without $, register moves', () => {
    expect(p0('MOV [x],$1', 'MOV [y],2', 'MOV EAX,[x]', 'MOV EBX,$-3', 'MOV ECX,EAX', 'MOV [x],ECX', 'MOVL EDX,$0x10')).toEqual([
      'store.plain(x, 1)',
      'store.plain(y, 2)',
      'EAX = load.plain(x)',
      'EBX = -3',
      'ECX = EAX',
      'store.plain(x, ECX)',
      'EDX = 16',
    ]);
  });

  it('fences: MFENCE is fence.sc; LFENCE and SFENCE are no-ops', () => {
    expect(p0('MFENCE', 'LFENCE', 'SFENCE', 'mfence')).toEqual(['fence.sc()', 'skip', 'skip', 'fence.sc()']);
  });

  it('XCHG in both operand orders is an sc exchange into the register', () => {
    expect(p0('XCHG [x],EAX', 'XCHG EBX,[y]')).toEqual(['EAX = exchange.sc(x, EAX)', 'EBX = exchange.sc(y, EBX)']);
  });

  it('LOCK read-modify-writes', () => {
    expect(p0('LOCK ADD [x],$2', 'LOCK SUB [x],EAX', 'LOCK AND [x],$1', 'LOCK OR [x],$4', 'LOCK XOR [x],$8', 'LOCK INC [x]', 'LOCK DEC [x]', 'LOCK XADD [x],EBX', 'LOCK CMPXCHG [x],ECX', 'LOCK XCHG [x],EDX')).toEqual([
      'fetch_add.sc(x, 2)',
      'fetch_sub.sc(x, EAX)',
      'fetch_and.sc(x, 1)',
      'fetch_or.sc(x, 4)',
      'fetch_xor.sc(x, 8)',
      'fetch_add.sc(x, 1)',
      'fetch_sub.sc(x, 1)',
      'EBX = fetch_add.sc(x, EBX)',
      'EAX = cmpxchg.sc(x, EAX, ECX)',
      'EDX = exchange.sc(x, EDX)',
    ]);
  });

  it('register arithmetic, including a memory source operand', () => {
    expect(p0('ADD EAX,$1', 'SUB EAX,EBX', 'XOR EAX,EAX', 'OR EAX,[x]', 'AND EAX,$7', 'INC ECX', 'DEC ECX')).toEqual([
      'EAX = (EAX + 1)',
      'EAX = (EAX - EBX)',
      'EAX = (EAX ^ EAX)',
      'EAX = (EAX | load.plain(x))',
      'EAX = (EAX & 7)',
      'ECX = (ECX + 1)',
      'ECX = (ECX - 1)',
    ]);
  });

  it('CMP, JE, JNE, JMP and labels', () => {
    expect(p0('L0: MOV EAX,[x]', 'CMP EAX,$0', 'JE L0', 'CMP [y],EAX', 'JNE L1', 'JMP L2', 'L1:', 'L2: L3: MFENCE')).toEqual([
      'L0:',
      'EAX = load.plain(x)',
      'ZF = (EAX == 0)',
      'if ZF { goto L0 }',
      'ZF = (load.plain(y) == EAX)',
      'if !ZF { goto L1 }',
      'goto L2',
      'L1:',
      'L2:',
      'L3:',
      'fence.sc()',
    ]);
  });

  it('registers are upper-cased in code, conditions, locations and init', () => {
    const r = parse('X86 T\n{ 0:ebx=1; }\n P0 ;\n mov eax,[x] ;\nlocations [0:ecx;]\nexists (0:eax=1 /\\ P0:Ebx=1)\n');
    expect(where(r.diagnostics)).toEqual([]);
    expect(threads(r.program)).toEqual({ P0: ['EBX = 1', 'ECX = 0', 'EAX = load.plain(x)'] });
    const e = r.program.condition!.expr;
    expect(e.kind === 'and' && e.left.kind === 'cmp' && e.left.left.kind === 'reg' ? e.left.left.reg : '').toBe('EAX');
    expect(e.kind === 'and' && e.right.kind === 'cmp' && e.right.left.kind === 'reg' ? e.right.left.reg : '').toBe('EBX');
    expect(r.program.locations[0]).toMatchObject({ kind: 'reg', reg: 'ECX' });
  });
});

describe('X86 thread table', () => {
  it('short rows, empty cells, a leading ";" and comments in the table', () => {
    const r = parse('X86 T\n{}\n; P0 | P1 | P2 ;\n MOV [x],$1 | | MOV EAX,[x] ;\n (* c *) | MOV [y],$1 ;\n | | ;\nexists (2:EAX=1)\n');
    expect(where(r.diagnostics)).toEqual([]);
    expect(threads(r.program)).toEqual({ P0: ['store.plain(x, 1)'], P1: ['store.plain(y, 1)'], P2: ['EAX = load.plain(x)'] });
  });

  it('thread spans point at the header cell', () => {
    const r = parse('X86 T\n{}\n P0 | P1 ;\n MOV [x],$1 | MOV EAX,[x] ;\nexists (x=1)\n');
    expect(r.program.threads.map((t) => `${t.name.span.line}:${t.name.span.col}`)).toEqual(['3:2', '3:7']);
    const s = r.program.threads[1]!.body[0]!;
    expect(`${s.span.line}:${s.span.col}`).toBe('4:15');
  });

  it('H404: malformed header, extra columns, missing ";", no table', () => {
    const h = (code: string): string[] => where(parse(`X86 T\n{}\n${code}exists (x=1)\n`).diagnostics);
    expect(h(' P0 | P2 ;\n MOV [x],$1 | MOV [y],$1 ;\n')).toEqual(['H404@3:7']);
    expect(h(' P0 | MOV ;\n')).toEqual(['H404@3:7']);
    expect(h(' P0 | P1 ;\n MOV [x],$1 | MOV [y],$1 | MFENCE ;\n')).toEqual(['H404@4:28']);
    expect(h(' P0 ;\n MOV [x],$1\n')).toEqual(['H404@4:2']);
    expect(h('')).toEqual(['H404@2:3']);
  });

  it('H405: unsupported instructions and forms', () => {
    const h = (row: string): string[] => where(parse(one(row)).diagnostics);
    expect(h('SETNB [x]')).toEqual(['H405@4:2']);
    expect(h('CMOVC EAX,[x]')).toEqual(['H405@4:2']);
    expect(h('ADD [x],$1')).toEqual(['H405@4:2']);
    expect(h('CMPXCHG [x],EBX')).toEqual(['H405@4:2']);
    expect(h('LOCK MOV [x],$1')).toEqual(['H405@4:2']);
    expect(h('XCHG EAX,EBX')).toEqual(['H405@4:2']);
    expect(h('LOCK')).toEqual(['H405@4:2']);
    expect(h('$1')).toEqual(['H405@4:2']);
  });

  it('H406: malformed and out-of-scope operands', () => {
    const h = (row: string): string[] => where(parse(one(row)).diagnostics);
    expect(h('MOV EAX,[EBX]')).toEqual(['H406@4:10']);
    expect(h('MOV EAX,(EBX)')).toEqual(['H406@4:10']);
    expect(h('MOV [0],$1')).toEqual(['H406@4:6']);
    expect(h('MOV x,$1')).toEqual(['H406@4:6']);
    expect(h('MOV %r,$1')).toEqual(['H406@4:6']);
    expect(h('MOV [x],[y]')).toEqual(['H406@4:10']);
    expect(h('MOV EAX')).toEqual(['H406@4:2']);
    expect(h('MOV [x],$99999999999')).toEqual(['H406@4:10']);
    expect(h('JNE EAX')).toEqual(['H406@4:2']);
  });

  it('an error in one cell does not hide the next', () => {
    const r = parse('X86 T\n{}\n P0 | P1 ;\n FOO | MOV EAX,[EBX] ;\n MOV [x],$1 | MOV EAX,[x] ;\nexists (x=1)\n');
    expect(where(r.diagnostics)).toEqual(['H405@4:2', 'H406@4:16']);
    expect(threads(r.program)).toEqual({ P0: ['<error>', 'store.plain(x, 1)'], P1: ['<error>', 'EAX = load.plain(x)'] });
  });
});
