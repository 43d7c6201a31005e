/**
 * `memweave check FILE`: model-check a .mw or .litmus program under one memory model (or all
 * of them) and print herd-style outcomes, the final condition's verdict, every violation with
 * its counterexample trace (a table with one column per thread), the command that replays it,
 * and exploration statistics. `--replay TOKEN` re-executes a recorded counterexample instead.
 *
 * Several files are checked in turn with one combined exit code; `--format junit|github` and
 * `--summary FILE` (Markdown) are the CI outputs, rendered by cli/ci/ from per-file reports.
 *
 * Exit codes: 0 every property holds, 1 a violation (or a failed ~exists/forall condition),
 * 2 usage or input error (including a bad replay token), 3 inconclusive (a budget ran out);
 * for several files the most severe wins: 2, then 1, then 3, then 0. SIGINT or SIGTERM stops the
 * search within a slice (checkAsync): what is known is printed with no verdict, the models and
 * files not checked are named, and the exit code is 130 or 143 (cli/interrupt.ts).
 */
import { diag, hasErrors, type Diagnostic } from '../../model/diagnostics/diagnostic.js';
import type { IrProgram } from '../../model/ir.js';
import { herdTestKind } from '../../model/outcome.js';
import { CHECK_MODEL_NAMES, VARIANT_MODEL_NAMES, ENGINE_NAMES, GRAPH_ONLY_MODEL_NAMES, MODEL_NAMES, VIOLATION_KINDS, isStateModel, type CheckOptions, type EngineName, type CheckResult, type ConditionResult, type ModelName, type Outcome, type Progress, type TraceStep, type Violation } from '../../checker/api.js';
import { checkAsync } from '../../checker/check.js';
import { decodeReplayToken, replay, type ReplayOk } from '../../checker/replay.js';
import { GRAPH_REPLAY_VERSION, graphModel, modeOutsideAt, replayGraph } from '../../checker/graphCheck.js';
import { CHECK_FORMATS, DEFINE_OPTION, FORMAT_OPTION, isCheckFormat, parseCommandArgs, type CheckFormat, type Format } from '../args.js';
import { diagnosticAnnotations, renderGithub } from '../ci/github.js';
import { renderJunit } from '../ci/junit.js';
import { budgetText, checkedFileReport, ciDiagnostics, combineExitCodes, errorFileReport, filesTally, type CiFileReport } from '../ci/report.js';
import { outcomesComplete } from '../../checker/verdict.js';
import { parseBudgets, SpaceBudget, spaceBudgetOptions, TimeBudget } from '../budgets.js';
import { formatBytes, progressText } from '../progressText.js';
import { appendToFile, renderMarkdownSummary } from '../ci/summary.js';
import { definesOrDiagnostics, loadInput, printDiagnostics, reportDiagnostics, usageError, writeError } from '../input.js';
import { diagnosticsJsonFields } from '../render.js';
import { bufferBoundLimit } from '../options.js';
import { measurementOf, REDUCTION_CONFIGS, renderReductionTable, type ReductionMeasurement } from '../measureReductions.js';
import { interruptedExit, interruptedLine, watchStopSignals, type StopSignal } from '../interrupt.js';
import { EXIT, type CliIo, type CommandBody } from '../types.js';
import { DEFAULT_MODEL as REGISTRY_DEFAULT_MODEL, drfModelOf } from '../models.js';
import { litmusArchOf, renderHerd } from '../herdFormat.js';
import { herdHash } from '../herdHash.js';
import { AUTO_MIN_MEMORY_BYTES, AUTO_PROBE, autoThreads, checkGraphParallel, checkParallel, outgrewProbe, ParallelPool, THREAD_HEAP_BYTES } from '../parallelCheck.js';
import { MAX_THREADS } from '../../checker/sharedVisited.js';
import { mixedSizeRefusal } from '../../model/memory/registry.js';
import { DEFAULT_UNROLL } from '../../checker/graphExplorer.js';
import { parseShard, shardJson, shardSpace } from '../shard.js';

/** --measure-reductions was given. */
function measure0(v: { readonly 'measure-reductions'?: boolean | undefined }): boolean {
  return v['measure-reductions'] === true;
}

/**
 * S314 for each model named on the command line (not through `all`, whose table says n/a) that
 * lacks an ordering the program uses: JavaScript has no rel, acq, rlx or fences (docs/js-memory-model.md).
 */
function foreignOrderings(program: IrProgram, modelList: readonly string[], engine: EngineName | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of new Set(modelList)) {
    if (m === 'all') continue;
    // a view narrower than i32 under a model (or engine) that does not model mixed size (S316)
    const mixed = (CHECK_MODEL_NAMES as readonly string[]).includes(m) ? mixedSizeRefusal(program, m, engine === 'graph' || !isStateModel(m as ModelName)) : null;
    if (mixed !== null) out.push(mixed);
    const g = graphModel(m);
    const at = g === null ? null : modeOutsideAt(program, g);
    if (at !== null) out.push(diag('S314', program.file, at.span, `\`${at.what}\` under --model ${m}: ${at.why}`));
  }
  return out;
}

/** Version of the `--format json` output shape. */
export const CHECK_SCHEMA_VERSION = 1;

/** The model used when --model is not given. */
export const DEFAULT_MODEL: ModelName = REGISTRY_DEFAULT_MODEL;

const OPTIONS = {
  ...DEFINE_OPTION,
  ...FORMAT_OPTION,
  model: { type: 'string', short: 'm', multiple: true },
  bfs: { type: 'boolean' },
  dfs: { type: 'boolean' },
  'max-states': { type: 'string' },
  'time-limit': { type: 'string' },
  'max-memory': { type: 'string' },
  'buffer-bound': { type: 'string' },
  replay: { type: 'string' },
  summary: { type: 'string' },
  'no-symmetry': { type: 'boolean' },
  'no-por': { type: 'boolean' },
  'no-dead-registers': { type: 'boolean' },
  'hash-compact': { type: 'boolean' },
  'measure-reductions': { type: 'boolean' },
  engine: { type: 'string' },
  unroll: { type: 'string' },
  'herd-hexa': { type: 'boolean' },
  workers: { type: 'string' },
  shard: { type: 'string' },
} as const;

const MODEL_CHOICES = [...CHECK_MODEL_NAMES, 'all'] as const;

