/**
 * The static server of `memweave playground`: node:http serving one directory (the built site,
 * dist/playground) with the two headers that make a page cross-origin isolated, which a
 * SharedArrayBuffer needs (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy:
 * require-corp), a content type for every file it serves, GET and HEAD only, and no way out of
 * its directory: a request path is decoded once, must not hold a NUL, `..` segment or backslash,
 * and the file it names (symbolic links resolved) must lie inside the directory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

/** Content types by file extension; a file with another extension is not served (404). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.mw': 'text/plain; charset=utf-8',
  '.litmus': 'text/plain; charset=utf-8',
};

/** The headers every response carries: cross-origin isolation, and no sniffing or caching surprises. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

/**
 * The path below the served directory that a request's URL path names (`index.html` for `/`),
 * or null when it must not be served: not decodable, a NUL, a backslash, an empty, `.` or `..`
 * segment after decoding, or a segment starting with a dot (hidden files). Pure.
 */
export function requestedFile(urlPath: string): string | null {
  const path = urlPath.split('?')[0]?.split('#')[0] ?? '';
  if (!path.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = decoded === '/' ? 'index.html' : decoded.endsWith('/') ? `${decoded.slice(1)}index.html` : decoded.slice(1);
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.'))) return null;
  return parts.join('/');
}

/** A running server. */
export interface PlaygroundServer {
  /** e.g. http://127.0.0.1:8080/ */
  readonly url: string;
  readonly port: number;
  /** Stop listening and end open connections. */
  close(): Promise<void>;
}

/** Why the server could not start: the port is taken, not permitted, or the host has no such address. */
export interface ListenError {
  readonly code: string;
  readonly message: string;
}

/** ISOLATION_HEADERS without the two that make a page cross-origin isolated: what a host that cannot set them (GitHub Pages) gives, for testing the page's non-isolated path. */
export const NON_ISOLATED_HEADERS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(ISOLATION_HEADERS).filter(([k]) => k !== 'Cross-Origin-Opener-Policy' && k !== 'Cross-Origin-Embedder-Policy'));

function sendWith(res: ServerResponse, status: number, type: string, body: Buffer | string, head: boolean, headers: Readonly<Record<string, string>> = ISOLATION_HEADERS): void {
  res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

async function serve(root: string, req: IncomingMessage, res: ServerResponse, headers: Readonly<Record<string, string>>): Promise<void> {
  const send = (res: ServerResponse, status: number, type: string, body: Buffer | string, head: boolean): void => sendWith(res, status, type, body, head, headers);
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', head);
    return;
  }
  const rel = requestedFile(req.url ?? '/');
  const type = rel === null ? undefined : CONTENT_TYPES[extname(rel).toLowerCase()];
  if (rel === null || type === undefined) {
    send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
    return;
  }
  try {
    const file = await realpath(join(root, ...rel.split('/')));
    // symbolic links are followed only to files inside the served directory
    if (!file.startsWith(root + sep) || !(await stat(file)).isFile()) throw new Error('outside');
    send(res, 200, type, await readFile(file), head);
  } catch {
    send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
  }
}

/**
 * Serve `dir` on host:port (port 0: any free port); the server, or why it could not listen.
 * `isolated: false` leaves out COOP and COEP (NON_ISOLATED_HEADERS), as a host that cannot set
 * headers does: the browser test of the page's path without SharedArrayBuffer uses it.
 */
export async function startPlaygroundServer(dir: string, options: { readonly port: number; readonly host: string; readonly isolated?: boolean }): Promise<{ readonly ok: true; readonly server: PlaygroundServer } | { readonly ok: false; readonly error: ListenError }> {
  const root = await realpath(dir);
  const headers = options.isolated === false ? NON_ISOLATED_HEADERS : ISOLATION_HEADERS;
  const server: Server = createServer((req, res) => {
    serve(root, req, res, headers).catch(() => {
      if (!res.headersSent) sendWith(res, 500, 'text/plain; charset=utf-8', 'internal error\n', false, headers);
      else res.destroy();
    });
  });
  const listening = await new Promise<ListenError | null>((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) => resolve({ code: err.code ?? 'ERROR', message: err.message }));
    server.listen(options.port, options.host, () => resolve(null));
  });
  if (listening !== null) return { ok: false, error: listening };
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    ok: true,
    server: {
      url: `http://${host}:${port}/`,
      port,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    },
  };
}
