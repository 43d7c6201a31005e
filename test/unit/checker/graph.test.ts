/**
 * Execution graphs: the relations of hand-checked executions (SB, MP, n7, an RMW), and two laws
 * over the whole catalogue: an execution found under sc has no po ∪ rf ∪ co ∪ fr cycle, and an
 * outcome no SC execution reaches is drawn (from the model that reaches it) with a cycle.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { executeChoices, findExecution } from '../../../checker/execution.js';
import { createMachine } from '../../../model/semantics/createMachine.js';
import { TR } from '../../../model/semantics/machine.js';
import { buildExecutionGraph, cycleText, eventLabel, eventLetter, shortestCycle, type ExecutionGraph } from '../../../checker/graph.js';
import { renderDot } from '../../../cli/graph/dot.js';
import type { IrProgram } from '../../../model/ir.js';
import type { ModelName } from '../../../model/memory/registry.js';
import { compileOrThrow } from '../../support/programs.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const LITMUS = join(ROOT, 'examples', 'litmus');

const compile = (name: string, text: string): IrProgram => compileOrThrow(name, text);
const load = (file: string): IrProgram => compile(file, readFileSync(join(LITMUS, file), 'utf8'));

function graphOf(p: IrProgram, model: ModelName, outcome: Record<string, number>): ExecutionGraph {
  const ex = findExecution(p, { model }, outcome);
  if (ex === null) throw new Error(`no ${model} execution of ${JSON.stringify(outcome)}`);
  return buildExecutionGraph(p, ex);
}

/** Replay choices that run the named threads' next instructions in turn (no drains). */
function choicesFor(p: IrProgram, model: ModelName, threads: readonly string[]): number[] {
  const m = createMachine(p, model);
  let s = new Int32Array(m.stateLength);
  m.initial(s, 0);
  const buf = new Int32Array(3 * m.maxTransitions);
  const out: number[] = [];
  for (const name of threads) {
    const t = p.threads.findIndex((th) => th.name === name);
    const n = m.enabled(s, 0, buf);
    let c = -1;
    for (let i = 0; i < n; i++) if (buf[3 * i] === TR.exec && buf[3 * i + 1] === t) c = i;
    expect(c, `${name} can move`).toBeGreaterThanOrEqual(0);
    out.push(c);
    const next = new Int32Array(m.stateLength);
    m.apply(s, 0, TR.exec, t, 0, next, 0);
    s = next;
  }
  return out;
}

/** Edges as "kind from→to" with letters (init writes as init:x). */
function edgesText(g: ExecutionGraph): string[] {
  const name = new Map(g.events.map((e) => [e.id, e.kind === 'init' ? `init:${e.location}` : e.letter]));
  return g.edges.map((e) => `${e.kind} ${name.get(e.from) ?? '?'}→${name.get(e.to) ?? '?'}`).sort();
}

