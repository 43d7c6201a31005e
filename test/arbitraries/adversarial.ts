/**
 * fast-check arbitraries of small .mw programs aimed at the weak points of the checker's
 * reductions (checker/symmetry.ts, checker/por.ts with statement merging, checker/deadRegisters.ts),
 * for the soundness audit test/unit/checker/reductionsAudit.test.ts. Each generator leans on
 * what a reduction's soundness argument has to get right:
 *
 * - partial-order reduction: wait/notify with and without timeouts (a notify moves other
 *   threads), awaits and register-only blocks (deadlocks), critical regions entered from loops,
 *   spin loops on memory and on registers (livelocks: ample sets and the cycle proviso), plain
 *   accesses next to atomic ones (js races), long runs of buffered stores with rel/acq_rel fences
 *   and release stores (pso epochs, the buffer bound), RMWs, asserts, assumes, division by a
 *   register and array indices held in registers (run-time errors);
 * - dead-register reset: registers written and then read only by the final condition, by
 *   `locations`, by the filter, by an assert, by a `wait`'s expected value or by an array index;
 * - symmetry: templates whose instances share code but get distinct identities at run time
 *   (a ticket from fetch_add, kept in a register or stored in memory as `owner = me`), templates
 *   using their index (`turn = i`, `a[i]`), conditions and `locations` naming instances or only
 *   memory, and a named thread beside the template.
 *
 * Every generated program compiles (the test asserts it). `oracle` says whether the independent
 * brute-force oracle (test/oracle/bruteForce.ts) can run it: no wait, notify, critical region or
 * filter (the oracle models none of them).
 */
import fc from 'fast-check';

/** A generated program: source text plus what the audit needs to know about it. */
export interface AdversarialProgram {
  readonly text: string;
  /** true when the oracle applies (no wait/notify/critical/filter) */
  readonly oracle: boolean;
}

/** A statement (source text) and whether the oracle models it. */
interface Stmt {
  readonly text: string;
  readonly oracle: boolean;
}

const LOAD_MODES = ['plain', 'sc', 'acq', 'rlx'] as const;
const STORE_MODES = ['plain', 'sc', 'rel', 'rlx'] as const;
const RMW_MODES = ['sc', 'acq', 'rel', 'acq_rel', 'rlx'] as const;
const RMW_OPS = ['exchange', 'fetch_add', 'fetch_sub', 'fetch_or', 'fetch_xor', 'fetch_and'] as const;
const FENCE_MODES = ['sc', 'acq', 'rel', 'acq_rel'] as const;
const VARS = ['x', 'y'] as const;
const VALUES = ['1', '2', 'r', 'r + 1', 's'] as const;

const ok = (text: string): Stmt => ({ text, oracle: true });
/** A statement's text with its labels made unique within the thread (statement number k). */
const labelled = (st: Stmt, k: number): string => st.text.replace(/\bagain\b/g, `again${k}`);
const noOracle = (text: string): Stmt => ({ text, oracle: false });

