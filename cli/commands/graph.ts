/**
 * `memweave graph FILE`: draw one execution of a program as a herd-style execution graph (DOT or
 * SVG) or as a Mermaid sequence diagram of its trace. The execution is a shortest one reaching
 * the outcome given with `--outcome` (default: a final state satisfying the test's condition),
 * or the counterexample of a replay token (`--replay`). Without `--model`, the strongest model
 * that reaches the outcome is used (sc, then tso, pso, js); a po ∪ rf ∪ co ∪ fr cycle in the
 * graph, which is what SC forbids, is drawn red and bold.
 *
 * Exit codes: 0 drawn, 1 the outcome is not reachable under the model(s), 2 usage or input error,
 * 3 a budget stopped the search before finding it (it may still be reachable), or the memory
 * budget has no room for the picture found (nothing drawn), 130 / 143
 * interrupted by SIGINT / SIGTERM (the search stops within a slice; nothing is drawn).
 */
import type { IrProgram } from '../../model/ir.js';
import { MODEL_NAMES, type CheckOptions, type ModelName } from '../../checker/api.js';
import { unknownOutcomeNames } from '../../checker/execution.js';
import { cycleText } from '../../checker/graph.js';
import { decodeReplayToken, programChecksum } from '../../checker/replay.js';
import { GRAPH_REPLAY_VERSION, decodeGraphToken, graphPicture, graphState, type GraphWitness } from '../../checker/graphCheck.js';
import { DEFINE_OPTION, parseCommandArgs } from '../args.js';
import { loadProgram, usageError, writeError } from '../input.js';
import { bufferBoundLimit } from '../options.js';
import { EXIT, type CliIo, type CommandBody } from '../types.js';
import { renderDot } from '../graph/dot.js';
import { renderMermaid } from '../graph/mermaid.js';
import { parseOutcomeSpec, pictureForAsync, weakWitnessAsync, type Picture, type PictureTarget } from '../graph/picture.js';
import { interruptedExit, interruptedLine, watchStopSignals } from '../interrupt.js';
import { renderSvg } from '../graph/svg.js';
import { BUDGET_OPTIONS, parseBudgets, SpaceBudget, spaceBudgetOptions, TimeBudget } from '../budgets.js';
import { traceRowBytes } from '../../checker/resultCost.js';
import { DEFAULT_MODEL, MODEL_ALTERNATIVES, MODEL_CHOICE, MODEL_LIST, drfModelOf } from '../models.js';

/** The model a graph-engine token was recorded under (its second part). */
function decodeModelOf(token: string): string {
  return token.trim().split('.')[1] ?? '?';
}

/** Output formats of `memweave graph`. */
export const GRAPH_FORMATS = ['dot', 'svg', 'mermaid'] as const;
/** One of {@link GRAPH_FORMATS}. */
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

const OPTIONS = {
  ...DEFINE_OPTION,
  outcome: { type: 'string' },
  model: { type: 'string', short: 'm' },
  format: { type: 'string', default: 'dot' },
  output: { type: 'string', short: 'o' },
  replay: { type: 'string' },
  'buffer-bound': { type: 'string' },
  ...BUDGET_OPTIONS,
} as const;

