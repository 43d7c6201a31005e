/**
 * The text of a check's progress report (checker/api.ts `Progress`), one line: the terminal's
 * progress line of `memweave check` and the playground's status line are this text. Pure.
 */
import type { Progress } from '../checker/api.js';

/** Bytes as B, KiB, MiB or GiB. */
export function formatBytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KiB`;
  if (b < 1024 * 1024 * 1024) return `${(b / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(b / (1024 * 1024 * 1024)).toFixed(2)} GiB`;
}

/** "states 1234 (567/s), frontier 89, memory 1.2 MiB, 2.2 s" (the stateful search) or "executions 1234 (567/s), graphs 2345, 2.2 s" (the graph engine). */
export function progressText(p: Progress): string {
  const secs = `${(p.elapsedMs / 1000).toFixed(1)} s`;
  const rate = (n: number): number => (p.elapsedMs > 0 ? Math.round((n * 1000) / p.elapsedMs) : 0);
  switch (p.engine) {
    case 'state':
      return `states ${p.states} (${rate(p.states)}/s), frontier ${p.frontier}, memory ${formatBytes(p.bytes)}, ${secs}`;
    case 'graph':
      return `executions ${p.executions} (${rate(p.executions)}/s), graphs ${p.graphs}, ${secs}`;
  }
}
