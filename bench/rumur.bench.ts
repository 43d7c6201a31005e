/**
 * memweave against rumur (the Murphi verifier, Debian package `rumur`) on symmetric lock designs,
 * side by side in one run: states stored and wall time. The Murphi twins are in bench/rumur/*.m,
 * written after examples/locks/*.mw with the thread index a scalarset, so rumur's symmetry
 * reduction (Ip & Dill, FMSD 9, 1996) applies; memweave's is checker/symmetry.ts (plain template
 * symmetry for the ticket lock, scalarset symmetry for Peterson).
 *
 * rumur: the model's constants rewritten (N, K), `rumur --deadlock-detection stuck
 * --symmetry-reduction exhaustive|heuristic`, the C compiled with `gcc -O2 -std=c11 -mcx16
 * -lpthread -latomic`, run with one thread (`-t 1`); states are its own report, time the wall
 * time of the run (compilation not counted). Exhaustive is Murphi's canonical form (every
 * permutation tried, as memweave's scalarset canonicaliser does); heuristic (rumur's default) sorts
 * and may keep several representatives per orbit. memweave: a child process `node bin/memweave.js
 * check … --model sc --format json`, default reductions and with --no-por (rumur has no
 * partial-order reduction), wall time around the child.
 *
 * The twins are not step-for-step copies: memweave counts its loop counter, its critical-region
 * occupancy and the steps of an `await` as state, rumur's twins keep a pc per thread; so the
 * state counts of the two differ by a constant factor, and the reduction each gets from symmetry
 * is the thing to compare (unreduced ÷ reduced, printed). That each twin checks what its original
 * checks is tested in test/bench/rumurTwins.test.ts.
 *
 * Measured (this project's 2-core machine shared with other jobs, 2026-12-04; the table in
 * docs/checking.md, "Symmetry reduction"): `MEMWEAVE_BENCH_RUMUR_QUICK=1 node dist/bench/run.js
 * rumur` at load average 2.4 — ticket N=4 K=3: rumur 1,730 states (35,416 without symmetry,
 * 20.5×) in 22 ms exhaustive, 14 ms heuristic; memweave 2,408 (49,480, 20.5×) in 0.16 s with every
 * reduction on, 28,302 (585,873, 20.7×) in 0.23 s with --no-por. Peterson K=3: rumur 230 (458,
 * 1.99×) in 4 ms; memweave 347 (692, 1.99×) in 0.14 s. Ticket N=8 K=3 (single runs): rumur
 * heuristic 164,775 states in 51 s (load 2–3), exhaustive not finished after 1,500 s (866 s of CPU, load
 * 8–9); memweave 230,619 in 3.9 s (11.2 M in 226 s with --no-por). The issue quoted rumur at 1,391
 * states for N=4 (0.02 s) and 131,853 for N=8 (88 s) with
 * another twin: the counts depend on how a twin splits the steps, the reduction factor does not.
 *
 * Measures, never asserts. Env: MEMWEAVE_BENCH_RUMUR_QUICK=1 skips ticket N=8 (rumur's
 * exhaustive canonicalisation tries 8! = 40,320 permutations per state there).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODELS = join(ROOT, 'bench', 'rumur');
const BIN = join(ROOT, 'bin', 'memweave.js');
/** the longest a single rumur or memweave run may take, seconds */
const TIMEOUT_S = 600;

/** One design, in both languages. */
interface Design {
  readonly name: string;
  readonly mw: string;
  readonly m: string;
  readonly defines: Readonly<Record<string, number>>;
  /** too large to run unreduced (symmetry off): those columns stay empty */
  readonly large?: boolean;
}

const DESIGNS: readonly Design[] = [
  { name: 'ticket N=4 K=3', mw: 'examples/locks/ticket.mw', m: 'ticket.m', defines: { N: 4, K: 3 } },
  { name: 'peterson K=3', mw: 'examples/locks/peterson.mw', m: 'peterson.m', defines: { K: 3 } },
  { name: 'ticket N=8 K=3', mw: 'examples/locks/ticket.mw', m: 'ticket.m', defines: { N: 8, K: 3 }, large: true },
];

function run(cmd: string, args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string; wallS: number; timedOut: boolean } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: TIMEOUT_S * 1000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', wallS: (performance.now() - t0) / 1000, timedOut: r.status === null && r.signal !== null };
}

/** The Murphi source of a twin with its constants set. */
export function murphiSource(file: string, defines: Readonly<Record<string, number>>): string {
  let text = readFileSync(join(MODELS, file), 'utf8');
  for (const [k, v] of Object.entries(defines)) text = text.replace(new RegExp(`^(\\s*${k}:\\s*)\\d+;`, 'm'), `$1${v};`);
  return text;
}

/** What rumur reported: states, errors found, wall time of the verifier; or why it did not run. */
export interface RumurResult {
  readonly ok: boolean;
  readonly states: number;
  readonly errors: number;
  readonly wallS: number;
  readonly output: string;
  /** stopped at TIMEOUT_S */
  readonly timedOut: boolean;
}

