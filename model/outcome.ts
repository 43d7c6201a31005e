/**
 * Outcomes as value tuples: the observables' values in IrProgram.observables order, their
 * canonical key, and the final condition evaluated on such a tuple. Shared by the worker
 * harness's histograms and conformance (observed ⊆ allowed), so both roads name an outcome the
 * same way.
 */
import { assertNever, type IrCond, type IrCondTerm, type IrFinalCondition, type IrObservable, type IrProgram } from './ir.js';

/**
 * A record keyed by program names (locations, registers, params, outcome observables) with no
 * prototype: `__proto__`, `constructor` or `toString` is a key like any other (on a `{}` the
 * first would set the prototype and the others read Object.prototype's members).
 */
export function nameRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `rec[name]` when it is the record's own entry, else undefined (never an inherited member). */
export function ownValue<T>(rec: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(rec, name) ? rec[name] : undefined;
}

/** The canonical key of an outcome: the JSON array of its values. */
export function outcomeKey(values: readonly number[]): string {
  return JSON.stringify(values);
}

/** Values of an outcome given as a name → value map (as the checker reports), in observables order. */
export function valuesFromNamed(program: IrProgram, named: Readonly<Record<string, number>>): number[] {
  return program.observables.map((o) => ownValue(named, o.name) ?? 0);
}

/** Display an outcome herd-style: "P0:r0=0; P1:r0=1;". */
export function formatOutcome(program: IrProgram, values: readonly number[]): string {
  return program.observables.map((o, i) => `${o.name}=${values[i] ?? 0};`).join(' ');
}

function sameObservable(a: IrObservable, b: IrObservable): boolean {
  if (a.kind === 'reg' && b.kind === 'reg') return a.thread === b.thread && a.reg === b.reg;
  if (a.kind === 'mem' && b.kind === 'mem') return a.slot === b.slot && a.view?.width === b.view?.width && a.view?.byte === b.view?.byte;
  return false;
}

/** Evaluate a condition on an outcome tuple; null when it mentions something not observed (cannot happen for lowered programs). */
export function evalCondOnValues(program: IrProgram, cond: IrCond, values: readonly number[]): boolean | null {
  let missing = false;
  const r = evalCondBy(cond, (o) => {
    const i = program.observables.findIndex((x) => sameObservable(x.what, o));
    if (i < 0) missing = true;
    return i < 0 ? 0 : (values[i] ?? 0);
  });
  return missing ? null : r;
}

/** Evaluate a condition given the value of each observable it mentions (herd semantics of =, !=, /\, \/, =>, ~). */
/** Every observable a program's outcome reads: its observables, then those its filter and final condition name (repeats kept). */
export function observedTerms(program: IrProgram): IrObservable[] {
  const out: IrObservable[] = program.observables.map((o) => o.what);
  const walk = (c: IrCond | null): void => {
    if (c === null) return;
    switch (c.kind) {
      case 'bool':
        return;
      case 'cmp':
        for (const t of [c.left, c.right]) if (t.kind !== 'const') out.push(t);
        return;
      case 'not':
        walk(c.operand);
        return;
      default:
        walk(c.left);
        walk(c.right);
    }
  };
  walk(program.condition?.cond ?? null);
  walk(program.filter);
  return out;
}

export function evalCondBy(cond: IrCond, valueOf: (o: IrObservable) => number): boolean {
  const term = (t: IrCondTerm): number => (t.kind === 'const' ? t.value : valueOf(t));
  const go = (c: IrCond): boolean => {
    switch (c.kind) {
      case 'bool':
        return c.value;
      case 'cmp': {
        const eq = term(c.left) === term(c.right);
        return c.op === '=' ? eq : !eq;
      }
      case 'and':
        return go(c.left) && go(c.right);
      case 'or':
        return go(c.left) || go(c.right);
      case 'implies':
        return !go(c.left) || go(c.right);
      case 'not':
        return !go(c.operand);
      default:
        return assertNever(c);
    }
  };
  return go(cond);
}

/** herd's word for the kind of test a condition makes: exists → Allowed, ~exists → Forbidden, forall → Required. */
export function herdTestKind(quantifier: IrFinalCondition['quantifier']): 'Allowed' | 'Forbidden' | 'Required' {
  switch (quantifier) {
    case 'exists':
      return 'Allowed';
    case 'not exists':
      return 'Forbidden';
    case 'forall':
      return 'Required';
    default:
      return assertNever(quantifier);
  }
}

/**
 * herd's verdict on a condition from its witness counts (final states, or runs, where the
 * proposition holds / does not): validated (herd's Ok) — `exists` iff some positive, `~exists`
 * iff none, `forall` iff no negative — and the Observation word: Never (no positive), Always (no
 * negative), Sometimes. The checker and the worker harness both answer with it.
 */
export function conditionVerdict(quantifier: IrFinalCondition['quantifier'], positive: number, negative: number): { readonly validated: boolean; readonly observation: 'Never' | 'Sometimes' | 'Always' } {
  const validated = quantifier === 'exists' ? positive > 0 : quantifier === 'not exists' ? positive === 0 : negative === 0;
  return { validated, observation: positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes' };
}
