/**
 * Tests that drive an external tool (Debian's Chromium, SPIN and gcc): whether they run.
 *
 * They run when the tool is installed. When it is missing they are skipped, saying so in their
 * title, so `npm test` on a fresh clone with only Node passes — unless MEMWEAVE_REQUIRE_TOOLS=1
 * (set by .ci/run, which installs the tools first): then they run and fail loudly. A tool's own
 * variable (MEMWEAVE_SKIP_BROWSER=1, MEMWEAVE_SKIP_SPIN=1, MEMWEAVE_SKIP_RUMUR=1) skips its tests in any case.
 */
import { spawnSync } from 'node:child_process';

/** Whether a tool's tests are skipped, and the words their title carries. */
export interface ToolGate {
  readonly skip: boolean;
  readonly note: string;
}

/** Whether `command` runs (`command --version` style probe with the given arguments). */
export function commandWorks(command: string, args: readonly string[]): boolean {
  const r = spawnSync(command, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** The gate for tests needing `tool`, installed or not (`present`), skipped on `skipVar=1`. */
export function toolGate(tool: string, present: boolean, skipVar: string, env: NodeJS.ProcessEnv = process.env): ToolGate {
  if (env[skipVar] === '1') return { skip: true, note: ` (skipped: ${skipVar}=1)` };
  if (present) return { skip: false, note: '' };
  if (env['MEMWEAVE_REQUIRE_TOOLS'] === '1') return { skip: false, note: ` (${tool} required by MEMWEAVE_REQUIRE_TOOLS=1 but not found)` };
  return { skip: true, note: ` (skipped: ${tool} not installed; .ci/run installs it and requires it)` };
}
