/**
 * The list of `memweave` sub-commands, in the order `memweave --help` shows them, each with its
 * one-line summary. A command's module is imported only when that command runs or prints its
 * usage (`memweave check` starts without loading the graph renderer, the HTML report or the
 * worker harness), so this file imports none of them statically.
 * To add a command: write cli/commands/<name>.ts exporting a `CommandBody` and add an entry here
 * (nothing else changes; main.ts dispatches by name).
 */
import type { LazyCommand } from '../types.js';

/** Every command, in help order. */
export const COMMANDS: readonly LazyCommand[] = [
  {
    name: 'check',
    summary: 'model-check a program under sc, tso, pso or js: outcomes, violations, traces',
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    name: 'run',
    summary: 'run a program many times on real worker_threads and print the outcome histogram',
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    name: 'conform',
    summary: 'run on real workers and check: every observed outcome must be allowed by the model',
    load: async () => (await import('./conform.js')).conformCommand,
  },
  {
    name: 'litmus',
    summary: 'the bundled litmus catalogue: list, show one test, print the verdict table',
    load: async () => (await import('./litmus.js')).litmusCommand,
  },
  {
    name: 'graph',
    summary: 'draw an execution: herd-style graph (DOT, SVG) or Mermaid sequence diagram, SC cycle highlighted',
    load: async () => (await import('./graph.js')).graphCommand,
  },
  {
    name: 'report',
    summary: 'write one self-contained HTML page: verdicts, outcomes, cycle pictures, a stepped trace',
    load: async () => (await import('./report.js')).reportCommand,
  },
  {
    name: 'parse',
    summary: 'check a .mw or .litmus file and print its canonical form (or its IR)',
    load: async () => (await import('./parse.js')).parseCommand,
  },
  {
    name: 'fmt',
    summary: 'print a .mw file in canonical form (--write to rewrite it, --check to verify)',
    load: async () => (await import('./fmt.js')).fmtCommand,
  },
];

