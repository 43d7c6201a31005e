import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../../cli/commands/check.js';
import { fakeIo } from '../fakeIo.js';

const SB = `test SB
shared x = 0;
shared y = 0;
thread P0 { store.plain(x, 1); r0 = load.plain(y); }
thread P1 { store.plain(y, 1); r0 = load.plain(x); }
exists (P0:r0 = 0 /\\ P1:r0 = 0)
`;

const LW = `test lost_wakeup
shared ready = 0;
shared cv = 0;
thread Waiter { r = load.sc(ready); if (r == 0) { w = wait(cv, 0); } }
thread Notifier { store.sc(ready, 1); woken = notify(cv); }
forall (ready = 1)
`;

const PARAM = `test withparam
param V = 1;
shared x = 0;
thread P0 { store.sc(x, V); }
forall (x = 1)
`;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ files: { 'sb.mw': SB, 'lw.mw': LW, 'param.mw': PARAM } });
  const code = await checkCommand.run(argv, io);
  return { code, out: io.out, err: io.err };
}

/** Run with a file of the repository (a path from its root) visible under the same name. */
async function runAt(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const path = argv[0] ?? '';
  const io = fakeIo({ files: { [path]: readFileSync(path, 'utf8') } });
  const code = await checkCommand.run(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('memweave check', () => {
  it('prints herd-style outcomes and the condition (tso: Ok)', async () => {
    const r = await run(['sb.mw', '--model', 'tso']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 11)).toEqual([
      'Test SB Allowed',
      'States 4',
      '*> P0:r0=0; P1:r0=0;',
      '   P0:r0=0; P1:r0=1;',
      '   P0:r0=1; P1:r0=0;',
      '   P0:r0=1; P1:r0=1;',
      'Ok',
      'Witnesses',
      'Positive: 1 Negative: 3',
      'Condition exists (P0:r0=0 /\\ P1:r0=0)',
      'Observation SB Sometimes 1 3',
    ]);
    expect(r.out).toMatch(/^Model tso \(bfs\): pass$/m);
    expect(r.out).toMatch(/^States stored 23, transitions 26, max depth 6, final states 4/m);
    expect(r.out).toMatch(/^Reductions: symmetry n\/a; partial order on \(11 transitions pruned in 10 ample expansions, 0 thread-local instructions merged into the steps before them\); dead registers on \(stale values cleared in \d+ successor states\)$/m);
    // without a condition every register is in the outcome; with one naming only x, they die once stored
    const LOCAL = 'test local\nshared x = 0;\nthread P0 { a = 1; b = a + 1; store.sc(x, b); }\nthread P1 { c = 2; store.sc(x, c); }\nexists (x = 2)\n';
    const io = fakeIo({ files: { 'local.mw': LOCAL } });
    expect(await checkCommand.run(['local.mw', '--model', 'sc', '--format', 'json'], io)).toBe(0);
    const merged = (JSON.parse(io.out) as { stats: { mergedSteps: number } }).stats.mergedSteps;
    expect(merged).toBeGreaterThan(0);
    const text = fakeIo({ files: { 'local.mw': LOCAL } });
    await checkCommand.run(['local.mw', '--model', 'sc'], text);
    expect(text.out).toContain(`, ${merged} thread-local instructions merged into the steps before them)`);
    const cleared = (JSON.parse(io.out) as { stats: { deadCleared: number } }).stats.deadCleared;
    expect(cleared).toBeGreaterThan(0);
    expect(text.out).toContain(`dead registers on (stale values cleared in ${cleared} successor states)`);
    const full = await run(['sb.mw', '--model', 'tso', '--no-por', '--no-symmetry', '--no-dead-registers']);
    expect(full.out).toMatch(/^States stored 34, transitions 58, max depth 6, final states 4/m);
    expect(full.out).toMatch(/^Reductions: symmetry off \(--no-symmetry\); partial order off \(--no-por\); dead registers off \(--no-dead-registers\)$/m);
    expect(full.out.split('\n').slice(0, 11)).toEqual(lines.slice(0, 11));
  });

  it('sc: No, still exit 0 (exists is informational)', async () => {
    const r = await run(['sb.mw']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^States 3$/m);
    expect(r.out).toMatch(/^No$/m);
    expect(r.out).toMatch(/^Observation SB Never 0 3$/m);
  });

  it('a deadlock: trace table, replay command, exit 1; the replay reproduces it', async () => {
    const r = await run(['lw.mw', '--model', 'tso']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('violation (deadlock): no thread can move and the program has not finished');
    expect(r.out).toMatch(/^ {4}# {2}Waiter +Notifier +location +effect +buffers$/m);
    expect(r.out).toMatch(/^ {4}5 {2}w = wait\(cv, 0\) +lw\.mw:4 +wait on cv/m);
    const m = /replay: memweave check lw\.mw --model tso --replay (mw1\.tso\.[A-Za-z0-9_-]+)/.exec(r.out);
    expect(m).not.toBeNull();
    const token = m![1]!;
    const table = r.out.slice(r.out.indexOf('    #  Waiter'), r.out.indexOf('  final state:'));
    const rp = await run(['lw.mw', '--model', 'tso', '--replay', token]);
    expect(rp.code).toBe(1);
    expect(rp.out).toContain(table);
    expect(rp.out).toContain('violation (deadlock): deadlock: no thread can move');
    const js = await run(['lw.mw', '--replay', token, '--format', 'json']);
    const payload = JSON.parse(js.out) as { schemaVersion: number; observed: string; trace: unknown[] };
    expect(payload.schemaVersion).toBe(1);
    expect(payload.observed).toBe('deadlock');
    expect(payload.trace.length).toBe(5);
  });

  it('--model all prints a verdict table', async () => {
    const r = await run(['sb.mw', '--model', 'all']);
    expect(r.code).toBe(1); // js: plain accesses race
    const rows = r.out.split('\n').slice(1, 6).map((l) => l.split(/ {2,}/));
    expect(rows).toEqual([
      ['model', 'verdict', 'condition', 'outcomes', 'violations', 'states'],
      ['sc', 'pass', 'No', '3', '-', '12'],
      ['tso', 'pass', 'Ok', '4', '-', '23'],
      ['pso', 'pass', 'Ok', '4', '-', '23'],
      // racy, so js is answered by the js model itself (the SC-DRF route): both zeros allowed
      ['js', 'fail', 'Ok', '4', 'race', '4 exec'],
    ]);
    expect(r.out).toMatch(/replay: memweave check sb\.mw --model js --replay mg1\.js\./);
  });

  it('--format json (one model and all)', async () => {
    const one = JSON.parse((await run(['sb.mw', '--model', 'tso', '--format', 'json'])).out) as Record<string, unknown>;
    expect(one['schemaVersion']).toBe(1);
    expect(one['test']).toBe('SB');
    expect(one['model']).toBe('tso');
    expect(one['verdict']).toBe('pass');
    expect(one['condition']).toMatchObject({ kind: 'exists', validated: 'Ok', positive: 1, negative: 3, observation: 'Sometimes' });
    expect((one['outcomes'] as unknown[]).length).toBe(4);
    const all = JSON.parse((await run(['sb.mw', '--model', 'all', '--format', 'json'])).out) as { schemaVersion: number; results: { model: string }[] };
    expect(all.schemaVersion).toBe(1);
    expect(all.results.map((x) => x.model)).toEqual(['sc', 'tso', 'pso', 'js', 'ra', 'rc11']);
    const graphOnly = JSON.parse((await run(['sb.mw', '--model', 'all', '--engine', 'graph', '--format', 'json'])).out) as { results: { model: string; stats: { engine: string; executions: number } }[] };
    expect(graphOnly.results.map((x) => [x.model, x.stats.engine, x.stats.executions])).toEqual([
      ['sc', 'graph', 3],
      ['tso', 'graph', 4],
      ['js', 'graph', 4],
      ['ra', 'graph', 4],
      ['rc11', 'graph', 4],
    ]);
  });

  it('--model ra|rc11 on the graph engine: IRIW with acquire readers is allowed by C11, forbidden by sc (examples/herd/c/IRIW+acq.litmus)', async () => {
    const iriw = 'examples/herd/c/IRIW+acq.litmus';
    for (const [m, ok] of [['sc', 'No'], ['ra', 'Ok'], ['rc11', 'Ok']] as const) {
      const r = JSON.parse((await runAt([iriw, '--model', m, '--format', 'json'])).out) as { condition: { validated: string } };
      expect(r.condition.validated, m).toBe(ok);
    }
  });

  it('--engine: refuses a model the engine does not serve; --unroll needs a positive integer', async () => {
    const cases: [string[], RegExp][] = [
      [['sb.mw', '--engine', 'graph', '--model', 'pso'], /--engine graph has no model 'pso'/],
      [['sb.mw', '--engine', 'state', '--model', 'rc11'], /rc11 is served by the graph engine only/],
      [['sb.mw', '--engine', 'gpu'], /--engine expects state or graph/],
      [['sb.mw', '--model', 'rc11', '--unroll', '0'], /--unroll expects a positive integer/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(re);
    }
  });

  it('the graph engine: a loop past --unroll makes the answer inconclusive (exit 3), a larger bound completes it', async () => {
    const loop = 'test loop\nshared x = 0;\nthread P { for i in 0..40 { r = load.rlx(x); } }\nthread Q { store.rlx(x, 1); }\nforall (x = 1)\n';
    const io = fakeIo({ files: { 'loop.mw': loop } });
    const code = await checkCommand.run(['loop.mw', '--model', 'rc11'], io);
    expect(code).toBe(3);
    expect(io.out).toMatch(/--unroll bound \(32\)/);
    const io2 = fakeIo({ files: { 'loop.mw': loop } });
    expect(await checkCommand.run(['loop.mw', '--model', 'rc11', '--unroll', '64', '--format', 'json'], io2)).toBe(0);
    const j = JSON.parse(io2.out) as { verdict: string; stats: { executions: number; blocked: { bound: number } } };
    expect(j.verdict).toBe('pass');
    expect(j.stats.blocked.bound).toBe(0);
    expect(j.stats.executions).toBe(41); // the store lands before the first, second, …, or after the last of the 40 loads
  });

  it('wait/notify under a graph model: the lost wake-up found as a deadlock, in text and JUnit, and by every model', async () => {
    const r = await run(['lw.mw', '--model', 'rc11']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/violation \(deadlock\): Waiter sleeps in the wait at lw\.mw:4 and no thread will notify it/);
    const j = await run(['lw.mw', '--model', 'ra', '--format', 'junit']);
    expect(j.code).toBe(1);
    expect(j.out).toMatch(/<failure /);
    const all = await run(['lw.mw', '--model', 'all']);
    expect(all.code).toBe(1);
    expect(all.out).toMatch(/^ra +fail/m);
    expect(all.out).toMatch(/^rc11 +fail/m);
  });

  it('a graph counterexample replays to the same trace (mg1 token); a tampered token is refused', async () => {
    const r = JSON.parse((await run(['sb.mw', '--model', 'rc11', '--format', 'json'])).out) as { verdict: string; violations: { kind: string; replay: string; trace: unknown[] }[] };
    expect(r.verdict).toBe('fail');
    const race = r.violations.find((v) => v.kind === 'race');
    expect(race?.replay).toMatch(/^mg1\.rc11\./);
    const again = await run(['sb.mw', '--model', 'rc11', '--replay', race?.replay ?? '', '--format', 'json']);
    expect(again.code).toBe(1);
    const replayed = JSON.parse(again.out) as { observed: string; trace: unknown[] };
    expect(replayed.observed).toBe('race');
    expect(replayed.trace).toEqual(race?.trace);
    for (const tampered of [`${race?.replay ?? ''}AAAA`, 'mg1.rc11.@@', 'mg1.nosuch.AAAA']) {
      const bad = await run(['sb.mw', '--replay', tampered]);
      expect(bad.code, tampered).toBe(2);
      expect(bad.err, tampered).toMatch(/replay token/);
    }
    const other = await run(['param.mw', '--replay', race?.replay ?? '']);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/different program/);
  });

  it('budgets: inconclusive is exit 3', async () => {
    const r = await run(['sb.mw', '--model', 'tso', '--max-states', '3']);
    expect(r.code).toBe(3);
    expect(r.out).toContain('inconclusive — the states budget ran out');
  });

  it('-D overrides a param', async () => {
    expect((await run(['param.mw'])).code).toBe(0);
    const r = await run(['param.mw', '-D', 'V=2']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('violation (condition)');
    expect(r.out).toContain('--model sc -D V=2 --replay mw1.sc.');
  });

  it('usage and input errors are exit 2 with a message', async () => {
    const cases: [string[], RegExp][] = [
      [['sb.mw', '--bfs', '--dfs'], /--bfs and --dfs exclude each other/],
      [['sb.mw', '--max-states', 'lots'], /--max-states expects a positive integer/],
      [['sb.mw', '--buffer-bound', '0'], /--buffer-bound expects a positive integer/],
      [['sb.mw', '--model', 'arm'], /invalid value 'arm' for --model/],
      [['missing.mw'], /no such file 'missing.mw'/],
      [['sb.mw', '--replay', 'mw1.sc.%%'], /not base64url/],
      [['sb.mw', '--replay', 'nonsense'], /malformed replay token/],
      [['sb.mw', '-D', 'V'], /malformed -D definition/],
    ];
    for (const [argv, msg] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(msg);
    }
    const lw = await run(['lw.mw', '--model', 'tso']);
    const token = /--replay (\S+)/.exec(lw.out)![1]!;
    const wrongModel = await run(['lw.mw', '--model', 'sc', '--replay', token]);
    expect(wrongModel.code).toBe(2);
    expect(wrongModel.err).toMatch(/recorded under --model tso/);
    const wrongProgram = await run(['sb.mw', '--replay', token]);
    expect(wrongProgram.code).toBe(2);
    expect(wrongProgram.err).toMatch(/different program/);
  });
});
