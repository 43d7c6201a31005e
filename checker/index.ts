/** The checker's public surface: `check`, replay, and the contract types. */
export * from './api.js';
export { check, checkMachine, defaultClock, DEFAULT_MAX_MEMORY_BYTES } from './check.js';
export { replay, replayOnMachine, encodeReplayToken, decodeReplayToken, programChecksum, REPLAY_VERSION } from './replay.js';
export type { ReplayToken, ReplayOk, ReplayResult } from './replay.js';
export { STRATEGIES } from './strategy.js';
export type { Strategy, Frontier } from './strategy.js';
