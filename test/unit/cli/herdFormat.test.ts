/**
 * `check --format herd` (cli/herdFormat.ts): herd7's spelling and order of locations and states,
 * its condition printing, its witness convention for `~exists`, `forall (true)` for a test with
 * no condition, Undef on a data race, the Loop prefix at a loop bound, and what the command does
 * around it (the engine it picks, partial searches, the --herd-hexa option).
 */
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../cli/commands/check.js';
import { herdConditionText, herdStateLines, herdValue, litmusArchOf, renderHerd, withoutTime } from '../../../cli/herdFormat.js';
import { check } from '../../../checker/check.js';
import { compileOrThrow } from '../../support/programs.js';
import { fakeIo } from './fakeIo.js';

async function run(files: Record<string, string>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ files });
  const code = await checkCommand.run(argv, io);
  return { code, out: io.out, err: io.err };
}

/** An X86 test whose registers sort differently by herd's order (EAX EBX ECX EDX ESI EDI EBP ESP) and by name. */
const X86_REGS = `X86 regs
{ x=0; y=0; }
 P0          | P1          ;
 MOV EDI,[x] | MOV [x],$1  ;
 MOV EBP,[y] | MOV [y],$1  ;
 MOV EBX,[x] |             ;
exists (0:EDI=1 /\\ 0:EBP=0 /\\ 0:EBX=1 /\\ y=1)
`;

describe('herd state lines', () => {
  it('registers by thread and herd\u2019s X86 register order, then memory in brackets; states sorted by value', () => {
    const p = compileOrThrow('regs.litmus', X86_REGS);
    const lines = herdStateLines(check(p, { model: 'sc' }), p, 'X86');
    // EBX before EDI before EBP (lib/X86Base.ml's order), not by name (EBP EBX EDI)
    expect(lines[0]).toBe('0:EBX=0; 0:EDI=0; 0:EBP=0; [y]=1;');
    expect(lines.every((l) => /^0:EBX=\d; 0:EDI=\d; 0:EBP=\d; \[y\]=1;$/.test(l))).toBe(true);
    expect([...lines].sort()).toEqual(lines); // single-digit values: herd's value order is the text order
    // C and .mw registers order by name
    const byName = herdStateLines(check(p, { model: 'sc' }), p, 'C');
    expect(byName[0]).toBe('0:EBP=0; 0:EBX=0; 0:EDI=0; [y]=1;');
  });

  it('values sort numerically, negatives first, and print in hexadecimal under -hexa', () => {
    const p = compileOrThrow('neg.mw', 'test neg\nshared x = 0;\nthread P0 { store.sc(x, -1); }\nthread P1 { store.sc(x, 10); }\nexists (x = 2)\n');
    const r = check(p, { model: 'sc' });
    expect(herdStateLines(r, p, null)).toEqual(['[x]=-1;', '[x]=10;']);
    expect(herdStateLines(r, p, null, true)).toEqual(['[x]=0xffffffff;', '[x]=0xa;']);
    expect(herdValue(1, true)).toBe('0x1');
    expect(herdValue(-3, false)).toBe('-3');
  });
});

describe('litmusArchOf', () => {
  it('the dialect of a litmus test, case aside; null for .mw programs and other dialects', () => {
    expect(litmusArchOf('t.litmus', '\nX86 SB\n')).toBe('X86');
    expect(litmusArchOf('t.litmus', 'x86_64 A\n')).toBe('X86_64');
    expect(litmusArchOf('t.LITMUS', 'C t\n')).toBe('C');
    expect(litmusArchOf('t.litmus', 'AArch64 t\n')).toBeNull();
    expect(litmusArchOf('t.mw', 'X86 SB\n')).toBeNull();
  });
});

describe('herd condition printing (lib/constrGen.ml pp_prop)', () => {
  const cond = (c: string): string => herdConditionText(compileOrThrow('c.litmus', `X86 c\n{ x=0; y=0; }\n P0 ;\n MOV [x],$1 ;\n${c}\n`), 'X86');
  it('memory in brackets, != as not (...), parentheses only where herd puts them', () => {
    expect(cond('exists (x=1 /\\ y=0)')).toBe('exists ([x]=1 /\\ [y]=0)');
    expect(cond('exists (x!=1)')).toBe('exists (not ([x]=1))');
    expect(cond('~exists (x=1 \\/ y=1 /\\ x=0)')).toBe('~exists ([x]=1 \\/ [y]=1 /\\ [x]=0)');
    expect(cond('exists ((x=1 \\/ y=1) /\\ x=0)')).toBe('exists (([x]=1 \\/ [y]=1) /\\ [x]=0)');
    expect(cond('forall (x=1 => y=0)')).toBe('forall ([x]=1 => [y]=0)');
    expect(cond('exists (~(x=1 /\\ y=1))')).toBe('exists (not ([x]=1 /\\ [y]=1))');
  });
  it('a test without a condition is forall (true)', () => {
    const p = compileOrThrow('n.mw', 'test n\nshared x = 0;\nthread P0 { store.sc(x, 1); }\n');
    expect(herdConditionText(p, null)).toBe('forall (true)');
  });
});

