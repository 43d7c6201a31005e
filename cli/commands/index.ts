/**
 * The list of `memweave` sub-commands, in the order `memweave --help` shows them, each with its
 * one-line summary. A command's module is imported only when that command runs or prints its
 * usage (`memweave check` starts without loading the graph renderer, the HTML report or the
 * worker harness), so this file imports none of them statically.
 * To add a command: write cli/commands/<name>.ts exporting a `CommandBody` and add an entry here
 * (nothing else changes; main.ts dispatches by name).
 */
import { MODEL_CHOICE } from '../models.js';
import type { CommandBody, LazyCommand } from '../types.js';

/** An entry whose module is imported by `load`. */
const lazy = (name: string, summary: string, load: () => Promise<CommandBody>): LazyCommand => ({ name, summary, load });

/** Every command, in help order. */
export const COMMANDS: readonly LazyCommand[] = [
  lazy('check', `model-check a program under ${MODEL_CHOICE}: outcomes, violations, traces`, async () => (await import('./check.js')).checkCommand),
  lazy('run', 'run a program many times on real worker_threads and print the outcome histogram', async () => (await import('./run.js')).runCommand),
  lazy('conform', 'run on real workers and check: every observed outcome must be allowed by the model', async () => (await import('./conform.js')).conformCommand),
  lazy('litmus', 'the bundled litmus catalogue: list, show one test, print the verdict table', async () => (await import('./litmus.js')).litmusCommand),
  lazy('graph', 'draw an execution: herd-style graph (DOT, SVG) or Mermaid sequence diagram, SC cycle highlighted', async () => (await import('./graph.js')).graphCommand),
  lazy('report', 'write one self-contained HTML page: verdicts, outcomes, cycle pictures, a stepped trace', async () => (await import('./report.js')).reportCommand),
  lazy('playground', 'serve the browser playground: edit, check, draw and step programs in a page (cross-origin isolated)', async () => (await import('./playground.js')).playgroundCommand),
  lazy('explore', 'explore every interleaving of real TypeScript/JavaScript Atomics code from its source (sc or js)', async () => (await import('./explore.js')).exploreCommand),
  lazy('merge', "combine the JSON results of 'check --shard I/N' into one verdict", async () => (await import('./merge.js')).mergeCommand),
  lazy('parse', 'check a .mw or .litmus file and print its canonical form (or its IR)', async () => (await import('./parse.js')).parseCommand),
  lazy('fmt', 'print a .mw file in canonical form (--write to rewrite it, --check to verify)', async () => (await import('./fmt.js')).fmtCommand),
];
