/**
 * Issue 13, interrupts: SIGINT and SIGTERM end run, conform and report the same way: workers
 * terminated, a line on stderr saying which signal interrupted the command, what is known on
 * stdout (the partial histogram), no verdict (conform never says CONSISTENT), exit 130 / 143.
 * Signals are delivered through the fake io once the command listens (a bounded number of event
 * loop turns, not a timer), so the test is bounded by work.
 */
import { describe, expect, it } from 'vitest';
import { interruptedExit, interruptedLine, type StopSignal } from '../../../cli/interrupt.js';
import { main } from '../../../cli/main.js';
import { fakeIo } from '../cli/fakeIo.js';
import { interruptCommand } from './interruptCommand.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const HUGE = '1000000000';

/** Start `args`, send `signal` as soon as the command listens for it, and return the exit code and output. */
async function interrupt(args: string[], signal: StopSignal): Promise<{ code: number; out: string; err: string }> {
  const { code, io } = await interruptCommand(args, signal);
  return { code, out: io.out, err: io.err };
}

describe.each(['SIGINT', 'SIGTERM'] as const)('%s', (signal) => {
  it(`run: partial histogram, interrupted, exit ${interruptedExit(signal)}`, async () => {
    const r = await interrupt(['run', 'examples/sb.mw', '-n', HUGE], signal);
    expect(r.code).toBe(interruptedExit(signal));
    expect(r.out).toContain('Histogram');
    expect(r.out).toContain('interrupted: every worker was terminated');
    expect(r.err).toContain(interruptedLine('run', signal));
  });

  it('conform: no CONSISTENT or FAIL, "no verdict", text and JSON', async () => {
    const r = await interrupt(['conform', 'examples/sb.mw', '-n', HUGE], signal);
    expect(r.code).toBe(interruptedExit(signal));
    expect(r.out).not.toMatch(/CONSISTENT|FAIL|coverage/);
    expect(r.out).toMatch(/conform: interrupted after \d+ iterations: no verdict/);
    expect(r.err).toContain(interruptedLine('conform', signal));
    const j = await interrupt(['conform', 'examples/sb.mw', '-n', HUGE, '--model', 'all', '--format', 'json'], signal);
    expect(j.code).toBe(interruptedExit(signal));
    expect((JSON.parse(j.out) as { verdict: string; interrupted: boolean })).toMatchObject({ verdict: 'interrupted', interrupted: true });
  });

  it('report --run: no page from a partial run', async () => {
    const io = fakeIo({ diskRoot: ROOT });
    const done = main(['report', 'examples/sb.mw', '--run', '--iterations', HUGE, '-o', 'r.html'], io);
    let turns = 0;
    while (io.signals.listening(signal) === 0) {
      if (++turns > 10_000_000) throw new Error('report never listened');
      await new Promise((r) => setImmediate(r));
    }
    io.signals.send(signal);
    expect(await done).toBe(interruptedExit(signal));
    expect(io.written.has('r.html')).toBe(false);
    expect(io.err).toContain(interruptedLine('report', signal));
  });
});
