/**
 * herd7's `Hash=` line for a litmus test (placeholder: not computed yet).
 */

/** herd's hash of a litmus test's text, or null when memweave does not compute it for this dialect. */
export function herdHash(arch: string | null, text: string): string | null {
  void arch;
  void text;
  return null;
}
