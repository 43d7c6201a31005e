/**
 * `memweave conform FILE`: run the program on real workers, model-check it, and hold the
 * observations against the model: every observed outcome must be allowed (observed ⊆ allowed).
 * An observed outcome the model forbids is a hard failure naming the outcome and how often it
 * was seen; allowed outcomes never observed are listed as information, with the coverage ratio.
 * With `--model all`, a table says for each model whether the observations are consistent with it.
 *
 * Exit codes: 0 consistent, 1 an observation a model forbids (with `--model all`: any row that is
 * not consistent, as `check --model all` exits 1 when any model fails), or a hang, 2 usage or
 * input error, 3 the checker was inconclusive, 130 interrupted.
 */
import type { IrProgram } from '../../model/ir.js';
import { formatOutcome, outcomeKey, valuesFromNamed } from '../../model/outcome.js';
import { MODEL_NAMES, type CheckResult, type ModelName } from '../../checker/api.js';
import { check } from '../../checker/check.js';
import { checkReadLogs, readLogIneligible, readLogNeedsRaceFreedom, type ReadLogCheck } from '../../checker/readExplain.js';
import { DEFINE_OPTION, FORMAT_OPTION, FORMATS, isFormat, parseCommandArgs, type Format } from '../args.js';
import { intOption, loadProgram, usageError } from '../input.js';
import { renderRun, runProgress, runWithInterrupt } from '../runOnHardware.js';
import { interruptedExit, interruptedLine } from '../interrupt.js';
import { EXIT, type CliIo, type CommandBody } from '../types.js';
import { DEFAULT_MODEL, MODEL_ALTERNATIVES, drfModelOf, hardwareModelOf } from '../models.js';

const OPTIONS = {
  ...DEFINE_OPTION,
  ...FORMAT_OPTION,
  model: { type: 'string', short: 'm' },
  iterations: { type: 'string', short: 'n' },
  seed: { type: 'string' },
  'time-limit': { type: 'string' },
  'max-states': { type: 'string' },
  'no-read-check': { type: 'boolean' },
} as const;

/** Reads each thread's log keeps per iteration (the read check: checker/readExplain.ts). */
export const READ_LOG_CAP = 64;

export { conformance, renderOne, type Conformance } from '../conformance.js';
import { conformance, renderOne, type Conformance } from '../conformance.js';