/** The `graph` command. */
export const graphCommand: CommandBody = {
  name: 'graph',
  usage: [
    `usage: memweave graph FILE [--outcome "P0:r0=0; P1:r0=0"] [--model ${MODEL_ALTERNATIVES}] [--format dot|svg|mermaid]`,
    '                           [-o FILE] [--replay TOKEN] [-D NAME=VALUE]... [--buffer-bound N] [--max-states N]',
    '                           [--time-limit S] [--max-memory MB]',
    '',
    "Finds a shortest execution of FILE reaching the outcome (default: a final state satisfying the test's",
    'exists/forall condition) and draws it: events per thread in program order; po, rf (reads-from), co',
    '(coherence: the order writes reached memory, i.e. the store-buffer drain order under tso/pso) and fr',
    '(from-read) edges; buffered stores say when they reached memory; a notify is an event with a wake',
    'edge to each wait it woke (none: a lost wake-up). A cycle in po ∪ rf ∪ co ∪ fr is exactly what',
    'sequential consistency forbids: it is drawn red and bold and spelled out in the title.',
    '--format mermaid gives a sequence diagram of the trace (threads and memory; reads, writes, drains).',
    '',
    'options:',
    '  --outcome "N=V; …"        the final values to reach (registers as P0:r0, locations as x or a[1])',
    `  -m, --model M             ${MODEL_CHOICE}; default: the first of ${MODEL_LIST} that reaches it`,
    '  --format dot|svg|mermaid  output format (default dot); svg is rendered in-process by Graphviz (WASM)',
    '  -o, --output FILE         write to FILE instead of stdout',
    '  --replay TOKEN            draw the counterexample of a token printed by `memweave check`',
    '  -D, --define NAME=VALUE   override a param (repeatable)',
    '  --buffer-bound N          store-buffer capacity under tso/pso (default 4, at most 256)',
    '  --max-states N            give up after storing N states while searching (default 2000000)',
    '  --time-limit S            give up after S seconds in all (one budget for every model searched)',
    '  --max-memory MB           one memory budget (default 4096): the search, then the picture it keeps',
    '                            (its rows, its graph and its rendering); no room for the picture: exit 3',
    '  -h, --help                show this help',
    '',
    'exit: 0 drawn, 1 the outcome is not reachable under the model(s), 2 usage or input error,',
    '      3 the search stopped at a budget before finding it (it may still be reachable), or the memory',
    '      budget has no room for the picture (nothing drawn),',
    '      130 / 143 interrupted by SIGINT / SIGTERM (nothing drawn)',
  ].join('\n'),
  run(argv: string[], io: CliIo): Promise<number> {
    return runGraph(argv, io);
  },
};

function positiveInt(name: string, text: string | undefined): number | null | string {
  if (text === undefined) return null;
  const v = Number(text);
  return text.trim() !== '' && Number.isInteger(v) && v > 0 ? v : `--${name} expects a positive integer, got '${text}'`;
}

/** Bytes charged per event of a picture's execution graph (its event, edges and labels: about 340–400 B measured on Node 20, rounded up). */
const GRAPH_EVENT_BYTES = 512;
/**
 * Bytes charged for a picture's rendering: per character two bytes (V8 strings) and three copies
 * (the string being built, the finished string, the bytes written), at characters per event (DOT,
 * SVG, which is rendered from the DOT) or per step (Mermaid); SVG also for Graphviz's WASM heap,
 * which grows while it lays the graph out and is not given back. Measured on Node 20: DOT about
 * 215 characters an event, SVG about 1,700, Mermaid under 10 a step, and the process's RSS about
 * 26 KB an event higher for an SVG of 1,000 events than of 100.
 */
const RENDER_BYTES_PER_CHAR = 2 * 3;
const RENDER_COST: Readonly<Record<GraphFormat, { readonly charsPerEvent: number; readonly charsPerStep: number; readonly heapPerEvent: number }>> = {
  dot: { charsPerEvent: 256, charsPerStep: 0, heapPerEvent: 0 },
  svg: { charsPerEvent: 256 + 2048, charsPerStep: 0, heapPerEvent: 16 * 1024 },
  mermaid: { charsPerEvent: 0, charsPerStep: 64, heapPerEvent: 0 },
};

/** Bytes an execution graph of `events` events (and an execution of `steps` steps, for Mermaid) holds, with its rendering in `format`. */
function graphBytes(events: number, steps: number, format: GraphFormat): number {
  const r = RENDER_COST[format];
  return events * (GRAPH_EVENT_BYTES + r.heapPerEvent) + (events * r.charsPerEvent + steps * r.charsPerStep) * RENDER_BYTES_PER_CHAR;
}

/** Bytes `graph` keeps for a picture in `format`: its execution's rows, its graph and its rendering (charged before it is rendered). */
export function pictureBytes(picture: Picture, format: GraphFormat, threads: number): number {
  const steps = picture.execution.steps.length;
  return (steps + 2) * traceRowBytes(threads) + graphBytes(picture.graph.events.length, steps, format);
}

/** What `graph` says when the memory budget has no room for a picture; exit 3. */
function noRoom(io: CliIo, memory: SpaceBudget, what: string): number {
  io.stderr(`memweave graph: the memory budget (--max-memory, ${(memory.limit / 2 ** 20).toFixed(0)} MiB) has no room for the picture of ${what}: nothing drawn\n`);
  return EXIT.inconclusive;
}

/** Render a picture in a format. */
export async function renderPicture(program: IrProgram, picture: Picture, format: GraphFormat): Promise<string> {
  const dot = (): string => renderDot(picture.graph, { outcome: picture.outcomeText });
  switch (format) {
    case 'dot':
      return dot();
    case 'svg':
      return renderSvg(dot());
    case 'mermaid':
      return renderMermaid(program, picture.execution, picture.graph, { outcome: picture.outcomeText });
  }
}