/** The `check` command. */
export const checkCommand: CommandBody = {
  name: 'check',
  usage: [
    `usage: memweave check FILE... [--model ${CHECK_MODEL_NAMES.join('|')}|all[,…]]... [--engine state|graph] [-D NAME=VALUE]...`,
    '                           [--format text|json|junit|github|herd] [--summary FILE]',
    '                           [--bfs|--dfs] [--max-states N] [--time-limit SECONDS] [--max-memory MB]',
    '                           [--buffer-bound N] [--no-symmetry] [--no-por] [--no-dead-registers]',
    '                           [--hash-compact] [--measure-reductions] [--unroll N] [--replay TOKEN] [--herd-hexa]',
    '                           [--workers N] [--shard I/N]',
    '',
    'Explores every interleaving of FILE (.mw, or a herd7 .litmus test) under a memory model and',
    'reports the reachable final outcomes, the final condition (herd7 style: Ok/No, witnesses,',
    'observation), and violations: failed asserts, run-time errors, mutual exclusion, deadlock,',
    'livelock, data races (js), and a ~exists/forall condition that does not hold. Each violation',
    'comes with a shortest counterexample (under --bfs) and a replay token. Several files are',
    'checked in turn, with one exit code (see docs/ci.md for using check as a CI gate).',
    '',
    'options:',
    `  -m, --model M            ${CHECK_MODEL_NAMES.join(', ')}, or all; several as --model sc,tso or`,
    `                           repeated (a verdict table); default ${DEFAULT_MODEL}. ${GRAPH_ONLY_MODEL_NAMES.join(' and ')} run on`,
    '                           the graph engine only',
    `  --engine E               state (the stateful search; default for ${MODEL_NAMES.filter((m) => drfModelOf(m) === undefined).join(', ')}) or graph`,
    '                           (execution graphs with optimal DPOR; the engine of the axiomatic models; it',
    '                           serves sc and tso too). The state options below do not apply to the graph engine.',
    '                           js without --engine: the stateful search for races under SC; race-free, its',
    '                           answer is js\'s (SC-DRF); racy, the graph engine answers under the js model',
    '  --unroll N               graph engine: most iterations of a loop that is not a spin loop (default',
    '                           32); reaching it makes the answer inconclusive',
    '  --shard I/N              graph engine: explore only shard I (0 <= I < N <= 1024) of a deterministic',
    '                           prefix partition of the execution tree; the shards\' executions sum to the',
    '                           whole run\'s; --format json adds a shard block {index, count, method, space}.',
    '                           Stateful search: member I of a swarm (SPIN\'s): the whole space, depth first',
    '                           under hash compaction, in an order seeded by I (method \'swarm\': an',
    '                           approximation; members differ in what a budget leaves unexplored)',
    '  -D, --define NAME=VALUE  override a param (repeatable)',
    '  --format F               on stdout: text (default), json (schemaVersion 1), junit (JUnit XML),',
    '                           github (GitHub Actions annotations), or herd: herd7\'s own output, one',
    '                           block per file and model, to diff against herd\'s .expected (drop its Time',
    '                           line). It runs on the graph engine where that serves the model, so that',
    '                           Positive/Negative count executions as herd\'s do (under the state engine:',
    '                           final states, said on stderr); for ~exists they are the text format\'s the',
    '                           other way round, as herd\'s are; no condition is forall (true); Hash= is',
    '                           herd\'s hash, for X86, X86_64 and C tests. A partial search prints no',
    '                           block (exit 3). docs/checking.md says what cannot match',
    '  --herd-hexa              with --format herd: values in hexadecimal, as herd7 -hexa true prints them',
    '  --summary FILE           append a Markdown summary to FILE (e.g. "$GITHUB_STEP_SUMMARY")',
    '  --bfs | --dfs            search order: breadth-first (default, shortest traces) or depth-first',
    '  --max-states N           stop (inconclusive) after storing N states',
    '  --time-limit SECONDS     stop (inconclusive) after this long in all: one budget for the whole',
    '                           invocation (every file and model), each check gets what is left',
    '  --max-memory MB          one memory budget for the whole invocation (default 4096): each search\'s',
    '                           visited set, frontier, livelock edges, store buffers, graph stack, outcomes',
    '                           and traces, and the answers kept for the output; when it runs out the search',
    '                           stops with what it has: inconclusive (exit 3), budgetExhausted "memory"',
    '  --buffer-bound N         store-buffer capacity under tso/pso (default 4, at most 256); hitting it is reported',
    '  --no-symmetry            do not merge states that differ only by a permutation of template',
    '                           instances (symmetry reduction; on by default where sound)',
    '  --no-por                 explore every interleaving (partial-order reduction is on by default;',
    '                           with it, --bfs traces are shortest within the reduced graph only)',
    '  --no-dead-registers      keep the values of registers no later step reads (by default they are',
    '                           reset to 0, merging states that differ only in them)',
    '  --hash-compact           store 64-bit fingerprints instead of states (far less memory): an',
    '                           approximation that may miss states; the probability is reported and',
    '                           a pass reads "pass (under hash compaction)" (exit code still 0)',
    '  --measure-reductions     also check with each reduction off in turn, then all off (same budgets),',
    '                           and print states stored and time for each: what each reduction saves;',
    '                           the runs that complete must agree (else: internal error, exit 70)',
    `  --workers N              the stateful search on N threads (1..${MAX_THREADS}) sharing one visited`,
    '                           table: the same verdicts, outcomes and violation kinds; counterexamples',
    '                           replayable (shortest under --bfs); state counts equal with --no-por (docs/checking.md);',
    '                           the execution-graph engine (ra, rc11, --engine graph) on N threads handing',
    '                           each other subtrees: the same outcomes, counts and verdicts.',
    `                           default: a search starts on one thread and, past ${AUTO_PROBE.states.toLocaleString('en-US')} states`,
    `                           (graph engine: ${AUTO_PROBE.executions.toLocaleString('en-US')} final graphs), again on the idle cores;`,
    '                           --workers 1 keeps every check on one thread (the same counterexample every run)',
    '  --replay TOKEN           re-execute a counterexample printed by an earlier check',
    '  -h, --help               show this help',
    '',
    'exit: 0 all properties hold, 1 violation, 2 usage or input error, 3 inconclusive (budget ran out);',
    '      several files: 2 if any has an input error, else 1 if any violation, else 3 if any inconclusive;',
    '      130 / 143 interrupted by SIGINT / SIGTERM (partial statistics, no verdict)',
  ].join('\n'),
  run(argv: string[], io: CliIo): Promise<number> {
    return runCheck(argv, io);
  },
};

/** Parse a positive number option; null when absent; a message when malformed. */
function positive(name: string, text: string | undefined, integer: boolean): number | null | string {
  if (text === undefined) return null;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    return `--${name} expects a positive ${integer ? 'integer' : 'number'}, got '${text}'`;
  }
  return v;
}

