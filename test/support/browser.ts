/**
 * The shared setup of the browser tests (test/browser/): Debian's Chromium through playwright-core,
 * the playground served by `memweave playground`'s own server (cross-origin isolated, or without
 * COOP/COEP as a host that cannot set headers serves it), a page that records console errors,
 * page errors, dialogs and requests off its origin, and screenshots kept as test artefacts in
 * test-output/playground/ (not committed).
 *
 * Chromium: /usr/bin/chromium (or MEMWEAVE_CHROMIUM); the tests skip, saying so, when it is
 * missing, except under MEMWEAVE_REQUIRE_TOOLS=1 (test/support/tools.ts).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startPlaygroundServer, type PlaygroundServer } from '../../cli/playground/server.js';
import { playgroundDir } from '../../cli/commands/playground.js';
import { toolGate } from './tools.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Where screenshots go (a test artefact, not committed). */
export const SHOTS = join(ROOT, 'test-output', 'playground');
/** The Chromium the tests drive. */
export const CHROMIUM = process.env['MEMWEAVE_CHROMIUM'] ?? '/usr/bin/chromium';
/** Skip (saying why) when Chromium is missing, unless tools are required. */
export const BROWSER_GATE = toolGate('Chromium', existsSync(CHROMIUM), 'MEMWEAVE_SKIP_BROWSER');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launch Chromium (closing it ends every page and Web Worker it has). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set MEMWEAVE_SKIP_BROWSER=1 to skip this test`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Serve a directory (default: the built playground) on a free port, with the isolation headers or (isolated: false) without COOP/COEP. */
export async function serveSite(options: { readonly dir?: string; readonly isolated?: boolean } = {}): Promise<PlaygroundServer> {
  const dir = options.dir ?? playgroundDir();
  if (dir === null) throw new Error('the playground is not built (no dist/playground/index.html): run npm run build');
  const s = await startPlaygroundServer(dir, { port: 0, host: '127.0.0.1', isolated: options.isolated ?? true });
  if (!s.ok) throw new Error(s.error.message);
  return s.server;
}

/** A browser and a server, started together and ended together (afterAll). */
export interface BrowserFixture {
  readonly browser: Browser;
  readonly server: PlaygroundServer;
  close(): Promise<void>;
}

/** Launch Chromium and serve the playground (or `dir`); `close` ends both. */
export async function startFixture(options: { readonly dir?: string; readonly isolated?: boolean } = {}): Promise<BrowserFixture> {
  mkdirSync(SHOTS, { recursive: true });
  const server = await serveSite(options);
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await server.close();
    throw err;
  }
  return {
    browser,
    server,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A page and what went wrong on it: console errors, page errors, dialogs, requests off its origin. */
export interface WatchedPage {
  readonly page: Page;
  readonly problems: string[];
}

/**
 * Open `url` in a new page that records problems. `origin`: requests elsewhere are problems
 * (data: and blob: URLs are the page's own); `readySelector`: wait for it after load.
 */
export async function openPage(browser: Browser, url: string, options: { readonly origin: string; readonly readySelector?: string; readonly viewport?: { width: number; height: number }; readonly timeout?: number }): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(options.origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`network request: ${u}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  if (options.readySelector !== undefined) await page.waitForSelector(options.readySelector, { timeout: options.timeout ?? 30_000 });
  return { page, problems };
}

/** Open the playground served at `server` (optionally with a fragment or path) and wait until it is ready. */
export function openPlayground(browser: Browser, server: PlaygroundServer, options: { readonly suffix?: string; readonly viewport?: { width: number; height: number } } = {}): Promise<WatchedPage> {
  return openPage(browser, `${server.url}${options.suffix ?? ''}`, { origin: server.url.replace(/\/$/, ''), readySelector: 'body[data-ready=true]', ...(options.viewport !== undefined ? { viewport: options.viewport } : {}) });
}

/** Keep a screenshot of the page as a test artefact (test-output/playground/NAME.png). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}
