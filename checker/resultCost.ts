/**
 * What a search's answer will cost in memory, per entry, so the search can reserve it from its
 * memory budget while it runs: the answer (outcomes, counterexample traces) is built after the
 * search and rendered after that, and both must fit in the same `--max-memory` as the search.
 *
 * The numbers are upper bounds measured on Node 20/22 (V8) with `--expose-gc` and
 * `process.memoryUsage().heapUsed` over 200,000 objects (docs/checking.md, "Budgets"):
 * - an `Outcome` is `{ values, satisfies, finalStates }` whose `values` has no prototype, so V8
 *   keeps it as a dictionary: 242 B at 1 observable, 531 at 8, 915 at 16, 1,684 at 24, 3,219 at
 *   64, 6,290 at 100 (capacity doubles at each power of two); 256 + 112 B per observable bounds
 *   every one;
 * - rendered, an outcome is longest in `--format json` (indent 2): 96 B plus, per observable, its
 *   name and 24 (quotes, indent, `: `, an 11-digit value, `,\n`); the text and HTML rows are
 *   shorter. Rendering holds the string being built, the finished string and the bytes written
 *   at once: three times that length;
 * - a trace row (`TraceStep`, its strings, its event and the buffers' renderings) and its
 *   renderings: 1,536 B plus, per thread, 96 (its buffer's rendering) — measured at about 700 B
 *   on a two-thread trace before rendering.
 */

/** Bytes the answer holds for one outcome over observables with these names: its object and its renderings. */
export function outcomeReserveBytes(names: readonly string[]): number {
  let json = 96;
  for (const n of names) json += n.length + 24;
  return 256 + 112 * names.length + 3 * json;
}

/** Bytes the answer holds for one row of a counterexample trace of a program with `threads` threads. */
export function traceRowBytes(threads: number): number {
  return 1536 + 96 * threads;
}

/**
 * Bytes a finished answer keeps while the command that asked for it goes on (the next model, the
 * report's pictures and page): its outcomes and its counterexample traces, at the rates above —
 * what its search reserved for them before it gave its budget back.
 */
export function resultBytes(result: { readonly outcomes: readonly { readonly values: Readonly<Record<string, number>> }[]; readonly violations: readonly { readonly trace: readonly unknown[] }[] }, threads: number): number {
  const first = result.outcomes[0];
  let bytes = first === undefined ? 0 : result.outcomes.length * outcomeReserveBytes(Object.keys(first.values));
  for (const v of result.violations) bytes += (v.trace.length + 2) * traceRowBytes(threads);
  return bytes;
}
