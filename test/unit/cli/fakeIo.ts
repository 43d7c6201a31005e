/**
 * An in-memory CliIo for running commands in-process: captures stdout/stderr, serves files from
 * a map first and then (optionally) from disk relative to a root, and records writes.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { whyUnreadable } from '../../../cli/main.js';
import type { CliIo } from '../../../cli/types.js';
import type { SignalSource, StopSignal } from '../../../cli/interrupt.js';

/** A signal source a test delivers SIGINT / SIGTERM from, without signalling the process. */
export interface FakeSignals extends SignalSource {
  /** Call every listener of `signal`, as the process would on that signal. */
  send(signal: StopSignal): void;
  /** How many listeners `signal` has now (a command listens while its work runs). */
  listening(signal: StopSignal): number;
}

/** A fresh {@link FakeSignals}. */
export function fakeSignals(): FakeSignals {
  const table = new Map<StopSignal, Set<() => void>>();
  const set = (s: StopSignal): Set<() => void> => {
    let l = table.get(s);
    if (l === undefined) table.set(s, (l = new Set()));
    return l;
  };
  return {
    on: (s, fn) => void set(s).add(fn),
    off: (s, fn) => void set(s).delete(fn),
    send: (s) => {
      for (const fn of [...set(s)]) fn();
    },
    listening: (s) => set(s).size,
  };
}

/** A CliIo whose output is captured in `out` / `err` and whose writes land in `written`. */
export interface FakeIo extends CliIo {
  out: string;
  err: string;
  readonly files: Map<string, string>;
  readonly written: Map<string, string>;
  readonly signals: FakeSignals;
}

/** Build a fake; `files` are served first, then the disk under `diskRoot` when given. */
export function fakeIo(opts: { files?: Record<string, string>; diskRoot?: string; color?: boolean; isTTY?: boolean; writable?: boolean } = {}): FakeIo {
  const files = new Map(Object.entries(opts.files ?? {}));
  const written = new Map<string, string>();
  const io: FakeIo = {
    out: '',
    err: '',
    files,
    written,
    signals: fakeSignals(),
    isTTY: opts.isTTY ?? false,
    color: opts.color ?? false,
    stdout(s) {
      io.out += s;
    },
    stderr(s) {
      io.err += s;
    },
    readFile(path) {
      const mem = files.get(path);
      if (mem !== undefined) return mem;
      if (opts.diskRoot === undefined) return null;
      try {
        return readFileSync(isAbsolute(path) ? path : join(opts.diskRoot, path), 'utf8');
      } catch {
        return null;
      }
    },
    now: () => 0,
    whyUnreadable(path) {
      if (files.has(path)) return null;
      if (opts.diskRoot === undefined) return `no such file '${path}'`;
      return whyUnreadable(isAbsolute(path) ? path : join(opts.diskRoot, path), path);
    },
  };
  if (opts.writable !== false) {
    io.writeFile = (path, text) => {
      written.set(path, text);
      files.set(path, text);
      return true;
    };
    io.appendFile = (path, text) => {
      const before = files.get(path) ?? '';
      written.set(path, before + text);
      files.set(path, before + text);
      return true;
    };
  }
  return io;
}
