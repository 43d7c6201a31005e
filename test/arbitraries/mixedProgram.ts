/**
 * fast-check arbitraries of small mixed-size programs (issue 15), as `.mw` source: 2–3 threads of
 * 1–2 loads, stores and RMWs each, on a word `x` read and written through every view of it (x,
 * x.i16[k], x.i8[k]) and, in about half the programs, a second word `y` (word accesses only),
 * Unordered (`plain`) or SeqCst (`sc`; an RMW is always SeqCst: fetch_add, exchange, or a
 * cmpxchg whose expected value is the view's initial 0, so it may succeed or fail). Store values
 * are chosen so that their bytes tell the writes apart (each view's values have distinct non-zero
 * bytes), so a torn read is visible in the value read; a fetch_add adds 1 to each byte of its view,
 * so what it read is visible in what it leaves. The condition names every register and `x`'s
 * bytes, so they are the outcome's observables.
 *
 * `arbMixedWaitSource` also draws Atomics.wait (with or without a timeout; expected 0) and
 * Atomics.notify on the word x (never on a view: S317); `arbMixedSource` does not, since the
 * brute-force oracle does not model the waiter lists.
 *
 * Not generated: branches and loops.
 */
import fc from 'fast-check';
import { compileSource } from '../../model/frontend.js';
import type { IrProgram } from '../../model/ir.js';

/** The views of x and the values a store through each may write. */
const VIEWS: readonly { readonly text: string; readonly values: readonly number[] }[] = [
  { text: 'x', values: [0x01020304, 0x05060708] },
  { text: 'x.i16[0]', values: [0x0a0b, 0x0c0d] },
  { text: 'x.i16[1]', values: [0x0e0f] },
  { text: 'x.i8[0]', values: [0x11, 0x12] },
  { text: 'x.i8[1]', values: [0x13] },
  { text: 'x.i8[2]', values: [0x14] },
];

/** What an RMW of each view adds (1 in each of its bytes). */
const ADD: readonly number[] = [0x01010101, 0x0101, 0x0101, 0x01, 0x01, 0x01];

type RmwKind = 'fetch_add' | 'exchange' | 'cmpxchg';

interface Access {
  readonly store: boolean;
  /** an RMW instead of a load or store, in about a quarter of the accesses */
  readonly rmw: RmwKind | null;
  /** a wait or notify on x instead (arbMixedWaitSource only) */
  readonly sync?: 'wait' | 'waitT' | 'notify' | null;
  readonly view: number;
  readonly value: number;
  readonly mode: 'plain' | 'sc';
  readonly onY: boolean;
}

const access: fc.Arbitrary<Access> = fc.record({
  store: fc.boolean(),
  rmw: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom<RmwKind>('fetch_add', 'exchange', 'cmpxchg') }),
  view: fc.integer({ min: 0, max: VIEWS.length - 1 }),
  value: fc.integer({ min: 0, max: 1 }),
  mode: fc.constantFrom<'plain' | 'sc'>('plain', 'sc'),
  onY: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
});

/** The source text of a mixed-size program (see the module comment). */
export function mixedSource(threads: readonly (readonly Access[])[], name = 'mixed'): string {
  const regs: string[] = [];
  const body = threads.map((th, t) => {
    const lines = th.map((a, i) => {
      const view = VIEWS[a.view] as (typeof VIEWS)[number];
      const where = a.onY ? 'y' : view.text;
      if (a.sync !== undefined && a.sync !== null) {
        regs.push(`P${t}:r${i}=0`);
        if (a.sync === 'notify') return `  r${i} = notify(x);`;
        return `  r${i} = wait(x, 0${a.sync === 'waitT' ? ', 1' : ''});`;
      }
      if (a.rmw !== null) {
        regs.push(`P${t}:r${i}=0`);
        const v = a.onY ? a.value + 1 : (view.values[a.value % view.values.length] as number);
        if (a.rmw === 'fetch_add') return `  r${i} = fetch_add.sc(${where}, ${a.onY ? 1 : (ADD[a.view] as number)});`;
        if (a.rmw === 'exchange') return `  r${i} = exchange.sc(${where}, ${v});`;
        return `  r${i} = cmpxchg.sc(${where}, 0, ${v});`;
      }
      if (!a.store) {
        regs.push(`P${t}:r${i}=0`);
        return `  r${i} = load.${a.mode}(${where});`;
      }
      const v = a.onY ? a.value + 1 : (view.values[a.value % view.values.length] as number);
      return `  store.${a.mode}(${where}, ${v});`;
    });
    return `thread P${t} {\n${lines.join('\n')}\n}`;
  });
  const observed = [...regs, 'x.i8[0]=0', 'x.i8[1]=0', 'x.i8[2]=0', 'x.i8[3]=0'];
  return `test ${name}\nsource "generated (test/arbitraries/mixedProgram.ts)"\nshared x;\nshared y;\n\n${body.join('\n')}\n\nexists (${observed.join(' \\/ ')})\n`;
}

/**
 * Mixed-size programs as source text, with at least one narrow access. Each program draws its
 * accesses of x from two or three of the views, so that accesses of equal ranges (which Tear
 * Free Reads and synchronizes-with are about) meet often.
 */
export const arbMixedSource: fc.Arbitrary<string> = fc
  .shuffledSubarray([...VIEWS.keys()], { minLength: 2, maxLength: 3 })
  .chain((focus) => fc.array(fc.array(fc.tuple(access, fc.integer({ min: 0, max: focus.length - 1 })).map(([a, k]) => ({ ...a, view: focus[k] as number })), { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 3 }))
  .filter((ths) => ths.some((th) => th.some((a) => !a.onY && a.view > 0)))
  .map((ths) => mixedSource(ths));

/** Mixed-size programs as `arbMixedSource` draws them, where about a fifth of the accesses are a wait or a notify on x. */
export const arbMixedWaitSource: fc.Arbitrary<string> = fc
  .shuffledSubarray([...VIEWS.keys()], { minLength: 2, maxLength: 3 })
  .chain((focus) =>
    fc.array(
      fc.array(
        fc
          .tuple(access, fc.integer({ min: 0, max: focus.length - 1 }), fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom<'wait' | 'waitT' | 'notify'>('wait', 'waitT', 'notify') }))
          .map(([a, k, sync]) => ({ ...a, view: focus[k] as number, sync })),
        { minLength: 1, maxLength: 2 },
      ),
      { minLength: 2, maxLength: 3 },
    ),
  )
  .filter((ths) => ths.some((th) => th.some((a) => !a.onY && a.view > 0 && a.sync === null)) && ths.some((th) => th.some((a) => a.sync !== null)))
  .map((ths) => mixedSource(ths));

/** Compile a generated source (it always compiles: a failure is a bug in the arbitrary). */
export function mixedIr(text: string): IrProgram {
  const r = compileSource('mixed.mw', text);
  if (r.ir === null) throw new Error(`${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')}\n${text}`);
  return r.ir;
}