describe('buildExecutionGraph', () => {
  it('SB under tso: rf from the initial writes, fr to the other thread\'s store, and the SC cycle', () => {
    const g = graphOf(load('SB.mw'), 'tso', { 'P0:r0': 0, 'P1:r0': 0 });
    expect(g.events.map((e) => e.kind)).toEqual(['init', 'init', 'write', 'read', 'write', 'read']);
    expect(edgesText(g)).toEqual(['co init:x→a', 'co init:y→c', 'fr b→c', 'fr d→a', 'po a→b', 'po c→d', 'rf init:x→d', 'rf init:y→b'].sort());
    expect(g.events.filter((e) => e.kind === 'write').every((e) => e.buffered && e.drainStep !== null)).toBe(true);
    expect(cycleText(g)).toBe('a -po-> b -fre-> c -po-> d -fre-> a');
  });

  it('an execution cut with stores still buffered (a counterexample) places them last in co: fr edges to them, the SC cycle', () => {
    // SB stopped right after both loads: both stores are still in their buffers
    const p = load('SB.mw');
    for (const model of ['tso', 'pso'] as const) {
      // a: P0 stores x, b: P1 stores y (both buffered), c: P0 loads y, d: P1 loads x; no drain
      const cut = executeChoices(p, { model }, choicesFor(p, model, ['P0', 'P1', 'P0', 'P1']));
      expect(cut).not.toBeNull();
      const g = buildExecutionGraph(p, cut!);
      expect(g.events.filter((e) => e.kind === 'write').every((e) => e.buffered && e.drainStep === null)).toBe(true);
      expect(edgesText(g)).toEqual(['co init:x→a', 'co init:y→b', 'fr c→b', 'fr d→a', 'po a→c', 'po b→d', 'rf init:x→d', 'rf init:y→c'].sort());
      expect(cycleText(g)).toBe('a -po-> c -fre-> b -po-> d -fre-> a');
    }
  });

  it('MP under pso: the flag drains first (co order = drain order), the reader sees it and misses the data', () => {
    const g = graphOf(load('MP.mw'), 'pso', { 'P1:r0': 1, 'P1:r1': 0 });
    const writes = g.events.filter((e) => e.kind === 'write');
    const [wx, wy] = [writes.find((e) => e.location === 'x'), writes.find((e) => e.location === 'y')];
    expect((wy?.drainStep ?? 99) < (wx?.drainStep ?? -1)).toBe(true);
    expect(g.cycle?.map((e) => e.kind)).toEqual(['po', 'rf', 'po', 'fr']);
  });

  it('n7 under tso: a read forwarded from the thread\'s own buffered store is an internal rf', () => {
    const g = graphOf(load('n7.mw'), 'tso', { 'P0:r0': 1, 'P0:r1': 0, 'P2:r0': 1, 'P2:r1': 0 });
    const rfi = g.edges.filter((e) => e.kind === 'rf' && !e.external);
    expect(rfi).toHaveLength(1);
    const w = g.events.find((e) => e.id === rfi[0]?.from);
    const r = g.events.find((e) => e.id === rfi[0]?.to);
    expect(w?.buffered).toBe(true);
    expect((w?.drainStep ?? -1) > (r?.step ?? 99)).toBe(true);
    expect(g.cycle).not.toBeNull();
  });

  it('an RMW reads and writes in one event, and fences annotate po', () => {
    const p = compile('rmw.mw', 'test rmw\nshared x = 0;\nthread P0 { store.plain(x, 1); fence.sc(); r0 = fetch_add.sc(x, 2); }\nthread P1 { r0 = load.plain(x); }\nexists (P1:r0 = 3)\n');
    const g = graphOf(p, 'tso', { 'P1:r0': 3 });
    const rmw = g.events.find((e) => e.kind === 'rmw');
    expect(rmw).toMatchObject({ read: 1, written: 3, location: 'x' });
    expect(edgesText(g)).toEqual(['co a→b', 'co init:x→a', 'po a→b', 'rf a→b', 'rf b→c'].sort());
    expect(g.edges.find((e) => e.kind === 'po')?.fences).toEqual(['sc']);
    expect(g.cycle).toBeNull();
  });

  it('a notify is an event with a wake edge to the wait it woke; wake edges make no SC cycle', () => {
    const p = compile(
      'wake.mw',
      'test wake\nshared f = 0;\nshared x = 0;\nthread W { w = wait(f, 0); r = load.sc(x); }\nthread N { store.sc(x, 1); store.sc(f, 1); n = notify(f); }\n',
    );
    const g = graphOf(p, 'sc', { 'W:w': 0, 'W:r': 1, 'N:n': 1 });
    expect(g.events.map((e) => e.kind)).toEqual(['init', 'init', 'read', 'write', 'write', 'notify', 'read']);
    const notify = g.events.find((e) => e.kind === 'notify');
    expect(notify?.read).toBe(1);
    expect(notify === undefined ? '' : eventLabel(notify)).toBe('d: notify f (woke 1)');
    // the wait (a: R f=0) blocked before N ran; the notify woke it
    expect(edgesText(g).filter((e) => e.startsWith('wake'))).toEqual(['wake d→a']);
    expect(edgesText(g)).toContain('fr a→c');
    // a -fr-> c -po-> d -wake-> a would be a cycle: wake edges are kept out of the SC cycle
    expect(g.cycle).toBeNull();
    expect(renderDot(g)).toMatch(/e3 -> e0 \[label="wake", color="#7b2cbf"/);
  });

  it('a notify that wakes nobody (the lost wake-up) has no wake edge', () => {
    const p = compile('lost.mw', 'test lost\nshared f = 0;\nthread N { n = notify(f); }\nthread W { r = load.sc(f); }\n');
    const g = graphOf(p, 'sc', { 'N:n': 0, 'W:r': 0 });
    expect(g.events.filter((e) => e.kind === 'notify').map((e) => eventLabel(e))).toEqual(['a: notify f (woke 0)']);
    expect(g.edges.some((e) => e.kind === 'wake')).toBe(false);
  });

  it('letters go a … z, then a1 …', () => {
    expect([0, 1, 25, 26, 27].map(eventLetter)).toEqual(['a', 'b', 'z', 'a1', 'b1']);
  });

  it('shortestCycle finds the shortest of two cycles and none in a DAG', () => {
    const ev = ['p', 'q', 'r'].map((id) => ({ id, letter: id, kind: 'read' as const, thread: 0, step: 0, slot: 0, location: 'x', read: 0, written: null, buffered: false, drainStep: null, text: '' }));
    const e = (from: string, to: string) => ({ kind: 'po' as const, from, to, external: false, fences: [] });
    expect(shortestCycle(ev, [e('p', 'q'), e('q', 'r')])).toBeNull();
    expect(shortestCycle(ev, [e('p', 'q'), e('q', 'r'), e('r', 'p'), e('q', 'p')])?.length).toBe(2);
  });
});

describe('cycles over the catalogue', () => {
  const files = (JSON.parse(readFileSync(join(LITMUS, 'catalogue.json'), 'utf8')) as { tests: { file: string }[] }).tests.map((t) => t.file);

  it.each(files)('%s: SC executions are acyclic; outcomes only weaker models reach have a cycle', (file) => {
    const p = load(file);
    const sc = new Set(check(p, { model: 'sc' }).outcomes.map((o) => JSON.stringify(o.values)));
    for (const model of ['sc', 'tso', 'pso'] as const) {
      for (const o of check(p, { model }).outcomes) {
        const key = JSON.stringify(o.values);
        if (model !== 'sc' && sc.has(key)) continue;
        const g = graphOf(p, model, o.values);
        if (model === 'sc') expect(g.cycle, `${file} sc ${key}`).toBeNull();
        else expect(g.cycle, `${file} ${model} ${key}`).not.toBeNull();
      }
    }
  });
});

describe('shortestCycle restricted to strongly connected components', () => {
  // the reference: a breadth-first search from every edge over the whole graph (the algorithm
  // before the restriction); the restricted one must give exactly the same cycle
  function reference(events: readonly { id: string }[], edges: readonly GraphEdgeLike[]): GraphEdgeLike[] | null {
    const out = new Map<string, GraphEdgeLike[]>(events.map((e) => [e.id, []]));
    for (const e of edges) out.get(e.from)?.push(e);
    let best: GraphEdgeLike[] | null = null;
    for (const start of edges) {
      const prev = new Map<string, GraphEdgeLike | null>([[start.to, null]]);
      const queue = [start.to];
      let found = start.to === start.from;
      for (let i = 0; i < queue.length && !found; i++) {
        for (const e of out.get(queue[i] as string) ?? []) {
          if (prev.has(e.to)) continue;
          prev.set(e.to, e);
          if (e.to === start.from) {
            found = true;
            break;
          }
          queue.push(e.to);
        }
      }
      if (!found) continue;
      const path: GraphEdgeLike[] = [];
      for (let v = start.from; v !== start.to; ) {
        const e = prev.get(v);
        if (e === undefined || e === null) break;
        path.push(e);
        v = e.from;
      }
      const cycle = [start, ...path.reverse()];
      if (best === null || cycle.length < best.length) best = cycle;
    }
    return best;
  }
  type GraphEdgeLike = Parameters<typeof shortestCycle>[1][number];

  it('gives the reference’s cycle (up to the rotation both apply) on 500 random graphs', () => {
    let cyclic = 0;
    let acyclic = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.array(fc.tuple(fc.nat(8), fc.nat(8)), { maxLength: 20 }), (n, pairs) => {
        const events = Array.from({ length: n }, (_, i) => ({ id: `e${i}`, letter: '', kind: 'read' as const, thread: 0, step: i, slot: 0, location: 'x', read: null, written: null, buffered: false, drainStep: null, text: '' }));
        const edges = pairs.filter(([a, b]) => a < n && b < n).map(([a, b]) => ({ kind: 'po' as const, from: `e${a}`, to: `e${b}`, external: false, fences: [] }));
        const got = shortestCycle(events, edges);
        const want = reference(events, edges);
        if (want === null) acyclic++;
        else cyclic++;
        expect(got === null, JSON.stringify(edges)).toBe(want === null);
        if (got !== null && want !== null) {
          expect(got.length).toBe(want.length);
          // the same set of edges (shortestCycle rotates to its earliest event)
          expect(new Set(got)).toEqual(new Set(want));
        }
      }),
      { seed: 4711, numRuns: 500 },
    );
    expect(cyclic).toBeGreaterThan(50);
    expect(acyclic).toBeGreaterThan(50);
  });
});
