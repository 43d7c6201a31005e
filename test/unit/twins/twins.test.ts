/**
 * The twins of impl/sync, model-checked: every primitive's algorithm written in the instruction
 * language (examples/locks/mutex.mw, spinlock.mw; examples/sync/*.mw; the ticket lock is
 * examples/locks/ticket.mw) passes — mutual exclusion, no deadlock (so no lost wake-up), its own
 * asserts and final condition — under sc for N up to 3 where that stays within a few seconds, and
 * under tso and pso. The broken catalogue (examples/broken/*.mw, plus
 * examples/locks/peterson.mw under tso) fails with the expected violation kind and a non-empty
 * counterexample trace, and each fixed twin passes. Exploration sizes (states stored) are pinned
 * so a change in exploration is seen.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import type { CheckOptions, CheckResult, ModelName, ViolationKind } from '../../../checker/api.js';
import { compileSource } from '../../../model/frontend.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** Compile examples/<path> with -D defines and check it under `model`. */
function checkFile(path: string, model: ModelName, defines: Readonly<Record<string, number>> = {}, reductions: Pick<CheckOptions, 'symmetry' | 'por' | 'deadRegisters'> = {}): CheckResult {
  const out = compileSource(path, readFileSync(EXAMPLES + path, 'utf8'), { defines });
  const errors = out.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
  expect(errors, path).toEqual([]);
  if (out.ir === null) throw new Error(`${path}: no IR`);
  return check(out.ir, { model, timeLimitMs: 60_000, ...reductions });
}

function describeResult(r: CheckResult): string {
  return `${r.verdict} (${r.stats.statesStored} states)${r.violations.map((v) => `\n  ${v.kind}: ${v.message}`).join('')}`;
}

interface TwinCase {
  readonly file: string;
  readonly model: ModelName;
  readonly defines: Readonly<Record<string, number>>;
  /** states stored with the default reductions (symmetry, POR, dead registers), pinned */
  readonly states: number;
  /** states stored with every reduction off, pinned where affordable: the same verdict must come out */
  readonly unreduced?: number;
}

const d = (defines: Record<string, number> = {}) => defines;

