/**
 * `memweave/explore`: check real TypeScript/JavaScript Atomics code by exploring its
 * interleavings (docs/explore.md). Needs the `typescript` package (an optional peer dependency).
 */
export { explore, replayToken } from './explore.js';
export type { ExploredScenario, ExploreOptions, ExploreResult, ExploreStep, ExploreViolation, Scenario } from './explore.js';
export { describeExplore, renderExploreTrace, replayCall } from './report.js';
export type { TransformDiagnostic } from './transform.js';
