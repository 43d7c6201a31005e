/**
 * The Murphi twins in bench/rumur/ check what their .mw originals check, so the rumur comparison
 * (bench/rumur.bench.ts) compares like with like: at small bounds each twin passes in rumur as its
 * original passes in memweave, and the same seeded bug (the lock's wait removed) makes both tools
 * report the mutual-exclusion violation — the twin's invariant is not vacuous — with rumur's
 * scalarset symmetry on (exhaustive) as in the bench.
 *
 * rumur and gcc: when either is missing this test is skipped, saying so, except under
 * MEMWEAVE_REQUIRE_TOOLS=1 (.ci/run installs Debian's rumur and sets it), where it fails;
 * MEMWEAVE_SKIP_RUMUR=1 skips it in any case (test/support/tools.ts).
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
const GATE = toolGate('rumur with gcc', commandWorks('rumur', ['--version']) && commandWorks('gcc', ['--version']), 'MEMWEAVE_SKIP_RUMUR');

interface Twin {
  readonly name: string;
  readonly mw: string;
  readonly m: string;
  readonly defines: Readonly<Record<string, number>>;
  readonly bug: { readonly what: string; readonly mw: readonly [string, string]; readonly m: readonly [string, string] };
}

const TWINS: readonly Twin[] = [
  {
    name: 'ticket',
    mw: 'examples/locks/ticket.mw',
    m: 'ticket.m',
    defines: { N: 2, K: 2 },
    bug: { what: 'no wait for the ticket to be served', mw: ['await (load.sc(serving) == t);', ''], m: ['pc[p] = WAIT & serving = t[p] ==>', 'pc[p] = WAIT ==>'] },
  },
  {
    name: 'peterson',
    mw: 'examples/locks/peterson.mw',
    m: 'peterson.m',
    defines: { K: 1 },
    bug: {
      what: 'no wait',
      mw: ['await (load.plain(flag[1 - i]) == 0 || load.plain(turn) == i);', ''],
      m: ['begin for q: pid do if q != p then turn := q; end; end; pc[p] := RFLAG; end;', 'begin for q: pid do if q != p then turn := q; end; end; pc[p] := CLOAD; end;'],
    },
  },
];

function seed(text: string, [from, to]: readonly [string, string], file: string): string {
  const at = text.indexOf(from);
  expect(at, `${file} contains ${JSON.stringify(from)}`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(from, at + 1), `${file} contains ${JSON.stringify(from)} once`).toBe(-1);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** The constants N and K of a twin set to `defines`. */
function withConstants(text: string, defines: Readonly<Record<string, number>>): string {
  let out = text;
  for (const [k, v] of Object.entries(defines)) {
    const re = new RegExp(`^(\\s*${k}:\\s*)\\d+;`, 'm');
    expect(re.test(out), `the twin declares the constant ${k}`).toBe(true);
    out = out.replace(re, `$1${v};`);
  }
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'memweave-rumur-twins-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** rumur's verdict on a Murphi text: clean, or which invariant failed. */
function rumur(name: string, text: string): { clean: boolean; mutex: boolean; out: string } {
  const dir = mkdtempSync(join(work, `${name}-`));
  writeFileSync(join(dir, 'model.m'), text);
  const gen = spawnSync('rumur', ['--deadlock-detection', 'stuck', '--symmetry-reduction', 'exhaustive', 'model.m', '--output', 'model.c'], { cwd: dir, encoding: 'utf8' });
  expect(gen.status, `rumur: ${gen.stdout}${gen.stderr}`).toBe(0);
  // -O0: these state spaces are tiny, and gcc compiles rumur's C several times faster unoptimised
  const cc = spawnSync('gcc', ['-O0', '-std=c11', '-mcx16', '-o', 'verifier', 'model.c', '-lpthread', '-latomic'], { cwd: dir, encoding: 'utf8' });
  expect(cc.status, `gcc: ${cc.stderr}`).toBe(0);
  const run = spawnSync('./verifier', ['-t', '1'], { cwd: dir, encoding: 'utf8' });
  const out = `${run.stdout}${run.stderr}`;
  expect(/states, \d+ rules fired/.test(out), out).toBe(true);
  return { clean: /No error found/.test(out), mutex: /invariant "mutual exclusion" failed/.test(out), out };
}

function memweave(name: string, text: string, defines: Readonly<Record<string, number>>): string[] {
  const compiled = compileSource(`${name}.mw`, text, { defines });
  if (compiled.ir === null) throw new Error(`${name}: did not compile: ${JSON.stringify(compiled.diagnostics)}`);
  return check(compiled.ir, { model: 'sc' }).violations.map((v) => v.kind);
}

describe.skipIf(GATE.skip)(`the Murphi twins of bench/rumur check what their .mw originals check${GATE.note}`, () => {
  it('rumur and gcc are installed', () => {
    expect(commandWorks('rumur', ['--version']), 'rumur not found: apt-get install rumur (or MEMWEAVE_SKIP_RUMUR=1)').toBe(true);
    expect(commandWorks('gcc', ['--version']), 'gcc not found').toBe(true);
  });
  for (const t of TWINS) {
    const mwText = readFileSync(join(ROOT, t.mw), 'utf8');
    const mText = withConstants(readFileSync(join(ROOT, 'bench', 'rumur', t.m), 'utf8'), t.defines);
    it(`${t.name} ${JSON.stringify(t.defines)}: both pass`, () => {
      expect(memweave(t.name, mwText, t.defines)).toEqual([]);
      const r = rumur(t.name, mText);
      expect(r.clean, r.out).toBe(true);
    });
    it(`${t.name} with a seeded bug (${t.bug.what}): both report the mutual-exclusion violation`, () => {
      expect(memweave(t.name, seed(mwText, t.bug.mw, t.mw), t.defines)).toContain('mutex');
      const r = rumur(t.name, seed(mText, t.bug.m, t.m));
      expect(r.clean, r.out).toBe(false);
      expect(r.mutex, r.out).toBe(true);
    });
  }
});
