/**
 * Soundness audit of the checker's reductions: symmetry (checker/symmetry.ts), partial-order
 * reduction with statement merging (checker/por.ts, checker/merge.ts; the `por` switch) and
 * dead-register reset (checker/deadRegisters.ts). A reduction that changes an answer is worse than
 * none, so every combination of the three switches, under BFS and DFS, is held to the unreduced
 * BFS search on: the verdict, whether the search completed, the set of violation kinds, the
 * outcome set (values and condition flag), the condition's kind, Ok/No and observation, the
 * buffer-bound flag and the livelock-check status; and, between runs with the same
 * dead-register switch, the witness counts (final states per outcome, positive/negative, total
 * final states), which symmetry and POR keep exact.
 *
 * Programs: hand-written attacks on each soundness argument (kept as fixed regression cases),
 * and generated adversarial programs (test/arbitraries/adversarial.ts) under sc, tso, pso and js
 * with buffer bounds 1, 2 and 4. Where the independent oracle applies (no wait, notify, critical
 * region or filter) the unreduced and the fully reduced checker are also held to it.
 *
 * Seed: env MEMWEAVE_SEED (an integer) or the default below, printed when the file loads.
 * Runs: env MEMWEAVE_AUDIT_RUNS (default 400 named-thread programs; two thirds as many template
 * programs and oracle programs). A wide search: MEMWEAVE_AUDIT_RUNS=5000 MEMWEAVE_SEED=<n>.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { replay } from '../../../checker/replay.js';
import type { CheckOptions, CheckResult, ModelName, StrategyName } from '../../../checker/api.js';
import type { IrProgram } from '../../../model/ir.js';
import { seedFromEnv } from '../../arbitraries/irProgram.js';
import { arbNamedProgram, arbTemplateAuditProgram, type AdversarialProgram } from '../../arbitraries/adversarial.js';
import { bruteForce, outcomeKeySet, type OracleModel } from '../../oracle/bruteForce.js';
import { compileOrThrow } from '../../support/programs.js';

const SEED = seedFromEnv(0xa0d17);
const RUNS = Number(process.env['MEMWEAVE_AUDIT_RUNS'] ?? 400);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`MEMWEAVE_AUDIT_RUNS must be a positive integer, got ${process.env['MEMWEAVE_AUDIT_RUNS']}`);
const SMALL_RUNS = Math.ceil((RUNS * 2) / 3);
console.log(`[reductionsAudit] fast-check seed ${SEED}, ${RUNS} named-thread programs, ${SMALL_RUNS} template and ${SMALL_RUNS} oracle programs (override with MEMWEAVE_SEED, MEMWEAVE_AUDIT_RUNS)`);

const MODELS: readonly ModelName[] = ['sc', 'tso', 'pso', 'js'];
/** the known-bug programs, also runnable from the CLI */
const FIXTURES = join(import.meta.dirname, '../../fixtures/audit');
/** the unreduced search must finish within this many states, else the program is not compared */
const MAX_STATES = 30_000;

/** One combination of the switches and a strategy. */
interface Config {
  readonly symmetry: boolean;
  readonly por: boolean;
  readonly deadRegisters: boolean;
  readonly strategy: StrategyName;
}

const OFF: Config = { symmetry: false, por: false, deadRegisters: false, strategy: 'bfs' };
/** Every combination of the three switches under BFS and DFS but the baseline itself. */
const CONFIGS: readonly Config[] = (['bfs', 'dfs'] as const).flatMap((strategy) =>
  [0, 1, 2, 3, 4, 5, 6, 7].map((b) => ({ symmetry: (b & 1) !== 0, por: (b & 2) !== 0, deadRegisters: (b & 4) !== 0, strategy })),
).filter((c) => c.symmetry || c.por || c.deadRegisters || c.strategy !== 'bfs');

const configName = (c: Config): string =>
  `${c.strategy}${c.symmetry ? ' +symmetry' : ''}${c.por ? ' +por' : ''}${c.deadRegisters ? ' +deadRegisters' : ''}${c.symmetry || c.por || c.deadRegisters ? '' : ' (no reduction)'}`;

