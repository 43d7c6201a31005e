/**
 * `memweave graph`: every catalogue test draws as DOT, SVG (checked to be well-formed XML) and
 * Mermaid; the options and errors behave; DOT strings are escaped; the SVG is Graphviz's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../../../checker/check.js';
import { graphCommand } from '../../../../cli/commands/graph.js';
import { dotString } from '../../../../cli/graph/dot.js';
import { mermaidText } from '../../../../cli/graph/mermaid.js';
import { parseOutcomeSpec } from '../../../../cli/graph/picture.js';
import { compileSource } from '../../../../model/frontend.js';
import { xmlProblem } from '../../../support/xml.js';
import { fakeIo } from '../fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const CATALOGUE = (JSON.parse(readFileSync(join(ROOT, 'examples', 'litmus', 'catalogue.json'), 'utf8')) as { tests: { name: string; file: string }[] }).tests;

async function run(argv: string[], files: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; written: Map<string, string> }> {
  const io = fakeIo({ files, diskRoot: ROOT });
  const code = await graphCommand.run(argv, io);
  return { code, out: io.out, err: io.err, written: io.written };
}

/** Arguments that pick a reachable outcome of a catalogue test: its condition if some model reaches it, else its first SC outcome. */
function targetArgs(file: string): string[] {
  const path = join('examples', 'litmus', file);
  const p = compileSource(path, readFileSync(join(ROOT, path), 'utf8')).ir;
  if (p === null) throw new Error(`${file} does not compile`);
  const reachable = (['sc', 'tso', 'pso'] as const).some((model) => (check(p, { model }).condition?.positive ?? 0) > 0);
  if (reachable) return [path];
  const first = check(p, { model: 'sc' }).outcomes[0];
  if (first === undefined) throw new Error(`${file} has no outcome`);
  return [path, '--outcome', Object.entries(first.values).map(([k, v]) => `${k}=${v}`).join('; ')];
}

describe('every catalogue test draws', () => {
  it.each(CATALOGUE.map((t) => [t.name, t.file]))('%s as DOT, SVG and Mermaid', async (_name, file) => {
    const args = targetArgs(file);
    const dot = await run([...args, '--format', 'dot']);
    expect(dot.code, dot.err).toBe(0);
    expect(dot.out).toMatch(/^digraph execution \{\n[\s\S]*\n\}\n$/);
    const svg = await run([...args, '--format', 'svg']);
    expect(svg.code, svg.err).toBe(0);
    expect(svg.out).toContain('<svg');
    expect(xmlProblem(svg.out)).toBeNull();
    const mmd = await run([...args, '--format', 'mermaid']);
    expect(mmd.code, mmd.err).toBe(0);
    expect(mmd.out.startsWith('sequenceDiagram\n')).toBe(true);
    expect(mmd.out).toContain('participant M as Memory');
  });
});

