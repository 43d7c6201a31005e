/**
 * The list of `memweave` sub-commands, in the order `memweave --help` shows them.
 * To add a command: write cli/commands/<name>.ts exporting a `Command`, import it here and add it
 * to COMMANDS (nothing else changes; main.ts dispatches by name).
 */
import type { Command } from '../types.js';
import { checkCommand } from './check.js';
import { conformCommand } from './conform.js';
import { fmtCommand } from './fmt.js';
import { graphCommand } from './graph.js';
import { litmusCommand } from './litmus.js';
import { parseCommand } from './parse.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';

/** Every command, in help order. */
export const COMMANDS: readonly Command[] = [
  checkCommand,
  runCommand,
  conformCommand,
  litmusCommand,
  graphCommand,
  reportCommand,
  parseCommand,
  fmtCommand,
];

/** The command with this name, if any. */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