/** The `conform` command. */
export const conformCommand: CommandBody = {
  name: 'conform',
  usage: [
    `usage: memweave conform FILE [--model ${MODEL_ALTERNATIVES}|all] [--iterations N] [--seed S] [-D NAME=VALUE]... [--format text|json]`,
    '',
    'Runs FILE on worker_threads (as `memweave run`) and model-checks it (as `memweave check`), then',
    'compares: an observed outcome the model forbids is a failure (exit 1) naming the outcome and how',
    'often it was seen; allowed outcomes never observed are listed with the coverage ratio.',
    'With --model all, a table: for each model, whether the observations are consistent with it.',
    'Under js, the observations are also compared with this machine\'s model (tso on x86): each must be',
    'allowed by both, and outcomes js allows that the hardware model forbids are listed.',
    'When every shared access is sc (and there is no wait or notify), each iteration\'s reads are',
    'checked as well: the values each thread read, in order, must have a sequentially consistent',
    'explanation (as V8\'s atomics-stress test checks); one without is a failure like a forbidden outcome.',
    '',
    'options:',
    '  -m, --model M            sc (default), tso, pso, js, or all',
    '  -n, --iterations N       iterations on workers (default 100000)',
    '  --seed S                 seed for the run (default 1; env MEMWEAVE_SEED)',
    '  --time-limit SECONDS     time limit for the run',
    '  --max-states N           state budget for the checker',
    '  -D, --define NAME=VALUE  override a param (repeatable)',
    `  --no-read-check          compare final outcomes only (no per-iteration read log)`,
    '  --format text|json       text (default) or JSON on stdout',
    '  -h, --help               show this help',
    '',
    'exit: 0 consistent, 1 an observation a model forbids (--model all: any row), 2 usage or input error, 3 checker inconclusive, 130 interrupted',
  ].join('\n'),
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseCommandArgs(argv, OPTIONS, { choices: { format: FORMATS, model: [...MODEL_NAMES, 'all'] }, positionals: ['FILE'] });
    if (!args.ok) return usageError(io, 'conform', args.message);
    const v = args.values;
    const format: Format = isFormat(v.format) ? v.format : 'text';
    const iterations = intOption('iterations', v.iterations, 1);
    const seedOpt = intOption('seed', v.seed ?? process.env['MEMWEAVE_SEED'], 0);
    const maxStates = intOption('max-states', v['max-states'], 1);
    const tl = v['time-limit'] === undefined ? null : Number(v['time-limit']);
    for (const o of [iterations, seedOpt, maxStates]) if (typeof o === 'string') return usageError(io, 'conform', o);
    if (tl !== null && !(tl > 0)) return usageError(io, 'conform', `--time-limit expects a positive number, got '${v['time-limit'] ?? ''}'`);
    const path = args.positionals[0] ?? '';
    const loaded = loadProgram(io, format, path, v.define);
    if (!loaded.ok) return loaded.exit;
    const program = loaded.program;
    const modelArg = v.model ?? DEFAULT_MODEL;
    const asked: readonly ModelName[] = modelArg === 'all' ? MODEL_NAMES : [modelArg as ModelName];
    // under a language's model (js) the observations must be allowed by the hardware's model too: this machine's (tso on x86)
    const hardware = hardwareModelOf(process.arch);
    const models: readonly ModelName[] = asked.some((m) => drfModelOf(m) !== undefined) && hardware !== null && !asked.includes(hardware) ? [...asked, hardware] : asked;
    // Check first: a checker budget problem is reported before spending time on workers.
    const checked = models.map((model) => check(program, { model, now: () => io.now(), ...(typeof maxStates === 'number' ? { maxStates } : {}) }));
    const seed = typeof seedOpt === 'number' ? seedOpt : 1;
    const progress = runProgress(io);
    const readsWhyNot = v['no-read-check'] === true ? 'turned off (--no-read-check)' : readCheckWhyNot(program, io, typeof maxStates === 'number' ? maxStates : undefined);
    const { result: run, interrupted, signal } = await runWithInterrupt(program, {
      iterations: typeof iterations === 'number' ? iterations : 100_000,
      seed,
      ...(tl !== null ? { timeLimitMs: tl * 1000 } : {}),
      ...(readsWhyNot === null ? { readLog: READ_LOG_CAP } : {}),
      ...progress.options,
    }, io.signals);
    progress.clear();
    const table = checked.map((c) => conformance(program, run, c));
    const reads = run.readLogs === null || interrupted || run.failure !== null ? null : checkReadLogs(program, run.readLogs);
    const readsFail = reads !== null && reads.unexplained.length > 0;
    // a model that does not model the program (S316) is a row that says so, and counts for no verdict; none modelling it is inconclusive
    const modelled = table.filter((t) => t.notModelled === null);
    const inconclusive = modelled.length === 0 || modelled.some((t) => t.verdict === 'inconclusive') || (reads !== null && reads.unknown > 0 && !readsFail);
    const beyond = specBeyondHardware(program, checked, hardware);
    if (format === 'json') {
      io.stdout(
        JSON.stringify(
          {
            schemaVersion: 1,
            test: program.name,
            iterations: run.iterations,
            seed,
            histogram: [...run.histogram.entries()].map(([k, count]) => ({ outcome: Object.fromEntries(program.observables.map((o, i) => [o.name, (JSON.parse(k) as number[])[i] ?? 0])), count })),
            hang: run.hang,
            failure: run.failure,
            interrupted,
            models: table.map((t, i) => ({
              model: t.model,
              consistent: t.notModelled === null ? t.consistent : null,
              ...(t.notModelled === null ? {} : { notModelled: t.notModelled }),
              racy: t.racy,
              checkVerdict: t.verdict,
              allowed: (checked[i]?.outcomes ?? []).map((o) => o.values),
              forbiddenObserved: t.forbidden.map((f) => ({ outcome: Object.fromEntries(program.observables.map((o, j) => [o.name, f.values[j] ?? 0])), count: f.count })),
              unobserved: t.unobserved.map((u) => Object.fromEntries(program.observables.map((o, j) => [o.name, u.values[j] ?? 0]))),
              coverage: t.coverage,
            })),
            reads: readsJson(program, reads, readsWhyNot, run.readLogsDropped),
            ...(beyond === null ? {} : { specBeyondHardware: { model: beyond.language, hardware: beyond.hardware, outcomes: beyond.outcomes.map((u) => Object.fromEntries(program.observables.map((o, j) => [o.name, u[j] ?? 0]))) } }),
            verdict: interrupted ? 'interrupted' : run.failure !== null ? 'error' : readsFail ? 'fail' : inconclusive ? 'inconclusive' : modelled.every((t) => t.consistent) ? 'pass' : 'fail',
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      io.stdout(renderRun(program, run, seed));
      io.stdout('\n');
      if (interrupted) {
        // what is known is the partial histogram above: no CONSISTENT / FAIL from it
        io.stdout(`conform: interrupted after ${run.iterations} iterations: no verdict\n`);
      } else if (run.failure !== null) {
        // a worker failed (an internal error): the partial histogram above proves nothing either way
        io.stdout(`conform: the run failed after ${run.iterations} iterations: no verdict\n`);
      } else if (table.length === 1) {
        const t = table[0];
        if (t !== undefined) io.stdout(renderOne(t));
      } else if (asked.length === 1) {
        // js and this machine's model: one block each
        for (const t of table) io.stdout(renderOne(t));
      } else {
        io.stdout(renderTable(program, table));
      }
      if (reads !== null) io.stdout(renderReads(program, reads, run.readLogsDropped));
      if (!interrupted && run.failure === null && beyond !== null && beyond.outcomes.length > 0) {
        io.stdout(`note: the spec allows more than this hardware shows: ${beyond.language} allows ${beyond.outcomes.length} outcome${beyond.outcomes.length === 1 ? '' : 's'} that ${beyond.hardware} (this machine's model) forbids: ${beyond.outcomes.map((u) => formatOutcome(program, u)).join('; ')}\n`);
      }
    }
    if (signal !== null) {
      io.stderr(interruptedLine('conform', signal));
      return interruptedExit(signal);
    }
    if (run.failure !== null) return EXIT.internal;
    if (readsFail) return EXIT.violation;
    if (inconclusive) return EXIT.inconclusive;
    if (run.hang !== null) return EXIT.violation;
    return modelled.every((t) => t.consistent) ? EXIT.ok : EXIT.violation;
  },
};

/** The outcomes the language's model (js) allows and the hardware's model forbids ("the spec allows more than this hardware shows"); null unless both were checked to the end. */
function specBeyondHardware(program: IrProgram, checked: readonly CheckResult[], hardware: ModelName | null): { readonly language: ModelName; readonly hardware: ModelName; readonly outcomes: readonly (readonly number[])[] } | null {
  const js = checked.find((c) => drfModelOf(c.model) !== undefined);
  const hw = checked.find((c) => c.model === hardware);
  if (js === undefined || hw === undefined || hardware === null || js.verdict === 'inconclusive' || hw.verdict === 'inconclusive') return null;
  const hwKeys = new Set(hw.outcomes.map((o) => outcomeKey(valuesFromNamed(program, o.values))));
  const outcomes = js.outcomes.map((o) => valuesFromNamed(program, o.values)).filter((v) => !hwKeys.has(outcomeKey(v)));
  return { language: js.model, hardware, outcomes };
}

function renderTable(program: IrProgram, table: readonly Conformance[]): string {
  const out: string[] = [];
  out.push(`Conformance of ${program.name}: are the observations consistent with each model?`);
  out.push('model  consistent  forbidden-but-observed  coverage');
  for (const t of table) {
    if (t.notModelled !== null) {
      out.push(`${t.model.padEnd(6)} ${'n/a'.padEnd(11)} ${'-'.padEnd(23)} -`);
      continue;
    }
    out.push(`${t.model.padEnd(6)} ${(t.racy ? 'racy' : t.consistent ? 'yes' : 'NO').padEnd(11)} ${String(t.forbidden.reduce((a, f) => a + f.count, 0)).padEnd(23)} ${t.observedAllowed}/${t.allowed}`);
  }
  for (const t of table) {
    if (t.notModelled !== null) out.push(`  ${t.model}: not checked: ${t.notModelled}`);
    for (const f of t.forbidden) out.push(`  ${t.model}: forbids ${f.outcome} (seen ${f.count})`);
    if (t.racy) out.push(`  ${t.model}: the program has a data race; JavaScript promises SC only for race-free programs, and the js row's allowed set is the ECMAScript model's, weak outcomes included`);
  }
  return out.join('\n') + '\n';
}

/**
 * Why the run's reads are not checked (null: they are). A program with plain accesses qualifies
 * when it is data-race-free under JavaScript's rules: the js model's race detector on the stateful
 * search (the SC-DRF route's first half) completes and finds no race.
 */
function readCheckWhyNot(program: IrProgram, io: CliIo, maxStates: number | undefined): string | null {
  const why = readLogIneligible(program);
  if (why === null || !readLogNeedsRaceFreedom(program)) return why;
  const language = MODEL_NAMES.find((m) => drfModelOf(m) !== undefined);
  if (language === undefined) return why;
  const races = check(program, { model: language, engine: 'state', now: () => io.now(), ...(maxStates !== undefined ? { maxStates } : {}) });
  const race = races.violations.find((x) => x.kind === 'race');
  if (race !== undefined) return `the program has a data race (${race.message}), so JavaScript promises its plain accesses no sequential consistency`;
  if (races.budgetExhausted !== null) return `its plain accesses could not be shown race-free (the race search stopped: ${races.budgetExhausted})`;
  return readLogIneligible(program, true);
}

/** The read values of one logged iteration, per thread: "P0 read 1, 0; P1 read 0". */
function readsText(program: IrProgram, reads: readonly (readonly number[])[]): string {
  return reads.map((r, t) => `${program.threads[t]?.name ?? `T${t}`} read ${r.length === 0 ? 'nothing' : r.join(', ')}`).join('; ');
}

/** The read check's lines (text output). */
export function renderReads(program: IrProgram, reads: ReadLogCheck, dropped: number): string {
  const out: string[] = [];
  const notChecked = dropped > 0 ? `; ${dropped} iteration${dropped === 1 ? '' : 's'} not checked (a thread read more than ${READ_LOG_CAP} values, or too many distinct logs)` : '';
  if (reads.unexplained.length === 0) {
    const unknown = reads.unknown > 0 ? `; ${reads.unknown} could not be decided within the search budget: inconclusive` : '';
    out.push(`reads: ${reads.entries - reads.unknown} of ${reads.entries} distinct per-iteration read logs (${reads.iterations} iterations) have a sequentially consistent explanation${unknown}${notChecked}`);
  } else {
    out.push(`reads: FAIL — ${reads.unexplained.length} per-iteration read log${reads.unexplained.length === 1 ? ' has' : 's have'} no sequentially consistent explanation, which every iteration of this program must have (its accesses are sc, or plain and data-race-free):`);
    for (const u of reads.unexplained.slice(0, 10)) out.push(`  ${readsText(program, u.entry.reads)}; final ${formatOutcome(program, u.entry.outcome)}  seen ${u.count} time${u.count === 1 ? '' : 's'}`);
    if (reads.unexplained.length > 10) out.push(`  … and ${reads.unexplained.length - 10} more (--format json lists them all)`);
    if (notChecked !== '') out.push(`  ${notChecked.slice(2)}`);
  }
  return out.join('\n') + '\n';
}

/** The read check as JSON. */
function readsJson(program: IrProgram, reads: ReadLogCheck | null, whyNot: string | null, dropped: number): unknown {
  if (reads === null) return { checked: false, reason: whyNot ?? 'the run did not finish' };
  const perThread = (r: readonly (readonly number[])[]): Record<string, readonly number[]> => Object.fromEntries(r.map((v, t) => [program.threads[t]?.name ?? `T${t}`, v]));
  return {
    checked: true,
    entries: reads.entries,
    iterations: reads.iterations,
    unexplained: reads.unexplained.map((u) => ({ reads: perThread(u.entry.reads), outcome: Object.fromEntries(program.observables.map((o, j) => [o.name, u.entry.outcome[j] ?? 0])), count: u.count })),
    unknown: reads.unknown,
    notChecked: dropped,
  };
}
