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
import { histogramRows, observation, renderRun, runWithInterrupt } from '../runOnHardware.js';
import { interruptedExit, interruptedLine } from '../interrupt.js';
import { EXIT, type CliIo, type CommandBody } from '../types.js';

const OPTIONS = {
  ...DEFINE_OPTION,
  ...FORMAT_OPTION,
  iterations: { type: 'string', short: 'n' },
  'time-limit': { type: 'string' },
  seed: { type: 'string' },
  'stall-ms': { type: 'string' },
} as const;

/** The `run` command. */
export const runCommand: CommandBody = {
  name: 'run',
  usage: [
    'usage: memweave run FILE [--iterations N] [--time-limit SECONDS] [--seed S] [-D NAME=VALUE]... [--format text|json]',
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
    const tl = v['time-limit'] === undefined ? null : Number(v['time-limit']);
    for (const o of [iterations, seedOpt, stall]) if (typeof o === 'string') return usageError(io, 'run', o);
    if (tl !== null && !(tl > 0)) return usageError(io, 'run', `--time-limit expects a positive number, got '${v['time-limit'] ?? ''}'`);
    const path = args.positionals[0] ?? '';
    const loaded = loadProgram(io, format, path, v.define);
    if (!loaded.ok) return loaded.exit;
    const program = loaded.program;
    const seed = typeof seedOpt === 'number' ? seedOpt : 1;
    const { result, interrupted, signal } = await runWithInterrupt(program, {
      iterations: typeof iterations === 'number' ? iterations : 100_000,
      seed,
      ...(typeof stall === 'number' ? { stallMs: stall } : {}),
      ...(tl !== null ? { timeLimitMs: tl * 1000 } : {}),
    }, io.signals);
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
      io.stderr(`rerun: memweave run ${path} --seed ${seed}${typeof iterations === 'number' ? ` --iterations ${iterations}` : ''}\n`);
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