describe('memweave graph --replay of a graph-engine counterexample (mg1 token)', () => {
  it('draws the racy SB execution under rc11 as DOT and SVG, with the cycle sc forbids; refuses Mermaid', async () => {
    const sb = compileSource('examples/sb.mw', readFileSync(join(ROOT, 'examples', 'sb.mw'), 'utf8')).ir;
    if (sb === null) throw new Error('sb.mw does not compile');
    const race = check(sb, { model: 'rc11' }).violations.find((v) => v.kind === 'race');
    expect(race?.replay).toMatch(/^mg1\.rc11\./);
    const dot = await run(['examples/sb.mw', '--replay', race?.replay ?? '']);
    expect(dot.code, dot.err).toBe(0);
    expect(dot.out).toContain('sb under rc11');
    expect(dot.out).toMatch(/label="a: W x=1"/);
    expect(dot.out).toMatch(/-> e\d+ \[[^\]]*label="rf/);
    const svg = await run(['examples/sb.mw', '--replay', race?.replay ?? '', '--format', 'svg']);
    expect(svg.code, svg.err).toBe(0);
    expect(xmlProblem(svg.out)).toBeNull();
    const mmd = await run(['examples/sb.mw', '--replay', race?.replay ?? '', '--format', 'mermaid']);
    expect(mmd.code).toBe(2);
    expect(mmd.err).toMatch(/use --format dot or svg/);
  });

  it('draws the both-zeros SB execution under ra with its po ∪ fr cycle in red', async () => {
    // the SB outcome both loads 0, reached under ra: the token of a forall-falsifying execution
    const text = readFileSync(join(ROOT, 'examples', 'sb.mw'), 'utf8').replace('exists (P0:r0=0 /\\ P1:r0=0)', '~exists (P0:r0=0 /\\ P1:r0=0)');
    const p = compileSource('examples/sb.mw', text).ir;
    if (p === null) throw new Error('does not compile');
    const v = check(p, { model: 'ra' }).violations.find((x) => x.kind === 'condition');
    expect(v?.replay).toMatch(/^mg1\.ra\./);
    const dot = await run(['examples/sb.mw', '--replay', v?.replay ?? ''], { 'examples/sb.mw': text });
    expect(dot.code, dot.err).toBe(0);
    expect(dot.out).toContain('cycle (forbidden under sc)');
  });
});

describe('memweave graph', () => {
  it('draws the SB outcome from tso by default (sc cannot reach it) with the cycle in red', async () => {
    const r = await run(['examples/litmus/SB.mw', '--outcome', 'P0:r0=0; P1:r0=0']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('SB under tso');
    expect(r.out).toContain('cycle (forbidden under sc): a -po-> b -fre-> c -po-> d -fre-> a');
    expect(r.out.match(/penwidth=2\.5/g)).toHaveLength(4);
  });

  it('draws a notify: a wake edge (DOT) and a wake message (Mermaid) to the thread it woke', async () => {
    const files = { 'wake.mw': 'test wake\nshared f = 0;\nthread W { w = wait(f, 0); }\nthread N { store.sc(f, 1); n = notify(f); }\n' };
    const outcome = ['wake.mw', '--outcome', 'W:w=0; N:n=1'];
    const dot = await run([...outcome, '--format', 'dot'], files);
    expect(dot.code, dot.err).toBe(0);
    expect(dot.out).toMatch(/label="c: notify f \(woke 1\)"/);
    expect(dot.out).toMatch(/e2 -> e0 \[label="wake", color="#7b2cbf"/);
    const mmd = await run([...outcome, '--format', 'mermaid'], files);
    expect(mmd.code, mmd.err).toBe(0);
    expect(mmd.out).toContain('  Note over T1,M: 3. notify f: woke 1 (W)\n  T1-->>T0: 3. wake\n');
  });

  it('draws an SC outcome from sc, without a cycle', async () => {
    const r = await run(['examples/litmus/SB.mw', '--outcome', 'P0:r0=1 /\\ P1:r0=1']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('SB under sc');
    expect(r.out).toContain('no po ∪ rf ∪ co ∪ fr cycle');
    expect(r.out).not.toContain('penwidth=2.5');
  });

  it('exits 1 when the model cannot reach the outcome, 2 on unknown names and bad outcomes', async () => {
    const no = await run(['examples/litmus/SB.mw', '--model', 'sc']);
    expect(no.code).toBe(1);
    expect(no.err).toContain('not reachable under sc');
    // a search that hit --max-states has not shown anything unreachable: inconclusive, exit 3
    const bounded = await run(['examples/litmus/SB.mw', '--model', 'sc', '--max-states', '4']);
    expect(bounded.code).toBe(3);
    expect(bounded.err).toContain('gave up looking for the condition');
    expect(bounded.err).toContain('under sc after storing 4 states (--max-states, --time-limit and --max-memory set the budgets)');
    expect(bounded.err).not.toContain('not reachable');
    const unknown = await run(['examples/litmus/SB.mw', '--outcome', 'P7:r0=0']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown name in --outcome: P7:r0');
    expect((await run(['examples/litmus/SB.mw', '--outcome', 'P0:r0'])).code).toBe(2);
    expect((await run(['examples/litmus/SB.mw', '--format', 'png'])).code).toBe(2);
    expect((await run(['nope.mw'])).code).toBe(2);
  });

  it('writes -o FILE and draws a replay token', async () => {
    const w = await run(['examples/litmus/MP.mw', '--model', 'pso', '--format', 'mermaid', '-o', 'mp.mmd']);
    expect(w.code).toBe(0);
    expect(w.written.get('mp.mmd')).toMatch(/T0->>M: \d+\. drain y = 1/);
    const p = compileSource('examples/locks/peterson.mw', readFileSync(join(ROOT, 'examples/locks/peterson.mw'), 'utf8')).ir;
    const v = p === null ? undefined : check(p, { model: 'tso' }).violations[0];
    expect(v).toBeDefined();
    const r = await run(['examples/locks/peterson.mw', '--replay', v?.replay ?? '']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('peterson under tso');
    expect((await run(['examples/locks/peterson.mw', '--replay', 'mw1.tso.AAAA'])).code).toBe(2);
  });

  it('escapes hostile names in DOT and Mermaid', async () => {
    const evil = 'test "a\\"b</text><script>x</script>" \nshared x = 0;\nthread P0 { store.plain(x, 1); }\nforall (x = 1)\n';
    const dot = await run(['evil.mw'], { 'evil.mw': evil });
    expect(dot.code, dot.err).toBe(0);
    expect(dot.out).toContain('label="a\\"b</text><script>x</script> under sc');
    const svg = await run(['evil.mw', '--format', 'svg'], { 'evil.mw': evil });
    expect(xmlProblem(svg.out)).toBeNull();
    expect(svg.out).not.toContain('<script>');
    const mmd = await run(['evil.mw', '--format', 'mermaid'], { 'evil.mw': evil });
    expect(mmd.out).not.toMatch(/<script>/);
  });
});

describe('memweave graph --model js: a racy program\'s weak outcome is drawn from the ECMAScript model (issue 15)', () => {
  it('SB with plain accesses: both zeros under js, an execution graph with its SC cycle; Mermaid is refused with the reason', async () => {
    const dot = await run(['examples/sb.mw', '--model', 'js']);
    expect(dot.code).toBe(0);
    expect(dot.out).toContain('sb under js\\nP0:r0=0; P1:r0=0;');
    expect(dot.out).toMatch(/cycle \(forbidden under sc\)/);
    const mermaid = await run(['examples/sb.mw', '--model', 'js', '--format', 'mermaid']);
    expect(mermaid.code).toBe(2);
    expect(mermaid.err).toContain('only by a weak execution of a racy program');
  });

  it('MP with plain accesses: the stale payload js allows and SC does not, by --outcome', async () => {
    const r = await run(['examples/mp.mw', '--model', 'js', '--outcome', 'P1:r0=1; P1:r1=0']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('mp under js\\nP1:r0=1; P1:r1=0;');
    // under sc the same outcome stays unreachable
    const sc = await run(['examples/mp.mw', '--model', 'sc', '--outcome', 'P1:r0=1; P1:r1=0']);
    expect(sc.code).toBe(1);
    expect(sc.err).toContain('is not reachable under sc');
  });

  it('a race-free program: js is SC (SC-DRF), and SB+sc\'s condition stays unreachable', async () => {
    const r = await run(['examples/litmus/SB+sc.mw', '--model', 'js']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is not reachable under js');
  });
});

describe('helpers', () => {
  it('parseOutcomeSpec reads herd-style outcomes', () => {
    expect(parseOutcomeSpec('P0:r0=0; P1:r0=1;')).toEqual({ ok: true, outcome: { 'P0:r0': 0, 'P1:r0': 1 } });
    expect(parseOutcomeSpec('x=2 /\\ T[1]:r=-1, a[3]==0x10')).toEqual({ ok: true, outcome: { x: 2, 'T[1]:r': -1, 'a[3]': 16 } });
    expect(parseOutcomeSpec('').ok).toBe(false);
    expect(parseOutcomeSpec('x').ok).toBe(false);
    expect(parseOutcomeSpec('x=99999999999').ok).toBe(false);
  });

  it('dotString and mermaidText escape what their languages read as syntax', () => {
    expect(dotString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(mermaidText('a;b#c<d>\ne')).toBe('a#59;b#35;c#60;d#62; e');
  });

  it('xmlProblem accepts well-formed XML and rejects the usual mistakes', () => {
    expect(xmlProblem('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg a="1"><g><text>a &amp; b</text></g><!-- c --></svg>\n')).toBeNull();
    expect(xmlProblem('<svg><g></svg>')).toMatch(/closes/);
    expect(xmlProblem('<svg a=1></svg>')).toMatch(/unquoted/);
    expect(xmlProblem('<svg a="1" a="2"/>')).toMatch(/duplicate/);
    expect(xmlProblem('<svg>a & b</svg>')).toMatch(/bare '&'/);
    expect(xmlProblem('<svg a="<"/>')).toMatch(/raw '<'/);
    expect(xmlProblem('<svg/><svg/>')).toMatch(/second root/);
    expect(xmlProblem('<svg>')).toMatch(/unclosed/);
    expect(xmlProblem('')).toMatch(/no root/);
  });
});
