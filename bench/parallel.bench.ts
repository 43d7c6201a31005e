/**
 * `npm run bench parallel`: the parallel stateful search (`check --workers N`, cli/parallelCheck.ts)
 * against itself and the sequential search, side by side in one run: ticket N=8 and N=10 K=3 and
 * bakery N=3 K=3 (examples/locks/) under sc with every reduction on, and ticket N=4 K=2 with every
 * reduction off (the unreduced run); each on the sequential search and on 1, 2 and all workers
 * (the cores available, when more than 2); states stored, time, CPU time, states/s, the speed-up
 * over 1 worker and the states that changed threads (stats.stateSteals: work stealing,
 * checker/parallelSearch.ts). Each configuration runs REPS times and the fastest is shown (the
 * machine may be shared: the load average is printed with the numbers). Then the shard-and-merge
 * route on ticket N=8 K=3: `check --shard I/2 --engine state --format json` for I = 0, 1 (a swarm:
 * each member searches the whole space in its own order under hash compaction) and `memweave
 * merge` over the two files, as child processes, with the merged verdict beside the single run's
 * (a different verdict is an error, not a number). Measures only; never asserts times.
 * MEMWEAVE_BENCH_PARALLEL_QUICK=1: ticket N=8 only.
 *
 * A/B against an older build: MEMWEAVE_BENCH_BASELINE=DIR (the `dist/` of another checkout, built
 * with its own `npm run build`) adds, per case, AB_REPS runs on 2 workers of that build's
 * `checkParallel` and of this one's, alternating (each on a pool started beforehand), with the
 * minimum and median of each: on a shared machine alternation spreads the load over both.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compileSource } from '../model/frontend.js';
import { check } from '../checker/check.js';
import type { CheckResult } from '../checker/api.js';
import { checkParallel, coresAvailable, ParallelPool } from '../cli/parallelCheck.js';

const REPS = 2;
interface Case {
  readonly file: string;
  readonly defines: Readonly<Record<string, number>>;
  readonly label: string;
  /** every reduction off */
  readonly unreduced?: boolean;
}
/** Runs of each side in the A/B against MEMWEAVE_BENCH_BASELINE. */
const AB_REPS = 6;
const QUICK = process.env['MEMWEAVE_BENCH_PARALLEL_QUICK'] === '1';
const CASES: readonly Case[] = [
  { file: 'examples/locks/ticket.mw', defines: { N: 8, K: 3 }, label: 'ticket N=8 K=3' },
  ...(QUICK
    ? []
    : [
        { file: 'examples/locks/ticket.mw', defines: { N: 10, K: 3 }, label: 'ticket N=10 K=3' },
        { file: 'examples/locks/bakery.mw', defines: { N: 3, K: 3 }, label: 'bakery N=3 K=3' },
        { file: 'examples/locks/ticket.mw', defines: { N: 4, K: 2 }, label: 'ticket N=4 K=2, every reduction off', unreduced: true },
      ]),
];
const OFF = { symmetry: false, por: false, deadRegisters: false } as const;

/** The fastest of REPS runs: wall time, and CPU time of the whole process (every thread: shows how much of the cores the run got). */
async function best(run: () => Promise<CheckResult>): Promise<{ ms: number; cpuMs: number; r: CheckResult }> {
  let out: { ms: number; cpuMs: number; r: CheckResult } | null = null;
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const r = await run();
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    if (out === null || ms < out.ms) out = { ms, cpuMs: (used.user + used.system) / 1000, r };
  }
  return out as { ms: number; cpuMs: number; r: CheckResult };
}

