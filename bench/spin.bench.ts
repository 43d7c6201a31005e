/**
 * memweave against SPIN 6.5 on the same lock designs, side by side in one run. The Promela
 * versions are in bench/spin/*.pml, written for this comparison after examples/locks/*.mw
 * (mutual exclusion as an assert on the number of threads inside, and the final counter check).
 *
 * SPIN: installed from Debian's packages if missing (`apt-get install -y spin`); each model is
 * generated with `spin -a`, compiled with `gcc -O2 -DSAFETY -DMEMLIM=…` (partial-order reduction
 * on: no -DNOREDUCE) and run; states stored, memory and time are pan's own report, peak RSS from
 * /usr/bin/time. memweave: a child process `node bin/memweave.js check … --model sc --format json`
 * (every reduction on, the default), wall time around the child, peak RSS from /usr/bin/time
 * (or the child's own resource usage when /usr/bin/time is absent). Like pan, memweave merges
 * thread-local statements into the step before them (part of its partial-order reduction), so
 * both count stored states after merging. Then memweave with every reduction off for a few
 * seconds, for its raw speed in states per second, beside pan with its own reduction off
 * (-DNOREDUCE, stopped by -DMEMLIM at a table about the same size), and memweave alone on larger instances (its
 * reach past the point where SPIN runs out of memory).
 *
 * That each twin checks what its original checks (both pass at small bounds; the same seeded bug
 * makes both report the mutual-exclusion violation) is tested in test/bench/spinTwins.test.ts.
 *
 * Measures, never asserts. Run with `npm run bench` (all benches) or `node dist/bench/run.js spin`.
 * Env: MEMWEAVE_BENCH_SPIN_QUICK=1 skips the ticket lock at N=5 (the longest row) and the reach table.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PML = join(ROOT, 'bench', 'spin');
const BIN = join(ROOT, 'bin', 'memweave.js');
/** memory budget for both tools on the largest design, MiB (the target: ticket N=5 K=3 within 2 GB) */
const MEMORY_MIB = 2048;
/** seconds of unreduced exploration to measure raw speed */
const RAW_SECONDS = 8;
/** pan's memory bound for its raw-speed run (POR off), MiB: it stops there, at a table about the size memweave's 8 s fill (some 7 M states of 52-70 bytes) */
const RAW_PAN_MIB = 512;

/** One design, in both languages. */
interface Design {
  readonly name: string;
  readonly mw: string;
  readonly pml: string;
  readonly defines: Readonly<Record<string, number>>;
  /** a design with a target: wall time ≤ 0.5× SPIN and peak memory no higher */
  readonly target: 'time-and-memory' | 'complete-within-2GB';
}

const DESIGNS: readonly Design[] = [
  { name: 'ticket N=4 K=3', mw: 'examples/locks/ticket.mw', pml: 'ticket.pml', defines: { N: 4, K: 3 }, target: 'time-and-memory' },
  { name: 'tas N=4 K=3', mw: 'examples/locks/tas.mw', pml: 'tas.pml', defines: { N: 4, K: 3 }, target: 'time-and-memory' },
  { name: 'peterson K=3', mw: 'examples/locks/peterson.mw', pml: 'peterson.pml', defines: { K: 3 }, target: 'time-and-memory' },
  { name: 'bakery N=3 K=2', mw: 'examples/locks/bakery.mw', pml: 'bakery.pml', defines: { N: 3, K: 2 }, target: 'time-and-memory' },
  { name: 'ticket N=5 K=3', mw: 'examples/locks/ticket.mw', pml: 'ticket.pml', defines: { N: 5, K: 3 }, target: 'complete-within-2GB' },
];

