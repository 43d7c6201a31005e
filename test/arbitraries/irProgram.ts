/**
 * fast-check arbitraries of small, loop-free IR programs for differential and law tests, and the
 * plain builder they (and hand-written tests) use to turn a compact description into a valid
 * IrProgram. Generated programs have 2–3 threads, 1–3 scalar locations (sometimes a 2-word array
 * indexed by constants), a few instructions per thread (loads, stores, RMWs, fences, register
 * assignments, forward branches and jumps; asserts, assumes and division only on request), no
 * condition or filter, and every register and memory word as an observable.
 *
 * Not generated: wait and notify unless asked (`allowWaitNotify`), await, block, critical regions, backward jumps (loops).
 */
import fc from 'fast-check';
import type { BinaryOp, IrExpr, IrInstr, IrLocation, IrObservable, IrProgram, Mode, RmwOp } from '../../model/ir.js';
import { MODES, RMW_OPS } from '../../model/syntax/ast.js';

/** An IrInstr without its origin (the builder writes the origin). */
export type BareInstr = IrInstr extends infer I ? (I extends IrInstr ? Omit<I, 'origin'> : never) : never;

/** A compact program description for `buildIrProgram`. */
export interface ProgramSpec {
  readonly name?: string;
  readonly locations: readonly { readonly name: string; readonly size?: number; readonly isArray?: boolean; readonly init?: readonly number[] }[];
  readonly threads: readonly { readonly registers: number; readonly code: readonly BareInstr[] }[];
}

/** Modes each instruction kind accepts (language spec, "Mode rules"). */
export const MODES_BY_KIND = {
  load: ['plain', 'sc', 'acq', 'rlx'],
  store: ['plain', 'sc', 'rel', 'rlx'],
  rmw: ['sc', 'acq', 'rel', 'acq_rel', 'rlx'],
  fence: ['sc', 'acq', 'rel', 'acq_rel'],
} as const satisfies Record<string, readonly Mode[]>;

const SPAN = { start: 0, end: 0, line: 1, col: 1 } as const;

/** Options for arbIrProgram. */
export interface ArbIrOptions {
  /** at most this many threads (at least 2); default 3 */
  readonly maxThreads?: number;
  /** at most this many instructions per thread (at least 1); default 4 */
  readonly maxInstrs?: number;
  /** access modes to draw from (each kind keeps only the modes it accepts); default all */
  readonly modes?: readonly Mode[];
  /** generate RMWs; default true */
  readonly allowRmw?: boolean;
  /** generate fences; default true */
  readonly allowFences?: boolean;
  /** generate forward branches and jumps; default true */
  readonly allowBranches?: boolean;
  /** generate assert and assume on register values; default false */
  readonly allowAsserts?: boolean;
  /** generate register division and remainder (possible division by zero); default false */
  readonly allowDivision?: boolean;
  /** generate Atomics.wait (with and without a timeout) and notify (all, or a count of 0–2); default false */
  readonly allowWaitNotify?: boolean;
}

