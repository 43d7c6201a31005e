/**
 * From the first violation of each kind an explorer found to the reported violations: each gets
 * its counterexample trace (trace.ts), its message (built once, here and in properties.ts) and
 * its replay token (replay.ts), in VIOLATION_KINDS order. Shared by every explorer over stored
 * states (cold path).
 */
import { STEP, type Machine } from '../model/semantics/machine.js';
import { VIOLATION_KINDS, type CheckOptions, type Violation, type ViolationKind } from './api.js';
import { livelockMessage } from './livelock.js';
import { deadlockMessage, raceMessage, stepViolationKind, stepViolationMessage, type FoundViolations } from './properties.js';
import { createChain, type Reductions } from './reductions.js';
import { encodeReplayToken, programChecksum } from './replay.js';
import { buildTrace, CYCLE_SEARCH_MAX_STEPS, livelockCycleSteps, pathTo, raceSteps } from './trace.js';
import type { VisitedSet } from './visited.js';
import type { MemoryBudget } from './memoryBudget.js';
import { traceRowBytes } from './resultCost.js';

/**
 * Turn the recorded findings into violations with traces and replay tokens, in VIOLATION_KINDS
 * order. With `budget`, a trace longer than the rows its search reserved (statement merging shows
 * the merged local instructions as rows of their own) reserves the rest from it; a finding whose
 * trace has no room is left out and `noRoom` is set: the answer is then inconclusive for memory.
 */
export function buildViolations(
  machine: Machine,
  options: CheckOptions<string>,
  visited: VisitedSet,
  found: FoundViolations,
  red: Reductions,
  compact: boolean,
  budget: MemoryBudget | null = null,
): { violations: Violation[]; noRoom: boolean } {
  let noRoom = false;
  const rowBytes = traceRowBytes(machine.program.threads.length);
  const chain = createChain(machine, red, null);
  const abstract = red.dead === null ? null : chain.abstract;
  const sym = red.sym;
  const out: Violation[] = [];
  const checksum = programChecksum(machine.program);
  for (const kind of VIOLATION_KINDS) {
    const f = found.get(kind);
    if (f === undefined) continue;
    // under hash compaction stored states cannot be read back: always re-execute
    // the rows reserved when it was found (statefulSearch.ts reserveTraces, and the livelock's cycle)
    const reserved = pathTo(visited, f.state).length + 2 + (kind === 'livelock' ? CYCLE_SEARCH_MAX_STEPS + 1 : 0);
    const built = buildTrace(machine, visited, f.state, f.at === 'step' ? f : null, sym, red.dead !== null || compact, red.merge, abstract, budget === null ? null : { budget, reserved, rowBytes });
    if (built === null) {
      noRoom = true;
      continue;
    }
    let message: string;
    // dead registers do not show in messages (they name pcs, enabledness and addresses: live data), representatives' thread order does
    if (f.at === 'state') message = sym === null ? f.message : stateMessage(machine, kind, built.last, f.message);
    else {
      const last = built.steps[built.steps.length - 1];
      const vk = stepViolationKind(built.lastStatus ?? STEP.ok) ?? (kind as 'assert' | 'runtime' | 'mutex');
      message = stepViolationMessage(vk, last?.threadName ?? '?', last?.location ?? '', built.lastMessage);
    }
    const replay = encodeReplayToken({ model: options.model, kind, bufferBound: options.bufferBound ?? null, checksum, choices: built.choices });
    // a race trace ends at the race: the two conflicting accesses, as rows after the last step
    const trace = kind === 'race' ? [...built.steps, ...raceSteps(machine, built.last, 0)] : kind === 'livelock' ? [...built.steps, ...livelockCycleSteps(machine, built.last, 0)] : built.steps;
    const violation: Violation = { kind, message, trace, finalState: machine.renderState(built.last, 0), replay };
    out.push(kind === 'runtime' && built.lastErrorCode !== null ? { ...violation, code: built.lastErrorCode } : violation);
  }
  return { violations: out, noRoom };
}

/** Under symmetry, the message of a state violation rebuilt on the real state a trace ends in (the stored state is its representative, with threads in another order). */
function stateMessage(machine: Machine, kind: ViolationKind, last: Int32Array, stored: string): string {
  switch (kind) {
    case 'deadlock':
      return deadlockMessage(machine, last, 0);
    case 'race': {
      const race = machine.race(last, 0);
      return race === null ? stored : raceMessage(race.message);
    }
    case 'livelock': {
      const unfinished = machine.describeThreads(last, 0).flatMap((d, i) => (d.startsWith('finished') ? [] : [i]));
      return livelockMessage(machine, last, 0, unfinished);
    }
    default:
      return stored;
  }
}