/** Larger instances memweave alone is run on (SPIN already runs out of memory at ticket N=5). */
const REACH: readonly Design[] = [
  { name: 'ticket N=6 K=3', mw: 'examples/locks/ticket.mw', pml: 'ticket.pml', defines: { N: 6, K: 3 }, target: 'complete-within-2GB' },
  { name: 'ticket N=8 K=3', mw: 'examples/locks/ticket.mw', pml: 'ticket.pml', defines: { N: 8, K: 3 }, target: 'complete-within-2GB' },
  { name: 'ticket N=10 K=3', mw: 'examples/locks/ticket.mw', pml: 'ticket.pml', defines: { N: 10, K: 3 }, target: 'complete-within-2GB' },
  { name: 'tas N=6 K=3', mw: 'examples/locks/tas.mw', pml: 'tas.pml', defines: { N: 6, K: 3 }, target: 'complete-within-2GB' },
  { name: 'tas N=10 K=3', mw: 'examples/locks/tas.mw', pml: 'tas.pml', defines: { N: 10, K: 3 }, target: 'complete-within-2GB' },
  { name: 'bakery N=3 K=3', mw: 'examples/locks/bakery.mw', pml: 'bakery.pml', defines: { N: 3, K: 3 }, target: 'complete-within-2GB' },
  { name: 'bakery N=4 K=1', mw: 'examples/locks/bakery.mw', pml: 'bakery.pml', defines: { N: 4, K: 1 }, target: 'complete-within-2GB' },
];

/** What one tool reported on one design. */
interface Measure {
  readonly ok: boolean;
  readonly verdict: string;
  readonly wallS: number;
  readonly states: number;
  readonly peakMiB: number;
  readonly note: string;
}

function run(cmd: string, args: readonly string[], cwd: string, timeoutS = 900): { status: number | null; stdout: string; stderr: string; wallS: number } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: timeoutS * 1000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', wallS: (performance.now() - t0) / 1000 };
}

const haveTime = existsSync('/usr/bin/time');

/** Run a command under /usr/bin/time -f %M when available; returns the peak RSS in MiB (NaN when unknown). */
function timed(cmd: string, args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string; wallS: number; peakMiB: number } {
  if (!haveTime) return { ...run(cmd, args, cwd), peakMiB: Number.NaN };
  const r = run('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', cmd, ...args], cwd);
  const m = /MAXRSS_KB=(\d+)/.exec(r.stderr);
  return { ...r, peakMiB: m === null ? Number.NaN : Number(m[1]) / 1024 };
}

/** Runs shorter than this are repeated and the median wall time is reported (start-up noise). */
const REPEAT_UNDER_S = 1;
/** How many times a short run is repeated. */
const REPEATS = 7;

/** The median of some numbers. */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** `timed`, repeated {@link REPEATS} times when one run is shorter than {@link REPEAT_UNDER_S}: the median wall, the largest peak RSS. */
function timedStable(cmd: string, args: readonly string[], cwd: string): ReturnType<typeof timed> & { readonly runs: number } {
  const first = timed(cmd, args, cwd);
  if (first.wallS >= REPEAT_UNDER_S) return { ...first, runs: 1 };
  const all = [first];
  for (let i = 1; i < REPEATS; i++) all.push(timed(cmd, args, cwd));
  return { ...first, wallS: median(all.map((r) => r.wallS)), peakMiB: Math.max(...all.map((r) => r.peakMiB)), runs: all.length };
}

/** Make sure `spin` and `gcc` exist; install SPIN from Debian's packages if missing. */
function ensureSpin(): string | null {
  if (run('sh', ['-c', 'command -v spin'], ROOT).status !== 0) {
    console.log('spin not found: installing it with apt-get (Debian package "spin")');
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    const apt = `${sudo}env DEBIAN_FRONTEND=noninteractive apt-get`;
    const r = run('sh', ['-c', `${apt} install -y -qq spin || (${apt} update -qq && ${apt} install -y -qq spin)`], ROOT);
    if (r.status !== 0) return `could not install spin: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`;
  }
  if (run('sh', ['-c', 'command -v gcc'], ROOT).status !== 0) return 'gcc not found (needed to compile pan)';
  return null;
}

const runs = (n: number): string => (n > 1 ? `, median of ${n} runs` : '');

