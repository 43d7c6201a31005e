/**
 * `memweave playground`'s static server (cli/playground/server.ts, cli/commands/playground.ts):
 * the cross-origin isolation headers on every response, a content type per file, GET/HEAD only,
 * no way out of the served directory (encoded dots, backslashes, NULs, hidden files, a symbolic
 * link to a file outside), U507 when the port is taken, and the command's normal end on a signal.
 * Every server a test starts is closed by it.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestedFile, startPlaygroundServer, type PlaygroundServer } from '../../../cli/playground/server.js';
import { playgroundCommand } from '../../../cli/commands/playground.js';
import { fakeIo } from './fakeIo.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'playground');

/** GET (or another method) of a raw path, unnormalised, as a client may send it. */
function get(port: number, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('requestedFile (pure)', () => {
  it('maps / and directories to index.html and keeps plain paths', () => {
    expect(requestedFile('/')).toBe('index.html');
    expect(requestedFile('/sub/')).toBe('sub/index.html');
    expect(requestedFile('/main.js?x=1#frag')).toBe('main.js');
    expect(requestedFile('/a%20b.css')).toBe('a b.css');
  });

  it('refuses every way out and hidden files', () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/sub/..%2f..%2fsecret.txt', '/..\\secret.txt', '/%5c..%5csecret.txt', '/a%00.html', '/.hidden.txt', '//etc/passwd', '/%E0%A4%A', 'index.html', '/./index.html']) {
      expect(requestedFile(p), p).toBeNull();
    }
  });
});

describe('the server', () => {
  let dir = '';
  let server: PlaygroundServer | null = null;

  beforeAll(async () => {
    // a copy of the fixture site with a symbolic link to a file outside it
    dir = mkdtempSync(join(tmpdir(), 'memweave-playground-'));
    cpSync(FIXTURE, dir, { recursive: true });
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'site', 'link.txt'));
    const s = await startPlaygroundServer(join(dir, 'site'), { port: 0, host: '127.0.0.1' });
    if (!s.ok) throw new Error(s.error.message);
    server = s.server;
  });

  afterAll(async () => {
    await server?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('serves files with their content type and the two isolation headers', async () => {
    const port = server?.port ?? 0;
    const cases: [string, string][] = [
      ['/', 'text/html; charset=utf-8'],
      ['/style.css', 'text/css; charset=utf-8'],
      ['/sub/data.json', 'application/json; charset=utf-8'],
    ];
    for (const [path, type] of cases) {
      const r = await get(port, path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type']).toBe(type);
      expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await get(port, '/')).body).toContain('the playground server test site');
    // errors carry the headers too
    expect((await get(port, '/missing.js')).headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  it('isolated: false leaves out COOP and COEP only (the non-isolated host of the browser test)', async () => {
    const s = await startPlaygroundServer(join(dir, 'site'), { port: 0, host: '127.0.0.1', isolated: false });
    if (!s.ok) throw new Error(s.error.message);
    try {
      for (const path of ['/', '/missing.js']) {
        const r = await get(s.server.port, path);
        expect(r.headers['cross-origin-opener-policy'], path).toBeUndefined();
        expect(r.headers['cross-origin-embedder-policy'], path).toBeUndefined();
        expect(r.headers['cross-origin-resource-policy'], path).toBe('same-origin');
        expect(r.headers['x-content-type-options'], path).toBe('nosniff');
      }
      expect((await get(s.server.port, '/')).body).toContain('the playground server test site');
      // the traversal rules are the same
      expect((await get(s.server.port, '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    } finally {
      await s.server.close();
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const port = server?.port ?? 0;
    const head = await get(port, '/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const post = await get(port, '/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
  });

  it('never serves a file outside its directory, a hidden file or a file of unknown type', async () => {
    const port = server?.port ?? 0;
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt', '/sub/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/link.txt', '/.hidden.txt', '/notes.xyz', '/sub', '/a%00.html']) {
      const r = await get(port, path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('secret');
    }
  });
});

describe('memweave playground', () => {
  it('says U507 and exits 2 when the port is taken', async () => {
    const s = await startPlaygroundServer(join(FIXTURE, 'site'), { port: 0, host: '127.0.0.1' });
    if (!s.ok) throw new Error(s.error.message);
    try {
      const io = fakeIo();
      const code = await playgroundCommand.run(['--dir', join(FIXTURE, 'site'), '--port', String(s.server.port)], io);
      expect(code).toBe(2);
      expect(io.err).toContain(`error[U507]: memweave playground: port ${s.server.port} on 127.0.0.1 is in use (EADDRINUSE)`);
      expect(io.err).not.toMatch(/\n\s+at /);
    } finally {
      await s.server.close();
    }
  });

  it('serves until SIGINT, then stops and exits 0', async () => {
    const io = fakeIo();
    const done = playgroundCommand.run(['--dir', join(FIXTURE, 'site'), '--port', '0'], io);
    for (let i = 0; i < 200 && !io.out.includes('http://'); i++) await new Promise((r) => setTimeout(r, 10));
    const port = Number(/:(\d+)\//.exec(io.out)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect((await get(port, '/')).status).toBe(200);
    expect(io.signals.listening('SIGINT')).toBe(1);
    io.signals.send('SIGINT');
    expect(await done).toBe(0);
    expect(io.err).toContain('stopped by SIGINT');
    expect(io.signals.listening('SIGINT')).toBe(0);
    await expect(get(port, '/')).rejects.toThrow();
  });

  it('refuses a bad port as a usage error', async () => {
    const io = fakeIo();
    expect(await playgroundCommand.run(['--port', '70000'], io)).toBe(2);
    expect(io.err).toContain('error[U505]');
  });
});
