/**
 * The bundled litmus catalogue as data, and its verdict table.
 *
 * The catalogue is examples/litmus/catalogue.json (the index: for each test its name, its .mw
 * file, a one-line shape and a one-paragraph explanation; see docs/litmus.md) together with the
 * .mw files themselves, which carry the test's description and its `source` citation. Published
 * verdicts, where they exist, are in examples/litmus/expected.json.
 *
 * Verdicts are computed by the checker, never stored: a test's verdict under a model is
 * "Allowed" when some reachable final state satisfies its `exists` proposition, "Forbidden" when
 * the complete search found none, and "?" when a budget ran out first. `renderLitmusDoc` turns
 * them into docs/litmus.md (`npm run docs:litmus`; a test fails when the committed page is stale).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { check } from '../../checker/check.js';
import { MODEL_NAMES, type ModelName } from '../../checker/api.js';
import { verdictCell, verdictOf, type ModelVerdict } from './verdict.js';

export { litmusVerdict, verdictCell, verdictOf, type LitmusVerdict, type ModelVerdict } from './verdict.js';
import { compileSource } from '../../model/frontend.js';
import type { IrProgram } from '../../model/ir.js';

/** One entry of catalogue.json. */
export interface CatalogueEntry {
  readonly name: string;
  /** the .mw file, relative to the catalogue directory */
  readonly file: string;
  /** one line: the shape of the test */
  readonly shape: string;
  /** one paragraph: why each model answers as it does */
  readonly explanation: string;
}

/** A catalogue test, loaded: its entry, source text, compiled program and citation. */
export interface CatalogueTest extends CatalogueEntry {
  /** path of the .mw file as read */
  readonly path: string;
  readonly text: string;
  readonly program: IrProgram;
  /** the .mw file's `source` citation ('' when it has none) */
  readonly source: string;
}

/** The directory of the bundled catalogue (examples/litmus under the package root), found from this module's location. */
export function catalogueDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'examples', 'litmus', 'catalogue.json');
    if (existsSync(candidate)) return join(dir, 'examples', 'litmus');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'examples', 'litmus');
}

