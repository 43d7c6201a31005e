/**
 * Replay tokens: a counterexample as a short, printable, copy-paste-safe string, and the
 * re-execution that turns one back into the same trace.
 *
 * Format: `mw1.<model>.<data>`, data = base64url (no padding) of unsigned LEB128 varints:
 *   [violation kind + 1 (0: none)] [buffer bound (0: machine default)] [program checksum, 16 bits]
 *   [number of steps] [choice per step: index of the transition among `Machine.enabled`].
 * The checksum (FNV-1a over the IR without source spans) catches a token replayed against a
 * different program or different -D values. Every index is validated while re-executing; a bad
 * token is an error value, never an exception.
 */
import type { IrProgram } from '../model/ir.js';
import { checksRaces } from '../model/memory/registry.js';
import { createMachine } from '../model/semantics/createMachine.js';
import { STEP, type Machine } from '../model/semantics/machine.js';
import { MODEL_NAMES, VIOLATION_KINDS, stateModel, type CheckOptions, type ModelName, type TraceStep, type ViolationKind } from './api.js';
import { livelockMessage } from './livelock.js';
import { conditionMessage, deadlockMessage, evalCond, falsifiesCondition, raceMessage, stepContinues, stepViolationKind, stepViolationMessage } from './properties.js';
import type { MachineExplorer } from './explorer.js';
import { livelockCycleSteps, raceSteps, renderStep } from './trace.js';

/** Token format version prefix. */
export const REPLAY_VERSION = 'mw1';

/** The decoded content of a replay token. */
export interface ReplayToken<M extends string = ModelName> {
  readonly model: M;
  /** the violation the token was recorded for (null: a plain trace) */
  readonly kind: ViolationKind | null;
  /** the store-buffer bound the search used (null: the machine default) */
  readonly bufferBound: number | null;
  /** 16-bit checksum of the program (see `programChecksum`) */
  readonly checksum: number;
  /** per step, the index of the chosen transition among the enabled ones */
  readonly choices: readonly number[];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Bytes as unpadded base64url (replay tokens). */
export function toBase64Url(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] as number;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += B64[b0 >> 2];
    out += B64[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)];
    if (b1 !== undefined) out += B64[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)];
    if (b2 !== undefined) out += B64[b2 & 63];
  }
  return out;
}

/** Unpadded base64url to bytes; null when malformed (also when the padding bits are not zero). */
export function fromBase64Url(s: string): number[] | null {
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of s) {
    const v = B64.indexOf(ch);
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  // leftover bits must be zero padding of fewer than 8 bits
  if (bits >= 6 || (acc & ((1 << bits) - 1)) !== 0) return null;
  return bytes;
}

/** The unsigned LEB128 varints of `bytes`, or null when one is truncated or too large. */
export function readVarints(bytes: readonly number[]): number[] | null {
  const values: number[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined || shift > 28) return null;
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    values.push(v);
  }
  return values;
}

/** Append an unsigned LEB128 varint. */
export function pushVarint(out: number[], v: number): void {
  let x = v >>> 0;
  while (x >= 0x80) {
    out.push((x & 0x7f) | 0x80);
    x >>>= 7;
  }
  out.push(x);
}

/** 16-bit FNV-1a checksum of a program's IR, ignoring source spans and the file name. */
export function programChecksum(program: IrProgram): number {
  const text = JSON.stringify(program, (key, value: unknown) => (key === 'span' || key === 'file' ? undefined : value));
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return ((h >>> 16) ^ h) & 0xffff;
}

/** Encode a token. */
export function encodeReplayToken(t: ReplayToken<string>): string {
  const bytes: number[] = [];
  pushVarint(bytes, t.kind === null ? 0 : VIOLATION_KINDS.indexOf(t.kind) + 1);
  pushVarint(bytes, t.bufferBound ?? 0);
  pushVarint(bytes, t.checksum & 0xffff);
  pushVarint(bytes, t.choices.length);
  for (const c of t.choices) pushVarint(bytes, c);
  return `${REPLAY_VERSION}.${t.model}.${toBase64Url(bytes)}`;
}

