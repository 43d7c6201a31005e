/**
 * `memweave run FILE`: compile the program to Atomics code and run it many times on real
 * worker_threads (litmus7's role), printing a histogram of observed outcomes.
 *
 * Exit codes: 0 the run finished, or its time limit ended it, with no violation (and a
 * ~exists/forall condition held on every observation), 1 a violation, a hang, or a failed
 * ~exists/forall condition, 2 usage or input error, 3 the time limit ended the run before any
 * iteration completed (nothing was seen), 70 a worker failed (an internal error), 130/143
 * interrupted.
 */
import { DEFINE_OPTION, FORMAT_OPTION, FORMATS, isFormat, parseCommandArgs, type Format } from '../args.js';
import { intOption, loadProgram, usageError } from '../input.js';
import { positiveOption } from '../budgetOptions.js';
import { histogramRows, observation, renderRun, renderTune, runProgress, runWithInterrupt, shellQuote, techniqueArgs, tuneWithInterrupt, type Techniques } from '../runOnHardware.js';
import { interruptedExit, interruptedLine } from '../interrupt.js';
import { EXIT, type CliIo, type CommandBody } from '../types.js';
import { STAGGER_DELAY, type RunOptions } from '../../impl/harness.js';

const OPTIONS = {
  ...DEFINE_OPTION,
  ...FORMAT_OPTION,
  iterations: { type: 'string', short: 'n' },
  'time-limit': { type: 'string' },
  seed: { type: 'string' },
  'stall-ms': { type: 'string' },
  sync: { type: 'string' },
  padding: { type: 'string' },
  shuffle: { type: 'boolean' },
  delay: { type: 'string' },
  stride: { type: 'string' },
  permute: { type: 'boolean' },
  'no-adapt': { type: 'boolean' },
  batch: { type: 'string' },
  tune: { type: 'boolean' },
  'tune-time': { type: 'string' },
} as const;

/** The values of `--sync` (mix: vary per batch) and `--padding`. */
const SYNCS = ['spin', 'stagger', 'none', 'mix'] as const;
const PADDINGS = ['padded', 'packed', 'mix'] as const;