/** Straight-line statements over x, y, a[2], registers r and s (no loops). */
function straightLine(): fc.Arbitrary<Stmt>[] {
  const v = fc.constantFrom(...VARS);
  return [
    fc.tuple(fc.constantFrom(...LOAD_MODES), v).map(([m, x]) => ok(`r = load.${m}(${x});`)),
    fc.tuple(fc.constantFrom(...LOAD_MODES), v).map(([m, x]) => ok(`s = load.${m}(${x});`)),
    fc.tuple(fc.constantFrom(...STORE_MODES), v, fc.constantFrom(...VALUES)).map(([m, x, e]) => ok(`store.${m}(${x}, ${e});`)),
    fc.tuple(fc.constantFrom(...RMW_OPS), fc.constantFrom(...RMW_MODES), v, fc.constantFrom('1', '2', 'r')).map(([op, m, x, e]) => ok(`r = ${op}.${m}(${x}, ${e});`)),
    fc.tuple(fc.constantFrom(...RMW_MODES), v).map(([m, x]) => ok(`r = cmpxchg.${m}(${x}, 0, 1);`)),
    fc.constantFrom(...FENCE_MODES).map((m) => ok(`fence.${m}();`)),
    // array indices held in registers (r may be 2: out of bounds)
    fc.constantFrom(...LOAD_MODES).map((m) => ok(`s = load.${m}(a[r % 2]);`)),
    fc.constantFrom(...STORE_MODES).map((m) => ok(`store.${m}(a[r], 1);`)),
    // division by a register (r may be 1: division by zero)
    fc.constant(ok('s = 6 / (r - 1);')),
    fc.constantFrom(ok('assume (r != 1);'), ok('assume (r == 0);'), ok('assert (r != 2, "r is not 2");'), ok('assert (s == 0 || r == 1);')),
    fc.constant(ok('if (r == 1) { store.plain(y, 1); } else { s = 2; }')),
    fc.constantFrom(...LOAD_MODES).map((m) => ok(`await (load.${m}(x) == 1);`)),
    fc.constant(ok('await (r == 0);')),
    // register read only by later code through an await condition
    fc.constant(ok('s = 1; await (load.sc(y) == s);')),
    // values that need 2 and 4 bytes (the visited set packs states by their widest value)
    fc.constantFrom(ok('store.plain(y, 0x7fffffff);'), ok('r = fetch_add.sc(x, 40000);'), ok('s = r * 300 - 1;'), ok('store.rlx(x, -2147483648);')),
  ];
}

/** Statements with loops (bounded or not: spin loops may livelock). */
function loops(): fc.Arbitrary<Stmt>[] {
  return [
    fc.constantFrom(...LOAD_MODES).map((m) => ok(`while (load.${m}(x) == 0) { skip; }`)),
    fc.constant(ok('while (r == 1) { skip; }')),
    fc.constant(ok('for k in 0..3 { store.plain(x, k); }')),
    fc.constant(ok('for k in 0..2 { store.rel(y, k); fence.rel(); store.plain(x, k); }')),
    fc.constant(ok('again: r = load.acq(y); if (r == 0) { goto again; }')),
    fc.constant(ok('await (load.sc(x) + load.sc(y) == 2);')),
    fc.constant(ok('r = 0; while (r < 2) { r = r + 1; store.rlx(y, r); }')),
  ];
}

/** Statements the oracle does not model: wait, notify, critical regions (also from loops). */
function synchronisation(): fc.Arbitrary<Stmt>[] {
  return [
    fc.constantFrom(noOracle('w = wait(f, 0);'), noOracle('w = wait(f, 0, 1);'), noOracle('w = wait(f, r);'), noOracle('w = wait(f, r, 5);')),
    fc.constantFrom(noOracle('n = notify(f);'), noOracle('n = notify(f, 1);'), noOracle('store.sc(f, 1); n = notify(f, r);')),
    fc.constant(noOracle('critical { s = load.plain(x); store.plain(x, s + 1); }')),
    fc.constant(noOracle('t = exchange.sc(lock, 1); while (t != 0) { t = exchange.sc(lock, 1); } critical { s = load.plain(x); store.plain(x, s + 1); } store.rel(lock, 0);')),
    fc.constant(noOracle('while (load.sc(y) == 0) { critical { skip; } }')),
    fc.constant(noOracle('for k in 0..2 { critical q { r = load.rlx(y); } }')),
    fc.constant(noOracle('w = wait(a[r], 0, 1);')),
  ];
}

/** Options for the named-thread generator. */
export interface ArbNamedOptions {
  /** at most this many threads (2..3); default 3 */
  readonly maxThreads?: number;
  /** at most this many statements per thread; default 3 */
  readonly maxStatements?: number;
  /** generate loops; default true */
  readonly loops?: boolean;
  /** generate wait/notify/critical; default true */
  readonly sync?: boolean;
}