/** The twins and their pinned exploration sizes (bfs, the default strategy), reduced and unreduced. */
const TWINS: readonly TwinCase[] = [
  { file: 'locks/mutex.mw', model: 'sc', defines: d(), states: 53, unreduced: 773 },
  { file: 'locks/mutex.mw', model: 'tso', defines: d(), states: 66, unreduced: 885 },
  { file: 'locks/mutex.mw', model: 'pso', defines: d(), states: 66, unreduced: 885 },
  { file: 'locks/mutex.mw', model: 'sc', defines: d({ N: 3 }), states: 246, unreduced: 85230 },
  { file: 'locks/mutex.mw', model: 'sc', defines: d({ K: 2 }), states: 229, unreduced: 14817 },
  { file: 'locks/spinlock.mw', model: 'sc', defines: d(), states: 33, unreduced: 1417 },
  { file: 'locks/spinlock.mw', model: 'tso', defines: d(), states: 42, unreduced: 1593 },
  { file: 'locks/spinlock.mw', model: 'pso', defines: d(), states: 42, unreduced: 1593 },
  { file: 'locks/spinlock.mw', model: 'sc', defines: d({ N: 3 }), states: 94, unreduced: 138163 },
  { file: 'sync/semaphore.mw', model: 'sc', defines: d(), states: 262, unreduced: 203770 },
  { file: 'sync/semaphore.mw', model: 'pso', defines: d(), states: 262, unreduced: 203770 },
  { file: 'sync/semaphore.mw', model: 'sc', defines: d({ P: 2 }), states: 268 },
  { file: 'sync/barrier.mw', model: 'sc', defines: d(), states: 326, unreduced: 16409 },
  { file: 'sync/barrier.mw', model: 'pso', defines: d(), states: 326, unreduced: 16409 },
  { file: 'sync/barrier.mw', model: 'sc', defines: d({ R: 3 }), states: 540, unreduced: 50740 },
  { file: 'sync/condvar.mw', model: 'sc', defines: d(), states: 84, unreduced: 605 },
  { file: 'sync/condvar.mw', model: 'pso', defines: d(), states: 87, unreduced: 675 },
  { file: 'sync/condvar.mw', model: 'sc', defines: d({ N: 2 }), states: 581, unreduced: 105002 },
  { file: 'sync/condvar.mw', model: 'sc', defines: d({ N: 3 }), states: 2876 }, // over 400k states without reductions
  { file: 'sync/rwlock.mw', model: 'sc', defines: d(), states: 1914 },
  { file: 'sync/rwlock.mw', model: 'sc', defines: d({ NR: 1, NW: 2 }), states: 2120 },
  { file: 'sync/once.mw', model: 'sc', defines: d(), states: 87, unreduced: 6184 },
  { file: 'sync/once.mw', model: 'tso', defines: d(), states: 92, unreduced: 6262 },
  { file: 'sync/once.mw', model: 'pso', defines: d(), states: 92, unreduced: 6262 },
  { file: 'sync/latch.mw', model: 'sc', defines: d(), states: 1332 },
  // N = 4, affordable with the reductions
  { file: 'locks/mutex.mw', model: 'sc', defines: d({ N: 4 }), states: 806 },
  { file: 'locks/spinlock.mw', model: 'sc', defines: d({ N: 4 }), states: 215 },
  { file: 'sync/semaphore.mw', model: 'sc', defines: d({ N: 4, P: 2 }), states: 1346 },
  { file: 'sync/barrier.mw', model: 'sc', defines: d({ N: 3 }), states: 6948 },
  { file: 'sync/rwlock.mw', model: 'sc', defines: d({ NR: 2, NW: 2 }), states: 22599 },
  { file: 'sync/rwlock.mw', model: 'tso', defines: d(), states: 1914 },
  { file: 'sync/rwlock.mw', model: 'pso', defines: d(), states: 1914 },
  { file: 'sync/rwlock_bypass.mw', model: 'sc', defines: d(), states: 19208 },
  { file: 'sync/rwlock_bypass.mw', model: 'sc', defines: d({ K: 3 }), states: 46509 },
  { file: 'sync/rwlock_bypass.mw', model: 'sc', defines: d({ NR: 3 }), states: 346181 },
  { file: 'sync/rwlock_bypass.mw', model: 'pso', defines: d(), states: 19208 },
  { file: 'sync/latch.mw', model: 'tso', defines: d(), states: 1332 },
  { file: 'sync/latch.mw', model: 'pso', defines: d(), states: 1332 },
];

describe('twins of impl/sync pass', () => {
  it.each(TWINS)('$file under $model $defines', ({ file, model, defines, states, unreduced }) => {
    const r = checkFile(file, model, defines);
    expect(r.verdict, describeResult(r)).toBe('pass');
    expect(r.violations).toEqual([]);
    expect(r.condition?.validated).toBe(true);
    expect(r.stats.statesStored).toBe(states);
    if (unreduced !== undefined) {
      const u = checkFile(file, model, defines, { symmetry: false, por: false, deadRegisters: false });
      expect(u.verdict, describeResult(u)).toBe('pass');
      expect(u.stats.statesStored).toBe(unreduced);
      expect(u.outcomes.map((o) => o.values)).toEqual(r.outcomes.map((o) => o.values));
    }
  });
});

/**
 * Under js (issue 15): every twin uses JavaScript's accesses only (plain and sc, RMWs and
 * wait/notify as Atomics), so each is checked under the ECMAScript model through its SC-DRF
 * route: the stateful search finds no data race, so its SC answer is JavaScript's (a race would
 * send it to the graph engine and, for a lock, fail it). The states are those of sc (js adds
 * only the race check), pinned as sc's above.
 */