async function runCheck(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, OPTIONS, { choices: { format: CHECK_FORMATS, model: MODEL_CHOICES }, commaLists: ['model'], positionals: ['FILE'], maxPositionals: Infinity });
  if (!args.ok) return usageError(io, 'check', args.message);
  const v = args.values;
  const format: CheckFormat = isCheckFormat(v.format) ? v.format : 'text';
  if (v.bfs === true && v.dfs === true) return usageError(io, 'check', '--bfs and --dfs exclude each other');
  const budgets = parseBudgets(v);
  if (typeof budgets === 'string') return usageError(io, 'check', budgets);
  const bufferBound = bufferBoundLimit(positive('buffer-bound', v['buffer-bound'], true));
  if (typeof bufferBound === 'string') return usageError(io, 'check', bufferBound);
  const unroll = positive('unroll', v.unroll, true);
  if (typeof unroll === 'string') return usageError(io, 'check', unroll);
  const workers = positive('workers', v.workers, true) ?? 1;
  if (typeof workers === 'string') return usageError(io, 'check', workers);
  if (workers > MAX_THREADS) return usageError(io, 'check', `--workers expects at most ${MAX_THREADS}, got '${v.workers ?? ''}'`);
  if (workers > 1 && (v['hash-compact'] === true || v['measure-reductions'] === true)) return usageError(io, 'check', '--workers does not go with --hash-compact or --measure-reductions yet');
  // --time-limit is one budget for the whole invocation: each search gets what is left of it
  const time = new TimeBudget(() => io.now(), budgets.timeLimitMs);
  // --max-memory is one budget too: each search gets what the answers kept so far leave of it
  const memory = new SpaceBudget(budgets.maxMemoryBytes);
  if (v.engine !== undefined && !(ENGINE_NAMES as readonly string[]).includes(v.engine)) return usageError(io, 'check', `--engine expects state or graph, got '${v.engine}'`);
  const engine = v.engine as EngineName | undefined;
  for (const m of v.model ?? []) {
    if (engine === 'graph' && m !== 'all' && graphModel(m) === null) {
      return usageError(io, 'check', `--engine graph has no model '${m}': the graph engine serves ${CHECK_MODEL_NAMES.filter((n) => graphModel(n) !== null).join(', ')}`);
    }
    if (engine === 'state' && m !== 'all' && !isStateModel(m as ModelName)) {
      return usageError(io, 'check', `--engine state has no model '${m}': ${m} is served by the graph engine only`);
    }
  }
  if (v['measure-reductions'] === true && engine === 'graph') return usageError(io, 'check', '--measure-reductions measures the stateful search: drop --engine graph');
  const shard = v.shard === undefined ? null : parseShard(v.shard);
  if (typeof shard === 'string') return usageError(io, 'check', shard);
  if (shard !== null) {
    // js's SC-DRF route runs both engines: a shard of it would be neither partition
    const routed = (v.model ?? [DEFAULT_MODEL]).flatMap((m) => m.split(',')).some((m) => engine === undefined && (m === 'all' || drfModelOf(m as ModelName) !== undefined));
    if (routed) return usageError(io, 'check', '--shard with --model js or all needs --engine: graph (a prefix partition of the tree) or state (a swarm of differently ordered searches)');
    if (workers > 1 || v.replay !== undefined || measure0(v)) return usageError(io, 'check', '--shard does not go with --workers, --replay or --measure-reductions');
  }
  // no --workers: the idle cores, for a search that outgrows its start on one thread (AUTO_PROBE);
  // a check the threads do not serve (hash compaction, a shard, a replay, measured reductions) keeps to one
  const auto = v.workers === undefined && v['hash-compact'] !== true && shard === null && v.replay === undefined && v['measure-reductions'] !== true ? autoThreads(io.cores?.() ?? 1) : 1;
  const paths = args.positionals;
  if (v.replay !== undefined && (paths.length > 1 || (format !== 'text' && format !== 'json') || v.summary !== undefined)) {
    return usageError(io, 'check', '--replay takes one FILE, --format text or json, and no --summary');
  }
  if (v.summary === '') return usageError(io, 'check', '--summary expects a file name');
  if (v['herd-hexa'] === true && format !== 'herd') return usageError(io, 'check', '--herd-hexa goes with --format herd');
  const measure = v['measure-reductions'] === true;
  if (measure && (v['no-symmetry'] === true || v['no-por'] === true || v['no-dead-registers'] === true)) {
    return usageError(io, 'check', '--measure-reductions turns each reduction off itself: drop --no-symmetry, --no-por and --no-dead-registers');
  }
  if (measure && (v.replay !== undefined || (format !== 'text' && format !== 'json'))) {
    return usageError(io, 'check', '--measure-reductions takes --format text or json, and no --replay');
  }

  const defs = definesOrDiagnostics(v.define);
  if (defs.diagnostics.length > 0) {
    reportDiagnostics(io, format === 'json' ? 'json' : 'text', defs.diagnostics, null);
    if (format === 'github') io.stdout(diagnosticAnnotations(ciDiagnostics(defs.diagnostics, null)));
    return EXIT.usage;
  }

  const base: Omit<CheckOptions, 'model'> = {
    strategy: v.dfs === true ? 'dfs' : 'bfs',
    now: () => io.now(),
    ...spaceBudgetOptions(budgets),
    ...(typeof bufferBound === 'number' ? { bufferBound } : {}),
    ...(v['no-symmetry'] === true ? { symmetry: false } : {}),
    ...(v['no-por'] === true ? { por: false } : {}),
    ...(v['no-dead-registers'] === true ? { deadRegisters: false } : {}),
    ...(v['hash-compact'] === true ? { hashCompact: true } : {}),
    ...(typeof unroll === 'number' ? { unroll } : {}),
    ...(shard !== null ? { shard } : {}),
  };
  // --model sc,tso and --model sc --model tso both check several models; 'all' is every model
  // (with --engine graph, the ones the graph engine serves; with --engine state, the stateful ones)
  const modelList = v.model ?? [DEFAULT_MODEL];
  const allModels = CHECK_MODEL_NAMES.filter((m) => !VARIANT_MODEL_NAMES.includes(m) && (engine === 'graph' ? graphModel(m) !== null : engine === 'state' ? isStateModel(m) : true));
  const models: readonly ModelName[] = modelList.includes('all') ? allModels : [...new Set(modelList)].map((m) => m as ModelName);
  // one file in text or json: exactly the single-file output; several: each in turn, then a combined form
  const single = paths.length === 1;
  const reports: CiFileReport[] = [];
  const codes: number[] = [];
  const jsonFiles: unknown[] = [];
  const notChecked: string[] = [];
  // SIGINT / SIGTERM abort the search in flight (checkAsync stops at its next pause); nothing after it runs
  const stop = new AbortController();
  const watch = watchStopSignals(io.signals, stop);
  // --workers: one pool of search threads for the whole invocation, started at the first parallel check
  let pool = null as ParallelPool | null;
  try {
    for (const [fileIndex, path] of paths.entries()) {
      if (watch.signal() !== null) break;
      const loaded = loadInput(io, path, defs.defines);
      const result = loaded.result;
      // a model asked for by name that does not have an ordering the program uses (rel under js): an error at the access (S314)
      const diagnostics = result?.ir == null ? loaded.diagnostics : [...loaded.diagnostics, ...foreignOrderings(result.ir, modelList, engine)];
      if (format === 'text' && !single) io.stdout(`${reports.length === 0 ? '' : '\n'}==> ${path} <==\n`);
      if (result === null || hasErrors(diagnostics) || result.ir === null) {
        const file = result?.file ?? null;
        if (format === 'json' && !single) jsonFiles.push({ file: path, ok: false, ...diagnosticsJsonFields(diagnostics, file) });
        else reportDiagnostics(io, format === 'json' ? 'json' : 'text', diagnostics, file);
        reports.push(errorFileReport(path, diagnostics, file));
        codes.push(EXIT.usage);
        continue;
      }
      if (format !== 'json') printDiagnostics(io, diagnostics, result.file);
      const program = result.ir;
      const rerun: RerunInfo = { path, defines: v.define ?? [], bufferBound: typeof bufferBound === 'number' ? bufferBound : null };

      if (v.replay !== undefined) return runReplay(io, format === 'json' ? 'json' : 'text', program, base, v.replay, v.model === undefined || v.model.includes('all') ? undefined : models, rerun);

      const results: CheckResult[] = [];
      const measured: ReductionMeasurement[] = [];
      for (const model of models) {
        if (watch.signal() !== null) break;
        const progress = (io.errIsTTY ?? io.isTTY) ? progressReporter(io, model) : null; // progress goes to stderr
        // --measure-reductions measures the stateful search: js is asked of it alone, not of its SC-DRF route
        const chosen = engine ?? (measure && isStateModel(model) ? 'state' : undefined);
        const engineOption = chosen !== undefined && (chosen === 'state' ? isStateModel(model) : graphModel(model) !== null) ? { engine: chosen } : format === 'herd' ? herdEngine(model) : {};
        // --workers: the plain stateful search runs on threads sharing one visited table, the graph
        // engine on threads taking shards of its tree (js's SC-DRF route stays sequential)
        const stateful = engineOption.engine === 'state' || (engineOption.engine === undefined && isStateModel(model) && drfModelOf(model) === undefined);
        const graphed = engineOption.engine === 'graph' || (engineOption.engine === undefined && !isStateModel(model));
        // --shard on the stateful search: one member of a swarm (SPIN's): the whole space under hash
        // compaction, depth first, in an order of its own (seeded by the shard's index)
        const swarm = shard !== null && stateful ? { swarmSeed: shard.index, hashCompact: true, strategy: 'dfs' as const } : {};
        // `charge`: bytes of the memory budget the threads' own heaps take (a check without --workers)
        const onThreads = (n: number, charge = 0): Promise<CheckResult> => {
          const space = memory.options();
          const mem = charge === 0 ? space : { maxMemoryBytes: Math.max(0, (space.maxMemoryBytes ?? 0) - charge) };
          return stateful
            ? checkParallel(program, { ...base, ...time.options(), ...mem, model, signal: stop.signal }, n, (pool ??= new ParallelPool(n)))
            : checkGraphParallel(program, { ...base, ...time.options(), ...mem, model, ...engineOption, signal: stop.signal }, n, (pool ??= new ParallelPool(n)));
        };
        // without --workers, a search that may use threads starts on one with a smaller budget
        // (AUTO_PROBE) and moves to the idle cores only when it outgrows it
        const probeAt = io.autoProbe ?? AUTO_PROBE;
        const roomy = (memory.options().maxMemoryBytes ?? 0) >= AUTO_MIN_MEMORY_BYTES;
        const probe = workers === 1 && auto > 1 && roomy && (stateful || graphed) ? (stateful ? probeAt.states : probeAt.executions) : null;
        const probed = probe === null ? {} : { maxStates: Math.min(probe, base.maxStates ?? probe) };
        let r =
          workers > 1 && (stateful || graphed)
            ? await onThreads(workers)
            : await checkAsync(program, { ...base, ...swarm, ...time.options(), ...memory.options(), model, ...engineOption, ...probed, ...(progress !== null ? { onProgress: progress.report } : {}), signal: stop.signal });
        if (probe !== null && outgrewProbe(r, probe, base.maxStates) && watch.signal() === null) {
          progress?.note(`past ${probe.toLocaleString('en-US')} ${stateful ? 'states' : 'final graphs'} on one thread: starting again on ${auto} threads (--workers 1 keeps one)`);
          const start = { ms: r.stats.ms, stored: r.stats.engine === 'graph' ? finalGraphs(r.stats) : r.stats.statesStored };
          const again = await onThreads(auto, auto * THREAD_HEAP_BYTES);
          r = { ...withStartFindings(again, r), stats: { ...again.stats, ms: again.stats.ms + start.ms, oneThreadStart: start } };
        }
        if (format === 'herd' && engine === undefined && graphCannotAnswer(r) && isStateModel(model) && watch.signal() === null) {
          // the graph engine could not answer (a program it does not cover): the stateful search can
          r = await checkAsync(program, { ...base, ...time.options(), ...memory.options(), model, engine: 'state', ...(progress !== null ? { onProgress: progress.report } : {}), signal: stop.signal });
        }
        progress?.clear();
        results.push(r);
        memory.chargeResult(r, program.threads.length);
        if (measure && r.stats.engine !== 'graph' && watch.signal() === null) {
          // the other configurations, each interruptible; an interrupted measurement is not shown
          const runs = [r];
          for (const c of REDUCTION_CONFIGS.slice(1)) {
            if (watch.signal() !== null) break;
            runs.push(await checkAsync(program, { ...base, ...time.options(), ...memory.options(), model, ...engineOption, ...c.options, signal: stop.signal }));
          }
          if (watch.signal() === null) measured.push(measurementOf(runs));
        }
      }
      // interrupted: the models that did not run (the one in flight is in `results`, stopped)
      const interrupted = watch.signal();
      const notRun = interrupted === null ? [] : models.slice(results.length);
      const shardBlock = (r: CheckResult): Record<string, unknown> =>
        shard === null ? {} : r.stats.engine === 'graph' ? { shard: shardJson(shard, shardSpace(program, r.model, 'graph', base.unroll ?? DEFAULT_UNROLL)) } : { shard: shardJson(shard, shardSpace(program, r.model, 'state', base.bufferBound ?? 0), 'swarm') };
      const json = (r: CheckResult, i: number): Record<string, unknown> => (measure && measured[i] !== undefined ? { ...resultJson(r), reductionRuns: measured[i].runs } : { ...resultJson(r), ...shardBlock(r) });
      const interruptJson = interrupted === null ? {} : { interrupted: true, signal: interrupted, notRun };

      if (format === 'json') {
        const body = results.length === 1 && models.length === 1 ? json(results[0] as CheckResult, 0) : { test: program.name, results: results.map(json) };
        if (single) io.stdout(`${JSON.stringify({ schemaVersion: CHECK_SCHEMA_VERSION, ...body, ...interruptJson }, null, 2)}\n`);
        else jsonFiles.push({ file: path, ...body, ...interruptJson });
      } else if (format === 'text' && results.length === 1 && models.length === 1) {
        io.stdout(renderResult(results[0] as CheckResult, program, rerun, io.color, io.columns));
      } else if (format === 'text') {
        io.stdout(renderSummary(results, program, rerun, io.color));
      } else if (format === 'herd') {
        printHerd(io, results, program, path, result.file.text, v['herd-hexa'] === true);
      }
      if (format === 'text' && notRun.length > 0) io.stdout(`not checked (interrupted): ${notRun.join(', ')}\n`);
      if (format === 'text') measured.forEach((m, i) => io.stdout(`\n${renderReductionTable(models[i] ?? '?', m)}`));
      const disagreement = measured.find((m) => m.disagreement !== null)?.disagreement ?? null;
      if (disagreement !== null) {
        io.stderr(`memweave: internal error: the reductions changed the answer on ${path}: ${disagreement}\n`);
        io.stderr('memweave: this is a bug in memweave; please report it with the command that produced it.\n');
        codes.push(EXIT.internal);
      }
      const renderers = { trace: (steps: readonly TraceStep[]) => renderTraceTable(steps, program), replay: (m: ModelName, token: string) => replayCommand(rerun, m, token) };
      reports.push(checkedFileReport(path, program.name, result.file, result.ast, results, diagnostics, renderers, notRun));
      codes.push(exitCodeOf(results));
      if (interrupted !== null) notChecked.push(...paths.slice(fileIndex + 1));
    }
  } finally {
    watch.dispose();
    await pool?.close();
  }
  const interrupted = watch.signal();

  if (format === 'json' && !single) io.stdout(`${JSON.stringify({ schemaVersion: CHECK_SCHEMA_VERSION, files: jsonFiles, ...(interrupted === null ? {} : { interrupted: true, signal: interrupted, notChecked }) }, null, 2)}\n`);
  if (format === 'text' && !single && notChecked.length > 0) io.stdout(`\nnot checked (interrupted): ${notChecked.join(' ')}\n`);
  if (format === 'text' && !single) io.stdout(`\n${filesTally(reports)}`);
  if (format === 'junit') io.stdout(renderJunit(reports));
  if (format === 'github') io.stdout(renderGithub(reports));
  if (v.summary !== undefined && !appendToFile(io, v.summary, renderMarkdownSummary(reports))) {
    codes.push(writeError(io, 'check', v.summary, 'the summary'));
  }
  if (interrupted !== null) return interruptedEnd(io, interrupted);
  return combineExitCodes(codes);
}

