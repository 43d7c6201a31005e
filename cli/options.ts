/**
 * Limits on option values that every command shares: the store-buffer bound, the memory budget
 * against the machine's memory, and integers that must be exact (seeds above 2^53 used to be
 * rounded silently). Each check takes the value a command's own parser produced (a number, null
 * when absent, or a message) and returns the same shape, so a command adds one call per option;
 * the message is printed by usageError as U505 with exit 2.
 */
import { totalmem } from 'node:os';
import type { OptionTable } from './args.js';
import { memoryWithin } from './budgetOptions.js';

/**
 * The largest `--buffer-bound`: a packed state holds every thread's buffer at full capacity, so
 * the bound multiplies the size of every state (64 threads × 256 entries is already 128 KiB per
 * state). 10^8 used to be accepted and reach 1.6 GB; 2^31 was an internal error.
 */
export const MAX_BUFFER_BOUND = 256;

/** A parsed `--buffer-bound`, or a message when it is above {@link MAX_BUFFER_BOUND}. */
export function bufferBoundLimit(v: number | null | string): number | null | string {
  if (typeof v !== 'number' || v <= MAX_BUFFER_BOUND) return v;
  return `--buffer-bound ${v} is too large: the limit is ${MAX_BUFFER_BOUND} store-buffer entries per thread`;
}

/** A parsed `--max-memory MB`, or a message when it is more than the machine has (`machineBytes`, default the real one). */
export function maxMemoryLimit(v: number | null | string, machineBytes: number = totalmem()): number | null | string {
  return memoryWithin(v, machineBytes);
}

/** The largest integer an option takes exactly (2^53 − 1); larger ones would be rounded (cli/intOption.ts). */
export { MAX_EXACT_INTEGER } from './intOption.js';

/**
 * `argv` with each negative number that follows a string-valued option joined to it
 * (`--seed -5` → `--seed=-5`, `-n -5` → `-n=-5`… as `-n-5`), so that the option's own check
 * says what it expects instead of node's "argument is ambiguous".
 */
export function joinNegativeValues(argv: readonly string[], options: OptionTable): string[] {
  const shorts = new Map<string, string>();
  for (const [name, o] of Object.entries(options)) if (o.short !== undefined) shorts.set(o.short, name);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = argv[i + 1];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const long = /^--([^=]+)$/.exec(a)?.[1];
    const short = /^-([A-Za-z])$/.exec(a)?.[1];
    const name = long ?? (short !== undefined ? shorts.get(short) : undefined);
    if (name !== undefined && Object.hasOwn(options, name) && options[name]?.type === 'string' && next !== undefined && /^-[0-9.]/.test(next)) {
      out.push(long !== undefined ? `--${long}=${next}` : `-${short ?? ''}${next}`);
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}