/** Draw the execution graph a graph-engine token (mg1.…) records: DOT or SVG (Mermaid draws interleavings). */
async function drawGraphToken(io: CliIo, program: IrProgram, token: string, modelArg: string | undefined, format: GraphFormat, output: string | undefined, memory: SpaceBudget): Promise<number> {
  const d = decodeGraphToken(program, token);
  if (!d.ok) return usageError(io, 'graph', d.error);
  if (modelArg !== undefined && modelArg !== d.modelName) return usageError(io, 'graph', `the replay token was recorded under --model ${d.modelName}, not ${modelArg}`);
  if (format === 'mermaid') return usageError(io, 'graph', 'a graph-engine counterexample is an execution graph, not an interleaving: use --format dot or svg');
  const picture = graphPicture(program, d.modelName, d.graph);
  // the token's graph is as large as the token; its picture and rendering are charged before it is rendered
  if (!memory.charge(graphBytes(picture.events.length, 0, format))) return noRoom(io, memory, `the replay token under ${d.modelName} (${picture.events.length} events, ${format})`);
  const state = graphState(program, d.graph);
  const outcome = program.observables.map((o) => `${o.name}=${state[o.name] ?? 0};`).join(' ');
  const dot = renderDot(picture, { outcome });
  const text = format === 'svg' ? await renderSvg(dot) : dot;
  if (output !== undefined) {
    if (io.writeFile === undefined || !io.writeFile(output, text)) {
      io.stderr(`memweave graph: error: cannot write ${output}\n`);
      return EXIT.usage;
    }
    io.stderr(`wrote ${output} (${format}, ${program.name} under ${d.modelName}: ${outcome})\n`);
  } else {
    io.stdout(text);
  }
  return EXIT.ok;
}