const SB_MW = `test SBf
shared x = 0;
shared y = 0;
thread P0 { store.plain(x, 1); r0 = load.plain(y); }
thread P1 { store.plain(y, 1); r0 = load.plain(x); }
~exists (P0:r0 = 0 /\\ P1:r0 = 0)
`;

describe('renderHerd', () => {
  it('~exists: Positive/Negative are the executions where it holds / fails (herd), the Observation line is unswapped', () => {
    const p = compileOrThrow('sbf.mw', SB_MW);
    const r = check(p, { model: 'tso', engine: 'graph' });
    // memweave's own counts: the proposition holds in 1 execution of 4
    expect([r.condition?.positive, r.condition?.negative]).toEqual([1, 3]);
    const block = withoutTime(renderHerd(r, p, { arch: null, hash: null }));
    expect(block).toBe(
      [
        'Test SBf Forbidden',
        'States 4',
        '0:r0=0; 1:r0=0;',
        '0:r0=0; 1:r0=1;',
        '0:r0=1; 1:r0=0;',
        '0:r0=1; 1:r0=1;',
        'No',
        'Witnesses',
        'Positive: 3 Negative: 1',
        'Condition ~exists (0:r0=0 /\\ 1:r0=0)',
        'Observation SBf Sometimes 1 3',
        '',
        '',
      ].join('\n'),
    );
  });

  it('no condition: Required, every execution positive, Always; Hash= when given', () => {
    const p = compileOrThrow('n.mw', 'test n\nshared x = 0;\nthread P0 { store.sc(x, 1); }\nthread P1 { store.sc(x, 2); }\n');
    const r = check(p, { model: 'sc', engine: 'graph' });
    const block = renderHerd(r, p, { arch: null, hash: '0123' });
    expect(block).toMatch(/^Test n Required\n/);
    expect(block).toContain('\nOk\nWitnesses\nPositive: 2 Negative: 0\nCondition forall (true)\nObservation n Always 2 0\nTime n 0.00\nHash=0123\n\n');
  });

  it('a data race is herd\u2019s Undef, with Flag *undef* after the witnesses', () => {
    const p = compileOrThrow('race.litmus', 'C race\n{ x = 0; }\nP0 (int* x) { *x = 1; }\nP1 (int* x) { int r0 = *x; }\nexists (1:r0=1)\n');
    const r = check(p, { model: 'rc11' });
    expect(r.violations.some((v) => v.kind === 'race')).toBe(true);
    expect(renderHerd(r, p, { arch: 'C', hash: null })).toContain('\nUndef\nWitnesses\nPositive: 1 Negative: 1\nFlag *undef*\nCondition exists (1:r0=1)\n');
  });

  it('a loop bound cut the search: herd\u2019s Loop prefix', () => {
    const p = compileOrThrow('u.mw', 'test u\nshared x = 0;\nthread T { k = 0; while (k < 100) { k = k + 1; store.sc(x, k); } }\nexists (x = 100)\n');
    const r = check(p, { model: 'rc11', unroll: 4 });
    expect(r.budgetExhausted).toBe('unroll');
    expect(renderHerd(r, p, { arch: null, hash: null })).toMatch(/\nLoop No\n/);
  });
});

