/** The checker's public surface: `check`, replay, executions and execution graphs, and the contract types. */
export * from './api.js';
export { check, checkAsync, checkMachine, defaultClock, DEFAULT_MAX_MEMORY_BYTES } from './check.js';
export type { AsyncCheckOptions } from './check.js';
export { DEFAULT_SLICE_MS } from './sliced.js';
export type { StopRequest } from './sliced.js';
export { replayOnMachine, encodeReplayToken, decodeReplayToken, programChecksum, REPLAY_VERSION } from './replay.js';
// `replay` takes both engines' tokens (check.ts, replayAny)
export { replayAny as replay } from './check.js';
export type { ReplayToken, ReplayOk, ReplayResult } from './replay.js';
export { STRATEGIES } from './strategy.js';
export type { Strategy, Frontier } from './strategy.js';
export { executeChoices, findConditionExecution, findExecution, findExecutionWhere, searchConditionExecution, searchExecution, searchExecutionWhere, unknownOutcomeNames, FIND_EXECUTION_MAX_STATES } from './execution.js';
export type { Execution, ExecutionSearch, ExecutionStep } from './execution.js';
export { buildExecutionGraph, cycleText, eventLabel, eventLetter, shortestCycle, slotNames, EDGE_KINDS, GRAPH_EVENT_KINDS } from './graph.js';
export type { EdgeKind, ExecutionGraph, GraphEdge, GraphEvent, GraphEventKind } from './graph.js';
