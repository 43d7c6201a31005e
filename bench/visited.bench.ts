/**
 * `npm run bench visited`: the visited set's `insert` (checker/visited.ts) against the same
 * algorithm written in C (bench/c/visited.c, compiled here with `gcc -O2`), on the same inserts,
 * side by side in one run: how much of the raw-speed gap to SPIN's `pan` (docs/checking.md, "Raw
 * speed") is the language and how much the design. The inserts are recorded from memweave's own
 * search — ticket N=4 K=3 under sc with every reduction off, the first INSERTS of them (about a
 * third new states, as the search makes them) — by wrapping VisitedSet.prototype.insert for the
 * length of that one check. Then each side replays them REPS times into a fresh set (JS in this
 * process, C as a child process reading the same words from a file); the best and the median
 * nanoseconds per insert are printed, and their ratio. Measures only; never asserts times.
 * Skipped when gcc is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource } from '../model/frontend.js';
import { check } from '../checker/check.js';
import { MemoryBudget } from '../checker/memoryBudget.js';
import { VisitedSet } from '../checker/visited.js';

const INSERTS = 3_000_000;
const REPS = 5;

/** The first `max` states the search inserts (every word of each), and the state length. */
function recordInserts(root: string, max: number): { readonly L: number; readonly n: number; readonly words: Int32Array } {
  const file = 'examples/locks/ticket.mw';
  const program = compileSource(file, readFileSync(join(root, file), 'utf8'), { defines: { N: 4, K: 3 } }).ir;
  if (program === null) throw new Error(`${file} does not compile`);
  let words: Int32Array | null = null;
  let L = 0;
  let n = 0;
  const insert = VisitedSet.prototype.insert;
  VisitedSet.prototype.insert = function (this: VisitedSet, s: Int32Array, off: number, parent: number, trans: number): number {
    if (words === null) {
      L = this.stateLength;
      words = new Int32Array(max * L);
    }
    if (n < max) words.set(s.subarray(off, off + L), n++ * L);
    return insert.call(this, s, off, parent, trans);
  };
  try {
    // about three inserts a state: the search stops soon after the first `max` inserts
    check(program, { model: 'sc', symmetry: false, por: false, deadRegisters: false, maxStates: Math.ceil(max / 2) });
  } finally {
    VisitedSet.prototype.insert = insert;
  }
  if (words === null) throw new Error('the search inserted nothing');
  return { L, n, words: (words as Int32Array).subarray(0, n * L) };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Run the comparison and print it. */
export async function benchVisited(): Promise<void> {
  console.log('\n== the visited set: checker/visited.ts against the same algorithm in C (bench/c/visited.c), the same inserts ==');
  if (spawnSync('sh', ['-c', 'command -v gcc'], { encoding: 'utf8' }).status !== 0) {
    console.log('skipped: gcc not found');
    return;
  }
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'memweave-visited-'));
  try {
    const bin = join(dir, 'visited');
    const cc = spawnSync('gcc', ['-O2', '-o', bin, join(root, 'bench', 'c', 'visited.c')], { encoding: 'utf8' });
    if (cc.status !== 0) {
      console.log(`skipped: gcc failed: ${cc.stderr.trim()}`);
      return;
    }
    const { L, n, words } = recordInserts(root, INSERTS);
    const data = join(dir, 'states.bin');
    writeFileSync(data, new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
    console.log(`ticket N=4 K=3, sc, every reduction off: ${n} inserts of ${L}-word states recorded; ${REPS} replays each; load average ${loadavg()[0]?.toFixed(2)}`);
    const js: number[] = [];
    let fresh = 0;
    for (let rep = 0; rep < REPS; rep++) {
      const v = new VisitedSet(L, new MemoryBudget(4 * 1024 * 1024 * 1024));
      const t = performance.now();
      for (let i = 0; i < n; i++) v.insert(words, i * L, -1, 0);
      js.push(((performance.now() - t) * 1e6) / n);
      fresh = v.count;
      v.dispose();
    }
    const run = spawnSync(bin, [data, String(L), String(n), String(REPS)], { encoding: 'utf8' });
    const c = [...run.stdout.matchAll(/rep \d+: (\d+) inserts, (\d+) new, ([\d.]+) ms/g)].map((m) => ({ fresh: Number(m[2]), ns: (Number(m[3]) * 1e6) / n }));
    if (run.status !== 0 || c.length !== REPS) {
      console.log(`the C replay failed (exit ${run.status}): ${run.stderr.trim()}`);
      return;
    }
    if (c.some((r) => r.fresh !== fresh)) throw new Error(`the C set stored ${c[0]?.fresh} states, the JS set ${fresh}: not the same algorithm`);
    const cNs = c.map((r) => r.ns);
    console.log(`  checker/visited.ts (JS)   best ${Math.min(...js).toFixed(0)} ns/insert, median ${median(js).toFixed(0)}   (${fresh} new states)`);
    console.log(`  bench/c/visited.c (C)     best ${Math.min(...cNs).toFixed(0)} ns/insert, median ${median(cNs).toFixed(0)}`);
    console.log(`  JS ÷ C: ${(Math.min(...js) / Math.min(...cNs)).toFixed(2)}x (best), ${(median(js) / median(cNs)).toFixed(2)}x (median)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