const JS_TWINS: readonly { readonly file: string; readonly states: number }[] = [
  { file: 'locks/mutex.mw', states: 53 },
  { file: 'locks/spinlock.mw', states: 33 },
  { file: 'sync/semaphore.mw', states: 262 },
  { file: 'sync/barrier.mw', states: 326 },
  { file: 'sync/condvar.mw', states: 84 },
  { file: 'sync/rwlock.mw', states: 1914 },
  { file: 'sync/once.mw', states: 87 },
  { file: 'sync/latch.mw', states: 1332 },
];

describe('twins of impl/sync pass under js, race-free (SC-DRF)', () => {
  it.each(JS_TWINS)('$file under js', ({ file, states }) => {
    const r = checkFile(file, 'js');
    expect(r.verdict, describeResult(r)).toBe('pass');
    expect(r.stats.jsRoute).toBe('race-free');
    expect(r.condition?.validated).toBe(true);
    expect(r.stats.statesStored).toBe(states);
  });

  it('the ticket lock under js', () => {
    const r = checkFile('locks/ticket.mw', 'js', { N: 3, K: 2 });
    expect(r.verdict, describeResult(r)).toBe('pass');
    expect(r.stats.jsRoute).toBe('race-free');
  });
});

describe('the broken catalogue\'s plain-access designs fail under js, with the ECMAScript model\'s counterexample graph', () => {
  // Peterson's flags and turn are plain: racy, so the js model answers, and finds both threads in
  // the critical region (Unordered accesses promise nothing across threads) and the races
  it('peterson.mw: mutual exclusion broken, and the flag race named with both accesses', () => {
    const r = checkFile('locks/peterson.mw', 'js');
    expect(r.stats.jsRoute).toBe('racy');
    expect(r.verdict).toBe('fail');
    const kinds = new Set(r.violations.map((v) => v.kind));
    expect(kinds.has('mutex'), describeResult(r)).toBe(true);
    expect(kinds.has('race'), describeResult(r)).toBe(true);
    const mutex = r.violations.find((v) => v.kind === 'mutex');
    expect(mutex!.replay).toMatch(/^mg1\.js\./);
    expect(mutex!.trace.length).toBeGreaterThan(0);
    const race = r.violations.find((v) => v.kind === 'race');
    expect(race!.message).toMatch(/data race on \w+.*peterson\.mw:\d+ and .*peterson\.mw:\d+ are not ordered by happens-before/);
  });

  // the unlock is a plain store to the lock word the next locker's Atomics exchange reads: a race
  it('tas_plain_unlock.mw: the plain unlock races with the next lock; its fix passes', () => {
    const r = checkFile('broken/tas_plain_unlock.mw', 'js');
    expect(r.stats.jsRoute).toBe('racy');
    expect(r.verdict).toBe('fail');
    expect(r.violations.some((v) => v.kind === 'race'), describeResult(r)).toBe(true);
    // the pso fix (a release store) is not JavaScript: the js model names it and checks nothing
    expect(checkFile('broken/tas_plain_unlock_fixed.mw', 'js').stats.unsupported).toMatch(/`store\.rel` at .*: js has no such ordering/);
    // JavaScript's fix is Atomics.store: race-free, so SC-DRF, and the lock holds
    const text = readFileSync(EXAMPLES + 'broken/tas_plain_unlock_fixed.mw', 'utf8');
    expect(text.split('store.rel(lock, 0);')).toHaveLength(2);
    const out = compileSource('tas_sc_unlock.mw', text.replace('store.rel(lock, 0);', 'store.sc(lock, 0);'), {});
    if (out.ir === null) throw new Error('no IR');
    const fixed = check(out.ir, { model: 'js' });
    expect(fixed.verdict, describeResult(fixed)).toBe('pass');
    expect(fixed.stats.jsRoute).toBe('race-free');
  });
});