/** Decode a token, or explain what is wrong with it. */
export function decodeReplayToken(token: string): { readonly ok: true; readonly token: ReplayToken } | { readonly ok: false; readonly error: string } {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return { ok: false, error: `malformed replay token '${token}': expected ${REPLAY_VERSION}.<model>.<data>` };
  const [version, model, data] = parts as [string, string, string];
  if (version !== REPLAY_VERSION) return { ok: false, error: `unsupported replay token version '${version}' (this memweave reads ${REPLAY_VERSION})` };
  if (!(MODEL_NAMES as readonly string[]).includes(model)) return { ok: false, error: `replay token names unknown model '${model}' (expected one of ${MODEL_NAMES.join(', ')})` };
  const bytes = fromBase64Url(data);
  if (bytes === null) return { ok: false, error: 'malformed replay token: the data part is not base64url' };
  const values = readVarints(bytes);
  if (values === null) return { ok: false, error: 'malformed replay token: truncated or oversized number' };
  const [kindCode, bound, checksum, count] = values;
  if (kindCode === undefined || bound === undefined || checksum === undefined || count === undefined) return { ok: false, error: 'malformed replay token: header incomplete' };
  if (kindCode > VIOLATION_KINDS.length) return { ok: false, error: 'malformed replay token: unknown violation kind' };
  const choices = values.slice(4);
  if (choices.length !== count) return { ok: false, error: `malformed replay token: says ${count} steps but holds ${choices.length}` };
  return {
    ok: true,
    token: {
      model: model as ModelName,
      kind: kindCode === 0 ? null : (VIOLATION_KINDS[kindCode - 1] as ViolationKind),
      bufferBound: bound === 0 ? null : bound,
      checksum,
      choices,
    },
  };
}

/** A successful replay: the trace, the state it ends in, and what happens there. */
export interface ReplayOk {
  readonly ok: true;
  readonly model: ModelName;
  /** the violation kind recorded in the token */
  readonly kind: ViolationKind | null;
  readonly trace: readonly TraceStep[];
  readonly finalState: Readonly<Record<string, number>>;
  /** the violation the replayed trace exhibits at its end (null: none observed) */
  readonly observed: ViolationKind | null;
  /** what the end of the trace shows: the violation message, "final state", … */
  readonly ending: string;
}

/** The answer of `replay`. */
export type ReplayResult = ReplayOk | { readonly ok: false; readonly error: string };

/** The replay explorer: re-executes one recorded path (a token's choices) on a machine and says what its end shows. */
export const replayExplorer: MachineExplorer<{ readonly model: ModelName; readonly token: ReplayToken }, ReplayResult> = {
  name: 'replay',
  summary: 're-execute the choices of a replay token and say what the end of the trace shows',
  explore: (machine, { model, token }, env) => replayPath(machine, model, token, env.checksRaces),
};

/** Re-execute a token on a given machine (the machine's model must be the token's). */
export function replayOnMachine(machine: Machine, model: ModelName, t: ReplayToken): ReplayResult {
  return replayExplorer.explore(machine, { model, token: t }, { now: () => 0, checksRaces: checksRaces(model) });
}

