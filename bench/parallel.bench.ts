/**
 * `npm run bench parallel`: the parallel stateful search (`check --workers N`, cli/parallelCheck.ts)
 * against itself and the sequential search, side by side in one run: ticket N=8 K=3
 * (examples/locks/ticket.mw) and bakery N=3 K=3 (examples/locks/bakery.mw) under sc, with every
 * reduction on, on the sequential search and on 1 and 2 workers; states stored, time, states/s, the speed-up over 1 worker and the states that
 * changed threads (stats.stateSteals: work stealing, checker/parallelSearch.ts). Each configuration
 * runs REPS times and the fastest is shown (the machine may be shared: the load average is printed
 * with the numbers). Measures only; never asserts times.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compileSource } from '../model/frontend.js';
import { check } from '../checker/check.js';
import type { CheckResult } from '../checker/api.js';
import { checkParallel, coresAvailable, ParallelPool } from '../cli/parallelCheck.js';

const REPS = 2;
const CASES = [
  { file: 'examples/locks/ticket.mw', defines: { N: 8, K: 3 }, label: 'ticket N=8 K=3' },
  { file: 'examples/locks/bakery.mw', defines: { N: 3, K: 3 }, label: 'bakery N=3 K=3' },
] as const;

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
    rows.push({ name: 'sequential', ...(await best(async () => check(program, { model: 'sc' }))) });
    for (const workers of [1, 2]) {
      const pool = new ParallelPool(workers);
      try {
        rows.push({ name: `${workers} worker${workers === 1 ? '' : 's'}`, ...(await best(() => checkParallel(program, { model: 'sc' }, workers, pool))) });
      } finally {
        await pool.close();
      }
    }
    const one = rows.find((r) => r.name === '1 worker')?.ms ?? Number.NaN;
    console.log(`\n${c.label} (sc, reductions on), best of ${REPS}:`);
    console.log('  run          verdict  states     ms       cpu ms   states/s   speed-up vs 1 worker   states stolen');
    for (const row of rows) {
      const sps = Math.round(row.r.stats.statesStored / (row.ms / 1000));
      console.log(`  ${row.name.padEnd(12)} ${row.r.verdict.padEnd(8)} ${String(row.r.stats.statesStored).padEnd(10)} ${row.ms.toFixed(0).padEnd(8)} ${row.cpuMs.toFixed(0).padEnd(8)} ${String(sps).padEnd(10)} ${`${(one / row.ms).toFixed(2)}x`.padEnd(22)} ${row.r.stats.stateSteals ?? '-'}`);
    }
  }
  console.log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}
