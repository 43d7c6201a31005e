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
  /** Read a UTF-8 file; `null` when it does not exist or cannot be read. */
  readFile(path: string): string | null;
  /** Milliseconds since an arbitrary epoch (for timings only). */
  now(): number;
  /** Write a UTF-8 file; optional so fakes may omit it; returns false on failure. */
  writeFile?(path: string, text: string): boolean;
}

/** One `memweave <name>` sub-command. */
export interface Command {
  /** The word after `memweave`. */
  name: string;
  /** One line for the global help. */
  summary: string;
  /** Usage text printed by `memweave <name> --help`. */
  usage: string;
  /** Runs the command with its own arguments (after the name); resolves to an exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Process exit codes used by every command. */
export const EXIT = { ok: 0, violation: 1, usage: 2, inconclusive: 3, internal: 70 } as const;

/** One of the values of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
