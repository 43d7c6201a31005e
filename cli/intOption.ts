/**
 * The integer options' parser (`--iterations`, `--seed`, `--batch`, …), pure (no `node:*`): the
 * commands take it through cli/input.ts, and the playground's Run view parses its iteration
 * count with it, so both refuse the same texts with the same message.
 */

/** The largest integer an option takes exactly (2^53 − 1); larger ones would be rounded. */
export const MAX_EXACT_INTEGER = Number.MAX_SAFE_INTEGER;

/** Parse an integer option in [min, max] (max: 2^53 − 1, the largest exact one): null when absent, a usage message when malformed. */
export function intOption(name: string, text: string | undefined, min: number, max: number = MAX_EXACT_INTEGER): number | null | string {
  if (text === undefined) return null;
  const v = Number(text);
  if (text.trim() === '' || !Number.isInteger(v) || v < min) return `--${name} expects an integer ≥ ${min}, got '${text}'`;
  if (v > max) return `--${name} expects an integer ≤ ${max}, got '${text}'`;
  return v;
}
