/**
 * The shared visited table under real threads: several worker_threads insert overlapping sets of
 * states into one table at once; afterwards every state is stored exactly once (no state lost,
 * none stored twice), the new-insert counts of the workers add up to the distinct states, and
 * every worker got the same record for the same state. Workers load the compiled table from
 * dist/ (build first: `npx tsc -b`, as test/stress/README.md says). Bounded by work; a watchdog
 * fails the test (never hangs it) and every worker is ended in `finally`.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { capacityFor, createSharedVisitedBuffer, SharedVisited } from '../../checker/sharedVisited.js';

const DIST = fileURLToPath(new URL('../../dist/checker/sharedVisited.js', import.meta.url));
const L = 4;
/** states per worker; worker w inserts keys [w*STEP, w*STEP + PER) in its own order: neighbours overlap by PER - STEP */
const PER = 60_000;
const STEP = 20_000;

let live = 0;
afterEach(() => expect(live).toBe(0));

/** The state of key k: words that differ in more than the first, so hashes collide as they will. */
function fill(s: Int32Array, k: number): void {
  s[0] = k & 0xff;
  s[1] = k >>> 8;
  s[2] = (k * 7) & 3;
  s[3] = k % 5;
}

// the body each worker runs (JavaScript: workers cannot load the .ts sources)
const BODY = `
  const { workerData, parentPort } = require('node:worker_threads');
  import(${JSON.stringify(pathToFileURL(DIST).href)}).then((T) => {
    const { buffer, capacity, L, from, count, stride } = workerData;
    const t = new T.SharedVisited(buffer, capacity, L);
    const s = new Int32Array(L);
    const records = new Int32Array(count);
    let fresh = 0;
    for (let i = 0; i < count; i++) {
      // a stride walk through the range: workers meet on shared keys in different orders
      const k = from + ((i * stride) % count);
      s[0] = k & 0xff; s[1] = k >>> 8; s[2] = (k * 7) & 3; s[3] = k % 5;
      const r = t.insert(s, 0, k, k);
      if (r < 0) throw new Error('table full');
      if (t.lastInserted) fresh++;
      records[(i * stride) % count] = r;
    }
    parentPort.postMessage({ ok: true, fresh, records });
  }).catch((e) => parentPort.postMessage({ ok: false, error: String(e && e.stack || e) }));
`;

async function insertInParallel(workers: number): Promise<{ table: SharedVisited; fresh: number[]; records: Int32Array[] }> {
  const capacity = capacityFor(64 * 1024 * 1024, L);
  const buffer = createSharedVisitedBuffer(capacity, L);
  if (buffer === null) throw new Error('no buffer');
  const started: Worker[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const answers = Array.from({ length: workers }, (_, w) => {
      const worker = new Worker(BODY, { eval: true, workerData: { buffer, capacity, L, from: w * STEP, count: PER, stride: [1, 7919, 104729, 15485863][w % 4] } });
      started.push(worker);
      live++;
      worker.once('exit', () => live--);
      return new Promise<{ fresh: number; records: Int32Array }>((resolve, reject) => {
        worker.once('message', (m: { ok: boolean; fresh: number; records: Int32Array; error?: string }) => (m.ok ? resolve(m) : reject(new Error(m.error))));
        worker.once('error', reject);
      });
    });
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('watchdog: inserting workers still running after 60 s (a writer that never published?)')), 60_000);
    });
    const done = await Promise.race([Promise.all(answers), watchdog]);
    return { table: new SharedVisited(buffer, capacity, L), fresh: done.map((d) => d.fresh), records: done.map((d) => d.records) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    await Promise.all(started.map((w) => w.terminate()));
  }
}

describe('shared visited table under worker_threads', () => {
  it.each([2, 4])('%i workers inserting overlapping states: each stored exactly once', async (workers) => {
    expect(existsSync(DIST), 'build first: npx tsc -b').toBe(true);
    const { table, fresh, records } = await insertInParallel(workers);
    const distinct = (workers - 1) * STEP + PER;
    // exact counts: the records claimed, and the inserts that answered "new"
    expect(table.count).toBe(distinct);
    expect(fresh.reduce((a, b) => a + b, 0)).toBe(distinct);
    // none stored twice: every record holds a different state, and it is the key's state
    const seen = new Set<number>();
    const s = new Int32Array(L);
    const want = new Int32Array(L);
    for (let r = 0; r < table.count; r++) {
      table.load(r, s, 0);
      const k = s[0]! | (s[1]! << 8);
      fill(want, k);
      expect([...s]).toEqual([...want]);
      expect(seen.has(k)).toBe(false);
      seen.add(k);
      // the writer that won wrote its own parent and transition (both the key)
      expect(table.parent(r)).toBe(k);
    }
    // no state lost: every key is stored, and every worker got its record
    for (let k = 0; k < distinct; k++) {
      fill(s, k);
      const r = table.find(s, 0);
      expect(r).toBeGreaterThanOrEqual(0);
      const w = Math.min(workers - 1, Math.floor(k / STEP));
      expect(records[w]![k - w * STEP]).toBe(r);
    }
  });
});