const compile = (text: string): IrProgram => compileOrThrow('audit.mw', text);

/** What a user is told, minus statistics and traces: the answers no reduction may change. */
function answers(r: CheckResult): unknown {
  return {
    verdict: r.verdict,
    budgetExhausted: r.budgetExhausted,
    violations: r.violations.map((v) => v.kind).sort(),
    outcomes: r.outcomes.map((o) => JSON.stringify({ values: o.values, satisfies: o.satisfies })).sort(),
    condition: r.condition === null ? null : { kind: r.condition.kind, validated: r.condition.validated, observation: r.condition.observation },
    bufferBoundHit: r.stats.bufferBoundHit,
    livelockCheck: r.stats.livelockCheck,
  };
}

/** Witness counts: exact under symmetry and POR, per dead-register-reset final state with dead-register reset on. */
function counts(r: CheckResult): unknown {
  return {
    outcomes: r.outcomes.map((o) => JSON.stringify({ values: o.values, n: o.finalStates })).sort(),
    positive: r.condition?.positive ?? null,
    negative: r.condition?.negative ?? null,
    finalStates: r.stats.finalStates,
  };
}

/** A disagreement between a reduced run and the baseline. */
interface Mismatch {
  readonly model: ModelName;
  readonly bufferBound: number;
  readonly config: string;
  readonly what: 'answers' | 'counts' | 'throws' | 'counterexample';
  readonly want: string;
  readonly got: string;
}


/**
 * Problems with one reduced run's counterexamples: each (but a livelock's, whose end is a state
 * and not an event) must replay and show, at its end, the violation it was recorded for.
 */
function badCounterexamples(p: IrProgram, options: CheckOptions, r: CheckResult): string[] {
  const bad: string[] = [];
  for (const v of r.violations) {
    if (v.kind === 'livelock') continue;
    const rr = replay(p, options, v.replay);
    if (!rr.ok) bad.push(`${v.kind}: replay refused: ${rr.error}`);
    else if (rr.observed !== v.kind) bad.push(`${v.kind}: the trace ends showing ${rr.observed ?? 'no violation'} (${rr.ending})`);
  }
  return bad;
}

/**
 * Run the baseline (no reduction, BFS) and every configuration; return the mismatches (empty when
 * all agree), or null when the baseline does not finish within MAX_STATES.
 */
function audit(p: IrProgram, model: ModelName, bufferBound: number, configs: readonly Config[] = CONFIGS): Mismatch[] | null {
  // the stateful search's reductions are audited: js too is asked of the stateful engine (its default is the SC-DRF route)
  const base: CheckOptions = { model, engine: 'state', maxStates: MAX_STATES, bufferBound };
  const optionsOf = (c: Config): CheckOptions => ({ ...base, symmetry: c.symmetry, por: c.por, deadRegisters: c.deadRegisters, strategy: c.strategy });
  const off = check(p, optionsOf(OFF));
  if (off.budgetExhausted !== null) return null;
  const deadOnly = check(p, optionsOf({ ...OFF, deadRegisters: true }));
  const want = JSON.stringify(answers(off));
  const wantCounts = [JSON.stringify(counts(off)), JSON.stringify(counts(deadOnly))];
  const out: Mismatch[] = [];
  const offBad = badCounterexamples(p, optionsOf(OFF), off);
  if (offBad.length > 0) out.push({ model, bufferBound, config: configName(OFF), what: 'counterexample', want: 'every counterexample shows its violation', got: offBad.join('; ') });
  for (const c of configs) {
    const mismatch = (what: Mismatch['what'], w: string, got: string): void => {
      out.push({ model, bufferBound, config: configName(c), what, want: w, got });
    };
    let r: CheckResult;
    try {
      r = check(p, optionsOf(c));
    } catch (e) {
      mismatch('throws', want, String(e));
      continue;
    }
    const got = JSON.stringify(answers(r));
    if (got !== want) mismatch('answers', want, got);
    const gotCounts = JSON.stringify(counts(r));
    const wc = wantCounts[c.deadRegisters ? 1 : 0] as string;
    if (gotCounts !== wc) mismatch('counts', wc, gotCounts);
    const bad = badCounterexamples(p, optionsOf(c), r);
    if (bad.length > 0) mismatch('counterexample', 'every counterexample shows its violation', bad.join('; '));
  }
  return out;
}

