// Preloaded with `node --import` by test/unit/limits/rssBudget.test.ts: at exit, write the
// process's peak resident set size (getrusage's maxrss, in KiB) to the file named by
// MEMWEAVE_TEST_RSS_FILE. A test-only knob: memweave itself never reads it.
import { writeFileSync } from 'node:fs';

const file = process.env.MEMWEAVE_TEST_RSS_FILE;
if (file !== undefined && file !== '') {
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
}