interface BrokenCase {
  readonly file: string;
  readonly fixed: string;
  readonly model: ModelName;
  readonly kind: ViolationKind;
}

/** The broken catalogue: each design, the model that breaks it, the violation, and its fixed twin. */
const BROKEN: readonly BrokenCase[] = [
  { file: 'locks/peterson.mw', fixed: 'locks/peterson_fenced.mw', model: 'tso', kind: 'mutex' },
  { file: 'broken/condvar_lost_wakeup.mw', fixed: 'broken/condvar_lost_wakeup_fixed.mw', model: 'sc', kind: 'deadlock' },
  { file: 'broken/two_flag_deadlock.mw', fixed: 'broken/two_flag_deadlock_fixed.mw', model: 'sc', kind: 'deadlock' },
  { file: 'broken/tas_plain_unlock.mw', fixed: 'broken/tas_plain_unlock_fixed.mw', model: 'pso', kind: 'condition' },
  { file: 'broken/barrier_not_reusable.mw', fixed: 'broken/barrier_not_reusable_fixed.mw', model: 'sc', kind: 'deadlock' },
];

describe('the readers-writer lock bounds how long a writer waits (rwlock_bypass.mw)', () => {
  it('the bound is reached: a reader that looked before the announcement still enters (-D BOUND=1 fails)', () => {
    const r = checkFile('sync/rwlock_bypass.mw', 'sc', { BOUND: 1 });
    expect(r.violations.map((v) => v.kind), describeResult(r)).toEqual(['assert']);
    expect(r.violations[0]?.message).toContain('more reader entries than BOUND');
  });

  it('a reader-preferring lock (readers ignore waiting writers) lets readers by again and again', () => {
    const text = readFileSync(EXAMPLES + 'sync/rwlock_bypass.mw', 'utf8');
    const guard = '      if (w > 0) {';
    expect(text.split(guard)).toHaveLength(2);
    const out = compileSource('reader_preferring.mw', text.replace(guard, '      if (w > 1000) {'), {});
    if (out.ir === null) throw new Error('no IR');
    const r = check(out.ir, { model: 'sc' });
    expect(r.violations.map((v) => v.kind), describeResult(r)).toEqual(['assert']);
    expect(r.violations[0]?.message).toContain('more reader entries than BOUND');
  });
});

describe('the broken catalogue is caught, and each fix passes', () => {
  it.each(BROKEN)('$file fails under $model with $kind', ({ file, model, kind }) => {
    const r = checkFile(file, model);
    expect(r.verdict).toBe('fail');
    const v = r.violations.find((x) => x.kind === kind);
    expect(v, describeResult(r)).toBeDefined();
    expect(v!.trace.length).toBeGreaterThan(0); // a counterexample to show
    expect(v!.replay).not.toBe('');
  });

  it.each(BROKEN)('$fixed passes under $model', ({ fixed, model }) => {
    const r = checkFile(fixed, model);
    expect(r.verdict, describeResult(r)).toBe('pass');
  });

  it('tas_plain_unlock is only broken where stores can pass each other (pso, not sc or tso)', () => {
    expect(checkFile('broken/tas_plain_unlock.mw', 'sc').verdict).toBe('pass');
    expect(checkFile('broken/tas_plain_unlock.mw', 'tso').verdict).toBe('pass');
  });

  it('the lost wake-up counterexample shows the signal landing before the wait', () => {
    const r = checkFile('broken/condvar_lost_wakeup.mw', 'sc');
    const texts = r.violations[0]!.trace.map((s) => `${s.threadName}: ${s.text}`);
    const signal = texts.indexOf('S: n = notify(cv)');
    const sleep = texts.indexOf('W: w = wait(cv, 0)');
    expect(signal).toBeGreaterThanOrEqual(0);
    expect(sleep).toBeGreaterThan(signal);
  });
});
