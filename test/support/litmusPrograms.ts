/**
 * Classic litmus shapes built with irBuilders, shared by the memory-model tests.
 */
import type { IrProgram, Mode } from '../../model/ir.js';
import { buildProgram, thread } from './irBuilders.js';

/** SB (store buffering): can both loads miss both stores? `between` is inserted between each thread's store and load. */
export function sb(opts: { storeMode?: Mode; loadMode?: Mode; fence?: Mode; rmwStore?: boolean } = {}): IrProgram {
  const side = (mine: string, other: string) => thread(mine === 'x' ? 'P0' : 'P1', (b) => {
    if (opts.rmwStore === true) b.rmw('exchange', null, mine, 1, 'sc');
    else b.store(mine, 1, opts.storeMode ?? 'plain');
    if (opts.fence !== undefined) b.fence(opts.fence);
    b.load('r0', other, opts.loadMode ?? 'plain');
  });
  return buildProgram('SB', { x: 0, y: 0 }, [side('x', 'y'), side('y', 'x')]);
}

/** MP (message passing): P0 writes data x then flag y; P1 reads y then x. Weak outcome: P1:r0=1 P1:r1=0. */
export function mp(opts: { flagStore?: Mode; fence?: Mode; flagLoad?: Mode } = {}): IrProgram {
  return buildProgram('MP', { x: 0, y: 0 }, [
    thread('P0', (b) => {
      b.store('x', 1);
      if (opts.fence !== undefined) b.fence(opts.fence);
      b.store('y', 1, opts.flagStore ?? 'plain');
    }),
    thread('P1', (b) => {
      b.load('r0', 'y', opts.flagLoad ?? 'plain');
      b.load('r1', 'x');
    }),
  ]);
}