/** The `run` command. */
export const runCommand: CommandBody = {
  name: 'run',
  usage: [
    'usage: memweave run FILE [--iterations N] [--time-limit SECONDS] [--seed S] [-D NAME=VALUE]... [--format text|json]',
    '                         [--sync spin|stagger|none|mix] [--padding padded|packed|mix] [--shuffle] [--delay N]',
    '                         [--stride N] [--permute] [--no-adapt] [--batch N] [--tune [--tune-time SECONDS]]',
    '',
    'Compiles FILE to JavaScript over a SharedArrayBuffer (plain accesses as Int32Array reads and',
    'writes, everything else as Atomics) and runs its threads on a gang of workers, many iterations',
    'per batch, varying barrier mode and memory layout as litmus7 does. Prints the histogram of',
    'outcomes (those satisfying the condition marked *>), the Observation line and the rate.',
    'A time limit ends the run with the histogram of what was seen (not a hang). When no thread makes',
    'progress for --stall-ms the run is hung (deadlock or livelock): reported, with or without a time',
    'limit, and every worker is terminated; a run that progresses slowly is slow, not hung. With more',
    'threads than cores waiting threads sleep instead of spinning. Ctrl-C terminates every worker and',
    'prints the partial histogram.',
    '',
    'options:',
    '  -n, --iterations N       iterations (default 100000)',
    '  --time-limit SECONDS     stop after this long and report what was seen (exit 0, or 3 if nothing)',
    '  --seed S                 seed for layout and barrier choices (default 1; env MEMWEAVE_SEED)',
    '  --stall-ms MS            report a hang after this long without any thread progressing (default 3000)',
    '',
    'harness techniques (litmus7\'s; docs/hardware.md):',
    '  --sync MODE              before each iteration: spin (a rendezvous of the threads), stagger (the',
    '                           rendezvous, then a random delay per thread), none (no rendezvous), or mix',
    '                           (one of the three per batch; default)',
    '  --padding P              padded (each location on its own 64-byte line), packed (adjacent words),',
    '                           or mix (one per batch; default)',
    '  --shuffle                shuffle which memory copy each iteration of a batch uses (default: in order)',
    '  --delay N                stagger\'s bound: each thread waits 0..N-1 loads after the rendezvous (default ' + String(STAGGER_DELAY) + ')',
    '  --stride N               words from one iteration\'s copy to the next (default and minimum: the padded',
    '                           copy size, 16 words per location)',
    '  --permute                permute per batch which worker runs which thread (default: fixed)',
    '  --no-adapt               barrier modes and layouts take turns batch by batch; by default, once each',
    '                           pair has had a batch, batches run the pair with the most target outcomes',
    '                           per second so far, the others taking turns in a tenth of the time (the',
    '                           condition\'s witness is the target; with no condition, pairs take turns)',
    '  --batch N                iterations (test instances) per batch (default 10000)',
    '  --tune                   try the techniques briefly (--tune-time, default 10 s), report each setting\'s',
    '                           target outcomes per second (the condition\'s witness) and print the run',
    '                           command that uses the best',
    '  -D, --define NAME=VALUE  override a param (repeatable)',
    '  --format text|json       text (default) or JSON on stdout',
    '  -h, --help               show this help',
    '',
    'exit: 0 ok, 1 violation / hang / condition failed, 2 usage or input error, 3 time limit before any',
    'iteration, 70 a worker failed (internal error), 130 / 143 interrupted',
  ].join('\n'),
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseCommandArgs(argv, OPTIONS, { choices: { format: FORMATS }, positionals: ['FILE'] });
    if (!args.ok) return usageError(io, 'run', args.message);
    const v = args.values;
    const format: Format = isFormat(v.format) ? v.format : 'text';
    const iterations = intOption('iterations', v.iterations, 1);
    const seedOpt = intOption('seed', v.seed ?? process.env['MEMWEAVE_SEED'], 0);
    const stall = intOption('stall-ms', v['stall-ms'], 1);
    // --time-limit as check's (cli/budgetOptions.ts positiveOption; the playground's Run view parses it so too)
    const tl = positiveOption('time-limit', v['time-limit'], false);
    const delay = intOption('delay', v.delay, 1, 1 << 20);
    const strideOpt = intOption('stride', v.stride, 1, 1 << 20);
    const batch = intOption('batch', v.batch, 1, 1 << 20);
    const tuneTime = v['tune-time'] === undefined ? null : Number(v['tune-time']);
    for (const o of [iterations, seedOpt, stall, delay, strideOpt, batch, tl]) if (typeof o === 'string') return usageError(io, 'run', o);
    if (tuneTime !== null && !(tuneTime > 0)) return usageError(io, 'run', `--tune-time expects a positive number, got '${v['tune-time'] ?? ''}'`);
    if (tuneTime !== null && v.tune !== true) return usageError(io, 'run', '--tune-time is only meaningful with --tune');
    const sync = v.sync ?? 'mix';
    const padding = v.padding ?? 'mix';
    if (!(SYNCS as readonly string[]).includes(sync)) return usageError(io, 'run', `--sync expects one of ${SYNCS.join(', ')}, got '${sync}'`);
    if (!(PADDINGS as readonly string[]).includes(padding)) return usageError(io, 'run', `--padding expects one of ${PADDINGS.join(', ')}, got '${padding}'`);
    const techniques: Techniques = {
      sync: sync as Techniques['sync'],
      padding: padding as Techniques['padding'],
      shuffle: v.shuffle === true,
      permute: v.permute === true,
      adapt: v['no-adapt'] !== true,
      delay: typeof delay === 'number' ? delay : null,
      stride: typeof strideOpt === 'number' ? strideOpt : null,
      batch: typeof batch === 'number' ? batch : null,
    };
    const path = args.positionals[0] ?? '';
    const loaded = loadProgram(io, format, path, v.define);
    if (!loaded.ok) return loaded.exit;
    const program = loaded.program;
    const seed = typeof seedOpt === 'number' ? seedOpt : 1;
    const defines = v.define ?? [];
    if (v.tune === true) {
      const t = await tuneWithInterrupt(program, { timeMs: (tuneTime ?? 10) * 1000, seed, ...(typeof stall === 'number' ? { stallMs: stall } : {}) }, io.signals);
      const out = renderTune(program, t.result, path, defines);
      if (format === 'json') io.stdout(JSON.stringify({ schemaVersion: 1, test: program.name, tune: { rows: t.result.rows, perParameter: t.result.perParameter, best: t.result.best, targetSeen: t.result.targetSeen, command: out.command, stopped: out.stopped, ms: t.result.ms }, interrupted: t.signal !== null }, null, 2) + '\n');
      else io.stdout(out.text);
      if (t.signal !== null) {
        io.stderr(interruptedLine('run', t.signal));
        return interruptedExit(t.signal);
      }
      if (t.result.stoppedBy !== null) return t.result.stoppedBy.failure !== null ? EXIT.internal : EXIT.violation;
      return t.result.best === null ? EXIT.inconclusive : EXIT.ok;
    }
    const progress = runProgress(io);
    const { result, interrupted, signal } = await runWithInterrupt(program, {
      iterations: typeof iterations === 'number' ? iterations : 100_000,
      seed,
      ...techniqueOptions(techniques),
      ...(typeof stall === 'number' ? { stallMs: stall } : {}),
      ...(typeof tl === 'number' ? { timeLimitMs: tl * 1000 } : {}),
      ...progress.options,
    }, io.signals);
    progress.clear();
    const rows = histogramRows(program, result);
    const obs = observation(program, rows);
    if (format === 'json') {
      io.stdout(
        JSON.stringify(
          {
            schemaVersion: 1,
            test: program.name,
            observables: result.observables,
            histogram: rows.map((r) => ({ outcome: Object.fromEntries(program.observables.map((o, i) => [o.name, r.values[i] ?? 0])), count: r.count, satisfies: r.satisfies })),
            condition: program.condition === null ? null : { kind: program.condition.quantifier, text: program.condition.text, validated: obs.validated === true ? 'Ok' : 'No', positive: obs.positive, negative: obs.negative, observation: obs.word },
            iterations: result.iterations,
            requested: result.requested,
            stop: result.stop,
            pruned: result.pruned,
            cut: result.cut,
            violations: result.violations,
            hang: result.hang,
            failure: result.failure,
            interrupted,
            cores: result.cores,
            yielding: result.yielding,
            ms: result.ms,
            iterationsPerSecond: Math.round(result.iterations / Math.max(result.ms / 1000, 1e-3)),
            seed,
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      io.stdout(renderRun(program, result, seed));
      io.stderr(`rerun: memweave run ${[path, ...defines.flatMap((d) => ['-D', d]), '--seed', String(seed), ...(typeof iterations === 'number' ? ['--iterations', String(iterations)] : []), ...techniqueArgs(techniques)].map(shellQuote).join(' ')}\n`);
    }
    if (signal !== null) {
      io.stderr(interruptedLine('run', signal));
      return interruptedExit(signal);
    }
    const condFailed = program.condition !== null && program.condition.quantifier !== 'exists' && obs.validated === false;
    if (result.failure !== null) return EXIT.internal;
    if (result.violations.length > 0 || result.hang !== null || condFailed) return EXIT.violation;
    // a time limit is not a failure: what was seen is reported; nothing seen is inconclusive
    return result.stop === 'time' && result.iterations === 0 ? EXIT.inconclusive : EXIT.ok;
  },
};

/** The RunOptions the technique options stand for. */
function techniqueOptions(t: Techniques): RunOptions {
  return {
    ...(t.sync !== 'mix' ? { barrierModes: [t.sync] } : {}),
    ...(t.padding !== 'mix' ? { layouts: [t.padding] } : {}),
    shuffleInstances: t.shuffle,
    permute: t.permute,
    ...(t.adapt ? {} : { adaptive: false }),
    ...(t.delay !== null ? { delay: t.delay } : {}),
    ...(t.stride !== null ? { stride: t.stride } : {}),
    ...(t.batch !== null ? { batchSize: t.batch } : {}),
  };
}

