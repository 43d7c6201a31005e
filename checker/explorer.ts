/**
 * The explorer interface: an explorer answers a check of one machine — which states or
 * executions it visits, and how, is its own business. The stateful search over stored states
 * (statefulSearch.ts; its strategies, bfs and dfs, order its frontier: strategy.ts) is one;
 * replay (replay.ts: re-execute one recorded path) is the other road through the same machine; a
 * stateless explorer over re-executions is one more file exporting an `Explorer`, plus its line
 * in EXPLORERS. Every explorer shares the per-state property checks (properties.ts) and the
 * counterexample building (trace.ts, violations.ts).
 */
import type { Machine } from '../model/semantics/machine.js';
import type { CheckOptions, CheckResult } from './api.js';
import type { Fingerprint } from './fingerprints.js';
import type { Sliced } from './sliced.js';
import { statefulExplorer } from './statefulSearch.js';

/** What an explorer gets besides the machine and the options. */
export interface ExploreEnv {
  /** the clock (ms), injected so that exploration stays deterministic */
  readonly now: () => number;
  /** does the model check states for data races (its registry record says)? */
  readonly checksRaces: boolean;
  /** the fingerprint under `hashCompact` (a test seam; default DEFAULT_FINGERPRINT) */
  readonly fingerprint?: Fingerprint;
}

/** An explorer of one machine: a name, a line for --help, and the exploration of a request. */
export interface MachineExplorer<Request, Answer> {
  readonly name: string;
  readonly summary: string;
  explore(machine: Machine, request: Request, env: ExploreEnv): Answer;
}

/** An explorer that answers a check (every state or execution the options allow): the stateful search, a stateless one. */
export interface Explorer {
  readonly name: string;
  readonly summary: string;
  explore<M extends string>(machine: Machine, options: CheckOptions<M>, env: ExploreEnv): CheckResult<M>;
  /** the same exploration as a sliced phase (sliced.ts): `explore` is `runToEnd` of it; stopped at a pause, it answers budgetExhausted 'interrupted' */
  exploreSliced<M extends string>(machine: Machine, options: CheckOptions<M>, env: ExploreEnv): Sliced<CheckResult<M>>;
}

/** Every explorer that answers a check, by name (the first is the default). */
export const EXPLORERS: readonly Explorer[] = [statefulExplorer];
