/**
 * `memweave litmus list|show|table`: the bundled litmus catalogue (examples/litmus/, indexed by
 * catalogue.json). `list` prints every test with its shape and its verdicts under sc, tso and
 * pso; `show NAME` prints one test: description, shape, explanation, source citation, verdicts
 * under every model (and the published ones), the .mw text, and the commands that draw it;
 * `table` prints docs/litmus.md (`--write FILE` writes it, `--check FILE` fails when FILE is
 * stale). Verdicts are computed by the checker on the spot (the whole catalogue takes well under
 * a second).
 *
 * Exit codes: 0 ok, 1 `table --check` found the file stale, 2 usage error or unknown test.
 */
import { relative } from 'node:path';
import { MODEL_NAMES, type ModelName } from '../../checker/api.js';
import { FORMAT_OPTION, FORMATS, isFormat, parseCommandArgs, type Format } from '../args.js';
import { usageError, writeError } from '../input.js';
import { suggest } from '../suggest.js';
import { EXIT, type CliIo, type CommandBody } from '../types.js';
import { catalogueDir, loadCatalogue, renderLitmusDoc, verdictCell, verdictsOf, type CatalogueTest, type ModelVerdict } from '../litmus/catalogue.js';
import { OUTCOME_MODELS } from '../models.js';

const OPTIONS = {
  ...FORMAT_OPTION,
  write: { type: 'string' },
  check: { type: 'string' },
} as const;

const SUBCOMMANDS = ['list', 'show', 'table'] as const;

/** Models shown by `litmus list` (the table and `show` use every model). */
export const LIST_MODELS: readonly ModelName[] = OUTCOME_MODELS;

/** The `litmus` command. */
export const litmusCommand: CommandBody = {
  name: 'litmus',
  usage: [
    'usage: memweave litmus list [--format text|json]',
    '       memweave litmus show NAME [--format text|json]',
    '       memweave litmus table [--write FILE | --check FILE]',
    '',
    'The catalogue of classic litmus tests shipped in examples/litmus/ (indexed by catalogue.json),',
    'with the verdicts the checker computes: Allowed (some execution reaches the exists condition)',
    'or Forbidden (none does).',
    '',
    '  list                     every test: name, shape, verdicts under sc, tso, pso',
    '  show NAME                one test: explanation, source citation, verdicts per model, source text',
    '  table                    the verdict table of the whole catalogue (docs/litmus.md) on stdout',
    '',
    'options:',
    '  --format text|json       text (default) or JSON on stdout (list, show)',
    '  --write FILE             table: write the page to FILE (npm run docs:litmus)',
    '  --check FILE             table: exit 1 when FILE differs from the generated page',
    '  -h, --help               show this help',
    '',
    'exit: 0 ok, 1 table --check found FILE stale, 2 usage error or unknown test',
  ].join('\n'),
  run(argv: string[], io: CliIo): Promise<number> {
    return Promise.resolve(runLitmus(argv, io));
  },
};

function runLitmus(argv: string[], io: CliIo): number {
  const args = parseCommandArgs(argv, OPTIONS, { choices: { format: FORMATS }, positionals: ['SUBCOMMAND', 'NAME'], minPositionals: 1 });
  if (!args.ok) return usageError(io, 'litmus', args.message);
  const [sub, name] = args.positionals;
  if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    const hint = sub === undefined ? null : suggest(sub, SUBCOMMANDS);
    return usageError(io, 'litmus', `unknown subcommand '${sub ?? ''}'; ${hint !== null ? `did you mean '${hint}'? ` : ''}expected one of: ${SUBCOMMANDS.join(', ')}`);
  }
  const v = args.values;
  const format: Format = isFormat(v.format) ? v.format : 'text';
  if (sub === 'show' && name === undefined) return usageError(io, 'litmus', 'missing NAME (see `memweave litmus list`)');
  if (sub !== 'show' && name !== undefined) return usageError(io, 'litmus', `unexpected argument '${name}'`);
  if (sub !== 'table' && (v.write !== undefined || v.check !== undefined)) return usageError(io, 'litmus', '--write and --check apply to `litmus table` only');
  if (v.write !== undefined && v.check !== undefined) return usageError(io, 'litmus', '--write and --check exclude each other');

  const loaded = loadCatalogue(catalogueDir(), (p) => io.readFile(p));
  if (!loaded.ok) {
    io.stderr(`memweave litmus: error: ${loaded.error}\n`);
    return EXIT.usage;
  }
  const tests = loaded.tests;
  switch (sub) {
    case 'list':
      return list(io, tests, format);
    case 'show': {
      const wanted = name ?? '';
      const test = tests.find((t) => t.name === wanted) ?? tests.find((t) => t.name.toLowerCase() === wanted.toLowerCase());
      if (test === undefined) {
        const close = tests.filter((t) => t.name.toLowerCase().startsWith(wanted.toLowerCase().slice(0, 2))).map((t) => t.name);
        return usageError(io, 'litmus', `no test named '${wanted}' in the catalogue${close.length > 0 ? ` (similar: ${close.slice(0, 6).join(', ')})` : ''}`);
      }
      return show(io, test, format);
    }
    default:
      return table(io, tests, v.write, v.check);
  }
}