/** Parse and validate catalogue.json; a message on any problem. */
export function parseCatalogueIndex(text: string): { readonly ok: true; readonly entries: CatalogueEntry[] } | { readonly ok: false; readonly error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `catalogue.json is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const tests = (data as { tests?: unknown } | null)?.tests;
  if (!Array.isArray(tests)) return { ok: false, error: 'catalogue.json: expected an object with a "tests" array' };
  const entries: CatalogueEntry[] = [];
  const seen = new Set<string>();
  for (const [i, t] of tests.entries()) {
    const e = t as Record<string, unknown>;
    for (const key of ['name', 'file', 'shape', 'explanation'] as const) {
      if (typeof e[key] !== 'string' || (e[key] as string).trim() === '') return { ok: false, error: `catalogue.json: test ${i + 1} has no "${key}"` };
    }
    const entry: CatalogueEntry = { name: e['name'] as string, file: e['file'] as string, shape: e['shape'] as string, explanation: e['explanation'] as string };
    if (seen.has(entry.name)) return { ok: false, error: `catalogue.json: test ${entry.name} is listed twice` };
    seen.add(entry.name);
    entries.push(entry);
  }
  return { ok: true, entries };
}

/** Load the whole catalogue through `readFile`; a message when a file is missing or does not compile. */
export function loadCatalogue(dir: string, readFile: (path: string) => string | null): { readonly ok: true; readonly tests: CatalogueTest[] } | { readonly ok: false; readonly error: string } {
  const indexText = readFile(join(dir, 'catalogue.json'));
  if (indexText === null) return { ok: false, error: `cannot read ${join(dir, 'catalogue.json')}` };
  const index = parseCatalogueIndex(indexText);
  if (!index.ok) return index;
  const tests: CatalogueTest[] = [];
  for (const e of index.entries) {
    const path = join(dir, e.file);
    const text = readFile(path);
    if (text === null) return { ok: false, error: `catalogue.json lists ${e.file}, which cannot be read` };
    const compiled = compileSource(e.file, text);
    if (compiled.ir === null) return { ok: false, error: `${e.file} does not compile: ${compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}` };
    if (compiled.ir.name !== e.name) return { ok: false, error: `catalogue.json names ${e.file} '${e.name}' but the file says test '${compiled.ir.name}'` };
    const source = compiled.ir.metadata.find((m) => m.key === 'source')?.value ?? '';
    tests.push({ ...e, path, text, program: compiled.ir, source });
  }
  return { ok: true, tests };
}

/** Check a program under each model and give its verdicts. */
export function verdictsOf(program: IrProgram, models: readonly ModelName[] = MODEL_NAMES): ModelVerdict[] {
  return models.map((model) => verdictOf(check(program, { model })));
}

/** Text made safe inside a Markdown table cell. */
export function markdownCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');
}

/** The whole of docs/litmus.md, from the loaded tests and their verdicts (model order as given). */
export function renderLitmusDoc(tests: readonly { readonly test: CatalogueTest; readonly verdicts: readonly ModelVerdict[] }[], models: readonly ModelName[] = MODEL_NAMES): string {
  const out: string[] = [];
  out.push('# The litmus catalogue: verdicts across models');
  out.push('');
  out.push('<!-- Generated by `npm run docs:litmus` (memweave litmus table --write docs/litmus.md) from');
  out.push('     examples/litmus/catalogue.json, the .mw files and the checker. Do not edit by hand: a test');
  out.push('     regenerates this page and fails when it is out of date. -->');
  out.push('');
  out.push(`${tests.length} tests, each checked by \`memweave check\` under every model. A verdict is **Allowed** when`);
  out.push("some execution reaches a final state satisfying the test's `exists` condition, **Forbidden** when the");
  out.push('complete search finds none, **?** when the search could not be completed, **n/a** when the model does not');
  out.push('cover the test (orderings and fences JavaScript does not have, under js). Under js, ‡ marks a test with a');
  out.push('data race on plain accesses: the ECMAScript memory model then gives no SC guarantee, and the verdict is');
  out.push("the model's own, weak executions included (a race-free test's SC verdict is js's, by SC-DRF).");
  out.push('');
  out.push('See one test with `memweave litmus show NAME`, draw the execution of its outcome with');
  out.push('`memweave graph examples/litmus/NAME.mw --model tso`, and read [tutorial.md](tutorial.md) for a walk');
  out.push('through them. The index (shape, explanation) is `examples/litmus/catalogue.json`; the citation of');
  out.push("each test is the `source` line of its .mw file; published verdicts are in `examples/litmus/expected.json`");
  out.push('([catalogue.md](catalogue.md)).');
  out.push('');
  out.push(`| test | shape | ${models.join(' | ')} |`);
  out.push(`|---|---|${models.map(() => '---').join('|')}|`);
  for (const { test, verdicts } of tests) {
    const cells = models.map((m) => {
      const v = verdicts.find((x) => x.model === m);
      return v === undefined ? '—' : verdictCell(v);
    });
    out.push(`| [${markdownCell(test.name)}](../examples/litmus/${encodeURIComponent(test.file)}) | ${markdownCell(test.shape)} | ${cells.join(' | ')} |`);
  }
  out.push('');
  out.push('## The tests');
  for (const { test } of tests) {
    out.push('');
    out.push(`### ${markdownCell(test.name)}`);
    out.push('');
    out.push(`*${markdownCell(test.program.description ?? test.shape)}*`);
    out.push('');
    out.push(test.explanation);
    out.push('');
    out.push(`Source: ${markdownCell(test.source === '' ? '—' : test.source)}`);
  }
  out.push('');
  return out.join('\n');
}
