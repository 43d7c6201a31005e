/**
 * Graphviz DOT for an execution graph (checker/graph.ts), in herd7's style: one column (cluster)
 * per thread with its events top to bottom in program order, the initial writes above, and
 * po (black), rf (green), co (blue) and fr (orange) edges, and wake edges (purple) from a notify
 * to the waits it woke. Buffered stores say when they reached
 * memory; fences label the po edge they sit on. The edges and events of the cycle that makes
 * the execution impossible under SC are drawn red and bold, and the cycle is spelled out in the
 * graph's title. The output is deterministic (goldens pin it).
 */
import { cycleText, eventLabel, type EdgeKind, type ExecutionGraph, type GraphEdge, type GraphEvent } from '../../checker/graph.js';
import { SC_MODEL } from '../models.js';

/** Colours of the relations (the cycle overrides them with {@link CYCLE_COLOR}). */
export const EDGE_COLORS: Readonly<Record<EdgeKind, string>> = { po: '#000000', rf: '#1b7f3b', co: '#1f5fbf', fr: '#d47500', wake: '#7b2cbf' };

/** Colour of the highlighted cycle. */
export const CYCLE_COLOR = '#d00000';

/** Options of {@link renderDot}. */
export interface DotOptions {
  /** the outcome the execution reaches, shown in the title ("P0:r0=0; P1:r0=0;") */
  readonly outcome?: string;
  /** the model under which the cycle forbids the outcome, named in the title (default "sc") */
  readonly forbiddenUnder?: string;
}

/** A DOT double-quoted string literal with `"` and `\` escaped and newlines as `\n`. */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

function edgeKey(e: GraphEdge): string {
  return `${e.kind}:${e.from}:${e.to}`;
}

function nodeLabel(e: GraphEvent): string {
  const base = eventLabel(e);
  if (!e.buffered) return base;
  return e.drainStep === null ? `${base}\n(buffered; reaches memory after the end)` : `${base}\n(buffered; in memory at step ${e.drainStep + 1})`;
}

/** The DOT text of an execution graph. */
export function renderDot(graph: ExecutionGraph, options: DotOptions = {}): string {
  const inCycle = new Set((graph.cycle ?? []).map(edgeKey));
  const cycleNodes = new Set((graph.cycle ?? []).flatMap((e) => [e.from, e.to]));
  const title: string[] = [`${graph.test} under ${graph.model}`];
  if (options.outcome !== undefined && options.outcome !== '') title.push(options.outcome);
  const cyc = cycleText(graph);
  if (cyc !== null) title.push(`cycle (forbidden under ${options.forbiddenUnder ?? SC_MODEL}): ${cyc}`);
  else title.push('no po ∪ rf ∪ co ∪ fr cycle: an SC execution');

  const out: string[] = [];
  out.push('digraph execution {');
  out.push(`  graph [label=${dotString(title.join('\n'))}, labelloc=t, fontname="Helvetica", fontsize=12, newrank=true, nodesep=0.6, ranksep=0.5];`);
  out.push('  node [shape=box, style=rounded, fontname="Helvetica", fontsize=11, margin="0.12,0.06"];');
  out.push('  edge [fontname="Helvetica", fontsize=10, arrowsize=0.7];');
  const node = (e: GraphEvent, indent: string): string => {
    const attrs = [`label=${dotString(nodeLabel(e))}`];
    if (e.text !== '') attrs.push(`tooltip=${dotString(e.text)}`);
    if (e.kind === 'init') attrs.push('style="rounded,dashed"', 'fontcolor="#555555"');
    if (cycleNodes.has(e.id)) attrs.push(`color=${dotString(CYCLE_COLOR)}`, 'penwidth=2');
    return `${indent}${e.id} [${attrs.join(', ')}];`;
  };
  const inits = graph.events.filter((e) => e.kind === 'init');
  if (inits.length > 0) {
    out.push('  subgraph cluster_init {');
    out.push('    label="initial state"; style=dotted; fontname="Helvetica"; fontsize=10;');
    for (const e of inits) out.push(node(e, '    '));
    out.push('  }');
  }
  graph.threads.forEach((name, t) => {
    const evs = graph.events.filter((e) => e.thread === t);
    if (evs.length === 0) return;
    out.push(`  subgraph cluster_t${t} {`);
    out.push(`    label=${dotString(name)}; style=rounded; color="#999999"; fontname="Helvetica"; fontsize=11;`);
    for (const e of evs) out.push(node(e, '    '));
    out.push('  }');
  });
  // keep the initial writes above the threads' first events
  const firsts = graph.threads.map((_, t) => graph.events.find((e) => e.thread === t)).filter((e): e is GraphEvent => e !== undefined);
  const anchor = inits[0];
  if (anchor !== undefined) for (const f of firsts) out.push(`  ${anchor.id} -> ${f.id} [style=invis];`);
  for (const e of graph.edges) {
    const hot = inCycle.has(edgeKey(e));
    const label = e.kind === 'po' && e.fences.length > 0 ? `po, fence.${e.fences.join(', fence.')}` : e.kind === 'po' || e.kind === 'wake' ? e.kind : `${e.kind}${e.external ? 'e' : 'i'}`;
    const attrs = [`label=${dotString(label)}`, `color=${dotString(hot ? CYCLE_COLOR : EDGE_COLORS[e.kind])}`, `fontcolor=${dotString(hot ? CYCLE_COLOR : EDGE_COLORS[e.kind])}`];
    if (e.kind !== 'po') attrs.push('constraint=false');
    if (hot) attrs.push('penwidth=2.5', e.kind === 'fr' ? 'style="dashed,bold"' : 'style=bold');
    else if (e.kind === 'fr') attrs.push('style=dashed');
    out.push(`  ${e.from} -> ${e.to} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
