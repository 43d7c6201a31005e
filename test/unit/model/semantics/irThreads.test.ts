/**
 * IR threads as an event source (model/semantics/irThreads.ts): a thread runs its local
 * instructions alone and stops at each memory operation; read values come from the caller;
 * a failed spin iteration blocks ('spin'); other loops stop at the unroll bound ('bound').
 */
import { describe, expect, it } from 'vitest';
import { IrThreadRunner, rmwWrite } from '../../../../model/semantics/irThreads.js';
import type { ThreadOp } from '../../../../model/semantics/irThreads.js';
import { liveRegisters } from '../../../../checker/deadRegisters.js';
import { compileOrThrow } from '../../../support/programs.js';

function runner(src: string, unroll = 8): IrThreadRunner {
  const p = compileOrThrow('t.mw', src);
  return new IrThreadRunner(p, 0, { live: liveRegisters(p)[0] ?? [], unroll });
}

/** Feed `values` to the reads in turn; the operations the thread asked for, and where it ended. */
function drive(r: IrThreadRunner, values: number[]): { ops: string[]; end: ThreadOp } {
  const ops: string[] = [];
  for (let guard = 0; guard < 1000; guard++) {
    const op = r.next();
    switch (op.kind) {
      case 'read':
      case 'rmw':
        ops.push(`${op.kind} ${op.slot}`);
        r.resume(values.shift() ?? 0);
        break;
      case 'write':
        ops.push(`write ${op.slot}=${op.value}`);
        r.resume(0);
        break;
      case 'fence':
      case 'enter':
      case 'exit':
        ops.push(op.kind);
        r.resume(0);
        break;
      default:
        return { ops, end: op };
    }
  }
  throw new Error('the thread did not stop');
}

describe('IrThreadRunner', () => {
  it('stops at each memory operation; the values it is given flow into registers and stores', () => {
    const r = runner('test t shared x = 0; shared y = 0; thread P { a = load.sc(x); store.sc(y, a + 1); } forall (y = 1)');
    const { ops, end } = drive(r, [41]);
    expect(ops).toEqual(['read 0', 'write 1=42']);
    expect(end.kind).toBe('done');
    expect([...r.registers()]).toEqual([41]);
  });

  it('a spin loop blocks after one failed iteration (the loop register is dead at its head)', () => {
    const r = runner('test t shared f = 0; thread P { while (load.acq(f) == 0) { } } forall (f = 0)');
    const { ops, end } = drive(r, [0, 0, 0]);
    expect(ops).toEqual(['read 0']);
    expect(end).toMatchObject({ kind: 'blocked', reason: 'spin', reads: 1 });
  });

  it('a spin loop left by the value read finishes', () => {
    const r = runner('test t shared f = 0; thread P { while (load.acq(f) == 0) { } } forall (f = 0)');
    expect(drive(r, [1]).end.kind).toBe('done');
  });

  it('a loop whose registers change is no spin: it stops at the unroll bound', () => {
    const r = runner('test t shared x = 0; thread P { for i in 0..20 { a = load.rlx(x); } } forall (x = 0)', 5);
    const { ops, end } = drive(r, []);
    expect(ops.length).toBe(6); // the first pass and 5 iterations
    expect(end).toMatchObject({ kind: 'blocked', reason: 'bound' });
  });

  it('the bound counts afresh each time the loop is entered from outside', () => {
    const src = 'test t shared x = 0; thread P { for i in 0..3 { for j in 0..3 { a = load.rlx(x); } } } forall (x = 0)';
    const { ops, end } = drive(runner(src, 3), []);
    expect(end.kind).toBe('done');
    expect(ops.length).toBe(9);
  });

  it('a failed cmpxchg writes nothing; assume and assert stop the thread', () => {
    const op = { kind: 'rmw', slot: 0, op: 'cmpxchg', operand: 5, expected: 1, mode: 'sc', origin: { span: { start: 0, end: 0, line: 1, col: 1 }, text: '' } } as const;
    expect(rmwWrite(op, 0)).toBeNull();
    expect(rmwWrite(op, 1)).toBe(5);
    expect(drive(runner('test t shared x = 0; thread P { a = load.sc(x); assume (a == 1); } forall (x = 0)'), [0]).end).toMatchObject({ kind: 'blocked', reason: 'assume' });
    expect(drive(runner('test t shared x = 0; thread P { a = load.sc(x); assert (a == 1, "no"); } forall (x = 0)'), [0]).end).toMatchObject({ kind: 'error', error: 'assert', message: 'no' });
  });

  it('reset re-executes from the start (the explorer replays threads after a revisit)', () => {
    const r = runner('test t shared x = 0; shared y = 0; thread P { a = load.sc(x); store.sc(y, a); } forall (y = 0)');
    expect(drive(r, [3]).ops).toEqual(['read 0', 'write 1=3']);
    r.reset();
    expect(drive(r, [7]).ops).toEqual(['read 0', 'write 1=7']);
  });
});
