/** Run a command in process and interrupt it: the helper of the interrupt tests. */
import { expect } from 'vitest';
import { main } from '../../../cli/main.js';
import type { StopSignal } from '../../../cli/interrupt.js';
import { fakeIo, type FakeIo } from '../cli/fakeIo.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

/**
 * Run `args`, send `signal` once the command listens for it (bound by event-loop turns, not by a
 * clock), and return the exit code with the fake io; the command must remove its listeners.
 */
export async function interruptCommand(args: string[], signal: StopSignal, files: Record<string, string> = {}): Promise<{ code: number; io: FakeIo }> {
  const io = fakeIo({ diskRoot: ROOT, files });
  const done = main(args, io);
  let turns = 0;
  while (io.signals.listening(signal) === 0) {
    if (++turns > 1_000_000) throw new Error(`${args.join(' ')} never listened for ${signal}`);
    await new Promise((r) => setImmediate(r));
  }
  io.signals.send(signal);
  const code = await done;
  expect(io.signals.listening('SIGINT') + io.signals.listening('SIGTERM')).toBe(0); // listeners removed
  return { code, io };
}
