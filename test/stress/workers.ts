/**
 * Stress-test plumbing: run a JS worker body on real worker_threads with a watchdog, and keep
 * track of every worker started so a test can assert none is left running (see README.md).
 *
 * Worker bodies are JavaScript source strings started with `eval: true`; they import the library
 * from the compiled `dist/impl/sync/index.js` (built by `npm test` → `npm run build` before
 * vitest) through an absolute file URL, because a worker cannot load the .ts sources vitest runs.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Absolute path of the compiled library the workers import. */
export const SYNC_DIST = fileURLToPath(new URL('../../dist/impl/sync/index.js', import.meta.url));

/** Whether the compiled library exists (run `npm run build` first). */
export function distBuilt(): boolean {
  return existsSync(SYNC_DIST);
}

const live = new Set<Worker>();

/** Workers started by runWorkers that have not exited yet (the leak check). */
export function liveWorkers(): number {
  return live.size;
}

/** What one worker reports back. */
export type WorkerReport = Record<string, number>;

/**
 * Start one worker per entry of `datas`, each running `body` — the source of an async function
 * `(S, d) => report` where S is the library module and d the entry (SharedArrayBuffers are
 * shared, not copied) — and resolve with the reports in order. Rejects if a worker throws, exits
 * early, or the watchdog fires after `timeoutMs`; every worker is terminated before it returns.
 */
export async function runWorkers(body: string, datas: readonly unknown[], timeoutMs: number): Promise<WorkerReport[]> {
  const url = pathToFileURL(SYNC_DIST).href;
  const source = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(${JSON.stringify(url)})
      .then(async (S) => { const f = (${body}); parentPort.postMessage({ ok: true, report: await f(S, workerData) }); })
      .catch((e) => parentPort.postMessage({ ok: false, error: String(e && e.stack || e) }));
  `;
  const workers: Worker[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const results = datas.map((d) => {
      const w = new Worker(source, { eval: true, workerData: d });
      workers.push(w);
      live.add(w);
      w.once('exit', () => live.delete(w));
      return new Promise<WorkerReport>((resolve, reject) => {
        w.once('message', (m: { ok: boolean; report?: WorkerReport; error?: string }) => {
          if (m.ok && m.report !== undefined) resolve(m.report);
          else reject(new Error(`worker failed: ${m.error ?? 'no report'}`));
        });
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`worker exited (code ${code}) before reporting`)));
      });
    });
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`watchdog: workers still running after ${timeoutMs} ms (deadlock or lost wakeup?)`)), timeoutMs);
    });
    return await Promise.race([Promise.all(results), watchdog]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