/** `--format herd` without --engine: the graph engine where it serves the model (its witnesses count executions, as herd's do). */
function herdEngine(model: ModelName): { engine?: EngineName } {
  return graphModel(model) !== null ? { engine: 'graph' } : {};
}

/** A graph-engine answer that says the program is beyond it (not a budget): the stateful search is asked instead. */
function graphCannotAnswer(r: CheckResult): boolean {
  return r.stats.engine === 'graph' && (r.stats.unsupported !== undefined || r.budgetExhausted === 'unexplored');
}

/** `--format herd`: one herd7 block per result; a partial search gets a line on stderr instead (herd has no form for it). */
function printHerd(io: CliIo, results: readonly CheckResult[], program: IrProgram, path: string, text: string, hexa: boolean): void {
  const arch = litmusArchOf(path, text);
  const hash = herdHash(arch, text);
  for (const r of results) {
    if (r.stats.unsupported !== undefined) {
      io.stderr(`memweave check: ${path}: ${r.model}: no herd output: not checked: ${r.stats.unsupported}\n`);
      continue;
    }
    if (!outcomesComplete(r.budgetExhausted) && r.budgetExhausted !== 'unroll') {
      io.stderr(`memweave check: ${path}: ${r.model}: no herd output: ${budgetText(r.budgetExhausted)}\n`);
      continue;
    }
    if (r.stats.engine !== 'graph') io.stderr(`memweave check: ${path}: ${r.model}: the state engine answered: Positive/Negative count final states, herd counts executions\n`);
    // herd's Undef is undefined behaviour: a model whose races mean something else (raceMeans) has none
    const racesUndefined = graphModel(r.model)?.raceMeans === undefined;
    io.stdout(renderHerd(r, program, { arch, hash, hexa, racesUndefined }));
  }
}

