// `check --shard I/N` (issue 18): parsing the flag and describing the space a shard belongs to.
// The graph engine's tree is split by a prefix partition (checker/graphExplorer.ts,
// shardSplitDepth); the stateful search runs one member of a swarm (CheckOptions.swarmSeed):
// the whole space in an order of its own, under hash compaction.
import { createHash } from 'node:crypto';
import type { IrProgram } from '../model/ir.js';

/** Most shards of one space. */
export const MAX_SHARDS = 1024;

/** One shard of a space. invariant: 0 <= index < count <= MAX_SHARDS. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** `--shard I/N` as a spec, or the usage message that refuses it. */
export function parseShard(text: string): ShardSpec | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) return `--shard expects I/N (the shard's index from 0 and the number of shards), got '${text}'`;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) return `--shard expects N from 1 to ${MAX_SHARDS}, got '${text}'`;
  if (index >= count) return `--shard expects 0 <= I < N (shards are numbered from 0), got '${text}'`;
  return { index, count };
}

/**
 * SHA-256 (hex) of a canonical description of the space a shard explores: the program's IR, the
 * model, the engine and the option that changes the space (the graph engine's unroll bound, the
 * stateful search's buffer bound). Two shard results
 * are parts of one whole only when their spaces are equal.
 */
export function shardSpace(program: IrProgram, model: string, engine: string, bound: number): string {
  const canonical = JSON.stringify({ program: stripSpans(program), model, engine, unroll: bound });
  return createHash('sha256').update(canonical).digest('hex');
}

/** The IR without source positions or names of files, so that a moved file is the same space. */
function stripSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSpans);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (key === 'span' || key === 'origin' || key === 'file' || key === 'source') continue;
    out[key] = stripSpans((value as Record<string, unknown>)[key]);
  }
  return out;
}

/** The `shard` block of check's JSON. */
export function shardJson(spec: ShardSpec, space: string, method: 'prefix' | 'swarm' = 'prefix'): Record<string, unknown> {
  return { index: spec.index, count: spec.count, method, space };
}
