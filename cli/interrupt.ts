/**
 * SIGINT and SIGTERM end every long-running command the same way: the work stops (workers are
 * terminated), the command prints what it knows with a line saying it was interrupted and by
 * what, gives no verdict, and exits 128 + the signal number (130, 143). The signals reach a
 * command through its CliIo (`signals`), so tests deliver them without signalling the process.
 */

/** The signals that interrupt a command. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** One of {@link STOP_SIGNALS}. */
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Where a command listens for {@link STOP_SIGNALS}: the process, or a test's emitter. */
export interface SignalSource {
  on(signal: StopSignal, listener: () => void): void;
  off(signal: StopSignal, listener: () => void): void;
}

/** The process's signals. */
export const processSignals: SignalSource = {
  on: (signal, listener) => void process.on(signal, listener),
  off: (signal, listener) => void process.removeListener(signal, listener),
};

/** The exit code of a command a signal interrupted: 128 + its number (SIGINT 130, SIGTERM 143). */
export function interruptedExit(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/** The line a command prints on stderr when a signal interrupted it. */
export function interruptedLine(command: string, signal: StopSignal): string {
  return `memweave ${command}: interrupted by ${signal}: what is shown is partial, and there is no verdict\n`;
}

/**
 * Listen for the stop signals on `source` (none when it is undefined) until `dispose`; the first
 * one aborts `controller` and is remembered in `signal`.
 */
export function watchStopSignals(source: SignalSource | undefined, controller: AbortController): { readonly signal: () => StopSignal | null; dispose(): void } {
  let got: StopSignal | null = null;
  const listeners = STOP_SIGNALS.map((s) => {
    const fn = (): void => {
      if (got === null) got = s;
      controller.abort();
    };
    source?.on(s, fn);
    return [s, fn] as const;
  });
  return {
    signal: () => got,
    dispose: () => {
      for (const [s, fn] of listeners) source?.off(s, fn);
    },
  };
}