/** Re-execute the choices of token `t` on `machine`; `racy`: does the model check races. */
function replayPath(machine: Machine, model: ModelName, t: ReplayToken, racy: boolean): ReplayResult {
  const L = machine.stateLength;
  let cur = new Int32Array(L);
  let nxt = new Int32Array(L);
  machine.initial(cur, 0);
  const buf = new Int32Array(Math.max(1, machine.maxTransitions) * 3);
  const trace: TraceStep[] = [];
  let status: number = STEP.ok;
  let message: string | null = null;
  for (let k = 0; k < t.choices.length; k++) {
    if (!stepContinues(status)) return { ok: false, error: `replay token does not fit this program: step ${k} follows a step that ended the execution` };
    const n = machine.enabled(cur, 0, buf);
    const c = t.choices[k] as number;
    if (c >= n) {
      return { ok: false, error: `replay token does not fit this program: step ${k + 1} chooses transition ${c} but only ${n} ${n === 1 ? 'is' : 'are'} enabled` };
    }
    const kind = buf[3 * c] as number;
    const thread = buf[3 * c + 1] as number;
    const arg = buf[3 * c + 2] as number;
    status = machine.apply(cur, 0, kind, thread, arg, nxt, 0);
    if (status === STEP.pruned) return { ok: false, error: `replay token does not fit this program: step ${k + 1} is discarded by an assume` };
    const r = renderStep(machine, cur, 0, kind, thread, arg, nxt, 0);
    trace.push(r.step);
    message = r.message;
    [cur, nxt] = [nxt, cur];
  }
  const end = endingOf(machine, racy, cur, status, trace[trace.length - 1] ?? null, message, t.kind);
  if (end.observed === 'race') trace.push(...raceSteps(machine, cur, 0));
  if (end.observed === 'livelock') trace.push(...livelockCycleSteps(machine, cur, 0));
  return { ok: true, model, kind: t.kind, trace, finalState: machine.renderState(cur, 0), observed: end.observed, ending: end.ending };
}

function endingOf(
  machine: Machine,
  racy: boolean,
  s: Int32Array,
  status: number,
  lastStep: TraceStep | null,
  message: string | null,
  recorded: ViolationKind | null,
): { observed: ViolationKind | null; ending: string } {
  const stepKind = stepViolationKind(status);
  // a mutual-exclusion violation does not end an execution: a trace recorded for another kind may pass through one as its last step
  const endsAtStep = stepKind !== null && !(stepKind === 'mutex' && recorded !== null && recorded !== 'mutex');
  if (stepKind !== null && endsAtStep && lastStep !== null) {
    return { observed: stepKind, ending: stepViolationMessage(stepKind, lastStep.threadName, lastStep.location, message) };
  }
  const race = recorded === 'race' && racy ? machine.race(s, 0) : null;
  if (race !== null) return { observed: 'race', ending: raceMessage(race.message) };
  if (machine.isFinal(s, 0)) {
    const p = machine.program;
    if (p.condition !== null && (p.filter === null || evalCond(machine, s, 0, p.filter))) {
      const sat = evalCond(machine, s, 0, p.condition.cond);
      if (falsifiesCondition(p, sat)) return { observed: 'condition', ending: conditionMessage(p) };
      return { observed: null, ending: `final state; the condition's proposition ${sat ? 'holds' : 'does not hold'}` };
    }
    return { observed: null, ending: 'final state' };
  }
  const buf = new Int32Array(Math.max(1, machine.maxTransitions) * 3);
  if (machine.enabled(s, 0, buf) === 0) return { observed: 'deadlock', ending: deadlockMessage(machine, s, 0) };
  if (recorded === 'livelock') {
    // the search proved no continuation ends; here we name the threads not yet finished
    const unfinished = machine.describeThreads(s, 0).flatMap((d, i) => (d.startsWith('finished') ? [] : [i]));
    return { observed: 'livelock', ending: livelockMessage(machine, s, 0, unfinished) };
  }
  return { observed: null, ending: 'the trace ends in a state where threads can still move' };
}

/** Decode a token and re-execute it against `program`, producing the same trace the check reported. */
export function replay(program: IrProgram, options: CheckOptions, token: string): ReplayResult {
  const d = decodeReplayToken(token);
  if (!d.ok) return d;
  const t = d.token;
  if (t.checksum !== programChecksum(program)) {
    return { ok: false, error: 'replay token was recorded for a different program (the file or its -D values changed since)' };
  }
  const bufferBound = t.bufferBound ?? options.bufferBound;
  const machine = createMachine(program, stateModel(t.model), bufferBound === undefined ? {} : { bufferBound });
  return replayOnMachine(machine, t.model, t);
}
