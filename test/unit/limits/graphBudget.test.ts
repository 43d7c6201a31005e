/**
 * Issue 13, "Budgets": `graph` keeps a picture — the execution's rows, its execution graph and
 * its rendering — and that is inside `--max-memory`. Two charges, each before what it pays for is
 * built: the execution search reserves the rows of the path it found before it builds the
 * execution (checker/execution.ts, as a counterexample trace is reserved), and `graph` charges
 * the picture to its one budget (cli/budgets.ts SpaceBudget) before rendering it
 * (cli/commands/graph.ts `pictureBytes`). No room: exit 3, nothing drawn. Before, a 20,000-
 * iteration loop drawn as DOT at `--max-memory 64` ended with exit 0 after 112 s at 450 MB RSS.
 *
 * The program: one thread storing x = 0..499 in a loop, so the shortest execution reaching
 * x=499 has 2,002 steps and 501 events, from about 2,000 stored states. Its rows are about
 * 3.3 MB; with them the picture is about 4.1 MB as DOT, about 19 MB as SVG (Graphviz's heap).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { graphCommand } from '../../../cli/commands/graph.js';
import { compileOrThrow } from '../../support/programs.js';
import { fakeIo } from '../cli/fakeIo.js';

const N = 500;
const PROGRAM = `test longrun\nshared x = 0;\nthread P0 {\n  r0 = 0;\n  while (r0 != ${N}) {\n    store.plain(x, r0);\n    r0 = r0 + 1;\n  }\n}\n`;

async function graph(format: string, mib: number): Promise<{ code: number; err: string; drawn: boolean }> {
  const io = fakeIo({ files: { 'l.mw': PROGRAM } });
  const code = await graphCommand.run(['l.mw', '--model', 'sc', '--outcome', `x=${N - 1}`, '--format', format, '--max-memory', String(mib), '-o', 'out'], io);
  return { code, err: io.err, drawn: io.written.has('out') };
}

const NO_ROOM = /has no room for the picture of the outcome x=499 under sc \(2002 steps, 501 events, (dot|svg)\): nothing drawn/;

describe('graph: the picture is inside --max-memory (issue 13)', () => {
  it('the search reserves the execution’s rows: at 2 MiB it gives up (the rows are about 3.3 MB)', async () => {
    const r = await graph('dot', 2);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/gave up looking for the outcome x=499 under sc after storing \d+ states/);
    expect(r.drawn).toBe(false);
  });

  it('at 4 MiB the search fits and the DOT picture does not: exit 3, nothing drawn', async () => {
    const r = await graph('dot', 4);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toMatch(NO_ROOM);
    expect(r.drawn).toBe(false);
  });

  it('at 8 MiB the DOT picture is drawn and the SVG one (Graphviz’s heap) has no room; at 32 MiB both are drawn', async () => {
    const dot = await graph('dot', 8);
    expect(dot.code, dot.err).toBe(0);
    expect(dot.drawn).toBe(true);
    const svg = await graph('svg', 8);
    expect(svg.code, svg.err).toBe(3);
    expect(svg.err).toMatch(NO_ROOM);
    expect(svg.drawn).toBe(false);
    const big = await graph('svg', 32);
    expect(big.code, big.err).toBe(0);
    expect(big.drawn).toBe(true);
  }, 60_000);

  it('a graph-engine replay token’s picture is charged too: 10 KiB has no room for SB’s, 1 MiB has', async () => {
    const text = readFileSync(new URL('../../../examples/sb.mw', import.meta.url), 'utf8');
    const race = check(compileOrThrow('sb.mw', text), { model: 'rc11' }).violations.find((v) => v.kind === 'race');
    expect(race?.replay).toMatch(/^mg1\.rc11\./);
    const draw = async (mib: string): Promise<{ code: number; err: string; out: string }> => {
      const io = fakeIo({ files: { 'sb.mw': text } });
      const code = await graphCommand.run(['sb.mw', '--replay', race?.replay ?? '', '--max-memory', mib], io);
      return { code, err: io.err, out: io.out };
    };
    const small = await draw('0.01');
    expect(small.code, small.err).toBe(3);
    expect(small.err).toMatch(/has no room for the picture of the replay token under rc11 \(\d+ events, dot\): nothing drawn/);
    expect(small.out).toBe('');
    const roomy = await draw('1');
    expect(roomy.code, roomy.err).toBe(0);
    expect(roomy.out).toContain('sb under rc11');
  });
});