function measureSpin(d: Design): Measure & { readonly compileS: number } {
  const dir = mkdtempSync(join(tmpdir(), 'memweave-spin-'));
  try {
    copyFileSync(join(PML, d.pml), join(dir, d.pml));
    const defs = Object.entries(d.defines).map(([k, v]) => `-D${k}=${v}`);
    const gen = run('spin', [...defs, '-a', d.pml], dir);
    if (gen.status !== 0) return { ok: false, verdict: 'error', wallS: 0, states: 0, peakMiB: 0, note: `spin -a failed: ${gen.stdout}${gen.stderr}`, compileS: 0 };
    const cc = run('gcc', ['-O2', '-DSAFETY', `-DMEMLIM=${MEMORY_MIB}`, '-o', 'pan', 'pan.c'], dir);
    if (cc.status !== 0) return { ok: false, verdict: 'error', wallS: 0, states: 0, peakMiB: 0, note: `gcc failed: ${cc.stderr}`, compileS: 0 };
    const r = timedStable('./pan', [], dir);
    const out = r.stdout + r.stderr;
    const stored = /(\d+) states, stored/.exec(out);
    const errors = /errors: (\d+)/.exec(out);
    const mem = /([\d.]+)\s+total actual memory usage/.exec(out);
    // pan stops early (incomplete) when it reaches -DMEMLIM: "pan: reached -DMEMLIM bound" / "out of memory"
    const outOfMemory = /out of memory|MEMLIM bound/.test(out);
    const verdict = outOfMemory ? 'out of memory' : errors !== null && errors[1] === '0' ? 'pass' : errors !== null ? `${errors[1]} errors` : 'unknown';
    return {
      ok: !outOfMemory && errors !== null,
      verdict,
      wallS: r.wallS,
      states: stored === null ? 0 : Number(stored[1]),
      peakMiB: Number.isFinite(r.peakMiB) ? r.peakMiB : mem === null ? Number.NaN : Number(mem[1]),
      note: `pan memory report ${mem === null ? '?' : `${mem[1]} MB`}, compile ${(gen.wallS + cc.wallS).toFixed(1)} s (not counted)${runs(r.runs)}`,
      compileS: gen.wallS + cc.wallS,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** pan with its partial-order reduction off (-DNOREDUCE), stopped at RAW_PAN_MIB: states stored, transitions and pan's own elapsed time. */
function measureSpinRaw(d: Design): { readonly states: number; readonly transitions: number; readonly seconds: number; readonly note: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'memweave-spin-raw-'));
  try {
    copyFileSync(join(PML, d.pml), join(dir, d.pml));
    const defs = Object.entries(d.defines).map(([k, v]) => `-D${k}=${v}`);
    if (run('spin', [...defs, '-a', d.pml], dir).status !== 0) return null;
    if (run('gcc', ['-O2', '-DSAFETY', '-DNOREDUCE', `-DMEMLIM=${RAW_PAN_MIB}`, '-o', 'pan', 'pan.c'], dir).status !== 0) return null;
    const r = run('./pan', [], dir);
    const out = r.stdout + r.stderr;
    const stored = /(\d+) states, stored/.exec(out);
    const trans = /(\d+) transitions/.exec(out);
    const elapsed = /elapsed time ([\d.e+]+) seconds/.exec(out);
    if (stored === null || trans === null || elapsed === null) return null;
    return { states: Number(stored[1]), transitions: Number(trans[1]), seconds: Number(elapsed[1]), note: /MEMLIM bound|out of memory/.test(out) ? `stopped at -DMEMLIM=${RAW_PAN_MIB}` : 'complete' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface MwJson {
  readonly verdict: string;
  readonly budgetExhausted: string | null;
  readonly stats: { readonly statesStored: number; readonly transitions?: number; readonly ms: number; readonly bytesPerState?: number; readonly symmetry?: string; readonly symmetryStates?: number };
}

function measureMemweave(d: Design, extra: readonly string[] = []): Measure & { readonly json: MwJson | null } {
  const defs = Object.entries(d.defines).flatMap(([k, v]) => ['-D', `${k}=${v}`]);
  const r = timedStable(process.execPath, [BIN, 'check', d.mw, '--model', 'sc', ...defs, '--format', 'json', '--max-memory', String(MEMORY_MIB), '--workers', '1', ...extra], ROOT);
  let json: MwJson | null = null;
  try {
    json = JSON.parse(r.stdout) as MwJson;
  } catch {
    json = null;
  }
  if (json === null) return { ok: false, verdict: 'error', wallS: r.wallS, states: 0, peakMiB: r.peakMiB, note: r.stderr.trim().slice(0, 200), json };
  const verdict = json.verdict + (json.budgetExhausted !== null ? ` (${json.budgetExhausted})` : '');
  const sym = json.stats.symmetryStates !== undefined ? `, stands for ${json.stats.symmetryStates} states` : '';
  return { ok: json.verdict !== 'inconclusive', verdict, wallS: r.wallS, states: json.stats.statesStored, peakMiB: r.peakMiB, note: `check ${(json.stats.ms / 1000).toFixed(2)} s in process, ${json.stats.bytesPerState ?? '?'} B/state${sym}${runs(r.runs)}`, json };
}

const fmtS = (s: number): string => (s < 0.1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
const fmtM = (m: number): string => (Number.isFinite(m) ? `${m.toFixed(0)} MiB` : '?');

/** Run the comparison and print it. */
export async function benchSpin(): Promise<void> {
  console.log('\n== memweave vs SPIN 6.5 (pan -O2 -DSAFETY, POR on) on lock designs, sc ==');
  const missing = ensureSpin();
  if (missing !== null) {
    console.log(`skipped: ${missing}`);
    return;
  }
  const quick = process.env['MEMWEAVE_BENCH_SPIN_QUICK'] === '1';
  // the floor under every memweave wall time: Node starting and exiting with nothing to do
  const nodeFloorS = timedStable(process.execPath, ['-e', '0'], ROOT).wallS;
  const header = ['design', 'tool', 'verdict', 'wall', 'states stored', 'peak RSS', 'notes'];
  const rows: string[][] = [header];
  const summary: string[] = [];
  /** SPIN's states stored per second of pan's wall time, by design (for the raw-speed rows) */
  const spinRate = new Map<string, number>();
  for (const d of DESIGNS) {
    if (quick && d.target === 'complete-within-2GB') continue;
    const mw = measureMemweave(d);
    const sp = measureSpin(d);
    rows.push([d.name, 'memweave', mw.verdict, fmtS(mw.wallS), String(mw.states), fmtM(mw.peakMiB), mw.note]);
    rows.push(['', 'spin', sp.verdict, fmtS(sp.wallS), String(sp.states), fmtM(sp.peakMiB), sp.note]);
    if (sp.ok && sp.wallS > 0) spinRate.set(d.name, sp.states / sp.wallS);
    const tRatio = sp.wallS > 0 ? mw.wallS / sp.wallS : Number.NaN;
    const mRatio = mw.peakMiB / sp.peakMiB;
    rows.push(['', 'ratio', '', `${tRatio.toFixed(2)}x`, sp.states > 0 ? `${(mw.states / sp.states).toFixed(3)}x` : '-', `${mRatio.toFixed(2)}x`, 'memweave ÷ spin']);
    if (d.target === 'time-and-memory') {
      const met = mw.ok && sp.ok && tRatio <= 0.5 && mRatio <= 1;
      const inProcessS = (mw.json?.stats.ms ?? Number.NaN) / 1000;
      const endToEnd = `end to end, counting spin -a and gcc: ${(mw.wallS / (sp.wallS + sp.compileS)).toFixed(2)}x; memweave's check in process, as a library call: ${(inProcessS / sp.wallS).toFixed(2)}x`;
      const floor = !met && 0.5 * sp.wallS < nodeFloorS ? `; the time target, ${fmtS(0.5 * sp.wallS)}, is below Node's own start-up (${fmtS(nodeFloorS)})` : '';
      summary.push(`${d.name}: target (time ≤ 0.5× SPIN, memory ≤ SPIN) ${met ? 'met' : 'NOT met'} — time ${tRatio.toFixed(2)}x (${endToEnd}), memory ${mRatio.toFixed(2)}x${floor}`);
    } else {
      const met = mw.ok && mw.peakMiB <= MEMORY_MIB;
      summary.push(`${d.name}: target (complete within 2 GB) ${met ? 'met' : 'NOT met'} — memweave ${mw.verdict}, ${fmtM(mw.peakMiB)}; SPIN with MEMLIM=${MEMORY_MIB}: ${sp.verdict}`);
    }
  }
  const widths = header.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows) console.log(r.map((x, c) => (c === r.length - 1 ? x : x.padEnd(widths[c] ?? 0))).join('  '));
  console.log('wall: whole process (memweave: node start-up included; spin: pan only, compilation excluded); runs under 1 s: median of 7');
  console.log(`node start-up alone (node -e 0): ${fmtS(nodeFloorS)}, the floor under every memweave wall time`);
  for (const s of summary) console.log(s);

  console.log(`\n-- memweave's reach past SPIN's (every reduction on; SPIN runs out of ${MEMORY_MIB} MiB at ticket N=5 K=3) --`);
  for (const d of quick ? [] : REACH) {
    const r = measureMemweave(d, ['--time-limit', '60']);
    console.log(`${d.name.padEnd(16)} ${r.verdict.padEnd(20)} ${fmtS(r.wallS).padStart(8)} ${String(r.states).padStart(10)} states stored  peak RSS ${fmtM(r.peakMiB).padStart(8)}  ${r.note}`);
  }

  // the hot loop allocates nothing per state: the garbage collector runs a handful of times in a
  // check that stores hundreds of thousands of states (its typed arrays are allocated in chunks)
  const gcDesign = DESIGNS.find((d) => d.name.startsWith('bakery'));
  if (gcDesign !== undefined) {
    const defs = Object.entries(gcDesign.defines).flatMap(([k, v]) => ['-D', `${k}=${v}`]);
    const g = run(process.execPath, ['--trace-gc', BIN, 'check', gcDesign.mw, '--model', 'sc', ...defs, '--format', 'json'], ROOT);
    const scavenges = (g.stdout.match(/: Scavenge/g) ?? []).length;
    const compacts = (g.stdout.match(/: Mark-Compact/g) ?? []).length;
    const stored = /"statesStored": (\d+)/.exec(g.stdout)?.[1] ?? '?';
    console.log(`\n-- allocation: ${gcDesign.name}, ${stored} states stored: ${scavenges} scavenges and ${compacts} mark-compacts in the whole process (node --trace-gc) --`);
  }

  console.log(`\n-- memweave raw speed, every reduction off (--no-symmetry --no-por --no-dead-registers), ${RAW_SECONDS} s each --`);
  for (const d of DESIGNS) {
    if (d.target !== 'time-and-memory') continue;
    const r = measureMemweave(d, ['--no-symmetry', '--no-por', '--no-dead-registers', '--time-limit', String(RAW_SECONDS)]);
    const ms = r.json?.stats.ms ?? 0;
    const rate = ms > 0 ? (r.states * 1000) / ms : 0;
    const spin = spinRate.get(d.name);
    const vsSpin = spin === undefined ? '' : `; SPIN above, POR on: ${Math.round(spin)} states/s, memweave ${(rate / spin).toFixed(2)}x`;
    console.log(`${d.name.padEnd(16)} ${String(r.states).padStart(10)} states in ${(ms / 1000).toFixed(2)} s = ${Math.round(rate).toString().padStart(9)} states/s (${r.verdict}, peak RSS ${fmtM(r.peakMiB)}${vsSpin})`);
    // like for like: pan with its own reduction off on the same design, at a table of about the same size
    const raw = measureSpinRaw(d);
    if (raw === null || raw.seconds <= 0 || ms <= 0) {
      console.log(`${''.padEnd(16)} pan -DNOREDUCE: ${raw === null ? "could not be measured" : "finished within one tick of its clock (0 s): too small to time"}`);
      continue;
    }
    const panRate = raw.states / raw.seconds;
    const mwTrans = ((r.json?.stats.transitions ?? 0) * 1000) / ms;
    const panTrans = raw.transitions / raw.seconds;
    console.log(
      `${''.padEnd(16)} pan -DNOREDUCE: ${raw.states} states in ${raw.seconds.toFixed(2)} s = ${Math.round(panRate).toString().padStart(9)} states/s (${raw.note}); ` +
        `memweave ${(rate / panRate).toFixed(2)}x its states/s, ${(mwTrans / panTrans).toFixed(2)}x its transitions/s (${(mwTrans / 1e6).toFixed(2)} M against ${(panTrans / 1e6).toFixed(2)} M)`,
    );
  }
}
