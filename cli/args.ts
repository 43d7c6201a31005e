/**
 * Command-line argument parsing shared by every command: a thin wrapper over node:util parseArgs
 * that turns bad usage into a value (never a thrown stack trace), validates enumerated options,
 * checks the number of positionals, and parses repeated `-D NAME=VALUE` definitions.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { i32 } from '../model/ir.js';
import { nameRecord } from '../model/outcome.js';
import { joinNegativeValues } from './options.js';
import { suggest } from './suggest.js';

/** The option table accepted by {@link parseCommandArgs} (node:util's shape). */
export type OptionTable = NonNullable<ParseArgsConfig['options']>;

/** The typed values parseArgs returns for an option table (strict, positionals allowed). */
export type OptionValues<O extends OptionTable> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>['values'];

/** Parsed arguments, or a usage error message (the caller prints it and exits 2). */
export type ArgsResult<O extends OptionTable> =
  | { readonly ok: true; readonly values: OptionValues<O>; readonly positionals: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** Extra checks applied after parsing. */
export interface ArgsRules<O extends OptionTable> {
  /** allowed values for string options, e.g. `{ format: ['text', 'json'] }` */
  readonly choices?: { readonly [K in keyof O]?: readonly string[] };
  /** names of the positional arguments, for messages (`FILE`) */
  readonly positionals?: readonly string[];
  /** how many positionals are required (default: all of `positionals`) */
  readonly minPositionals?: number;
  /** how many positionals are accepted (default: the length of `positionals`) */
  readonly maxPositionals?: number;
  /** repeatable options whose values may also be comma-separated lists (`--model sc,tso` = `--model sc --model tso`) */
  readonly commaLists?: readonly (keyof O)[];
}

/** The `-D NAME=VALUE` option (also `-DNAME=VALUE` and `--define NAME=VALUE`), repeatable. */
export const DEFINE_OPTION = { define: { type: 'string', short: 'D', multiple: true } } as const satisfies OptionTable;

/** The `--format text|json` option. */
export const FORMAT_OPTION = { format: { type: 'string', default: 'text' } } as const satisfies OptionTable;

/** The values accepted by `--format`. */
export const FORMATS = ['text', 'json'] as const;

/** One of {@link FORMATS}. */
export type Format = (typeof FORMATS)[number];

/** True when a string is one of {@link FORMATS}. */
export function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}

/** The values accepted by `check --format`: {@link FORMATS}, the CI formats (JUnit XML, GitHub annotations), and herd7's own output (cli/herdFormat.ts). */
export const CHECK_FORMATS = [...FORMATS, 'junit', 'github', 'herd'] as const;

/** One of {@link CHECK_FORMATS}. */
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** True when a string is one of {@link CHECK_FORMATS}. */
export function isCheckFormat(s: string): s is CheckFormat {
  return (CHECK_FORMATS as readonly string[]).includes(s);
}

/** Parse a command's arguments; never throws for bad usage. */
export function parseCommandArgs<const O extends OptionTable>(argv: readonly string[], options: O, rules: ArgsRules<O> = {}): ArgsResult<O> {
  let parsed: { values: OptionValues<O>; positionals: string[] };
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (err) {
    return { ok: false, message: usageMessageOf(err, options) };
  }
  const values = parsed.values as Record<string, unknown>;
  for (const name of (rules.commaLists ?? []) as string[]) {
    const v = values[name];
    if (Array.isArray(v)) values[name] = (v as unknown[]).flatMap((x) => (typeof x === 'string' ? x.split(',').map((s) => s.trim()) : [x]));
  }
  for (const [name, allowed] of Object.entries(rules.choices ?? {}) as [string, readonly string[] | undefined][]) {
    if (allowed === undefined) continue;
    const v = values[name];
    const list = Array.isArray(v) ? (v as unknown[]) : v === undefined ? [] : [v];
    for (const item of list) {
      if (typeof item === 'string' && !allowed.includes(item)) {
        const hint = suggest(item, allowed);
        return { ok: false, message: `invalid value '${item}' for --${name}; ${hint !== null ? `did you mean '${hint}'? ` : ''}expected one of: ${allowed.join(', ')}` };
      }
    }
  }
  const names = rules.positionals ?? [];
  const min = rules.minPositionals ?? names.length;
  const max = rules.maxPositionals ?? names.length;
  const got = parsed.positionals.length;
  if (got < min) {
    const missing = names[got] ?? 'argument';
    return { ok: false, message: `missing ${missing}` };
  }
  if (got > max) {
    const extra = parsed.positionals[max] ?? '';
    return { ok: false, message: `unexpected argument '${extra}'` };
  }
  return { ok: true, values: parsed.values, positionals: parsed.positionals };
}

/** Turn a parseArgs error into a one-line message without node's boilerplate; an unknown option gets a "did you mean". */
function usageMessageOf(err: unknown, options: OptionTable): string {
  const raw = err instanceof Error ? err.message : String(err);
  // node's messages sometimes carry a second sentence about '--'; keep only the first sentence.
  const first = raw.split('. To specify a positional argument')[0] ?? raw;
  const message = first.charAt(0).toLowerCase() + first.slice(1);
  const unknown = /^unknown option '(--?[^'=]+)/.exec(message);
  if (unknown === null) return message;
  const hint = suggest(unknown[1] ?? '', Object.keys(options).map((n) => `--${n}`));
  return hint === null ? message : `${message}; did you mean '${hint}'?`;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VALUE_RE = /^-?(?:0[xX][0-9a-fA-F]+|[0-9]+)$/;

/** Parse `NAME=VALUE` definitions into integer params; malformed entries become U501 messages. */
export function parseDefines(list: readonly string[]): { defines: Record<string, number>; errors: string[] } {
  const defines = nameRecord<number>();
  const errors: string[] = [];
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq < 0) {
      errors.push(`malformed -D definition '${item}': expected NAME=VALUE`);
      continue;
    }
    const name = item.slice(0, eq).trim();
    const valueText = item.slice(eq + 1).trim();
    if (!NAME_RE.test(name)) {
      errors.push(`malformed -D definition '${item}': '${name}' is not a name`);
      continue;
    }
    if (!VALUE_RE.test(valueText)) {
      errors.push(`malformed -D definition '${item}': '${valueText}' is not an integer`);
      continue;
    }
    const negative = valueText.startsWith('-');
    const digits = negative ? valueText.slice(1) : valueText;
    const isHex = /^0[xX]/.test(digits);
    const magnitude = isHex ? parseInt(digits.slice(2), 16) : parseInt(digits, 10);
    const limit = isHex ? 0xffffffff : negative ? 2147483648 : 2147483647;
    if (!Number.isSafeInteger(magnitude) || magnitude > limit) {
      errors.push(`malformed -D definition '${item}': ${valueText} is out of the 32-bit range`);
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(defines, name)) {
      errors.push(`malformed -D definition '${item}': ${name} is defined more than once`);
      continue;
    }
    defines[name] = i32(negative ? -magnitude : magnitude);
  }
  return { defines, errors };
}
