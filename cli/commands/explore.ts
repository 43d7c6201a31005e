/**
 * `memweave explore FILE.ts`: check real TypeScript/JavaScript Atomics code from its source
 * (explore/, docs/explore.md) from the command line, for a CI gate without a test runner: the
 * scenario module FILE exports `{ bytes, setup?, threads, check? }`; every interleaving of its
 * threads is explored (DPOR with sleep sets) under sc, or under js through SC-DRF (a data race is
 * the violation). The text answer is describeExplore's, the trace in the user's source lines;
 * `--format json` is the ExploreResult. The explore layer (and the TypeScript compiler it uses) is
 * loaded only when this command runs.
 */
import type { ExploreModel } from '../../explore/explore.js';
import { FORMAT_OPTION, FORMATS, isFormat, parseCommandArgs } from '../args.js';
import { intOption, usageError } from '../input.js';
import { EXIT, type CliIo, type CommandBody } from '../types.js';

const OPTIONS = {
  ...FORMAT_OPTION,
  export: { type: 'string' },
  model: { type: 'string', short: 'm' },
  'max-executions': { type: 'string' },
  'max-preemptions': { type: 'string' },
  'max-steps': { type: 'string' },
  seed: { type: 'string' },
  replay: { type: 'string' },
} as const;

/** The `explore` command. */
export const exploreCommand: CommandBody = {
  name: 'explore',
  usage: [
    'usage: memweave explore FILE [--export NAME] [--model sc|js] [--max-executions N] [--max-preemptions N]',
    '                        [--max-steps N] [--seed S] [--replay TOKEN] [--format text|json]',
    '',
    'Explores every interleaving of the threads a TypeScript or JavaScript module exports as a',
    'scenario ({ bytes, setup?, threads, check? }, docs/explore.md), running their real Atomics',
    'code over a modelled SharedArrayBuffer, and reports the first violation with its trace in',
    'your source lines and a replay token.',
    '',
    'options:',
    '  --export NAME            the export holding the scenario (default: the default export)',
    '  -m, --model sc|js        sc (default): every access sequentially consistent; js: the ECMAScript',
    '                           model through SC-DRF: a data race is the violation',
    '  --max-executions N       executions before the answer is inconclusive (default 100000)',
    '  --max-preemptions N      preemptions per execution (default unbounded)',
    '  --max-steps N            scheduling points per execution (default 10000)',
    '  --seed S                 the order fresh states try threads in (default 0)',
    '  --replay TOKEN           re-run one schedule (an mx1. token from a violation)',
    '  --format text|json       text (default) or the result as JSON on stdout',
    '  -h, --help               show this help',
    '',
    'exit: 0 pass, 1 a violation, 2 usage error or a module that cannot be explored, 3 inconclusive',
  ].join('\n'),
  run: runExplore,
};

async function runExplore(argv: string[], io: CliIo): Promise<number> {
  // the explore layer is loaded only now: it brings the TypeScript compiler, an optional peer dependency
  let layer: typeof import('../../explore/explore.js');
  try {
    layer = await import('../../explore/explore.js');
  } catch (e) {
    const missing = e instanceof Error && 'code' in e && (e as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND';
    if (!missing) throw e;
    return usageError(io, 'explore', 'memweave explore needs the typescript package (an optional peer dependency): npm install typescript');
  }
  const { EXPLORE_MODELS, explore } = layer;
  const args = parseCommandArgs(argv, OPTIONS, { choices: { format: ['text', 'json'], model: EXPLORE_MODELS }, positionals: ['FILE'] });
  if (!args.ok) return usageError(io, 'explore', args.message);
  const v = args.values;
  const format = isFormat(v.format) && (FORMATS as readonly string[]).includes(v.format) ? v.format : 'text';
  const numbers = {
    maxExecutions: intOption('max-executions', v['max-executions'], 1),
    maxPreemptions: intOption('max-preemptions', v['max-preemptions'], 0),
    maxSteps: intOption('max-steps', v['max-steps'], 1),
    seed: intOption('seed', v.seed, 0),
  };
  for (const n of Object.values(numbers)) if (typeof n === 'string') return usageError(io, 'explore', n);
  const path = args.positionals[0] ?? '';
  if (!/\.(ts|mts|js|mjs)$/.test(path)) return usageError(io, 'explore', `FILE must be a TypeScript or JavaScript module (.ts, .mts, .js, .mjs), got '${path}'`);
  const { describeExplore } = await import('../../explore/report.js');
  const options = {
    ...(v.export !== undefined ? { export: v.export } : {}),
    ...(v.model !== undefined ? { model: v.model as ExploreModel } : {}),
    ...(v.replay !== undefined ? { replay: v.replay } : {}),
    ...Object.fromEntries(Object.entries(numbers).filter(([, n]) => typeof n === 'number')),
  };
  const r = await explore(path, options);
  // refused before any execution (a module that cannot be transformed or loaded, not a scenario, a token of another one): the input's fault, exit 2 with why
  const refused = r.verdict === 'inconclusive' && r.stats.executions === 0 && r.violation === null && r.reason !== null;
  if (format === 'json') io.stdout(`${JSON.stringify(r, null, 2)}\n`);
  else if (!refused) io.stdout(`${describeExplore(r)}\n`);
  if (refused) {
    io.stderr(`memweave explore: ${r.reason ?? ''}\n`);
    return EXIT.usage;
  }
  return r.verdict === 'pass' ? EXIT.ok : r.verdict === 'fail' ? EXIT.violation : EXIT.inconclusive;
}
