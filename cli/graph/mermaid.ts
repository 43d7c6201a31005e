/**
 * A Mermaid sequence diagram of an execution, for Markdown pages and CI summaries: one
 * participant per thread plus Memory; reads come from memory (or from the thread's own store
 * buffer, as a self-message), stores go to memory directly or into the buffer (a self-message)
 * and reach memory with a drain; fences, waits and notifies are notes, and a notify sends a wake
 * message to each thread it woke. Steps that touch no memory are left out.
 * Each message starts with its step number in the trace, so the picture and the trace table agree.
 */
import type { Execution } from '../../checker/execution.js';
import type { ExecutionGraph } from '../../checker/graph.js';
import { slotNames } from '../../checker/graph.js';
import type { IrProgram } from '../../model/ir.js';

/** Text made safe inside a Mermaid message or note: entity codes for the characters Mermaid reads as syntax. */
export function mermaidText(s: string): string {
  return s.replace(/[#;<>&\n\r]/g, (c) => (c === '\n' || c === '\r' ? ' ' : `#${c.charCodeAt(0)};`));
}

/** The Mermaid sequence diagram of `execution`; `graph` (built from it) tells forwarded reads apart. */
export function renderMermaid(program: IrProgram, execution: Execution, graph: ExecutionGraph, options: { readonly outcome?: string } = {}): string {
  const names = slotNames(program);
  const slot = (s: number): string => mermaidText(names[s] ?? `#${s}`);
  const id = (t: number): string => `T${t}`;
  // reads whose rf edge comes from their own thread's store that was still buffered: forwarded
  const byId = new Map(graph.events.map((e) => [e.id, e]));
  const forwarded = new Set<number>();
  for (const e of graph.edges) {
    if (e.kind !== 'rf' || e.external) continue;
    const w = byId.get(e.from);
    const r = byId.get(e.to);
    if (w !== undefined && r !== undefined && w.buffered && (w.drainStep === null || w.drainStep > r.step)) forwarded.add(r.step);
  }
  const out: string[] = ['sequenceDiagram'];
  out.push(`  %% ${mermaidText(`${program.name} under ${execution.model}${options.outcome !== undefined ? `: ${options.outcome.replace(/;/g, '')}` : ''}`)}`);
  program.threads.forEach((t, i) => out.push(`  participant ${id(i)} as ${mermaidText(t.name)}`));
  out.push('  participant M as Memory');
  execution.steps.forEach((s, k) => {
    const ev = s.event;
    const n = `${k + 1}. `;
    const t = id(s.thread);
    // Atomics.wait: shown with its outcome (blocked, or not equal), which is the point of it (its event is a plain read)
    if (s.effect.startsWith('wait on ')) {
      out.push(`  Note over ${t},M: ${n}${mermaidText(s.effect)}`);
      return;
    }
    if (ev === null) return;
    switch (ev.kind) {
      case 'read':
        out.push(forwarded.has(k) ? `  ${t}->>${t}: ${n}read ${slot(ev.slot)} = ${ev.value} (own buffer)` : `  M-->>${t}: ${n}read ${slot(ev.slot)} = ${ev.value}`);
        return;
      case 'write':
        out.push(ev.buffered ? `  ${t}-)${t}: ${n}write ${slot(ev.slot)} = ${ev.value} (buffered)` : `  ${t}->>M: ${n}write ${slot(ev.slot)} = ${ev.value}`);
        return;
      case 'rmw':
        out.push(`  ${t}->>M: ${n}RMW ${slot(ev.slot)} = ${ev.read} → ${ev.written === null ? '(no write)' : ev.written}`);
        return;
      case 'drain':
        out.push(`  ${t}->>M: ${n}drain ${slot(ev.slot)} = ${ev.value}`);
        return;
      case 'fence':
        out.push(`  Note over ${t}: ${n}fence.${mermaidText(ev.mode)}`);
        return;
      case 'notify':
        // with its outcome (woke n), and a wake message to each thread it woke
        out.push(`  Note over ${t},M: ${n}${mermaidText(s.effect)}`);
        for (const w of ev.woken) out.push(`  ${t}-->>${id(w)}: ${n}wake`);
        return;
    }
  });
  if (out.length === program.threads.length + 3) out.push(`  Note over M: no memory accesses`);
  return out.join('\n') + '\n';
}
