/**
 * Worker harness throughput and yield (issue 20): memweave's harness against the baseline of
 * bench/baselineHarness.ts (10,000 instances a round, one spin rendezvous per instance) on SB,
 * MP, LB, IRIW and 2+2W with plain accesses, side by side in one run. For each harness and test:
 * iterations per second, yield (the share of iterations showing the test's target outcome, its
 * `exists` condition) and target outcomes per second, each the spread (min–max) of several runs,
 * run back to back, alternating harnesses. Conditions: quiet, and with two CPU-bound processes
 * beside it (`loaded`), as the issue asks.
 *
 * Environment: MEMWEAVE_BENCH_ITERATIONS (default 400000 per run), MEMWEAVE_BENCH_RUNS (default
 * 3), MEMWEAVE_BENCH_CONDITIONS (default "quiet,loaded"), MEMWEAVE_BENCH_TESTS (default all five),
 * MEMWEAVE_BENCH_RUN_OPTIONS (extra `run` options for memweave's side as JSON RunOptions, e.g.
 * the output of `run --tune`), MEMWEAVE_BENCH_TUNE (seconds: tune each test first with
 * `tuneOnWorkers` and add a third row, memweave with the tuned setting). It measures and prints;
 * it never asserts times.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { compileSource } from '../model/frontend.js';
import type { IrProgram } from '../model/ir.js';
import { evalCondOnValues } from '../model/outcome.js';
import { runOnWorkers, type RunOptions } from '../impl/harness.js';
import { settingOptions, tuneOnWorkers } from '../impl/tune.js';
import { BASELINE_TESTS, runBaseline } from './baselineHarness.js';

const FILES: Readonly<Record<string, string>> = { SB: 'SB.mw', MP: 'MP.mw', LB: 'LB.mw', IRIW: 'IRIW.mw', '2+2W': '2+2W.mw' };

function ir(name: string): IrProgram {
  const path = new URL(`../../examples/litmus/${FILES[name] ?? ''}`, import.meta.url);
  const r = compileSource(FILES[name] ?? name, readFileSync(path, 'utf8'));
  if (r.ir === null) throw new Error(`internal: examples/litmus/${FILES[name] ?? name} does not compile`);
  return r.ir;
}

interface Sample {
  readonly rate: number;
  readonly yieldShare: number;
  readonly targetRate: number;
}

async function memweaveSample(p: IrProgram, iterations: number, extra: RunOptions, seed: number): Promise<Sample> {
  const r = await runOnWorkers(p, { iterations, seed, ...extra });
  let targets = 0;
  for (const [k, n] of r.histogram) if (p.condition !== null && evalCondOnValues(p, p.condition.cond, JSON.parse(k) as number[]) === true) targets += n;
  // the batches' time: worker start-up is left out, as the baseline leaves it out (it starts its clock once its workers run)
  const secs = Math.max(1, r.ms - r.startupMs) / 1000;
  return { rate: r.iterations / secs, yieldShare: targets / Math.max(1, r.iterations), targetRate: targets / secs };
}

async function baselineSample(name: string, iterations: number): Promise<Sample> {
  const t = BASELINE_TESTS.find((b) => b.name === name);
  if (t === undefined) throw new Error(`internal: no baseline for ${name}`);
  const r = await runBaseline(t, Math.max(1, Math.round(iterations / 10_000)));
  const secs = r.ms / 1000;
  return { rate: r.iterations / secs, yieldShare: r.targets / r.iterations, targetRate: r.targets / secs };
}

const spread = (xs: readonly number[], f: (x: number) => string): string => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? f(lo) : `${f(lo)}–${f(hi)}`;
};
const k = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** Two CPU-bound processes beside the bench (the issue's "loaded" condition); ended by pid. */
function startLoad(): ChildProcess[] {
  return [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

/** Run the harness benchmark and print one table per condition. */
export async function benchHarness(): Promise<void> {
  const iterations = Number(process.env['MEMWEAVE_BENCH_ITERATIONS'] ?? 400_000);
  const runs = Math.max(1, Number(process.env['MEMWEAVE_BENCH_RUNS'] ?? 3));
  const conditions = (process.env['MEMWEAVE_BENCH_CONDITIONS'] ?? 'quiet,loaded').split(',');
  const tests = (process.env['MEMWEAVE_BENCH_TESTS'] ?? 'SB,MP,LB,IRIW,2+2W').split(',');
  const extra = JSON.parse(process.env['MEMWEAVE_BENCH_RUN_OPTIONS'] ?? '{}') as RunOptions;
  const tuneSecs = Number(process.env['MEMWEAVE_BENCH_TUNE'] ?? 0);
  console.log('\n== worker harness: memweave vs baseline (10,000 instances a round, one spin rendezvous each) ==');
  console.log(`${iterations} iterations a run, ${runs} runs each, spread min–max; memweave options ${JSON.stringify(extra)}`);
  for (const condition of conditions) {
    const load = condition === 'loaded' ? startLoad() : [];
    try {
      if (load.length > 0) await new Promise((r) => setTimeout(r, 300));
      console.log(`\n-- ${condition} (load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}) --`);
      console.log('test  harness    iterations/s      yield              target/s          target/s ratio; iterations/s ratio (medians)');
      for (const name of tests) {
        const p = ir(name);
        const ours: Sample[] = [];
        const base: Sample[] = [];
        const tunedSamples: Sample[] = [];
        let tuned: RunOptions | null = null;
        let tunedText = '';
        if (tuneSecs > 0) {
          const t = await tuneOnWorkers(p, { timeMs: tuneSecs * 1000, seed: 1 });
          if (t.best !== null) {
            tuned = settingOptions(t.best.setting);
            const b = t.best.setting;
            tunedText = `${b.sync} ${b.padding}${b.shuffle ? ' shuffle' : ''} delay ${b.delay} stride ${b.stride}${b.permute ? ' permute' : ''}`;
          }
        }
        for (let i = 0; i < runs; i++) {
          base.push(await baselineSample(name, iterations));
          ours.push(await memweaveSample(p, iterations, extra, i + 1));
          if (tuned !== null) tunedSamples.push(await memweaveSample(p, iterations, { ...extra, ...tuned }, i + 1));
        }
        const row = (h: string, s: readonly Sample[], ratio: string): string =>
          `${name.padEnd(5)} ${h.padEnd(9)}  ${spread(s.map((x) => x.rate), k).padEnd(16)}  ${spread(s.map((x) => x.yieldShare), pct).padEnd(17)}  ${spread(s.map((x) => x.targetRate), k).padEnd(16)}  ${ratio}`;
        const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
        const med = (s: readonly Sample[]): number => median(s.map((x) => x.targetRate));
        const mb = med(base);
        const rb = median(base.map((x) => x.rate));
        console.log(row('baseline', base, ''));
        const ratio = (s: readonly Sample[]): string => `${mb === 0 ? (med(s) === 0 ? '(none seen)' : 'inf') : `${(med(s) / mb).toFixed(2)}×`}; ${(median(s.map((x) => x.rate)) / rb).toFixed(2)}× iterations/s`;
        console.log(row('memweave', ours, ratio(ours)));
        if (tunedSamples.length > 0) console.log(row('mw tuned', tunedSamples, `${ratio(tunedSamples)}  [${tunedText}]`));
      }
    } finally {
      for (const c of load) c.kill('SIGKILL');
    }
  }
}