describe('check --format herd', () => {
  it('runs on the graph engine, so witnesses count executions: SB observing one register has 2 states, 4 executions', async () => {
    const src = 'X86 SB1\n{ x=0; y=0; }\n P0          | P1          ;\n MOV [x],$1  | MOV [y],$1  ;\n MOV EAX,[y] | MOV EAX,[x] ;\nexists (0:EAX=0)\n';
    const { code, out, err } = await run({ 'sb1.litmus': src }, ['sb1.litmus', '--model', 'tso', '--format', 'herd']);
    expect(code).toBe(0);
    expect(err).toBe('');
    // (the Hash is memweave's herdHash of this text, pinned; herdHash.test.ts checks it against herd's)
    expect(withoutTime(out)).toBe('Test SB1 Allowed\nStates 2\n0:EAX=0;\n0:EAX=1;\nOk\nWitnesses\nPositive: 2 Negative: 2\nCondition exists (0:EAX=0)\nObservation SB1 Sometimes 2 2\nHash=ba231647cc4cf6439656d7c8e5c0737e\n\n');
    // the state engine counts final states instead (here one per state: P1's EAX is dead at the end)
    const state = await run({ 'sb1.litmus': src }, ['sb1.litmus', '--model', 'tso', '--engine', 'state', '--format', 'herd']);
    expect(state.out).toContain('\nPositive: 1 Negative: 1\n');
  });

  it('under the state engine it says on stderr that the counts are final states', async () => {
    const { code, out, err } = await run({ 'sbf.mw': SB_MW }, ['sbf.mw', '--model', 'pso', '--format', 'herd']);
    expect(code).toBe(1); // ~exists fails under pso
    expect(out).toMatch(/^Test SBf Forbidden\n/);
    expect(err).toContain('pso: the state engine answered: Positive/Negative count final states, herd counts executions');
  });

  it('a partial search prints no herd block: a line on stderr and exit 3', async () => {
    const { code, out, err } = await run({ 'sbf.mw': SB_MW }, ['sbf.mw', '--model', 'sc', '--engine', 'state', '--max-states', '2', '--format', 'herd']);
    expect(code).toBe(3);
    expect(out).toBe('');
    expect(err).toContain('sbf.mw: sc: no herd output:');
  });

  it('a race under js is no Undef: ECMAScript defines racy reads (only not SC)', async () => {
    const racy = 'test jr\nshared x = 0;\nthread P0 { store.plain(x, 1); }\nthread P1 { r0 = load.plain(x); }\nexists (P1:r0 = 1)\n';
    const js = await run({ 'jr.mw': racy }, ['jr.mw', '--model', 'js', '--format', 'herd']);
    expect(js.out).toMatch(/\nOk\nWitnesses\nPositive: 1 Negative: 1\nCondition/);
    const rc11 = await run({ 'jr.mw': racy }, ['jr.mw', '--model', 'rc11', '--format', 'herd']);
    expect(rc11.out).toMatch(/\nUndef\nWitnesses\nPositive: 1 Negative: 1\nFlag \*undef\*\nCondition/);
  });

  it('falls back to the state engine when the graph engine cannot check the program; no block when nothing can', async () => {
    // notify in 14 threads: beyond the graph engine's wait/notify (at most 13 threads)
    const many = 'test many\nshared w = 0;\nthread T[i in 0..14] { n = notify(w); }\nforall (w = 0)\n';
    const sc = await run({ 'many.mw': many }, ['many.mw', '--model', 'sc', '--format', 'herd']);
    expect(sc.code).toBe(0);
    expect(sc.out).toMatch(/^Test many Required\nStates 1\n\[w\]=0;\nOk\n/);
    expect(sc.err).toContain('sc: the state engine answered');
    const rc11 = await run({ 'many.mw': many }, ['many.mw', '--model', 'rc11', '--format', 'herd']);
    expect(rc11.code).toBe(3);
    expect(rc11.out).toBe('');
    expect(rc11.err).toContain('rc11: no herd output: not checked: notify at many.mw:3');
  });

  it('bad input: the coded diagnostic with its position on stderr, no block, exit 2', async () => {
    const { code, out, err } = await run({ 'bad.litmus': 'X86 bad\n{ x=0; }\n P0 ;\n FROB [x] ;\nexists (x=1)\n' }, ['bad.litmus', '--format', 'herd']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/error\[H\d{3}\]/);
    expect(err).toContain('bad.litmus:4:');
  });

  it('one block per model and file; --herd-hexa needs --format herd', async () => {
    const { out } = await run({ 'sbf.mw': SB_MW }, ['sbf.mw', 'sbf.mw', '--model', 'sc,tso', '--format', 'herd', '--herd-hexa']);
    expect(out.match(/^Test SBf Forbidden$/gm)?.length).toBe(4);
    expect(out).toContain('0:r0=0x0; 1:r0=0x1;');
    const bad = await run({ 'sbf.mw': SB_MW }, ['sbf.mw', '--herd-hexa']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--herd-hexa goes with --format herd');
  });
});
