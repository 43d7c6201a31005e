/**
 * A tiny builder for IR programs, for tests of the semantics and the checker that must not depend
 * on the parser. Registers are named by string and numbered in order of first use; each
 * instruction gets its own source line (1, 2, 3, … across the program) and a readable origin text.
 *
 *   const p = buildProgram('SB', { x: 0, y: 0 }, [
 *     thread('P0', (b) => { b.store('x', 1); b.load('r0', 'y'); }),
 *     thread('P1', (b) => { b.store('y', 1); b.load('r0', 'x'); }),
 *   ]);
 */
import type { BinaryOp, IrAddr, IrExpr, IrInstr, IrLocation, IrProgram, IrThread, Mode, RmwOp, UnaryOp } from '../../model/ir.js';

/** An expression: a number is a constant, a string a register, or an IrExpr. */
export type E = number | string | IrExpr;
/** A location: 'x', or [name, index] for an array element. */
export type LocArg = string | readonly [string, E];

/** Binary expression helper. */
export function bin(op: BinaryOp, left: E, right: E): { readonly op: BinaryOp; readonly left: E; readonly right: E; readonly kind: 'bin' } {
  return { kind: 'bin', op, left, right };
}
/** Unary expression helper. */
export function un(op: UnaryOp, operand: E): { readonly kind: 'un'; readonly op: UnaryOp; readonly operand: E } {
  return { kind: 'un', op, operand };
}
type Ex = E | ReturnType<typeof bin> | ReturnType<typeof un>;

/** Instructions to add to one thread; labels resolve at the end. */
export interface ThreadBuilder {
  load(dst: string | null, loc: LocArg, mode?: Mode): void;
  store(loc: LocArg, value: Ex, mode?: Mode): void;
  rmw(op: RmwOp, dst: string | null, loc: LocArg, value: Ex, mode?: Mode, expected?: Ex): void;
  fence(mode?: Mode): void;
  wait(dst: string | null, loc: LocArg, expected: Ex, timeout?: Ex | null): void;
  notify(dst: string | null, loc: LocArg, count?: Ex | null): void;
  await(dst: string, loc: LocArg, cond: Ex, mode?: Mode): void;
  block(cond: Ex): void;
  assign(dst: string, value: Ex): void;
  branch(cond: Ex, label: string): void;
  jump(label: string): void;
  label(name: string): void;
  assert(cond: Ex, message?: string): void;
  assume(cond: Ex): void;
  enter(region?: number): void;
  exit(region?: number): void;
  skip(): void;
  /** declare a register without using it (so it is observable) */
  reg(name: string): number;
}

/** A thread definition for buildProgram. */
export interface ThreadDef {
  readonly name: string;
  readonly body: (b: ThreadBuilder) => void;
}

/** Define a thread. */
export function thread(name: string, body: (b: ThreadBuilder) => void): ThreadDef {
  return { name, body };
}

/** Options of buildProgram. */
export interface BuildOptions {
  readonly regions?: readonly string[];
  readonly file?: string;
}

/**
 * Build a program. `shared` maps each location to its initial value (a number: a scalar; an
 * array of numbers: an array). Observables: every non-$ register of every thread, then every word.
 */