/** Whether rumur and gcc are installed. */
function rumurAvailable(): boolean {
  return run('sh', ['-c', 'command -v rumur && command -v gcc'], ROOT).status === 0;
}

/** Generate, compile and run a Murphi model with rumur (null: rumur or gcc missing). */
export function runRumur(source: string, symmetry: 'exhaustive' | 'heuristic' | 'off'): RumurResult | null {
  if (!rumurAvailable()) return null;
  const dir = mkdtempSync(join(tmpdir(), 'memweave-rumur-'));
  try {
    writeFileSync(join(dir, 'model.m'), source);
    const gen = run('rumur', ['--deadlock-detection', 'stuck', '--symmetry-reduction', symmetry, 'model.m', '--output', 'model.c'], dir);
    if (gen.status !== 0) return { ok: false, states: 0, errors: 0, wallS: 0, output: `rumur failed: ${gen.stdout}${gen.stderr}`, timedOut: false };
    const cc = run('gcc', ['-O2', '-std=c11', '-mcx16', '-o', 'verifier', 'model.c', '-lpthread', '-latomic'], dir);
    if (cc.status !== 0) return { ok: false, states: 0, errors: 0, wallS: 0, output: `gcc failed: ${cc.stderr}`, timedOut: false };
    const r = run('./verifier', ['-t', '1'], dir);
    const out = r.stdout + r.stderr;
    const states = /(\d+) states, \d+ rules fired/.exec(out);
    const errors = /(\d+) error\(s\) found/.exec(out);
    const clean = /No error found/.test(out);
    return { ok: states !== null && (clean || errors !== null), states: states === null ? 0 : Number(states[1]), errors: clean ? 0 : Number(errors?.[1] ?? -1), wallS: r.wallS, output: out, timedOut: r.timedOut };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function memweave(d: Design, extra: readonly string[]): { verdict: string; states: number; wallS: number; symmetry: string } {
  const defs = Object.entries(d.defines).flatMap(([k, v]) => ['-D', `${k}=${v}`]);
  const r = run(process.execPath, [BIN, 'check', d.mw, '--model', 'sc', ...defs, '--format', 'json', '--workers', '1', ...extra], ROOT);
  try {
    const j = JSON.parse(r.stdout) as { verdict: string; stats: { statesStored: number; symmetry?: string } };
    return { verdict: j.verdict, states: j.stats.statesStored, wallS: r.wallS, symmetry: j.stats.symmetry ?? '?' };
  } catch {
    return { verdict: 'error', states: 0, wallS: r.wallS, symmetry: r.stderr.trim().slice(0, 120) };
  }
}

const fmtS = (s: number): string => (s < 0.1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);

/** Run the comparison and print it. */
export async function benchRumur(): Promise<void> {
  console.log('\n== memweave vs rumur (Murphi, scalarset symmetry) on symmetric lock designs, sc ==');
  const quick = process.env['MEMWEAVE_BENCH_RUMUR_QUICK'] === '1';
  const rows: string[][] = [['design', 'tool', 'verdict', 'wall', 'states stored', 'unreduced', 'reduction']];
  for (const d of DESIGNS) {
    if (quick && d.large === true) continue;
    if (!rumurAvailable()) {
      console.log('skipped: rumur or gcc not found (Debian package "rumur")');
      return;
    }
    const src = murphiSource(d.m, d.defines);
    const off = d.large === true ? null : runRumur(src, 'off');
    for (const sym of ['exhaustive', 'heuristic'] as const) {
      const r = runRumur(src, sym);
      if (r === null) continue;
      const verdict = r.timedOut ? `stopped at ${TIMEOUT_S} s` : !r.ok ? 'error' : r.errors === 0 ? 'pass' : `${r.errors} errors`;
      const unreduced = off === null ? '—' : off.ok ? String(off.states) : '?';
      rows.push([d.name, `rumur (${sym})`, verdict, fmtS(r.wallS), String(r.states), unreduced, off?.ok === true && r.states > 0 ? `${(off.states / r.states).toFixed(2)}×` : '—']);
    }
    for (const [label, extra] of [['memweave', []], ['memweave --no-por', ['--no-por']]] as const) {
      const on = memweave(d, extra);
      const unreduced = d.large === true ? null : memweave(d, [...extra, '--no-symmetry']);
      const factor = unreduced !== null && unreduced.states > 0 && on.states > 0 ? `${(unreduced.states / on.states).toFixed(2)}×` : '—';
      rows.push([d.name, label, on.verdict, fmtS(on.wallS), String(on.states), unreduced === null ? '—' : String(unreduced.states), `${factor} (symmetry ${on.symmetry})`]);
    }
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
  console.log('unreduced: the same tool with symmetry off (rumur --symmetry-reduction off; memweave --no-symmetry), the other options equal; — : not run (too large)');
}
