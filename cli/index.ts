/**
 * The memweave package entry (`import … from 'memweave'`): the front end, the checker, the worker
 * runtime and the CLI's main, for use from code and test suites. The synchronisation library is
 * re-exported here too.
 */
export { compileSource } from '../model/frontend.js';
export type { CompileOutput } from '../model/frontend.js';
export type { IrProgram } from '../model/ir.js';
export type { Diagnostic } from '../model/diagnostics/diagnostic.js';
export { DIAGNOSTIC_CODES } from '../model/diagnostics/codes.js';
export { replay, MODEL_NAMES, STRATEGY_NAMES } from '../checker/index.js';
/** Check a program: invalid IR, an unknown model or a bad buffer bound is answered with R604 diagnostics (`{ ok: false }`), else `{ ok: true, result }`. */
export { checkProgram as check } from '../checker/check.js';
/** `check` without holding the event loop: the same answer, or `budgetExhausted: 'interrupted'` once `options.signal` (an AbortSignal) is aborted. */
export { checkProgramAsync as checkAsync } from '../checker/check.js';
export type { AsyncCheckOptions, CheckAnswer } from '../checker/check.js';
export type { StopRequest } from '../checker/sliced.js';
export type { CheckOptions, CheckResult, Outcome, Violation, TraceStep, StepEvent, ModelName, StrategyName } from '../checker/index.js';
export { runOnWorkers, liveWorkers } from '../impl/harness.js';
export type { RunOptions, RunResult } from '../impl/harness.js';
export { main } from './main.js';
export { renderDiagnostics } from './render.js';
export { renderTraceTable } from './commands/check.js';
export type { TraceThreads } from './commands/check.js';
export { SyncError, LockGuard, Mutex, SpinLock, TicketLock, Semaphore, Barrier, CondVar, RWLock, Once, Latch } from '../impl/sync/index.js';
export type { SyncErrorCode, GuardTarget } from '../impl/sync/index.js';
