/**
 * Issues 12 and 13, interrupts of the checker: SIGINT and SIGTERM during `check` (both engines,
 * every output format, several models and files) stop the search at its next pause, print the
 * partial statistics with no verdict (no Ok/No, pass/fail, Observation), say on stderr that the
 * command was interrupted, and exit 130 / 143. The signal is delivered through the fake io once
 * the command listens, which is after the check's first slice ran (it runs before checkAsync first
 * yields): bound by work, not by a timer.
 */
import { describe, expect, it } from 'vitest';
import { interruptedExit, interruptedLine, type StopSignal } from '../../../cli/interrupt.js';
import type { FakeIo } from '../cli/fakeIo.js';
import { interruptCommand } from './interruptCommand.js';
import { ENDLESS } from '../../support/incompletePrograms.js';

/** Words only a verdict prints (herd's Ok/No and Observation, the check's pass/fail). */
const VERDICT = /\b(Ok|No|Observation|pass|fail|Always|Never|Sometimes)\b/;

/** Run `args`, send `signal` once the command listens for it, and return the exit code with the fake io. */
function interrupt(args: string[], signal: StopSignal, files: Record<string, string> = { 'endless.mw': ENDLESS }): Promise<{ code: number; io: FakeIo }> {
  return interruptCommand(args, signal, files);
}

