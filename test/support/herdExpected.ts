/**
 * herd7's published answers pinned beside our versions of its tests (expected.json files under
 * examples/herd/), and the check of every entry against the checker: parse, refusal codes,
 * H412, herd's Observation line and States against ours (test/golden/herdC.test.ts,
 * test/golden/herdX86_64.test.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { expect } from 'vitest';
import { check } from '../../checker/check.js';
import { compileSource } from '../../model/frontend.js';

/** One test: herd's answer with its source, and ours. */
export interface HerdEntry {
  /**
   * herd's published answer: its Observation line's word and counts ("Never 0 3": executions where
   * the proposition holds / fails) and its States lines as printed; the error herd itself reports;
   * or a catalogue verdict from kinds.txt ("Allow" / "Forbid")
   */
  readonly herd: { readonly observation: string; readonly states: readonly string[] } | { readonly failure: string } | 'Allow' | 'Forbid';
  readonly source: string;
  /** ours under that model, as "Word positive negative" (absent when memweave refuses the test) */
  readonly rc11?: string;
  readonly tso?: string;
  /** do our outcomes equal herd's States? */
  readonly sameStates?: boolean;
  /** why our Observation word differs from herd's (present exactly when it does) */
  readonly differs?: string;
  /** the error codes memweave refuses the test with */
  readonly refused?: string;
}

/** An expected.json of herd answers, keyed by path from the repository root. */
export function loadHerd(path: string): Record<string, HerdEntry> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, HerdEntry>;
}

/** The .litmus files of a folder, as paths joined to it. */
export function litmusIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.litmus'))
    .map((f) => `${dir}/${f}`);
}

/** herd's state line "1:r0=0x1; [x]=2;" in memweave's outcome naming, "P1:r0=1 x=2" (terms sorted). */
export function herdState(line: string): string {
  return line
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => {
      const reg = /^([0-9]+):(\w+)=(.+)$/.exec(t);
      if (reg !== null) return `P${reg[1] ?? ''}:${reg[2] ?? ''}=${Number(reg[3])}`;
      const loc = /^\[?(\w+)\]?=(.+)$/.exec(t);
      if (loc === null) throw new Error(`unreadable herd state term "${t}"`);
      return `${loc[1] ?? ''}=${Number(loc[2])}`;
    })
    .sort()
    .join(' ');
}

/** What runHerd counts: tests, imported, agreement on the verdict (Observation word), and, over the imported tests with herd's .expected (`detailed`), on its counts and the outcome sets. */
export interface Tally {
  tests: number;
  imported: number;
  sameWord: number;
  detailed: number;
  sameCounts: number;
  sameStates: number;
}

/** Check every entry against the checker under `model`; returns the tally that is printed and pinned. */
export function runHerd(entries: Record<string, HerdEntry>, model: 'rc11' | 'tso', expectH412: boolean): Tally {
  const t: Tally = { tests: 0, imported: 0, sameWord: 0, detailed: 0, sameCounts: 0, sameStates: 0 };
  for (const [path, e] of Object.entries(entries)) {
    t.tests++;
    expect(e.source, path).toMatch(/^herdtools7 5feffe4e /);
    const c = compileSource(path, readFileSync(path, 'utf8'));
    const errors = c.diagnostics.filter((d) => d.severity === 'error');
    if (e.refused !== undefined) {
      expect(c.ir, `${path} is refused`).toBeNull();
      expect([...new Set(errors.map((d) => d.code))].join(' '), path).toBe(e.refused);
      continue;
    }
    expect(errors.map((d) => `${d.code} ${d.message}`), path).toEqual([]);
    expect(c.diagnostics.filter((d) => d.code === 'H412').length, `${path}: H412 once`).toBe(expectH412 ? 1 : 0);
    if (c.ir === null || typeof e.herd !== 'string' && 'failure' in e.herd) throw new Error(`${path}: imported, but herd has no answer or we have no IR`);
    t.imported++;
    const r = check(c.ir, { model });
    expect(r.verdict, path).not.toBe('inconclusive');
    const cond = r.condition;
    const ours = cond === null ? 'no condition' : `${cond.observation} ${cond.positive} ${cond.negative}`;
    expect(ours, path).toBe(e[model]);
    const word = ours.split(' ')[0] ?? '';
    let sameWord: boolean;
    if (typeof e.herd === 'string') {
      // kinds.txt: Allow when some execution satisfies the proposition
      sameWord = (e.herd === 'Allow') === (word !== 'Never');
    } else {
      sameWord = word === e.herd.observation.split(' ')[0];
      t.detailed++;
      if (ours === e.herd.observation) t.sameCounts++;
      const states = r.outcomes.map((o) => Object.entries(o.values).map(([k, v]) => `${k}=${v}`).sort().join(' ')).sort();
      const same = JSON.stringify(states) === JSON.stringify(e.herd.states.map(herdState).sort());
      expect(same, `${path}: outcomes ${JSON.stringify(states)} against herd's States`).toBe(e.sameStates);
      if (same) t.sameStates++;
    }
    expect(e.differs !== undefined, `${path}: a reason is given exactly when the answer differs from herd's`).toBe(!sameWord);
    if (e.differs !== undefined) expect(e.differs.length, path).toBeGreaterThan(80);
    if (sameWord) t.sameWord++;
  }
  return t;
}

/** The line a test prints. */
export function summary(what: string, t: Tally): string {
  const detail = t.detailed === 0 ? ' (herd publishes verdicts only)' : `; Observation line with herd's execution counts ${t.sameCounts}/${t.detailed}, outcome sets ${t.sameStates}/${t.detailed}`;
  return `${what}: imported ${t.imported}/${t.tests}; herd's verdict agrees ${t.sameWord}/${t.imported}${detail}`;
}
