/**
 * The Promela twins in bench/spin/ check what their .mw originals check, so the SPIN comparison
 * compares like with like: at small bounds each twin passes in SPIN as its original passes in
 * memweave, and the same seeded bug (the lock's wait removed, or its atomic test-and-set split
 * in two) makes both tools report a mutual-exclusion violation — the ghost `inside` assertion is
 * not vacuous, and the twins model the same accesses.
 *
 * SPIN and gcc: when either is missing this test is skipped, saying so, except under
 * MEMWEAVE_REQUIRE_TOOLS=1 (.ci/run installs Debian's spin and sets it), where it fails;
 * MEMWEAVE_SKIP_SPIN=1 skips it in any case (test/support/tools.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../checker/check.js';
import { compileSource } from '../../model/frontend.js';
import { commandWorks, toolGate } from '../support/tools.js';

const ROOT = join(import.meta.dirname, '..', '..');
const GATE = toolGate('SPIN with gcc', commandWorks('spin', ['-V']) && commandWorks('gcc', ['--version']), 'MEMWEAVE_SKIP_SPIN');

/** One design at a small bound, with one bug seeded the same way in both languages. */
interface Twin {
  readonly name: string;
  readonly mw: string;
  readonly pml: string;
  readonly defines: Readonly<Record<string, number>>;
  /** the bug: a text replaced in the .mw file and its counterpart in the .pml file */
  readonly bug: { readonly what: string; readonly mw: readonly [string, string]; readonly pml: readonly [string, string] };
}

const TWINS: readonly Twin[] = [
  {
    name: 'ticket',
    mw: 'examples/locks/ticket.mw',
    pml: 'ticket.pml',
    defines: { N: 2, K: 2 },
    bug: { what: 'no wait for the ticket to be served', mw: ['await (load.sc(serving) == t);', ''], pml: ['(serving == t);', 'skip;'] },
  },
  {
    name: 'tas',
    mw: 'examples/locks/tas.mw',
    pml: 'tas.pml',
    defines: { N: 2, K: 1 },
    bug: {
      what: 'the first test-and-set split into a load and a store',
      mw: ['t = exchange.sc(lock, 1);            // test-and-set', 't = load.sc(lock);\n    store.sc(lock, 1);'],
      pml: ['atomic { t = lock; lock = 1 };          /* t = exchange.sc(lock, 1) */', 't = lock; lock = 1;'],
    },
  },
  {
    name: 'peterson',
    mw: 'examples/locks/peterson.mw',
    pml: 'peterson.pml',
    defines: { K: 1 },
    bug: { what: 'no wait', mw: ['await (load.plain(flag[1 - i]) == 0 || load.plain(turn) == i);', ''], pml: ['(flag[1 - _pid] == 0 || turn == _pid);', 'skip;'] },
  },
  {
    name: 'bakery',
    mw: 'examples/locks/bakery.mw',
    pml: 'bakery.pml',
    defines: { N: 2, K: 1 },
    bug: { what: 'no wait for a thread still choosing its number', mw: ['await (load.sc(choosing[j]) == 0);', ''], pml: ['(choosing[j] == 0);', 'skip;'] },
  },
];

/** Replace exactly one occurrence (a twin that drifts from its bug text must fail here, not pass vacuously). */
function seed(text: string, [from, to]: readonly [string, string], file: string): string {
  const at = text.indexOf(from);
  expect(at, `${file} contains ${JSON.stringify(from)}`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(from, at + 1), `${file} contains ${JSON.stringify(from)} once`).toBe(-1);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const work = mkdtempSync(join(tmpdir(), 'memweave-spin-twins-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** SPIN's verdict on a Promela text: the number of errors and whether an assertion on `inside` failed. */
function spin(name: string, text: string, defines: Readonly<Record<string, number>>): { errors: number; mutex: boolean; out: string } {
  const dir = mkdtempSync(join(work, `${name}-`));
  writeFileSync(join(dir, 'model.pml'), text);
  const defs = Object.entries(defines).map(([k, v]) => `-D${k}=${v}`);
  const gen = spawnSync('spin', [...defs, '-a', 'model.pml'], { cwd: dir, encoding: 'utf8' });
  expect(gen.status, `spin -a: ${gen.stdout}${gen.stderr}`).toBe(0);
  const cc = spawnSync('gcc', ['-O2', '-DSAFETY', '-o', 'pan', 'pan.c'], { cwd: dir, encoding: 'utf8' });
  expect(cc.status, `gcc: ${cc.stderr}`).toBe(0);
  // -w20: a 1 M-slot hash table is plenty at these bounds and starts faster than pan's default
  const run = spawnSync('./pan', ['-w20'], { cwd: dir, encoding: 'utf8' });
  const out = `${run.stdout}${run.stderr}`;
  const errors = /errors: (\d+)/.exec(out);
  expect(errors, out).not.toBeNull();
  return { errors: Number(errors?.[1]), mutex: /assertion violated \(inside==1\)/.test(out), out };
}

/** memweave's verdict (sc) on a .mw text: the violation kinds. */
function memweave(name: string, text: string, defines: Readonly<Record<string, number>>): string[] {
  const compiled = compileSource(`${name}.mw`, text, { defines });
  if (compiled.ir === null) throw new Error(`${name}: did not compile: ${JSON.stringify(compiled.diagnostics)}`);
  return check(compiled.ir, { model: 'sc' }).violations.map((v) => v.kind);
}

describe.skipIf(GATE.skip)(`the Promela twins of bench/spin check what their .mw originals check${GATE.note}`, () => {
  it('spin and gcc are installed', () => {
    expect(commandWorks('spin', ['-V']), 'spin not found: apt-get install spin (or MEMWEAVE_SKIP_SPIN=1)').toBe(true);
    expect(commandWorks('gcc', ['--version']), 'gcc not found').toBe(true);
  });

  for (const t of TWINS) {
    const mwText = readFileSync(join(ROOT, t.mw), 'utf8');
    const pmlText = readFileSync(join(ROOT, 'bench', 'spin', t.pml), 'utf8');

    it(`${t.name} ${JSON.stringify(t.defines)}: both pass`, () => {
      expect(memweave(t.name, mwText, t.defines)).toEqual([]);
      const s = spin(t.name, pmlText, t.defines);
      expect(s.errors, s.out).toBe(0);
    });

    it(`${t.name} with a seeded bug (${t.bug.what}): both report the mutual-exclusion violation`, () => {
      expect(memweave(t.name, seed(mwText, t.bug.mw, t.mw), t.defines)).toContain('mutex');
      const s = spin(t.name, seed(pmlText, t.bug.pml, t.pml), t.defines);
      expect(s.errors, s.out).toBeGreaterThan(0);
      expect(s.mutex, s.out).toBe(true);
    });
  }
});