function list(io: CliIo, tests: readonly CatalogueTest[], format: Format): number {
  const rows = tests.map((t) => ({ test: t, verdicts: verdictsOf(t.program, LIST_MODELS) }));
  if (format === 'json') {
    const payload = {
      schemaVersion: 1,
      tests: rows.map(({ test, verdicts }) => ({ name: test.name, file: test.file, shape: test.shape, verdicts: Object.fromEntries(verdicts.map((x) => [x.model, x.verdict])) })),
    };
    io.stdout(`${JSON.stringify(payload, null, 2)}\n`);
    return EXIT.ok;
  }
  const SHAPE = 64;
  const clip = (s: string): string => (s.length <= SHAPE ? s : `${s.slice(0, SHAPE - 1)}…`);
  const header = ['name', 'shape', ...LIST_MODELS];
  const body = rows.map(({ test, verdicts }) => [test.name, clip(test.shape), ...verdicts.map(verdictCell)]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string => `${cells.map((x, c) => (c === cells.length - 1 ? x : x.padEnd(widths[c] ?? 0))).join('  ').trimEnd()}\n`;
  io.stdout(line(header) + body.map(line).join(''));
  io.stdout(`\n${tests.length} tests; 'memweave litmus show NAME' explains one\n`);
  return EXIT.ok;
}

/** Wrap a paragraph at `width` columns with an indent. */
export function wrap(text: string, width: number, indent = ''): string {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (cur !== '' && indent.length + cur.length + 1 + word.length > width) {
      lines.push(indent + cur);
      cur = word;
    } else cur = cur === '' ? word : `${cur} ${word}`;
  }
  if (cur !== '') lines.push(indent + cur);
  return lines.join('\n');
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

function show(io: CliIo, test: CatalogueTest, format: Format): number {
  const verdicts: ModelVerdict[] = verdictsOf(test.program, MODEL_NAMES);
  const path = displayPath(test.path);
  if (format === 'json') {
    const payload = {
      schemaVersion: 1,
      name: test.name,
      file: test.file,
      path,
      description: test.program.description,
      shape: test.shape,
      explanation: test.explanation,
      source: test.source,
      verdicts: Object.fromEntries(verdicts.map((x) => [x.model, { verdict: x.verdict, violations: x.violations, outcomes: x.outcomes, states: x.states, ...(x.executions !== undefined ? { executions: x.executions } : {}) }])),
      text: test.text,
    };
    io.stdout(`${JSON.stringify(payload, null, 2)}\n`);
    return EXIT.ok;
  }
  const out: string[] = [];
  out.push(`${test.name}${test.program.description !== null ? ` — ${test.program.description}` : ''}`);
  out.push(`shape:  ${test.shape}`);
  out.push(`file:   ${path}`);
  out.push('');
  out.push(wrap(test.explanation, 100));
  out.push('');
  out.push(wrap(`source: ${test.source === '' ? '—' : test.source}`, 100));
  out.push('');
  out.push(`verdicts (exists ${test.program.condition?.text.replace(/^exists\s*/, '') ?? '—'}):`);
  for (const x of verdicts) {
    const extra = x.violations.length > 0 ? `; also: ${x.violations.join(', ')}` : '';
    const size = x.executions !== undefined ? `${x.executions} execution${x.executions === 1 ? '' : 's'}` : `${x.states} states`;
    out.push(`  ${x.model.padEnd(4)} ${x.verdict.padEnd(9)}  (${x.outcomes} outcome${x.outcomes === 1 ? '' : 's'}, ${size}${extra})`);
  }
  out.push('');
  out.push(`--- ${test.file}`);
  out.push(test.text.replace(/\n$/, ''));
  out.push('---');
  const weak = verdicts.find((x) => x.verdict === 'Allowed');
  out.push('');
  out.push('pictures:');
  out.push(`  memweave graph ${path}${weak !== undefined ? ` --model ${weak.model}` : ''} --format svg -o ${test.name.replace(/[^A-Za-z0-9_+-]/g, '_')}.svg`);
  out.push(`  memweave report ${path} -o ${test.name.replace(/[^A-Za-z0-9_+-]/g, '_')}.html`);
  io.stdout(`${out.join('\n')}\n`);
  return EXIT.ok;
}

/** The generated docs/litmus.md for the loaded catalogue. */
export function litmusDocFor(tests: readonly CatalogueTest[]): string {
  return renderLitmusDoc(tests.map((test) => ({ test, verdicts: verdictsOf(test.program, MODEL_NAMES) })));
}

function table(io: CliIo, tests: readonly CatalogueTest[], write: string | undefined, checkPath: string | undefined): number {
  const doc = litmusDocFor(tests);
  if (write !== undefined) {
    if (io.writeFile === undefined || !io.writeFile(write, doc)) {
      return writeError(io, 'litmus', write, 'the table');
    }
    io.stderr(`wrote ${write} (${tests.length} tests)\n`);
    return EXIT.ok;
  }
  if (checkPath !== undefined) {
    const current = io.readFile(checkPath);
    if (current === doc) {
      io.stdout(`${checkPath} is current (${tests.length} tests)\n`);
      return EXIT.ok;
    }
    io.stderr(`memweave litmus: ${checkPath} is ${current === null ? 'missing' : 'out of date'}; run 'npm run docs:litmus'\n`);
    return EXIT.violation;
  }
  io.stdout(doc);
  return EXIT.ok;
}
