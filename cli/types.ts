import type { SignalSource } from './interrupt.js';

// CLI contracts shared by every command: the I/O seam (so commands run in-process in tests
// with a fake), the command record, and the process exit codes.

/** Everything a command may touch of the outside world; tests pass a fake. */
export interface CliIo {
  /** Write to standard output (no newline added). */
  stdout(s: string): void;
  /** Write to standard error (no newline added). */
  stderr(s: string): void;
  /** Whether stdout is a terminal. */
  isTTY: boolean;
  /** Whether stderr is a terminal (progress lines go there); defaults to isTTY when absent. */
  errIsTTY?: boolean;
  /** Whether to colour output (TTY and NO_COLOR unset, or FORCE_COLOR set). */
  color: boolean;
  /** The width text output should fit (the terminal's, or COLUMNS); undefined: no limit. */
  columns?: number;
  /** Read a UTF-8 file; `null` when it does not exist or cannot be read. */
  readFile(path: string): string | null;
  /** Where SIGINT and SIGTERM arrive (cli/interrupt.ts); absent in fakes that never interrupt. */
  signals?: SignalSource;
  /** Why `path` cannot be read, in words (`no such file 'x.mw'`, `'specs' is a directory`), or null when it can; optional so fakes may omit it. */
  whyUnreadable?(path: string): string | null;
  /** Read all of standard input (the file `-`); null when it cannot be read; optional so fakes may omit it. */
  readStdin?(): string | null;
  /** Milliseconds since an arbitrary epoch (for timings only). */
  now(): number;
  /** The cores a check may use when --workers is not given (the process's that the load leaves idle: cli/parallelCheck.ts, idleCores); optional so fakes may omit it, and then a check runs on one thread. */
  cores?(): number;
  /** What a check without --workers does on one thread before it moves to the cores (cli/parallelCheck.ts AUTO_PROBE, the default); tests lower it. */
  autoProbe?: { readonly states: number; readonly executions: number };
  /** Write a UTF-8 file; optional so fakes may omit it; returns false on failure. */
  writeFile?(path: string, text: string): boolean;
  /** Append UTF-8 text to a file in one atomic O_APPEND write, never reading it; optional so fakes may omit it; returns false on failure. */
  appendFile?(path: string, text: string): boolean;
}

/** What a command module exports: its name, usage text and the code that runs it. */
export interface CommandBody {
  /** The word after `memweave`. */
  name: string;
  /** Usage text printed by `memweave <name> --help`. */
  usage: string;
  /** Runs the command with its own arguments (after the name); resolves to an exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** One `memweave <name>` sub-command, loaded. */
export interface Command extends CommandBody {
  /** One line for the global help. */
  summary: string;
}

/**
 * A sub-command in the global list whose module is imported only when it is used (`run`, or its
 * `--help`), so `memweave check` does not pay for loading the graph renderer or the worker harness.
 */
export interface LazyCommand {
  /** The word after `memweave`. */
  name: string;
  /** One line for the global help. */
  summary: string;
  /** Imports the command's module. */
  load(): Promise<CommandBody>;
}

/** An entry of the command list: loaded, or loaded on first use. */
export type CommandEntry = Command | LazyCommand;

/** Process exit codes used by every command. */
export const EXIT = { ok: 0, violation: 1, usage: 2, inconclusive: 3, internal: 70 } as const;

/** One of the values of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