/** The seed of fast-check properties: env MEMWEAVE_SEED if set, else the given default. */
export function seedFromEnv(defaultSeed: number): number {
  const raw = process.env['MEMWEAVE_SEED'];
  if (raw === undefined || raw === '') return defaultSeed;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`MEMWEAVE_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return n | 0;
}

/** fc.assert with a pinned seed; on failure, says which seed reproduces it (MEMWEAVE_SEED). */
export function assertSeeded<T>(prop: fc.IProperty<T>, seed: number, numRuns: number): void {
  try {
    fc.assert(prop, { seed, numRuns });
  } catch (e) {
    console.error(`property failed with seed ${seed} (rerun with MEMWEAVE_SEED=${seed})`);
    throw e;
  }
}

/** Source-like text of an expression, for origins. */
export function exprText(e: IrExpr, regNames: readonly string[]): string {
  switch (e.kind) {
    case 'const': return String(e.value);
    case 'reg': return regNames[e.reg] ?? `r?${e.reg}`;
    case 'unary': return `${e.op}${exprText(e.operand, regNames)}`;
    case 'binary': return `(${exprText(e.left, regNames)} ${e.op} ${exprText(e.right, regNames)})`;
  }
}

/** Source-like text of an instruction, e.g. "r0 = load.plain(x)". */
export function instrText(i: BareInstr, locs: readonly IrLocation[], regNames: readonly string[]): string {
  const x = (e: IrExpr): string => exprText(e, regNames);
  const addr = (a: { loc: number; index: IrExpr }): string => {
    const l = locs[a.loc];
    if (l === undefined) return `loc?${a.loc}`;
    return l.isArray ? `${l.name}[${x(a.index)}]` : l.name;
  };
  const dst = (d: number): string => (d < 0 ? '' : `${regNames[d] ?? `r?${d}`} = `);
  switch (i.kind) {
    case 'load': return `${dst(i.dst)}load.${i.mode}(${addr(i.addr)})`;
    case 'store': return `store.${i.mode}(${addr(i.addr)}, ${x(i.value)})`;
    case 'rmw': return `${dst(i.dst)}${i.op}.${i.mode}(${addr(i.addr)}, ${i.expected === null ? '' : `${x(i.expected)}, `}${x(i.value)})`;
    case 'fence': return `fence.${i.mode}()`;
    case 'wait': return `${dst(i.dst)}wait(${addr(i.addr)}, ${x(i.expected)}${i.timeout === null ? '' : `, ${x(i.timeout)}`})`;
    case 'notify': return `${dst(i.dst)}notify(${addr(i.addr)}${i.count === null ? '' : `, ${x(i.count)}`})`;
    case 'await': return `await (${dst(i.dst)}load.${i.mode}(${addr(i.addr)}); ${x(i.cond)})`;
    case 'block': return `await (${x(i.cond)})`;
    case 'assign': return `${dst(i.dst)}${x(i.value)}`;
    case 'branch': return `if ${x(i.cond)} goto ${i.target}`;
    case 'jump': return `goto ${i.target}`;
    case 'assert': return `assert(${x(i.cond)})`;
    case 'assume': return `assume(${x(i.cond)})`;
    case 'enter': return `enter ${i.region}`;
    case 'exit': return `exit ${i.region}`;
    case 'skip': return 'skip';
  }
}

/** Build a valid IrProgram: threads P0, P1, … with registers r0, r1, …; observables = every register, then every memory word. */
export function buildIrProgram(spec: ProgramSpec): IrProgram {
  let base = 0;
  const locations: IrLocation[] = spec.locations.map((l) => {
    const size = l.size ?? 1;
    const loc: IrLocation = { name: l.name, base, size, isArray: l.isArray ?? size > 1, init: l.init ?? new Array<number>(size).fill(0), span: SPAN };
    base += size;
    return loc;
  });
  const threads = spec.threads.map((t, ti) => {
    const registers = Array.from({ length: t.registers }, (_, r) => `r${r}`);
    const code = t.code.map((i) => ({ ...i, origin: { span: SPAN, text: instrText(i, locations, registers) } }) as IrInstr);
    return { name: `P${ti}`, template: null, registers, code, span: SPAN };
  });
  const observables: { name: string; what: IrObservable }[] = [];
  threads.forEach((t, ti) => t.registers.forEach((r, ri) => observables.push({ name: `${t.name}:${r}`, what: { kind: 'reg', thread: ti, reg: ri } })));
  for (const l of locations) {
    for (let k = 0; k < l.size; k++) observables.push({ name: l.isArray ? `${l.name}[${k}]` : l.name, what: { kind: 'mem', slot: l.base + k } });
  }
  return {
    name: spec.name ?? 'generated',
    description: null,
    file: 'generated.mw',
    params: {},
    locations,
    memorySize: base,
    threads,
    regions: [],
    condition: null,
    filter: null,
    observables,
    metadata: [],
  };
}

/** A readable listing of a program (locations, then each thread's instructions by pc), for failure messages. */
export function describeProgram(p: IrProgram): string {
  const lines = [`locations: ${p.locations.map((l) => `${l.name}${l.isArray ? `[${l.size}]` : ''} = ${l.init.join(',')}`).join('; ')}`];
  for (const t of p.threads) {
    lines.push(`thread ${t.name} (${t.registers.join(', ') || 'no registers'}):`);
    t.code.forEach((i, pc) => lines.push(`  ${pc}: ${i.origin.text}`));
  }
  lines.push(`observables: ${p.observables.map((o) => o.name).join(' ')}`);
  return lines.join('\n');
}

/** A generated instruction before branch targets are resolved (a branch/jump skips `skip` instructions forward). */
type Proto = { readonly kind: 'instr'; readonly instr: BareInstr } | { readonly kind: 'branch'; readonly cond: IrExpr | null; readonly skip: number };

const SCALAR_NAMES = ['x', 'y', 'z'] as const;

/** Small, loop-free IR programs (see the module comment). */
export function arbIrProgram(opts: ArbIrOptions = {}): fc.Arbitrary<IrProgram> {
  const maxThreads = Math.max(2, opts.maxThreads ?? 3);
  const maxInstrs = Math.max(1, opts.maxInstrs ?? 4);
  const modes = opts.modes ?? MODES;
  const pick = (ms: readonly Mode[]): Mode[] => ms.filter((m) => modes.includes(m));
  const loadModes = pick(MODES_BY_KIND.load);
  const storeModes = pick(MODES_BY_KIND.store);
  const rmwModes = opts.allowRmw === false ? [] : pick(MODES_BY_KIND.rmw);
  const fenceModes = opts.allowFences === false ? [] : pick(MODES_BY_KIND.fence);

  const shape = fc.record({
    nThreads: fc.integer({ min: 2, max: maxThreads }),
    // mostly two locations: the classic shapes (SB, MP, 2+2W) need two
    nScalars: fc.constantFrom(1, 2, 2, 2, 3),
    // about one program in four gets a 2-word array
    hasArray: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
    // mostly zero-initialised
    inits: fc.array(fc.constantFrom(0, 0, 0, 1), { minLength: 5, maxLength: 5 }),
    regCounts: fc.array(fc.constantFrom(1, 2, 2, 3), { minLength: maxThreads, maxLength: maxThreads }),
    // per thread: move its stores ahead of its other instructions (stable), which makes the
    // store-then-load and store-then-store shapes where TSO and PSO differ from SC common
    storesFirst: fc.array(fc.boolean(), { minLength: maxThreads, maxLength: maxThreads }),
  });

  return shape.chain((sh) => {
    const locSpecs: { name: string; size: number; isArray: boolean; init: number[] }[] = [];
    for (let k = 0; k < sh.nScalars; k++) locSpecs.push({ name: SCALAR_NAMES[k] ?? `v${k}`, size: 1, isArray: false, init: [sh.inits[k] ?? 0] });
    if (sh.hasArray) locSpecs.push({ name: 'a', size: 2, isArray: true, init: [sh.inits[3] ?? 0, sh.inits[4] ?? 0] });
    const addrs: { loc: number; index: IrExpr }[] = [];
    locSpecs.forEach((l, li) => {
      for (let k = 0; k < l.size; k++) addrs.push({ loc: li, index: { kind: 'const', value: k } });
    });
    const threadArbs = Array.from({ length: sh.nThreads }, (_, t) => {
      const nRegs = sh.regCounts[t] ?? 1;
      return fc
        .array(arbProto(nRegs, addrs, loadModes, storeModes, rmwModes, fenceModes, opts), { minLength: Math.min(2, maxInstrs), maxLength: maxInstrs, size: 'max' })
        .map((protos) => ({ registers: nRegs, code: resolve(sh.storesFirst[t] === true ? storesFirst(protos) : protos) }));
    });
    return fc.tuple(...threadArbs).map((threads) => buildIrProgram({ locations: locSpecs, threads }));
  });
}

/** Programs whose every access, RMW and fence is sc (the JS model must agree with SC on them). */
export function arbScOnlyProgram(opts: Omit<ArbIrOptions, 'modes'> = {}): fc.Arbitrary<IrProgram> {
  return arbIrProgram({ ...opts, modes: ['sc'] });
}

/** The same instructions with the stores first (stable: relative order otherwise kept). */
function storesFirst(protos: readonly Proto[]): Proto[] {
  const isStore = (p: Proto): boolean => p.kind === 'instr' && p.instr.kind === 'store';
  return [...protos.filter(isStore), ...protos.filter((p) => !isStore(p))];
}

/** Turn relative forward skips into absolute targets (clamped to the end of the code). */
function resolve(protos: readonly Proto[]): BareInstr[] {
  const n = protos.length;
  return protos.map((p, i): BareInstr => {
    if (p.kind === 'instr') return p.instr;
    const target = Math.min(n, i + 1 + p.skip);
    return p.cond === null ? { kind: 'jump', target } : { kind: 'branch', cond: p.cond, target };
  });
}

function arbProto(
  nRegs: number,
  addrs: readonly { loc: number; index: IrExpr }[],
  loadModes: readonly Mode[],
  storeModes: readonly Mode[],
  rmwModes: readonly Mode[],
  fenceModes: readonly Mode[],
  opts: ArbIrOptions,
): fc.Arbitrary<Proto> {
  const reg = fc.integer({ min: 0, max: nRegs - 1 });
  const dst = fc.integer({ min: -1, max: nRegs - 1 }).map((d) => (d < 0 ? -1 : d));
  const konst = (min: number, max: number): fc.Arbitrary<IrExpr> => fc.integer({ min, max }).map((value) => ({ kind: 'const', value }));
  const regE: fc.Arbitrary<IrExpr> = reg.map((r) => ({ kind: 'reg', reg: r }));
  const value = fc.oneof({ arbitrary: konst(1, 3), weight: 3 }, { arbitrary: regE, weight: 1 });
  const addr = fc.constantFrom(...addrs);
  const bin = (ops: readonly BinaryOp[], l: fc.Arbitrary<IrExpr>, r: fc.Arbitrary<IrExpr>): fc.Arbitrary<IrExpr> =>
    fc.tuple(fc.constantFrom(...ops), l, r).map(([op, left, right]) => ({ kind: 'binary', op, left, right }));
  const cond: fc.Arbitrary<IrExpr> = fc.oneof(regE, bin(['==', '!='], regE, konst(0, 2)));
  const instr = (a: fc.Arbitrary<BareInstr>): fc.Arbitrary<Proto> => a.map((i) => ({ kind: 'instr', instr: i }));

  const arbs: { arbitrary: fc.Arbitrary<Proto>; weight: number }[] = [];
  if (loadModes.length > 0) {
    arbs.push({
      weight: 8,
      arbitrary: instr(fc.record({ dst: reg, addr, mode: fc.constantFrom(...loadModes) }).map((r): BareInstr => ({ kind: 'load', ...r }))),
    });
  }
  if (storeModes.length > 0) {
    arbs.push({
      weight: 8,
      arbitrary: instr(fc.record({ addr, value, mode: fc.constantFrom(...storeModes) }).map((r): BareInstr => ({ kind: 'store', ...r }))),
    });
  }
  if (rmwModes.length > 0) {
    arbs.push({
      weight: 2,
      arbitrary: instr(
        fc.record({ op: fc.constantFrom<RmwOp>(...RMW_OPS), dst, addr, expected: value, value, mode: fc.constantFrom(...rmwModes) }).map(
          (r): BareInstr => ({ kind: 'rmw', op: r.op, dst: r.dst, addr: r.addr, expected: r.op === 'cmpxchg' ? r.expected : null, value: r.value, mode: r.mode }),
        ),
      ),
    });
  }
  if (fenceModes.length > 0) {
    arbs.push({ weight: 1, arbitrary: instr(fc.constantFrom(...fenceModes).map((mode): BareInstr => ({ kind: 'fence', mode }))) });
  }
  const assignValue: fc.Arbitrary<IrExpr> = fc.oneof(
    konst(0, 3),
    bin(['+', '-', '^', '&', '|', '==', '!=', '<'], regE, fc.oneof(konst(0, 2), regE)),
    ...(opts.allowDivision === true ? [bin(['/', '%'], fc.oneof(konst(1, 4), regE), regE)] : []),
  );
  arbs.push({ weight: 1, arbitrary: instr(fc.record({ dst: reg, value: assignValue }).map((r): BareInstr => ({ kind: 'assign', ...r }))) });
  if (opts.allowBranches !== false) {
    arbs.push({ weight: 2, arbitrary: fc.record({ cond, skip: fc.integer({ min: 0, max: 3 }) }).map((r): Proto => ({ kind: 'branch', ...r })) });
    arbs.push({ weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }).map((skip): Proto => ({ kind: 'branch', cond: null, skip })) });
  }
  if (opts.allowWaitNotify === true) {
    const timeout = fc.oneof({ arbitrary: fc.constant<IrExpr | null>(null), weight: 3 }, { arbitrary: konst(0, 1), weight: 1 });
    const count = fc.oneof({ arbitrary: fc.constant<IrExpr | null>(null), weight: 2 }, { arbitrary: konst(0, 2), weight: 1 });
    arbs.push({ weight: 3, arbitrary: instr(fc.record({ dst, addr, expected: fc.oneof(konst(0, 1), regE), timeout }).map((r): BareInstr => ({ kind: 'wait', ...r }))) });
    arbs.push({ weight: 3, arbitrary: instr(fc.record({ dst, addr, count }).map((r): BareInstr => ({ kind: 'notify', ...r }))) });
  }
  if (opts.allowAsserts === true) {
    arbs.push({ weight: 2, arbitrary: instr(cond.map((c): BareInstr => ({ kind: 'assert', cond: c, message: 'generated' }))) });
    arbs.push({ weight: 1, arbitrary: instr(cond.map((c): BareInstr => ({ kind: 'assume', cond: c }))) });
  }
  return fc.oneof(...arbs);
}