export function buildProgram(name: string, shared: Readonly<Record<string, number | readonly number[]>>, threads: readonly ThreadDef[], options: BuildOptions = {}): IrProgram {
  const file = options.file ?? `${name}.mw`;
  const locations: IrLocation[] = [];
  let base = 0;
  let line = 1;
  const span = () => {
    const l = line++;
    return { start: 0, end: 0, line: l, col: 1 };
  };
  for (const [locName, init] of Object.entries(shared)) {
    const values = typeof init === 'number' ? [init] : [...init];
    locations.push({ name: locName, base, size: values.length, isArray: typeof init !== 'number', init: values, span: span() });
    base += values.length;
  }
  const locIndex = (n: string): number => {
    const i = locations.findIndex((l) => l.name === n);
    if (i < 0) throw new Error(`irBuilders: unknown location ${n}`);
    return i;
  };

  const irThreads: IrThread[] = threads.map((def) => {
    const threadSpan = span(); // the thread header comes first, then one line per instruction
    const registers: string[] = [];
    const reg = (r: string): number => {
      let i = registers.indexOf(r);
      if (i < 0) {
        i = registers.length;
        registers.push(r);
      }
      return i;
    };
    const expr = (e: Ex): IrExpr => {
      if (typeof e === 'number') return { kind: 'const', value: e | 0 };
      if (typeof e === 'string') return { kind: 'reg', reg: reg(e) };
      if (e.kind === 'bin') return { kind: 'binary', op: e.op, left: expr(e.left), right: expr(e.right) };
      if (e.kind === 'un') return { kind: 'unary', op: e.op, operand: expr(e.operand) };
      return e;
    };
    const show = (e: Ex): string => {
      if (typeof e === 'number') return String(e);
      if (typeof e === 'string') return e;
      if (e.kind === 'bin') return `(${show(e.left)} ${e.op} ${show(e.right)})`;
      if (e.kind === 'un') return `${e.op}${show(e.operand)}`;
      return '<expr>';
    };
    const addr = (l: LocArg): IrAddr => (typeof l === 'string' ? { loc: locIndex(l), index: { kind: 'const', value: 0 } } : { loc: locIndex(l[0]), index: expr(l[1]) });
    const showLoc = (l: LocArg): string => (typeof l === 'string' ? l : `${l[0]}[${show(l[1])}]`);
    const dstOf = (d: string | null): number => (d === null ? -1 : reg(d));
    const lhs = (d: string | null): string => (d === null ? '' : `${d} = `);

    const code: (IrInstr | { readonly kind: 'pending'; readonly label: string; readonly make: (target: number) => IrInstr })[] = [];
    const labels = new Map<string, number>();
    const origin = (text: string) => ({ span: span(), text });
    const b: ThreadBuilder = {
      load: (dst, loc, mode = 'plain') => void code.push({ kind: 'load', dst: dstOf(dst), addr: addr(loc), mode, origin: origin(`${lhs(dst)}load.${mode}(${showLoc(loc)})`) }),
      store: (loc, value, mode = 'plain') => void code.push({ kind: 'store', addr: addr(loc), value: expr(value), mode, origin: origin(`store.${mode}(${showLoc(loc)}, ${show(value)})`) }),
      rmw: (op, dst, loc, value, mode = 'sc', expected) => void code.push({
        kind: 'rmw', op, dst: dstOf(dst), addr: addr(loc), expected: expected === undefined ? null : expr(expected), value: expr(value), mode,
        origin: origin(`${lhs(dst)}${op}.${mode}(${showLoc(loc)}, ${expected === undefined ? '' : `${show(expected)}, `}${show(value)})`),
      }),
      fence: (mode = 'sc') => void code.push({ kind: 'fence', mode, origin: origin(`fence.${mode}()`) }),
      wait: (dst, loc, expected, timeout = null) => void code.push({
        kind: 'wait', dst: dstOf(dst), addr: addr(loc), expected: expr(expected), timeout: timeout === null ? null : expr(timeout),
        origin: origin(`${lhs(dst)}wait(${showLoc(loc)}, ${show(expected)}${timeout === null ? '' : `, ${show(timeout)}`})`),
      }),
      notify: (dst, loc, count = null) => void code.push({
        kind: 'notify', dst: dstOf(dst), addr: addr(loc), count: count === null ? null : expr(count),
        origin: origin(`${lhs(dst)}notify(${showLoc(loc)}${count === null ? '' : `, ${show(count)}`})`),
      }),
      await: (dst, loc, cond, mode = 'sc') => void code.push({ kind: 'await', dst: reg(dst), addr: addr(loc), mode, cond: expr(cond), origin: origin(`await ${dst} = load.${mode}(${showLoc(loc)}) until ${show(cond)}`) }),
      block: (cond) => void code.push({ kind: 'block', cond: expr(cond), origin: origin(`await (${show(cond)})`) }),
      assign: (dst, value) => void code.push({ kind: 'assign', dst: reg(dst), value: expr(value), origin: origin(`${dst} = ${show(value)}`) }),
      branch: (cond, label) => {
        const c = expr(cond);
        const o = origin(`if (${show(cond)}) goto ${label}`);
        code.push({ kind: 'pending', label, make: (target) => ({ kind: 'branch', cond: c, target, origin: o }) });
      },
      jump: (label) => {
        const o = origin(`goto ${label}`);
        code.push({ kind: 'pending', label, make: (target) => ({ kind: 'jump', target, origin: o }) });
      },
      label: (n) => void labels.set(n, code.length),
      assert: (cond, message = 'assertion failed') => void code.push({ kind: 'assert', cond: expr(cond), message, origin: origin(`assert(${show(cond)})`) }),
      assume: (cond) => void code.push({ kind: 'assume', cond: expr(cond), origin: origin(`assume(${show(cond)})`) }),
      enter: (region = 0) => void code.push({ kind: 'enter', region, origin: origin('critical {') }),
      exit: (region = 0) => void code.push({ kind: 'exit', region, origin: origin('}') }),
      skip: () => void code.push({ kind: 'skip', origin: origin('skip') }),
      reg,
    };
    def.body(b);
    const resolved: IrInstr[] = code.map((c) => {
      if (c.kind !== 'pending') return c;
      const target = labels.get(c.label);
      if (target === undefined) throw new Error(`irBuilders: undefined label ${c.label}`);
      return c.make(target);
    });
    return { name: def.name, template: null, registers, code: resolved, span: threadSpan };
  });

  const observables: IrProgram['observables'][number][] = [];
  irThreads.forEach((th, t) => th.registers.forEach((r, reg) => {
    if (!r.startsWith('$')) observables.push({ name: `${th.name}:${r}`, what: { kind: 'reg', thread: t, reg } });
  }));
  for (const loc of locations) {
    for (let i = 0; i < loc.size; i++) observables.push({ name: loc.isArray ? `${loc.name}[${i}]` : loc.name, what: { kind: 'mem', slot: loc.base + i } });
  }
  return {
    name, description: null, file, params: {}, locations, memorySize: base, threads: irThreads,
    regions: options.regions ?? [''], condition: null, filter: null, observables, metadata: [],
  };
}