/** Declarations of 32 unused locations placed before the ones the program uses, so those get location numbers above 31 (a second word in POR's per-location bit sets). */
const PADDING = Array.from({ length: 32 }, (_, k) => `shared pad${k} = 0;`);

/** The final question about a named-thread program (registers r, s of P0 and P1, x, y). */
const arbNamedTail = (threads: number): fc.Arbitrary<{ readonly lines: readonly string[]; readonly oracle: boolean }> => {
  const reg = fc.constantFrom('P0:r', 'P0:s', 'P1:r', 'P1:s', ...(threads > 2 ? ['P2:s'] : []));
  const term = fc.oneof(reg, fc.constantFrom('x', 'y', 'a[0]', 'a[1]'));
  const atom = fc.tuple(term, fc.constantFrom('=', '!='), fc.constantFrom('0', '1', '2')).map(([t, op, v]) => `${t}${op}${v}`);
  const prop = fc.array(atom, { minLength: 1, maxLength: 3 }).chain((atoms) => fc.constantFrom(' /\\ ', ' \\/ ').map((j) => atoms.join(j)));
  return fc.oneof(
    fc.constant({ lines: [], oracle: true }),
    fc.tuple(fc.constantFrom('exists', '~exists', 'forall'), prop).map(([q, p]) => ({ lines: [`${q} (${p})`], oracle: true })),
    // a register read by nothing but `locations`
    fc.tuple(reg, prop).map(([r, p]) => ({ lines: [`exists (${p})`, `locations [${r}; x]`], oracle: true })),
    // the filter reads registers (the oracle knows no filter)
    fc.tuple(reg, prop).map(([r, p]) => ({ lines: [`forall (${p})`, `filter (${r} != 2)`], oracle: false })),
  );
};

/** Programs of 2..3 named threads P0, P1, P2 over x, y, a[2], f, lock; see the module comment. */
export function arbNamedProgram(options: ArbNamedOptions = {}): fc.Arbitrary<AdversarialProgram> {
  const maxThreads = Math.min(3, Math.max(2, options.maxThreads ?? 3));
  const maxStatements = Math.max(1, options.maxStatements ?? 3);
  const pool = [...straightLine(), ...(options.loops === false ? [] : loops()), ...(options.sync === false ? [] : synchronisation())];
  const stmt = fc.oneof(...pool);
  return fc.integer({ min: 2, max: maxThreads }).chain((threads) =>
    fc
      .record({
        bodies: fc.array(fc.array(stmt, { minLength: 1, maxLength: threads > 2 ? Math.min(2, maxStatements) : maxStatements }), { minLength: threads, maxLength: threads }),
        tail: arbNamedTail(threads),
        init: fc.constantFrom('0', '1'),
        padded: fc.boolean(),
      })
      .map(({ bodies, tail, init, padded }) => {
        const lines = ['test adversarial', ...(padded ? PADDING : []), `shared x = ${init};`, 'shared y = 0;', 'shared a[2];', 'shared f = 0;', 'shared lock = 0;'];
        bodies.forEach((b, t) => {
          // every register the tails may name exists (assigned once at the start)
          lines.push(`thread P${t} {`, '  r = 0;', '  s = 0;', ...b.map((st, k) => `  ${labelled(st, k)}`), '}');
        });
        lines.push(...tail.lines);
        return { text: `${lines.join('\n')}\n`, oracle: tail.oracle && bodies.every((b) => b.every((st) => st.oracle)) };
      }),
  );
}

/** Options for the template generator. */
export interface ArbTemplateAuditOptions {
  /** at most this many instances (2..3); default 3 */
  readonly maxInstances?: number;
  /** at most this many statements in the body; default 3 */
  readonly maxStatements?: number;
}