function report(text: string, ms: readonly Mismatch[]): string {
  return [
    `reductions change an answer (${ms.length} mismatches); program:`,
    text,
    ...ms.slice(0, 6).map((m) => `  ${m.model} bufferBound ${m.bufferBound}, ${m.config}: ${m.what} differ\n    unreduced: ${m.want}\n    reduced:   ${m.got}`),
  ].join('\n');
}

/** Audit a program under the given models; throws a readable report on any mismatch. Returns how many models were compared. */
function auditText(text: string, models: readonly ModelName[] = MODELS, bufferBound = 2, configs: readonly Config[] = CONFIGS): number {
  const p = compile(text);
  const all: Mismatch[] = [];
  let compared = 0;
  for (const model of models) {
    const ms = audit(p, model, bufferBound, configs);
    if (ms === null) continue;
    compared++;
    all.push(...ms);
  }
  if (all.length > 0) throw new Error(report(text, all));
  return compared;
}

/** The oracle's state space grows faster than the checker's: programs above this many unreduced checker states are not given to it. */
const ORACLE_MAX_STATES = 2_000;

/** Hold the checker (unreduced and fully reduced) to the oracle; throws on a disagreement, false when not comparable. */
function agreeWithOracle(text: string, model: OracleModel): boolean {
  const p = compile(text);
  const results = [OFF, { symmetry: true, por: true, deadRegisters: true, strategy: 'bfs' as const }].map((c) => ({
    c,
    r: check(p, { model, engine: 'state', maxStates: ORACLE_MAX_STATES, bufferBound: 8, symmetry: c.symmetry, por: c.por, deadRegisters: c.deadRegisters }),
  }));
  if (results.some(({ r }) => r.budgetExhausted !== null || r.stats.bufferBoundHit)) return false;
  let oracle;
  try {
    oracle = bruteForce(p, model, { maxDepth: 400 });
  } catch (e) {
    if (String(e).includes('longer than')) return false;
    throw e;
  }
  for (const { c, r } of results) {
    const kinds = new Set(r.violations.map((v) => v.kind));
    const got = [...outcomeKeySet(p, r.outcomes)].sort().join(' ');
    const want = [...oracle.outcomes].sort().join(' ');
    const facts = `assert ${kinds.has('assert')}/${oracle.asserts}, runtime ${kinds.has('runtime')}/${oracle.runtimeError}, deadlock ${kinds.has('deadlock')}/${oracle.deadlock}`;
    if (got !== want || kinds.has('assert') !== oracle.asserts || kinds.has('runtime') !== oracle.runtimeError || kinds.has('deadlock') !== oracle.deadlock) {
      throw new Error(`checker (${configName(c)}) and oracle disagree under ${model}\n${text}\nchecker/oracle: ${facts}\nchecker outcomes: ${got}\noracle outcomes:  ${want}`);
    }
  }
  return true;
}

