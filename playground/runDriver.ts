/**
 * The browser host of the harness's iteration protocol (impl/protocol.ts): one Web Worker per
 * program thread, each loaded from a Blob URL whose text is impl/workerSource.ts's fixed command
 * loop plus the thread code that impl/compile.ts generates from validated IR only (nothing else
 * from the program reaches it). The batch loop, the buffers, the rendezvous, the watchdog and the
 * outcome decoding are the Node harness's own (`runOnHost`); only the starting of threads differs.
 *
 * Needs a cross-origin isolated page (`crossOriginIsolated`): without it there is no
 * SharedArrayBuffer, and `runUnavailable` says why.
 */
import type { IrProgram } from '../model/ir.js';
import { liveWorkers, runOnHost, type RunOptions, type RunResult, type ThreadHost } from '../impl/protocol.js';
import { browserWorkerSource } from '../impl/workerSource.js';

/** Why `run` cannot work in this page, or null when it can. */
export function runUnavailable(): string | null {
  if (typeof SharedArrayBuffer === 'undefined' || globalThis.crossOriginIsolated !== true) {
    return 'run needs a cross-origin isolated page (Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), which this host does not send: without it the browser gives no SharedArrayBuffer. `memweave playground` sends both.';
  }
  if (typeof Atomics.waitAsync !== 'function') return 'run needs Atomics.waitAsync, which this browser lacks';
  return null;
}

/** The Web Worker host: a Blob URL per gang (the same text for each of its workers), revoked when the last worker ends. */
export function webWorkerHost(): ThreadHost {
  let url: string | null = null;
  let sources: readonly string[] | null = null;
  let users = 0;
  return {
    cores: Math.max(1, navigator.hardwareConcurrency || 1),
    start(_thread, name, init, events) {
      if (url === null || sources !== init.sources) {
        sources = init.sources;
        url = URL.createObjectURL(new Blob([browserWorkerSource(init.sources)], { type: 'text/javascript' }));
      }
      const own = url;
      users++;
      const w = new Worker(own, { name });
      w.onerror = (e) => {
        e.preventDefault();
        events.failed(e.message);
      };
      w.postMessage(init);
      return {
        terminate: () => {
          w.terminate();
          if (--users === 0) URL.revokeObjectURL(own);
          return Promise.resolve(0);
        },
      };
    },
    hold: () => () => undefined,
  };
}

/** Run a program on Web Workers (every worker is ended when the run ends, stopped or not). */
export function runInBrowser(program: IrProgram, options: RunOptions): Promise<RunResult> {
  return runOnHost(webWorkerHost(), program, options);
}

/** Web Workers of runs still alive (0 once every run has ended). */
export function liveRunWorkers(): number {
  return liveWorkers();
}