/** CPU the process gets from two threads that spin for `ms` each, in cores (2.0 on an idle 2-core machine): how busy the machine is now. */
async function coresGot(ms: number): Promise<number> {
  const body = `const e = Date.now() + ${ms}; let x = 0; while (Date.now() < e) x++; require('node:worker_threads').parentPort.postMessage(x);`;
  const cpu = process.cpuUsage();
  const t = performance.now();
  const workers = [0, 1].map(() => new Worker(body, { eval: true }));
  try {
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / (performance.now() - t);
}

/** Run the parallel bench. */
export async function benchParallel(): Promise<void> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  console.log(`cores available: ${coresAvailable()}; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`two spinning threads got ${(await coresGot(1000)).toFixed(2)} cores' worth of CPU over 1 s (2.00 on an idle 2-core machine)`);
  for (const c of CASES) {
    const compiled = compileSource(c.file, readFileSync(`${root}${c.file}`, 'utf8'), { defines: c.defines });
    if (compiled.ir === null) throw new Error(`${c.file} does not compile`);
    const program = compiled.ir;
    const rows: { name: string; ms: number; cpuMs: number; r: CheckResult }[] = [];
    const options = { model: 'sc' as const, ...(c.unreduced === true ? OFF : {}) };
    rows.push({ name: 'sequential', ...(await best(async () => check(program, options))) });
    const all = coresAvailable();
    for (const workers of [...new Set([1, 2, all])]) {
      const pool = new ParallelPool(workers);
      try {
        const name = `${workers} worker${workers === 1 ? '' : 's'}${workers === all && workers > 2 ? ' (all)' : ''}`;
        rows.push({ name, ...(await best(() => checkParallel(program, options, workers, pool))) });
      } finally {
        await pool.close();
      }
    }
    const counts = new Set(rows.map((r) => `${r.r.verdict}`));
    if (counts.size !== 1) throw new Error(`${c.label}: the runs disagree on the verdict (${[...counts].join(', ')})`);
    const one = rows.find((r) => r.name === '1 worker')?.ms ?? Number.NaN;
    console.log(`\n${c.label} (sc, ${c.unreduced === true ? 'every reduction off' : 'reductions on'}), best of ${REPS}, load average ${loadavg()[0]?.toFixed(2)}:`);
    console.log('  run          verdict  states     ms       cpu ms   states/s   speed-up vs 1 worker   states stolen');
    for (const row of rows) {
      const sps = Math.round(row.r.stats.statesStored / (row.ms / 1000));
      console.log(`  ${row.name.padEnd(12)} ${row.r.verdict.padEnd(8)} ${String(row.r.stats.statesStored).padEnd(10)} ${row.ms.toFixed(0).padEnd(8)} ${row.cpuMs.toFixed(0).padEnd(8)} ${String(sps).padEnd(10)} ${`${(one / row.ms).toFixed(2)}x`.padEnd(22)} ${row.r.stats.stateSteals ?? '-'}`);
    }
  }
  shardAndMerge(root);
  const baseline = process.env['MEMWEAVE_BENCH_BASELINE'];
  if (baseline !== undefined && baseline !== '') await abRuns(root, baseline);
  console.log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

/** The shard-and-merge route, as CI runs it: two swarm members as processes, then `memweave merge`, beside the single run. */
function shardAndMerge(root: string): void {
  const bin = join(root, 'bin', 'memweave.js');
  const args = ['check', 'examples/locks/ticket.mw', '-D', 'N=8', '-D', 'K=3', '--model', 'sc', '--format', 'json'];
  const dir = mkdtempSync(join(tmpdir(), 'memweave-shards-'));
  try {
    const timed = (argv: string[]): { ms: number; out: string; code: number } => {
      const t = performance.now();
      const r = spawnSync(process.execPath, [bin, ...argv], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
      return { ms: performance.now() - t, out: r.stdout, code: r.status ?? -1 };
    };
    const single = timed([...args, '--workers', '1']);
    const files: string[] = [];
    const shardMs: number[] = [];
    for (const i of [0, 1]) {
      const r = timed([...args, '--shard', `${i}/2`, '--engine', 'state']);
      const f = join(dir, `shard${i}.json`);
      writeFileSync(f, r.out);
      files.push(f);
      shardMs.push(r.ms);
    }
    const merged = timed(['merge', ...files, '--format', 'json']);
    const verdictOf = (out: string): string => (JSON.parse(out) as { verdict: string }).verdict;
    const one = verdictOf(single.out);
    const both = verdictOf(merged.out);
    console.log('\nshard and merge (ticket N=8 K=3, sc; whole processes): `check --shard I/2 --engine state` for I = 0, 1, then `memweave merge`');
    console.log(`  single run (--workers 1)  ${single.ms.toFixed(0)} ms, ${one}, exit ${single.code}`);
    console.log(`  shards                    ${shardMs.map((m) => `${m.toFixed(0)} ms`).join(', ')} (run one after the other here; on a CI matrix side by side)`);
    console.log(`  merge                     ${merged.ms.toFixed(0)} ms, ${both}, exit ${merged.code}`);
    if (!both.startsWith(one)) throw new Error(`shard and merge: the merged verdict '${both}' is not the single run's '${one}'`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The A/B runs against the build in `dir` (MEMWEAVE_BENCH_BASELINE): 2 workers, alternating, both pools started beforehand. */
async function abRuns(root: string, dir: string): Promise<void> {
  const base = (await import(pathToFileURL(`${dir}/cli/parallelCheck.js`).href)) as { ParallelPool: typeof ParallelPool; checkParallel: typeof checkParallel };
  const workers = 2;
  console.log(`\nA/B on ${workers} workers: baseline ${dir} against this build, ${AB_REPS} runs each, alternating; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const pa = new base.ParallelPool(workers);
  const pb = new ParallelPool(workers);
  try {
    for (const c of CASES) {
      const program = compileSource(c.file, readFileSync(`${root}${c.file}`, 'utf8'), { defines: c.defines }).ir;
      if (program === null) throw new Error(`${c.file} does not compile`);
      const times: { baseline: number[]; current: number[] } = { baseline: [], current: [] };
      let states = 0;
      for (let i = 0; i < AB_REPS; i++) {
        const order = i % 2 === 0 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const);
        for (const side of order) {
          const t = performance.now();
          const options = { model: 'sc' as const, ...(c.unreduced === true ? OFF : {}) };
          const r = side === 'baseline' ? await base.checkParallel(program, options, workers, pa) : await checkParallel(program, options, workers, pb);
          times[side].push(performance.now() - t);
          states = r.stats.statesStored;
        }
      }
      const stat = (xs: number[]): { min: number; median: number } => {
        const s = [...xs].sort((a, b) => a - b);
        return { min: s[0] as number, median: s[s.length >> 1] as number };
      };
      const a = stat(times.baseline);
      const b = stat(times.current);
      console.log(`  ${c.label} (${states} states): baseline min ${a.min.toFixed(0)} / median ${a.median.toFixed(0)} ms, this build min ${b.min.toFixed(0)} / median ${b.median.toFixed(0)} ms; median ratio ${(a.median / b.median).toFixed(2)}x`);
    }
  } finally {
    await pa.close();
    await pb.close();
  }
}