async function runGraph(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, OPTIONS, { choices: { format: GRAPH_FORMATS, model: MODEL_NAMES }, positionals: ['FILE'] });
  if (!args.ok) return usageError(io, 'graph', args.message);
  const v = args.values;
  const format = (v.format ?? 'dot') as GraphFormat;
  const bufferBound = bufferBoundLimit(positiveInt('buffer-bound', v['buffer-bound']));
  if (typeof bufferBound === 'string') return usageError(io, 'graph', bufferBound);
  const budgets = parseBudgets(v);
  if (typeof budgets === 'string') return usageError(io, 'graph', budgets);
  const time = new TimeBudget(() => io.now(), budgets.timeLimitMs);
  // one memory budget: each search gets what is left of it, and the picture kept is charged before it is rendered
  const memory = new SpaceBudget(budgets.maxMemoryBytes);
  if (v.outcome !== undefined && v.replay !== undefined) return usageError(io, 'graph', '--outcome and --replay exclude each other');

  const path = args.positionals[0] ?? '';
  const loaded = loadProgram(io, 'text', path, v.define);
  if (!loaded.ok) return loaded.exit;
  const program = loaded.program;
  const base: Omit<CheckOptions, 'model'> = {
    now: () => io.now(),
    ...(typeof bufferBound === 'number' ? { bufferBound } : {}),
    ...spaceBudgetOptions(budgets),
  };

  let target: PictureTarget;
  let models: readonly ModelName[] = v.model !== undefined ? [v.model as ModelName] : MODEL_NAMES;
  let what: string;
  if (v.replay !== undefined && v.replay.trim().startsWith(`${GRAPH_REPLAY_VERSION}.`)) return drawGraphToken(io, program, v.replay, v.model, format, v.output, memory);
  if (v.replay !== undefined) {
    const d = decodeReplayToken(v.replay);
    if (!d.ok) return usageError(io, 'graph', d.error);
    if (d.token.checksum !== programChecksum(program)) return usageError(io, 'graph', 'replay token was recorded for a different program (the file or its -D values changed since)');
    if (v.model !== undefined && v.model !== d.token.model) return usageError(io, 'graph', `the replay token was recorded under --model ${d.token.model}, not ${v.model}`);
    models = [d.token.model];
    target = { kind: 'choices', choices: d.token.choices };
    what = 'the replay token';
  } else if (v.outcome !== undefined) {
    const parsed = parseOutcomeSpec(v.outcome);
    if (!parsed.ok) return usageError(io, 'graph', parsed.error);
    // (the observables' names do not depend on the model: any will do)
    const unknown = unknownOutcomeNames(program, { ...base, model: DEFAULT_MODEL }, parsed.outcome);
    if (unknown.length > 0) {
      return usageError(io, 'graph', `unknown name${unknown.length > 1 ? 's' : ''} in --outcome: ${unknown.join(', ')} (registers are THREAD:REG, e.g. ${program.observables[0]?.name ?? 'P0:r0'})`);
    }
    target = { kind: 'outcome', outcome: parsed.outcome };
    what = `the outcome ${v.outcome}`;
  } else {
    if (program.condition === null) return usageError(io, 'graph', `${path} has no final condition: give --outcome "NAME=VALUE; …" or --replay TOKEN`);
    target = { kind: 'condition' };
    what = `the condition ${program.condition.text}`;
  }

  // SIGINT / SIGTERM stop the search in flight; what it had searched is said, nothing is drawn
  const stop = new AbortController();
  const watch = watchStopSignals(io.signals, stop);
  const started = io.now();
  let search;
  // a model with an SC-DRF route (js): what its stateful search (SC) does not reach, the racy
  // program may still reach under the model itself — an execution graph from the graph engine
  let witness: GraphWitness | null = null;
  try {
    const options = (): Omit<CheckOptions, 'model'> => ({ ...base, ...time.options(), ...memory.options() });
    search = await pictureForAsync(program, options, target, models, stop.signal);
    if (search.kind === 'none') witness = await weakWitnessAsync(program, options, target, models, stop.signal);
  } finally {
    watch.dispose();
  }
  if (witness !== null && witness.token !== null && watch.signal() === null) {
    if (format === 'mermaid') return usageError(io, 'graph', `${what} is reached under ${decodeModelOf(witness.token)} only by a weak execution of a racy program (an execution graph, not an interleaving): use --format dot or svg`);
    return drawGraphToken(io, program, witness.token, undefined, format, v.output, memory);
  }
  const signal = watch.signal();
  if (search.kind === 'interrupted' || signal !== null) {
    const where = search.kind === 'interrupted' ? `after storing ${search.statesStored} states under ${search.model}${search.notRun.length > 0 ? ` (not searched: ${search.notRun.join(', ')})` : ''}` : 'after the search';
    io.stderr(`memweave graph: stopped looking for ${what} ${where}, ${((io.now() - started) / 1000).toFixed(1)} s\n`);
    io.stderr(interruptedLine('graph', signal ?? 'SIGINT'));
    return interruptedExit(signal ?? 'SIGINT');
  }
  if (search.kind === 'none') {
    // the graph engine's search under a model with an SC-DRF route ran out of budget: that model is undecided too
    const stopped = witness?.stopped === true ? [...new Set([...search.stopped, ...models.filter((m) => drfModelOf(m) !== undefined)])] : search.stopped;
    search = { ...search, stopped };
    const unreachable = models.filter((m) => !stopped.includes(m));
    if (search.stopped.length > 0) {
      const rest = unreachable.length > 0 ? `; it is not reachable under ${unreachable.join(', ')}` : '';
      io.stderr(`memweave graph: gave up looking for ${what} under ${search.stopped.join(', ')} after storing ${search.statesStored} states (--max-states, --time-limit and --max-memory set the budgets)${rest}\n`);
      return EXIT.inconclusive;
    }
    io.stderr(`memweave graph: ${what} is not reachable under ${models.join(', ')}${target.kind === 'choices' ? ' (the token does not fit this program)' : ''}\n`);
    return target.kind === 'choices' ? EXIT.usage : EXIT.violation;
  }
  const picture = search.picture;
  if (!memory.charge(pictureBytes(picture, format, program.threads.length))) {
    return noRoom(io, memory, `${what} under ${picture.model} (${picture.execution.steps.length} steps, ${picture.graph.events.length} events, ${format})`);
  }
  const text = await renderPicture(program, picture, format);
  if (v.output !== undefined) {
    if (io.writeFile === undefined || !io.writeFile(v.output, text)) {
      return writeError(io, 'graph', v.output, 'the picture');
    }
    io.stderr(`wrote ${v.output} (${format}, ${program.name} under ${picture.model}: ${picture.outcomeText})\n`);
  } else {
    io.stdout(text);
  }
  const cyc = cycleText(picture.graph);
  if (cyc !== null && format === 'mermaid') io.stderr(`note: the execution has a po ∪ rf ∪ co ∪ fr cycle (forbidden under sc): ${cyc}\n`);
  return EXIT.ok;
}
