/**
 * fast-check arbitrary of small .mw programs built around a thread template
 * (`thread T[i in 0..N] { for k in 0..K { … } }`), for the reduction tests: loops, spin loops,
 * locks (test-and-set, ticket), critical regions with and without a lock (mutual-exclusion
 * violations), awaits (deadlocks), register loops that can spin forever (livelocks), asserts,
 * wait/notify, fences of every kind, and — sometimes — uses of the index `i` that make the
 * instances differ: asymmetric ones (`f[1 - i % 2]`, `x = i`), which switch symmetry off, and ones
 * scalarset symmetry permits (`owner = i`, `g[i]`, `cmpxchg(owner, -1, i)`, `o == i`); and
 * conditions naming one instance's register, which switch symmetry off. Sometimes a second, named thread runs beside the template.
 *
 * The output is source text (compile it with compileSource); every generated program compiles.
 */
import fc from 'fast-check';

/** Options for arbTemplateProgram. */
export interface ArbTemplateOptions {
  /** at most this many instances (at least 2); default 3 */
  readonly maxInstances?: number;
  /** at most this many rounds of the loop; default 2 */
  readonly maxRounds?: number;
  /** at most this many statements in the loop body; default 2 */
  readonly maxStatements?: number;
}

const LOAD_MODES = ['plain', 'sc', 'acq', 'rlx'] as const;
const STORE_MODES = ['plain', 'sc', 'rel', 'rlx'] as const;
const FENCE_MODES = ['sc', 'acq', 'rel', 'acq_rel'] as const;
const VARS = ['x', 'y'] as const;

/** One statement of the loop body (source text; registers r, t, c, w, and o for a thread index). */
const arbStatement = (useIndex: boolean): fc.Arbitrary<string> => {
  const v = fc.constantFrom(...VARS);
  const options: fc.Arbitrary<string>[] = [
    fc.tuple(fc.constantFrom(...LOAD_MODES), v).map(([m, x]) => `r = load.${m}(${x});`),
    fc.tuple(fc.constantFrom(...STORE_MODES), v, fc.constantFrom('1', 'r + 1', 'k')).map(([m, x, e]) => `store.${m}(${x}, ${e});`),
    v.map((x) => `r = fetch_add.sc(${x}, 1);`),
    fc.constantFrom(...FENCE_MODES).map((m) => `fence.${m}();`),
    fc.constant('t = exchange.sc(lock, 1); while (t != 0) { t = exchange.sc(lock, 1); } critical { c = load.plain(x); store.plain(x, c + 1); } store.sc(lock, 0);'),
    fc.constant('t = fetch_add.sc(next, 1); await (load.sc(serving) == t); critical { c = load.plain(y); store.plain(y, c + 1); } c = load.plain(serving); store.sc(serving, c + 1);'),
    fc.constant('critical { c = load.plain(x); store.plain(x, c + 1); }'),
    v.map((x) => `await (load.sc(${x}) != 0);`),
    fc.constant('if (r == 0) { store.plain(y, 2); } else { r = r + 1; }'),
    fc.constant('assert (r < 3, "r stays small");'),
    fc.constant('while (r == 1) { skip; }'),
    v.map((x) => `r = load.sc(${x}); while (r == 0) { r = load.sc(${x}); }`),
    fc.constant('w = wait(y, 0, 1);'),
    fc.constant('w = notify(y);'),
  ];
  if (useIndex) {
    // index uses that are not symmetric (arithmetic on i; a thread index stored where 0 starts)
    options.push(fc.constant('store.plain(f[i], 1); r = load.plain(f[1 - i % 2]);'), fc.constant('store.sc(x, i);'));
    // and ones a scalarset permits (checker/scalarset.ts): owner and g[] hold or are indexed by thread indices, o holds one
    options.push(
      fc.constant('store.sc(owner, i); o = load.sc(owner); if (o == i) { store.plain(y, 1); }'),
      fc.constant('o = cmpxchg.sc(owner, -1, i); if (o == -1) { critical { c = load.plain(x); store.plain(x, c + 1); } store.sc(owner, -1); }'),
      fc.tuple(fc.constantFrom(...STORE_MODES), fc.constantFrom('1', '0')).map(([m, e]) => `store.${m}(g[i], ${e});`),
      fc.constant('o = load.sc(owner); if (o != -1) { c = load.sc(g[o]); }'),
      fc.constant('await (load.sc(owner) != i);'),
    );
  }
  return fc.oneof(...options);
};

/** A generated template program (source text) and a short description for failure messages. */
export interface TemplateProgram {
  readonly text: string;
  readonly instances: number;
  readonly rounds: number;
}

/** Small .mw programs with a template of 2..maxInstances instances; see the module comment. */
export function arbTemplateProgram(options: ArbTemplateOptions = {}): fc.Arbitrary<TemplateProgram> {
  const maxInstances = Math.max(2, options.maxInstances ?? 3);
  const maxRounds = Math.max(1, options.maxRounds ?? 2);
  const maxStatements = Math.max(1, options.maxStatements ?? 2);
  return fc
    .record({
      instances: fc.integer({ min: 2, max: maxInstances }),
      rounds: fc.integer({ min: 1, max: maxRounds }),
      useIndex: fc.boolean(),
      body: fc.boolean().chain((useIndex) => fc.array(arbStatement(useIndex), { minLength: 1, maxLength: maxStatements }).map((b) => ({ useIndex, b }))),
      other: fc.option(fc.array(arbStatement(false), { minLength: 1, maxLength: 2 }), { nil: null }),
      condition: fc.constantFrom('none', 'exists-x', 'forall-x', 'locations', 'register'),
    })
    .map(({ instances, rounds: asked, body, other: otherThread, condition }) => {
      // three instances run one round, alone (the unreduced state spaces must stay small)
      const rounds = instances > 2 ? 1 : asked;
      const other = instances > 2 ? null : otherThread;
      const lines = [
        'test generated',
        `param N = ${instances};`,
        `param K = ${rounds};`,
        'shared x = 0;',
        'shared y = 0;',
        'shared lock = 0;',
        'shared next = 0;',
        'shared serving = 0;',
        'shared f[4];',
        'shared owner = -1;',
        'shared g[4];',
        'thread T[i in 0..N] {',
        '  r = 0;',
        '  o = -1;',
        '  for k in 0..K {',
        ...body.b.map((s) => `    ${s}`),
        '  }',
        '}',
      ];
      if (other !== null) lines.push('thread P {', '  r = 0;', '  k = 1;', ...other.map((s) => `  ${s}`), '}');
      switch (condition) {
        case 'exists-x':
          lines.push('exists (x = 1)');
          break;
        case 'forall-x':
          lines.push('forall (x = 2 \\/ y = 2)');
          break;
        case 'locations':
          lines.push('locations [x; y]');
          break;
        case 'register':
          lines.push('exists (T[0]:r = 1)');
          break;
        default:
          break;
      }
      return { text: `${lines.join('\n')}\n`, instances, rounds };
    });
}