describe.each(['SIGINT', 'SIGTERM'] as const)('check, %s', (signal) => {
  it(`state engine (--model sc): partial states, the interrupted line, no verdict, exit ${interruptedExit(signal)}`, async () => {
    const { code, io } = await interrupt(['check', 'endless.mw', '--model', 'sc'], signal);
    expect(code).toBe(interruptedExit(signal));
    const states = /States stored (\d+), transitions (\d+)/.exec(io.out);
    expect(states).not.toBeNull();
    expect(Number(states?.[1])).toBeGreaterThan(0);
    expect(io.out).toContain('Model sc (bfs): interrupted');
    expect(io.out).toContain('Outcomes found before the search stopped');
    expect(io.out).not.toMatch(VERDICT);
    expect(io.out).not.toContain('inconclusive');
    expect(io.err).toContain(interruptedLine('check', signal));
  });

  it(`graph engine (--model rc11): partial executions and graphs, no verdict, exit ${interruptedExit(signal)}`, async () => {
    // fib_bench at NUM = 8: millions of executions (525,630 at NUM = 5)
    const { code, io } = await interrupt(['check', 'examples/graph/fib_bench.mw', '-D', 'NUM=8', '--model', 'rc11'], signal);
    expect(code).toBe(interruptedExit(signal));
    const graphs = /Executions (\d+) complete, \d+ blocked.*; graphs judged (\d+)/.exec(io.out);
    expect(Number(graphs?.[1] ?? 0)).toBeGreaterThan(0);
    expect(Number(graphs?.[2] ?? 0)).toBeGreaterThan(0);
    expect(io.out).toContain('Model rc11 (graph): interrupted');
    expect(io.out).not.toMatch(VERDICT);
    expect(io.err).toContain(interruptedLine('check', signal));
  });

  it('--engine graph --format json: verdict "interrupted", the condition undecided', async () => {
    const { code, io } = await interrupt(['check', 'examples/graph/fib_bench.mw', '-D', 'NUM=8', '--model', 'sc', '--engine', 'graph', '--format', 'json'], signal);
    expect(code).toBe(interruptedExit(signal));
    const j = JSON.parse(io.out) as Record<string, unknown> & { stats: { engine: string; graphs: number }; condition: { validated: string; observation: unknown } };
    expect(j).toMatchObject({ verdict: 'interrupted', budgetExhausted: 'interrupted', interrupted: true, signal, notRun: [], violations: [] });
    expect(j.stats.engine).toBe('graph');
    expect(j.stats.graphs).toBeGreaterThan(0);
    expect(j.condition).toMatchObject({ validated: '?', observation: null });
    expect(io.err).toContain(interruptedLine('check', signal));
  });

  it('--model all: stops at the model in flight and names the models that did not run (text and JSON)', async () => {
    const text = await interrupt(['check', 'endless.mw', '--model', 'all'], signal);
    expect(text.code).toBe(interruptedExit(signal));
    expect(text.io.out).toMatch(/^sc\s+interrupted\s/m);
    expect(text.io.out).toContain('not checked (interrupted): tso, pso, js, ra, rc11');
    expect(text.io.out).not.toMatch(VERDICT);
    const json = await interrupt(['check', 'endless.mw', '--model', 'all', '--format', 'json'], signal);
    const j = JSON.parse(json.io.out) as { results: { model: string; verdict: string }[]; interrupted: boolean; notRun: string[] };
    expect(j.results.map((r) => [r.model, r.verdict])).toEqual([['sc', 'interrupted']]);
    expect(j.interrupted).toBe(true);
    expect(j.notRun).toEqual(['tso', 'pso', 'js', 'ra', 'rc11']);
  });

  it('JUnit, GitHub and the summary read as interrupted, never as a pass', async () => {
    const junit = await interrupt(['check', 'endless.mw', '--model', 'sc,tso', '--format', 'junit'], signal);
    expect(junit.code).toBe(interruptedExit(signal));
    expect(junit.io.out).toContain('<property name="verdict" value="interrupted"/>');
    expect(junit.io.out).toContain('<property name="budget" value="interrupted"/>');
    expect(junit.io.out).toMatch(/<testcase name="endless \[tso\]"[^]*<skipped message="not checked: the invocation was interrupted/);
    expect(junit.io.out).toContain('failures="0" errors="0" skipped="2"');
    expect(junit.io.out).not.toContain('value="pass"');
    const github = await interrupt(['check', 'endless.mw', '--model', 'sc', '--format', 'github', '--summary', 'summary.md'], signal);
    expect(github.code).toBe(interruptedExit(signal));
    expect(github.io.out).toContain('::warning file=endless.mw,line=1,col=1,title=memweave interrupted (sc)::');
    expect(github.io.out).toMatch(/::notice title=memweave check::.*interrupted by a signal .*: no verdict/);
    const summary = github.io.written.get('summary.md') ?? '';
    expect(summary).toContain('| sc | ⚠️ interrupted |');
    expect(summary).not.toContain('✅');
  });

  it('several files: the files after the one in flight are named as not checked', async () => {
    const { code, io } = await interrupt(['check', 'endless.mw', 'examples/sb.mw', 'examples/mp.mw', '--model', 'sc'], signal);
    expect(code).toBe(interruptedExit(signal));
    expect(io.out).toContain('not checked (interrupted): examples/sb.mw examples/mp.mw');
    expect(io.out).not.toContain('==> examples/sb.mw <==');
    expect(io.err).toContain(interruptedLine('check', signal));
  });
});

describe.each(['SIGINT', 'SIGTERM'] as const)('graph and report, %s', (signal) => {
  it('graph: the picture search stops, says how far it got and which models it did not search, draws nothing', async () => {
    const { code, io } = await interrupt(['graph', 'endless.mw', '--outcome', 'x=1000000', '-o', 'g.dot'], signal);
    expect(code).toBe(interruptedExit(signal));
    expect(io.err).toMatch(/memweave graph: stopped looking for the outcome x=1000000 after storing [1-9]\d* states under sc \(not searched: tso, pso, js\)/);
    expect(io.err).toContain(interruptedLine('graph', signal));
    expect(io.written.has('g.dot')).toBe(false);
    expect(io.out).toBe('');
  });

  it('report: the check in flight stops, its statistics and the models not checked are said, no page', async () => {
    const { code, io } = await interrupt(['report', 'endless.mw', '-o', 'r.html'], signal);
    expect(code).toBe(interruptedExit(signal));
    expect(io.err).toMatch(/memweave report: sc: interrupted after [1-9]\d* states stored/);
    expect(io.err).toContain('memweave report: not checked: tso, pso, js');
    expect(io.err).toContain(interruptedLine('report', signal));
    expect(io.err).not.toMatch(VERDICT);
    expect(io.written.has('r.html')).toBe(false);
  });
});