/** Template bodies: symmetric code with run-time identities, plus index uses that break symmetry. */
function templateStatements(): fc.Arbitrary<Stmt>[] {
  return [
    // a run-time identity: the ticket is a register, then stored in memory
    fc.constant(noOracle('me = fetch_add.sc(ids, 1); store.sc(owner, me); r = load.sc(owner); assert (r == me, "owner is me");')),
    fc.constant(ok('me = fetch_add.sc(ids, 1); store.plain(a[me], 1); s = load.plain(a[1 - me % 2]);')),
    fc.constant(ok('me = fetch_add.sc(ids, 1); await (load.acq(turn) == me); store.rel(turn, me + 1);')),
    // index uses (symmetry must switch off)
    fc.constant(ok('store.sc(turn, i); r = load.sc(turn);')),
    fc.constant(ok('store.plain(a[i % 2], 1); s = load.plain(a[1 - i % 2]);')),
    fc.constant(ok('r = i;')),
    // lock-protected and unprotected regions
    fc.constant(noOracle('t = exchange.acq(lock, 1); while (t != 0) { t = exchange.acq(lock, 1); } critical { s = load.plain(x); store.plain(x, s + 1); } store.rel(lock, 0);')),
    fc.constant(noOracle('critical { s = load.plain(x); store.plain(x, s + 1); }')),
    fc.constant(noOracle('w = wait(f, 0, 1); n = notify(f, 1);')),
    fc.constant(noOracle('store.sc(f, 1); n = notify(f);')),
    ...straightLine(),
    ...loops(),
  ];
}

/** Programs with a template T[i in 0..N] (N = 2..3), sometimes beside a named thread P; see the module comment. */
export function arbTemplateAuditProgram(options: ArbTemplateAuditOptions = {}): fc.Arbitrary<AdversarialProgram> {
  const maxInstances = Math.min(3, Math.max(2, options.maxInstances ?? 3));
  const maxStatements = Math.max(1, options.maxStatements ?? 3);
  const stmt = fc.oneof(...templateStatements());
  return fc
    .record({
      instances: fc.integer({ min: 2, max: maxInstances }),
      body: fc.array(stmt, { minLength: 1, maxLength: maxStatements }),
      other: fc.option(fc.array(fc.oneof(...straightLine(), ...loops()), { minLength: 1, maxLength: 2 }), { nil: null }),
      initA: fc.constantFrom('', ' = {0, 1}'),
      tail: fc.constantFrom<{ readonly lines: readonly string[]; readonly oracle: boolean }>(
        { lines: [], oracle: true },
        { lines: ['exists (x = 2)'], oracle: true },
        { lines: ['forall (x = 1 \\/ turn = 2)'], oracle: true },
        { lines: ['~exists (a[0] = 1 /\\ a[1] = 1)'], oracle: true },
        { lines: ['exists (T[0]:r = 1)'], oracle: true },
        { lines: ['exists (x = 1)', 'locations [T[1]:s]'], oracle: true },
        { lines: ['exists (x = 1)', 'locations [owner; ids]'], oracle: true },
        { lines: ['forall (x != 2)', 'filter (turn = 0)'], oracle: false },
        { lines: ['forall (1:me = 0 \\/ 1:me = 1 \\/ 1:me = 2)'], oracle: true },
      ),
    })
    .map(({ instances, body, other, initA, tail }) => {
      // three instances with a second thread grow too big for the unreduced search
      const second = instances > 2 ? null : other;
      const lines = [
        'test adversarial_template',
        `param N = ${instances};`,
        'shared x = 0;',
        'shared y = 0;',
        `shared a[2]${initA};`,
        'shared f = 0;',
        'shared lock = 0;',
        'shared ids = 0;',
        'shared owner = 0;',
        'shared turn = 0;',
        'thread T[i in 0..N] {',
        '  r = 0;',
        '  s = 0;',
        '  me = 0;',
        ...body.map((st, k) => `  ${labelled(st, k)}`),
        '}',
      ];
      if (second !== null) lines.push('thread P {', '  r = 0;', '  s = 0;', ...second.map((st, k) => `  ${labelled(st, k)}`), '}');
      lines.push(...tail.lines);
      return { text: `${lines.join('\n')}\n`, oracle: tail.oracle && body.every((st) => st.oracle) && (second ?? []).every((st) => st.oracle) };
    });
}