/** The end of an interrupted check: the line on stderr, and 130 / 143. */
function interruptedEnd(io: CliIo, signal: StopSignal): number {
  io.stderr(interruptedLine('check', signal));
  return interruptedExit(signal);
}

/** The exit code for a set of results: any failure → 1, else any inconclusive → 3, else 0. */
export function exitCodeOf(results: readonly CheckResult[]): number {
  if (results.some((r) => r.verdict === 'fail')) return EXIT.violation;
  if (results.some((r) => r.verdict === 'inconclusive')) return EXIT.inconclusive;
  return EXIT.ok;
}

/** What the printed rerun command needs. */
export interface RerunInfo {
  readonly path: string;
  readonly defines: readonly string[];
  readonly bufferBound: number | null;
}

/** The command line that replays a token. */
export function replayCommand(rerun: RerunInfo, model: ModelName, token: string): string {
  const parts = ['memweave', 'check', shellQuote(rerun.path), '--model', model];
  for (const d of rerun.defines) parts.push('-D', shellQuote(d));
  if (rerun.bufferBound !== null) parts.push('--buffer-bound', String(rerun.bufferBound));
  parts.push('--replay', token);
  return parts.join(' ');
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------- progress

function progressReporter(io: CliIo, model: ModelName): { report: (p: Progress) => void; note: (text: string) => void; clear: () => void } {
  let shown = false;
  return {
    report(p) {
      shown = true;
      io.stderr(`\r\x1b[K[${model}] ${progressText(p)}`);
    },
    note(text) {
      shown = true;
      io.stderr(`\r\x1b[K[${model}] ${text}`);
    },
    clear() {
      if (shown) io.stderr('\r\x1b[K');
    },
  };
}

// ---------------------------------------------------------------- JSON

/** The JSON shape of a condition (herd's Ok/No as a string; '?' and no observation when the search was partial: its counts decide nothing). */
function conditionJson(c: ConditionResult | null, complete: boolean): unknown {
  if (c === null) return null;
  if (!complete) return { kind: c.kind, text: c.text, validated: '?', positive: c.positive, negative: c.negative, observation: null };
  return { kind: c.kind, text: c.text, validated: c.validated ? 'Ok' : 'No', positive: c.positive, negative: c.negative, observation: c.observation };
}

/** One result as JSON (without schemaVersion). */
export function resultJson(r: CheckResult): Record<string, unknown> {
  return {
    test: r.test,
    model: r.model,
    strategy: r.strategy,
    // an interrupted check has no verdict: the word says so (as conform's JSON does)
    verdict: r.budgetExhausted === 'interrupted' ? 'interrupted' : r.verdict,
    budgetExhausted: r.budgetExhausted,
    condition: conditionJson(r.condition, outcomesComplete(r.budgetExhausted)),
    outcomes: r.outcomes,
    violations: r.violations,
    stats: r.stats,
  };
}

// ---------------------------------------------------------------- text

interface Style {
  bold(s: string): string;
  bad(s: string): string;
  good(s: string): string;
  warn(s: string): string;
  dim(s: string): string;
}

function style(color: boolean): Style {
  const sgr = (c: string) => (s: string) => (color ? `\x1b[${c}m${s}\x1b[0m` : s);
  return { bold: sgr('1'), bad: sgr('1;31'), good: sgr('1;32'), warn: sgr('1;33'), dim: sgr('2') };
}

/** The verdict word; a pass under hash compaction says so (it may have missed states); an interrupted check has none: 'interrupted'. */
function verdictLabel(r: CheckResult): string {
  if (r.budgetExhausted === 'interrupted') return 'interrupted';
  return r.verdict === 'pass' && r.stats.hashCompact !== undefined ? 'pass (under hash compaction)' : r.verdict;
}

function verdictText(r: CheckResult, st: Style): string {
  const label = verdictLabel(r);
  return r.verdict === 'pass' ? st.good(label) : r.verdict === 'fail' ? st.bad(label) : st.warn(label);
}

/** A probability for the hash-compaction line: 0, or three significant digits. */
function formatProbability(p: number): string {
  return p === 0 ? '0' : p >= 0.001 ? p.toPrecision(3) : p.toExponential(2);
}

/** herd's test kind word for a condition quantifier. */
function testKind(c: IrProgram['condition']): string {
  if (c === null) return '';
  return ` ${herdTestKind(c.quantifier)}`;
}

function outcomeLine(o: Outcome): string {
  const vals = Object.entries(o.values)
    .map(([k, x]) => `${k}=${x};`)
    .join(' ');
  return `${o.satisfies === true ? '*>' : '  '} ${vals}`;
}

/**
 * A count for people: as is below 10^15, else three significant digits and a power of ten
 * (`1.57·10^66`, where String() gives `1.5731200860589523e+66`). Counts weighted by symmetry
 * orbits (final states, witnesses, the states the representatives stand for) get that large.
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n) || Math.abs(n) < 1e15) return String(n);
  const e = Math.floor(Math.log10(Math.abs(n)));
  let m = n / 10 ** e;
  let exp = e;
  if (Math.abs(Number(m.toFixed(2))) >= 10) {
    m /= 10;
    exp++;
  }
  return `${m.toFixed(2)}·10^${exp}`;
}

/** What a trace table needs of a program: its threads' names (an IrProgram has them). */
export interface TraceThreads {
  readonly threads: readonly { readonly name: string }[];
}

/**
 * A counterexample trace as a table: step, one column per thread that moves (the instruction's
 * whole source text), location, effect, buffers. Given a terminal `width` (COLUMNS) that the
 * column-per-thread table would pass, the rows are stacked instead: one column for the thread
 * and one for the instruction, whatever the number of threads.
 */
export function renderTraceTable(steps: readonly TraceStep[], program: TraceThreads, width?: number): string {
  if (steps.length === 0) return '    (the initial state)\n';
  const fits = (t: string): boolean => width === undefined || !t.split('\n').some((l) => l.length > width);
  const wide = renderThreadColumns(steps, program);
  if (fits(wide)) return wide;
  const stacked = renderStacked(steps, program);
  return fits(stacked) ? stacked : renderTwoLines(steps, program, width ?? Number.POSITIVE_INFINITY);
}

/** The narrowest form: per step, a line with step, thread, location and instruction, then the effect and the buffers (on two lines when one passes `width`). */
function renderTwoLines(steps: readonly TraceStep[], program: TraceThreads, width: number): string {
  const num = String(steps.length).length;
  const names = steps.map((s) => program.threads[s.thread]?.name ?? s.threadName);
  const nameWidth = Math.max(...names.map((n) => n.length));
  const indent = ' '.repeat(4 + num + 2);
  return steps
    .map((s, i) => {
      const loc = s.location.replace(/^.*[\\/]/, '');
      const head = `    ${String(i + 1).padStart(num)}  ${(names[i] ?? '').padEnd(nameWidth)}  ${loc === '' ? '' : `${loc}  `}${stepText(s)}`;
      const bufs = buffersCell(s, program);
      const perThread = s.buffers.flatMap((b, k) => (b === '[]' || b === '' ? [] : [`buffer ${program.threads[k]?.name ?? `#${k}`}${b}`]));
      const bufLine = `buffers ${bufs}`;
      const parts = [visible(s.effect), ...(perThread.length === 0 ? [] : indent.length + bufLine.length <= width ? [bufLine] : perThread)].filter((x) => x !== '');
      const joined = parts.join('; ');
      const tail = indent.length + joined.length <= width ? [joined] : parts;
      return `${head.trimEnd()}\n${tail.filter((x) => x !== '').map((x) => `${indent}${x}\n`).join('')}`;
    })
    .join('');
}

/** Control characters in source text (a string literal may hold them) as visible `\uXXXX`, so a table cell cannot move the cursor or end a line. */
function visible(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The text of a step's instruction cell: `(drain) drain x = 1` for actions other than an instruction. */
function stepText(s: TraceStep): string {
  return visible(s.action === 'instr' ? s.text : `(${s.action}) ${s.text}`);
}

/** The buffers cell of a step, e.g. `P0[x=1] P1[y=1]`, or `-`. */
function buffersCell(s: TraceStep, program: TraceThreads): string {
  return s.buffers.map((b, k) => (b === '[]' || b === '' ? '' : `${program.threads[k]?.name ?? `#${k}`}${b}`)).filter((b) => b !== '').join(' ') || '-';
}

/** Aligned columns, the last one unpadded. */
function alignedRows(header: readonly string[], rows: readonly (readonly string[])[]): string {
  // a loop, not Math.max(...): a trace may have hundreds of thousands of rows (a spread that long overflows the stack)
  const widths = header.map((h, c) => rows.reduce((w, r) => Math.max(w, (r[c] ?? '').length), h.length));
  const line = (cells: readonly string[]): string =>
    `    ${cells
      .map((x, c) => (c === cells.length - 1 ? x : x.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd()}\n`;
  return line(header) + rows.map(line).join('');
}

/** The stacked form: step, thread, instruction, location, effect, buffers. */
function renderStacked(steps: readonly TraceStep[], program: TraceThreads): string {
  const hasBuffers = steps.some((s) => s.buffers.length > 0);
  const header = ['#', 'thread', 'instruction', 'location', 'effect', ...(hasBuffers ? ['buffers'] : [])];
  const rows = steps.map((s, i) => [String(i + 1), program.threads[s.thread]?.name ?? s.threadName, stepText(s), s.location.replace(/^.*[\\/]/, ''), visible(s.effect), ...(hasBuffers ? [buffersCell(s, program)] : [])]);
  return alignedRows(header, rows);
}

function renderThreadColumns(steps: readonly TraceStep[], program: TraceThreads): string {
  const threadIds = [...new Set(steps.map((s) => s.thread))].sort((a, b) => a - b);
  const names = threadIds.map((t) => program.threads[t]?.name ?? steps.find((s) => s.thread === t)?.threadName ?? `#${t}`);
  const hasBuffers = steps.some((s) => s.buffers.length > 0);
  const header = ['#', ...names, 'location', 'effect', ...(hasBuffers ? ['buffers'] : [])];
  const rows = steps.map((s, i) => {
    const cells = threadIds.map((t) => (t === s.thread ? stepText(s) : ''));
    const loc = s.location.replace(/^.*[\\/]/, '');
    return [String(i + 1), ...cells, loc, visible(s.effect), ...(hasBuffers ? [buffersCell(s, program)] : [])];
  });
  return alignedRows(header, rows);
}

function renderState(state: Readonly<Record<string, number>>): string {
  return Object.entries(state)
    .map(([k, x]) => `${k}=${x}`)
    .join(' ');
}

function renderViolation(v: Violation, program: IrProgram, model: ModelName, rerun: RerunInfo, st: Style, width: number | undefined): string {
  const [first, ...rest] = v.message.replace(/^(deadlock|livelock|data race): /, '').split('\n');
  let out = `\n${st.bad(`violation (${v.kind}${v.code !== undefined ? ` ${v.code}` : ''})`)}: ${first ?? ''}\n`;
  for (const l of rest) out += `  ${l}\n`;
  out += `  trace (${v.trace.length} step${v.trace.length === 1 ? '' : 's'}):\n`;
  out += renderTraceTable(v.trace, program, width);
  out += `  final state: ${renderState(v.finalState)}\n`;
  out += `  replay: ${replayCommand(rerun, model, v.replay)}\n`;
  return out;
}

/**
 * The threads' answer, with every violation kind the start on one thread found and the threads did
 * not (they may stop first: a time limit, an interrupt, a budget): a violation found is never lost,
 * and its counterexample replays as any does. Kinds in VIOLATION_KINDS order, as a search reports them.
 */
export function withStartFindings(threads: CheckResult, start: CheckResult): CheckResult {
  const missing = start.violations.filter((v) => !threads.violations.some((w) => w.kind === v.kind));
  if (missing.length === 0) return threads;
  const violations = [...threads.violations, ...missing].sort((a, b) => VIOLATION_KINDS.indexOf(a.kind) - VIOLATION_KINDS.indexOf(b.kind));
  return { ...threads, violations, verdict: 'fail' };
}

/** The graph engine's final graphs, complete or blocked: what its budget of executions counts (graphExplorer.ts, maxExecutions). */
function finalGraphs(s: CheckResult['stats']): number {
  const b = s.blocked ?? { assume: 0, await: 0, spin: 0, bound: 0, error: 0 };
  return (s.executions ?? 0) + b.assume + b.await + b.spin + b.bound + b.error;
}

/** ` on N threads` when the search ran on more than one (the count of hand-overs with it on the graph engine), else nothing. */
function onThreads(s: CheckResult['stats']): string {
  if (s.threads === undefined || s.threads < 2) return '';
  const handed = s.graphSteals === undefined ? '' : `, ${s.graphSteals} subtree${s.graphSteals === 1 ? '' : 's'} handed over`;
  const grown = s.tableRestarts === undefined ? '' : `, started again ${s.tableRestarts} time${s.tableRestarts === 1 ? '' : 's'} on a larger table`;
  const start = s.oneThreadStart === undefined ? '' : ` (${s.oneThreadStart.ms.toFixed(0)} ms of it a start on one thread, stopped at ${s.oneThreadStart.stored} ${s.engine === 'graph' ? 'final graphs' : 'states'})`;
  return ` on ${s.threads} threads${handed}${grown}${start}`;
}

function renderStats(r: CheckResult): string {
  const s = r.stats;
  if (s.engine === 'graph') return renderGraphStats(r);
  let out = `States stored ${s.statesStored}, transitions ${s.transitions}, max depth ${s.maxDepth}, final states ${formatCount(s.finalStates)}, ${s.ms.toFixed(1)} ms${onThreads(s)}, peak memory ${formatBytes(s.peakBytes)} (${s.bytesPerState} B/state)\n`;
  if (s.symmetry !== undefined || s.por !== undefined) {
    const sym = s.symmetry === 'on' && s.symmetryStates !== undefined ? `symmetry on (the ${s.statesStored} states stored stand for ${formatCount(s.symmetryStates)})` : `symmetry ${s.symmetry ?? 'n/a'}`;
    const por =
      s.por === 'on'
        ? `partial order on (${s.porPruned ?? 0} transitions pruned in ${s.porAmple ?? 0} ample expansions, ${s.mergedSteps ?? 0} thread-local instructions merged into the steps before them)`
        : `partial order ${s.por ?? 'n/a'}`;
    const dead = s.deadRegisters === 'on' ? `dead registers on (stale values cleared in ${s.deadCleared ?? 0} successor states)` : `dead registers ${s.deadRegisters ?? 'n/a'}`;
    out += `Reductions: ${sym}; ${por}; ${dead}\n`;
  }
  if (s.hashCompact !== undefined) {
    out += `Hash compaction: on (${s.hashCompact.bits}-bit fingerprints); probability that some state was missed ≤ ${formatProbability(s.hashCompact.omissionProbability)}\n`;
  }
  if (s.bufferBoundHit && r.budgetExhausted !== 'buffer-bound') out += 'note: a store buffer reached its bound (--buffer-bound): the exploration under-approximates the model\n';
  if (s.unexplored !== undefined) out += `note: ${r.model}'s answer is not known here: ${s.unexplored}\n`;
  if (s.livelockCheck === 'skipped-incomplete') out += `note: livelock detection skipped: ${r.budgetExhausted === 'interrupted' ? 'the check was interrupted' : 'the search was incomplete'}\n`;
  return out;
}

/** The graph engine's statistics: executions, blocked executions by reason, graphs judged. */
function renderGraphStats(r: CheckResult): string {
  const s = r.stats;
  if (s.unsupported !== undefined) return `note: not checked: ${s.unsupported}\n`;
  const b = s.blocked ?? { assume: 0, await: 0, spin: 0, bound: 0, error: 0 };
  const blocked = Object.entries(b).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
  let out = `Executions ${s.executions ?? 0} complete, ${Object.values(b).reduce((x, y) => x + y, 0)} blocked${blocked === '' ? '' : ` (${blocked})`}; graphs judged ${s.graphs ?? 0}; ${s.ms.toFixed(1)} ms${onThreads(s)} (graph engine, optimal DPOR)\n`;
  if (s.unrollHit !== undefined) out += `note: a loop reached the --unroll bound (${s.unrollHit}): executions past it were not explored\n`;
  if (s.unexplored !== undefined) out += `note: ${r.model} allows executions the graph engine does not build, and this program may have some: ${s.unexplored}\n`;
  return out;
}

/** The full text report of one check. */
export function renderResult(r: CheckResult, program: IrProgram, rerun: RerunInfo, color: boolean, width?: number): string {
  const st = style(color);
  let out = `Test ${r.test}${testKind(program.condition)}\n`;
  const c = r.condition;
  if (outcomesComplete(r.budgetExhausted)) {
    out += `States ${r.outcomes.length}\n`;
    for (const o of r.outcomes) out += `${outcomeLine(o)}\n`;
    if (c !== null) {
      out += `${c.validated ? 'Ok' : 'No'}\n`;
      out += `Witnesses\nPositive: ${formatCount(c.positive)} Negative: ${formatCount(c.negative)}\n`;
      out += `Condition ${c.text}\n`;
      out += `Observation ${r.test} ${c.observation} ${formatCount(c.positive)} ${formatCount(c.negative)}\n`;
    }
  } else {
    // a partial search decides nothing about the outcome set: no herd States/Ok/No/Observation lines
    out += `Outcomes found before the search stopped: ${r.outcomes.length} (partial)\n`;
    for (const o of r.outcomes) out += `${outcomeLine(o)}\n`;
    if (c !== null) out += `Condition ${c.text}: not decided (the search is incomplete)\n`;
  }
  const cut = r.stats.cutExecutions ?? 0;
  if (cut > 0) out += `note: ${cut} execution${cut === 1 ? '' : 's'} stopped at a failed assert or a run-time error; ${cut === 1 ? 'its end is' : 'their ends are'} not in the outcomes\n`;
  const route = r.stats.jsRoute === 'race-free' ? ', race-free so SC-DRF' : r.stats.jsRoute === 'racy' ? ', racy' : '';
  out += `Model ${r.model} (${r.stats.engine === 'graph' ? 'graph' : r.strategy}${route}): ${verdictText(r, st)}`;
  if (r.budgetExhausted !== null) out += ` — ${budgetText(r.budgetExhausted)}`;
  else if (r.stats.unsupported !== undefined) out += ' — the program uses what this model does not cover';
  else if (r.stats.unrollHit !== undefined && r.verdict === 'inconclusive') out += ` — a loop reached the --unroll bound (${r.stats.unrollHit}); results are partial`;
  out += '\n';
  for (const v of r.violations) out += renderViolation(v, program, r.model, rerun, st, width);
  if (r.violations.length > 0) out += '\n';
  out += renderStats(r);
  return out;
}

/** The `--model all` report: one row per model, then each model's violations in brief. */
export function renderSummary(results: readonly CheckResult[], program: IrProgram, rerun: RerunInfo, color: boolean): string {
  const st = style(color);
  const header = ['model', 'verdict', 'condition', 'outcomes', 'violations', 'states'];
  const rows = results.map((r) => {
    const kinds = new Map<string, number>();
    for (const v of r.violations) kinds.set(v.kind, (kinds.get(v.kind) ?? 0) + 1);
    const viol = kinds.size === 0 ? '-' : [...kinds].map(([k, n]) => (n === 1 ? k : `${k}×${n}`)).join(', ');
    // a model that does not cover the program (no such ordering, too many threads) checked nothing: n/a (still inconclusive for the exit code)
    const verdict = r.stats.unsupported !== undefined ? 'n/a' : verdictLabel(r) + (r.budgetExhausted !== null && r.budgetExhausted !== 'interrupted' ? ` (${r.budgetExhausted})` : '');
    const cut = r.stats.cutExecutions ?? 0;
    const complete = outcomesComplete(r.budgetExhausted);
    const cond = r.condition === null ? '-' : !complete ? '?' : r.condition.validated ? 'Ok' : 'No';
    const outcomes = `${complete ? '' : '≥'}${r.outcomes.length}${cut > 0 ? ` (+${cut} cut)` : ''}`;
    const size = r.stats.engine === 'graph' ? `${r.stats.executions ?? 0} exec` : String(r.stats.statesStored);
    return [r.model, verdict, cond, outcomes, viol, size];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[], colorize: boolean): string =>
    `${cells
      .map((x, c) => {
        const padded = c === cells.length - 1 ? x : x.padEnd(widths[c] ?? 0);
        if (!colorize || c !== 1) return padded;
        return x.startsWith('pass') ? st.good(padded) : x.startsWith('fail') ? st.bad(padded) : st.warn(padded);
      })
      .join('  ')
      .trimEnd()}\n`;
  let out = `Test ${program.name}${testKind(program.condition)}`;
  if (program.condition !== null) out += `: ${program.condition.text}`;
  out += '\n';
  out += line(header, false) + rows.map((row) => line(row, true)).join('');
  for (const r of results) {
    if (r.stats.unsupported !== undefined) out += `\n${r.model}: n/a, not checked: ${r.stats.unsupported}\n`;
    for (const v of r.violations) {
      out += `\n${st.bad(`${r.model}: ${v.kind}`)}: ${v.message.split('\n')[0] ?? ''}\n`;
      out += `  replay: ${replayCommand(rerun, r.model, v.replay)}\n`;
    }
  }
  return out;
}

// ---------------------------------------------------------------- replay

function runReplay(io: CliIo, format: Format, program: IrProgram, base: Omit<CheckOptions, 'model'>, token: string, modelArg: readonly ModelName[] | undefined, rerun: RerunInfo): number {
  if (token.trim().startsWith(`${GRAPH_REPLAY_VERSION}.`)) return runGraphReplay(io, format, program, base, token, modelArg, rerun);
  const d = decodeReplayToken(token);
  if (!d.ok) return usageError(io, 'check', d.error);
  if (modelArg !== undefined && !modelArg.includes(d.token.model)) {
    return usageError(io, 'check', `the replay token was recorded under --model ${d.token.model}, not ${modelArg.join(',')}`);
  }
  const r = replay(program, { ...base, model: d.token.model }, token);
  if (!r.ok) return usageError(io, 'check', r.error);
  if (format === 'json') {
    const payload = { schemaVersion: CHECK_SCHEMA_VERSION, test: program.name, model: r.model, replay: token, kind: r.kind, observed: r.observed, ending: r.ending, trace: r.trace, finalState: r.finalState };
    io.stdout(`${JSON.stringify(payload, null, 2)}\n`);
  } else {
    io.stdout(renderReplay(r, program, rerun, token, io.color, io.columns));
  }
  return r.observed !== null ? EXIT.violation : EXIT.ok;
}

/** Replay of a graph-engine counterexample: rebuild the recorded execution graph and judge it. */
function runGraphReplay(io: CliIo, format: Format, program: IrProgram, base: Omit<CheckOptions, 'model'>, token: string, modelArg: readonly ModelName[] | undefined, rerun: RerunInfo): number {
  const g = replayGraph(program, token, base.unroll);
  if (!g.ok) return usageError(io, 'check', g.error);
  const r: ReplayOk = { ok: true, ...g.replay };
  if (modelArg !== undefined && !modelArg.includes(r.model)) return usageError(io, 'check', `the replay token was recorded under --model ${r.model}, not ${modelArg.join(',')}`);
  if (format === 'json') {
    const payload = { schemaVersion: CHECK_SCHEMA_VERSION, test: program.name, model: r.model, engine: 'graph', replay: token, kind: r.kind, observed: r.observed, ending: r.ending, trace: r.trace, finalState: r.finalState };
    io.stdout(`${JSON.stringify(payload, null, 2)}\n`);
  } else {
    io.stdout(renderReplay(r, program, rerun, token, io.color));
  }
  return r.observed !== null ? EXIT.violation : EXIT.ok;
}

/** The text report of a replay. */
export function renderReplay(r: ReplayOk, program: IrProgram, rerun: RerunInfo, token: string, color: boolean, width?: number): string {
  const st = style(color);
  let out = `Replay of ${token} (test ${program.name}, model ${r.model}${r.kind !== null ? `, recorded as ${r.kind}` : ''})\n`;
  out += `  trace (${r.trace.length} step${r.trace.length === 1 ? '' : 's'}):\n`;
  out += renderTraceTable(r.trace, program, width);
  out += `  final state: ${renderState(r.finalState)}\n`;
  const [first, ...rest] = r.ending.split('\n');
  out += `${r.observed !== null ? st.bad(`violation (${r.observed})`) : 'end'}: ${first ?? ''}\n`;
  for (const l of rest) out += `  ${l}\n`;
  out += `  rerun: ${replayCommand(rerun, r.model, token)}\n`;
  return out;
}