describe('generated adversarial programs: every reduction combination gives the unreduced answers', () => {
  it(`${RUNS} named-thread programs (wait/notify, timeouts, awaits, spins, critical regions in loops, indices and division in registers)`, () => {
    let compared = 0;
    fc.assert(
      fc.property(arbNamedProgram(), fc.constantFrom<ModelName>(...MODELS), fc.constantFrom(1, 2, 4), (g: AdversarialProgram, model, bound) => {
        compared += auditText(g.text, [model], bound);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(compared).toBeGreaterThan(RUNS / 2);
  });
  it(`${SMALL_RUNS} template programs (run-time identities, index uses, instance registers in conditions)`, () => {
    let compared = 0;
    fc.assert(
      fc.property(arbTemplateAuditProgram(), fc.constantFrom<ModelName>(...MODELS), fc.constantFrom(1, 2, 4), (g: AdversarialProgram, model, bound) => {
        compared += auditText(g.text, [model], bound);
      }),
      { seed: SEED, numRuns: SMALL_RUNS },
    );
    expect(compared).toBeGreaterThan(SMALL_RUNS / 2);
  });
});

describe('the unreduced and the fully reduced checker agree with the oracle', () => {
  it(`${SMALL_RUNS} oracle-checkable programs (loops included) under sc, tso, pso`, () => {
    let compared = 0;
    fc.assert(
      fc.property(
        fc.oneof(arbNamedProgram({ sync: false }), arbTemplateAuditProgram()).filter((g) => g.oracle),
        fc.constantFrom<OracleModel>('sc', 'tso', 'pso'),
        (g, model) => {
          if (agreeWithOracle(g.text, model)) compared++;
        },
      ),
      { seed: SEED, numRuns: SMALL_RUNS },
    );
    expect(compared).toBeGreaterThan(SMALL_RUNS / 3);
  });
});

/** A hand-written attack on one soundness argument: program text, and what it aims at. */
interface Attack {
  readonly name: string;
  readonly text: string;
  readonly bufferBound?: number;
  /** the unreduced answer this case must have, so the attack stays what it says it is */
  readonly expect?: { readonly model: ModelName; readonly kinds: readonly string[] };
}

const ATTACKS: readonly Attack[] = [
  {
    name: 'POR/wait: a timeout and a notify both release a waiter; the notify is visible to it',
    text: 'shared f = 0;\nshared x = 0;\nthread W {\n  w = wait(f, 0, 1);\n  r = load.sc(x);\n}\nthread N {\n  store.sc(x, 1);\n  n = notify(f, 1);\n}\nexists (W:w = 0 /\\ W:r = 0)\n',
    expect: { model: 'sc', kinds: [] },
  },
  {
    name: 'POR/wait: a lost wake-up (notify before wait) is a deadlock in one interleaving only',
    text: 'shared f = 0;\nthread W {\n  r = 1;\n  w = wait(f, 0);\n}\nthread N {\n  s = 2;\n  n = notify(f);\n}\n',
    expect: { model: 'sc', kinds: ['deadlock'] },
  },
  {
    name: 'POR/livelock: a spin loop on a location nobody writes, beside a thread of local steps (ample sets, cycle proviso)',
    text: 'shared x = 0;\nthread A {\n  while (load.rlx(x) == 0) {\n    skip;\n  }\n}\nthread B {\n  r = 1;\n  r = r + 1;\n  store.sc(y, r);\n}\nshared y = 0;\n',
    expect: { model: 'sc', kinds: ['livelock'] },
  },
  {
    name: 'POR/livelock: the same spin is left once a buffered store drains (no livelock)',
    text: 'shared x = 0;\nthread A {\n  while (load.rlx(x) == 0) {\n    skip;\n  }\n}\nthread B {\n  r = 1;\n  store.plain(x, r);\n}\n',
    expect: { model: 'tso', kinds: [] },
  },
  {
    name: 'POR/livelock: a register spin forever beside a discarded branch (an assume that fails is an end)',
    text: 'shared x = 0;\nthread A {\n  r = 1;\n  while (r == 1) {\n    skip;\n  }\n}\nthread B {\n  s = load.sc(x);\n  assume (s == 1);\n}\n',
  },
  {
    name: 'POR/js: a race seen only when B reads the flag early (pairs of next instructions)',
    text: 'shared x = 0;\nshared f = 0;\nthread A {\n  store.plain(x, 1);\n  store.sc(f, 1);\n}\nthread B {\n  r = load.sc(f);\n  if (r == 0) {\n    s = load.plain(x);\n  }\n}\n',
    expect: { model: 'js', kinds: ['race'] },
  },
  {
    name: 'POR/js: message passing through an sc flag orders the plain accesses (no race)',
    text: 'shared x = 0;\nshared f = 0;\nthread A {\n  store.plain(x, 1);\n  store.sc(f, 1);\n}\nthread B {\n  await (load.sc(f) == 1);\n  s = load.plain(x);\n}\nforall (B:s = 1)\n',
    expect: { model: 'js', kinds: [] },
  },
  {
    name: 'POR/mutex: critical regions entered from a loop, without a lock',
    text: 'shared x = 0;\nthread T[i in 0..2] {\n  for k in 0..2 {\n    critical {\n      r = load.plain(x);\n      store.plain(x, r + 1);\n    }\n  }\n}\nforall (x = 4)\n',
    expect: { model: 'sc', kinds: ['condition', 'mutex'] },
  },
  {
    name: 'POR/mutex: the same loop under a test-and-set lock released by a buffered store',
    text: 'shared x = 0;\nshared lock = 0;\nthread T[i in 0..2] {\n  for k in 0..2 {\n    t = exchange.acq(lock, 1);\n    while (t != 0) {\n      t = exchange.acq(lock, 1);\n    }\n    critical {\n      r = load.plain(x);\n      store.plain(x, r + 1);\n    }\n    store.rel(lock, 0);\n  }\n}\nforall (x = 4)\n',
    expect: { model: 'pso', kinds: [] },
  },
  {
    name: 'POR/pso: release stores and fence.rel (epochs) with a buffer bound of 1 (bufferBoundHit)',
    text: 'shared x = 0;\nshared y = 0;\nthread P0 {\n  store.plain(x, 1);\n  fence.rel();\n  store.plain(y, 1);\n  store.rel(x, 2);\n  store.plain(y, 2);\n}\nthread P1 {\n  r = load.acq(y);\n  s = load.acq(x);\n}\nexists (P1:r = 1 /\\ P1:s = 0)\n',
    bufferBound: 1,
  },
  {
    name: 'POR/drains: a thread that could fill its buffer keeps its drains out of ample sets (bufferBoundHit)',
    text: 'shared x = 0;\nshared z = 0;\nthread P0 {\n  store.plain(z, 1);\n  r = load.sc(x);\n  store.plain(z, 2);\n  store.plain(z, 3);\n}\nthread P1 {\n  store.sc(x, 1);\n}\n',
    bufferBound: 2,
  },
  {
    name: 'POR/RMW: an RMW on a private location, and an assume that prunes',
    text: 'shared x = 0;\nshared z = 0;\nthread A {\n  r = fetch_add.sc(z, 1);\n  s = load.sc(x);\n  assume (s == 1);\n}\nthread B {\n  store.sc(x, 1);\n}\nforall (A:s = 1)\n',
  },
  {
    name: 'POR/deadlock: an await and a register-only block',
    text: 'shared x = 0;\nthread A {\n  await (load.acq(x) == 1);\n  r = 1;\n}\nthread B {\n  s = load.sc(x);\n  await (s == 1);\n  store.rel(x, 1);\n}\n',
    expect: { model: 'sc', kinds: ['deadlock'] },
  },
  {
    name: 'dead registers: registers read only by the condition, locations and filter',
    text: 'shared x = 0;\nthread P0 {\n  r = load.sc(x);\n  t = 7 + r;\n  u = r * 2;\n  v = 1;\n  store.sc(x, 2);\n}\nthread P1 {\n  store.sc(x, 1);\n  q = load.sc(x);\n}\nexists (P0:t = 8)\nlocations [P0:u; P1:q]\nfilter (P0:v = 1)\n',
  },
  {
    name: 'dead registers: read by an assert, a wait\'s expected value, an array index',
    text: 'shared f = 0;\nshared a[2];\nthread P0 {\n  e = load.sc(f);\n  k = e + 1;\n  w = wait(f, e, 1);\n  r = load.sc(a[k]);\n  assert (r == 0 || k == 1);\n}\nthread P1 {\n  store.sc(a[1], 1);\n  store.sc(f, 1);\n  n = notify(f);\n}\n',
  },
  {
    name: 'dead registers: a register read by an await condition only, and DFS',
    text: 'shared x = 0;\nthread P0 {\n  s = load.sc(x) + 1;\n  await (load.sc(x) == s);\n}\nthread P1 {\n  store.sc(x, 1);\n  store.sc(x, 2);\n}\n',
  },
  {
    name: 'symmetry: identities from fetch_add in registers and memory (owner = me), no lock',
    text: 'shared ids = 0;\nshared owner = 0;\nthread T[i in 0..3] {\n  me = fetch_add.sc(ids, 1);\n  store.sc(owner, me);\n  r = load.sc(owner);\n  assert (r == me, "owner is me");\n}\n',
    expect: { model: 'sc', kinds: ['assert'] },
  },
  {
    name: 'symmetry: identical code, instance-specific initial data reached through a register index',
    text: 'shared ids = 0;\nshared a[2] = {0, 1};\nthread T[i in 0..2] {\n  me = fetch_add.sc(ids, 1);\n  r = load.plain(a[me]);\n  store.plain(a[1 - me], r + 5);\n}\n~exists (a[0] = 6 /\\ a[1] = 5)\n',
  },
  {
    name: 'symmetry: turn = i (the index stored in memory) switches symmetry off',
    text: 'shared turn = 0;\nshared f[2];\nthread T[i in 0..2] {\n  store.sc(f[i], 1);\n  store.sc(turn, i);\n  await (load.sc(f[1 - i]) == 0 || load.sc(turn) != i);\n  critical {\n    skip;\n  }\n  store.sc(f[i], 0);\n}\n',
    expect: { model: 'tso', kinds: [] },
  },
  {
    name: 'symmetry: the condition names an instance register by number (1:me)',
    text: 'shared ids = 0;\nthread T[i in 0..3] {\n  me = fetch_add.sc(ids, 1);\n}\nforall (1:me = 0 \\/ 1:me = 1)\n',
    expect: { model: 'sc', kinds: ['condition'] },
  },
  {
    name: 'symmetry: locations name one instance register, the condition only memory',
    text: 'shared x = 0;\nthread T[i in 0..2] {\n  r = fetch_add.rlx(x, 1);\n  s = load.plain(x);\n}\nexists (x = 2)\nlocations [T[1]:s]\n',
  },
  {
    name: 'symmetry + wait/notify: instances queue on one word and are woken oldest first',
    text: 'shared f = 0;\nshared done = 0;\nthread T[i in 0..2] {\n  w = wait(f, 0, 1);\n  r = fetch_add.sc(done, 1);\n}\nthread P {\n  store.sc(f, 1);\n  n = notify(f, 1);\n}\nexists (done = 2)\n',
  },
];

describe('hand-written attacks on each soundness argument (regression cases)', () => {
  for (const a of ATTACKS) {
    it(a.name, () => {
      const compared = auditText(a.text, MODELS, a.bufferBound ?? 2);
      expect(compared).toBe(MODELS.length);
      if (a.expect !== undefined) {
        const r = check(compile(a.text), { model: a.expect.model, engine: 'state', symmetry: false, por: false, deadRegisters: false, bufferBound: a.bufferBound ?? 2 });
        expect(r.violations.map((v) => v.kind).sort()).toEqual([...a.expect.kinds].sort());
      }
    });
  }
});

/**
 * A bug this audit found, now fixed: checker/trace.ts, buildReexecutedTrace. Under
 * symmetry the trace maps each stored transition (numbered by the representative's thread order)
 * to a real thread by canonicalising a copy of the real state (`realThread`). But the search
 * canonicalised the state *after* dead-register reset (deadRegisters.ts): blocks are compared word by
 * word, pc then registers, so a dead register still holding a stale value in the real state can
 * order two instances the other way round. The permutation then names the wrong instance, and
 * the trace re-executes another thread's transition:
 *   - under pso, a drain of a slot the wrong thread has not buffered: `check` throws "internal
 *     error: pso drain of slot N, which has no drainable store" (the CLI exits 70) — with the
 *     default options;
 *   - under tso, the trace goes elsewhere: the violation is reported (kind and verdict are
 *     right) with a counterexample that does not show it (replay ends without the violation,
 *     the message names the wrong instance).
 * The fix: realThread resets dead registers (DeadRegisters.resetAll, passed to buildTrace as
 * `normalize`) on the copy before sym.canonicalize, so the copy is the stored parent exactly.
 * These cases keep it fixed; the generated properties above no longer excuse any configuration.
 */
describe('regressions: symmetry + dead registers counterexample rebuilding (fixed)', () => {
  // instances take tickets 0 and 1 (r, dead after the store) and buffer a[1 - r]: the real order
  // of the two blocks is by r, the stored (reset) order by the buffered slot, the other way round
  const PSO_CRASH = readFileSync(join(FIXTURES, 'symmetry_dead_trace_pso.mw'), 'utf8');
  it('symmetry + dead registers, pso: rebuilding the condition counterexample does not throw (default options, buffer bound 1)', () => {
    const p = compile(PSO_CRASH);
    expect(() => check(p, { model: 'pso', bufferBound: 1 })).not.toThrow();
  });
  it('(the same program without dead-register reset, or without symmetry, rebuilds its counterexample)', () => {
    const p = compile(PSO_CRASH);
    for (const o of [{ deadRegisters: false }, { symmetry: false }]) {
      const options: CheckOptions = { model: 'pso', bufferBound: 1, ...o };
      const r = check(p, options);
      expect(r.violations.map((v) => v.kind)).toEqual(['condition']);
      expect(badCounterexamples(p, options, r)).toEqual([]);
    }
  });
  // r (stale, dead after the fetch_sub) comes before me (live) in each block, and orders the three
  // instances opposite to me: the runtime error (a[2] out of bounds) is pinned on the wrong instance
  const TSO_WRONG_TRACE = readFileSync(join(FIXTURES, 'symmetry_dead_trace_tso.mw'), 'utf8');
  it('symmetry + dead registers (+ por), tso: the runtime-error counterexample ends in the runtime error (default options, buffer bound 1)', () => {
    const p = compile(TSO_WRONG_TRACE);
    const options: CheckOptions = { model: 'tso', bufferBound: 1 };
    const r = check(p, options);
    // every execution reaches the out-of-bounds store (the third ticket), so no final state exists
    // and the forall is never falsified: the unreduced search reports exactly this kind too
    expect(r.violations.map((v) => v.kind).sort()).toEqual(['runtime']);
    expect(r.violations[0]?.trace.at(-1)?.effect ?? '').toMatch(/out of bounds|error/i);
    expect(badCounterexamples(p, options, r)).toEqual([]);
  });
  it('(its answers are those of the unreduced search)', () => {
    expect(auditText(TSO_WRONG_TRACE, ['tso'], 1)).toBe(1);
  });
  // no buffers needed: `me` is dead right after the fetch_add and orders the instances against the
  // loop counter k; the trace then runs an instance that has already finished
  const SC_CRASH = readFileSync(join(FIXTURES, 'symmetry_dead_trace_sc.mw'), 'utf8');
  it('symmetry + dead registers without por, sc: rebuilding the counterexamples does not throw', () => {
    const p = compile(SC_CRASH);
    expect(() => check(p, { model: 'sc', por: false })).not.toThrow();
  });
  it('symmetry + dead registers (default options), sc: the deadlock and condition counterexamples replay', () => {
    const p = compile(SC_CRASH);
    const options: CheckOptions = { model: 'sc' };
    const r = check(p, options);
    expect(r.violations.map((v) => v.kind)).toEqual(['deadlock', 'condition']);
    expect(badCounterexamples(p, options, r)).toEqual([]);
  });
  it('(the same program without symmetry or without dead registers rebuilds them)', () => {
    const p = compile(SC_CRASH);
    for (const o of [{ por: false, deadRegisters: false }, { por: false, symmetry: false }, { deadRegisters: false }, { symmetry: false }]) {
      const options: CheckOptions = { model: 'sc', ...o };
      const r = check(p, options);
      expect(r.violations.map((v) => v.kind)).toEqual(['deadlock', 'condition']);
      expect(badCounterexamples(p, options, r)).toEqual([]);
    }
  });
});
