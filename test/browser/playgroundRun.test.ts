/**
 * The playground's Run view (issue 19) in Debian's Chromium through playwright-core: SB runs on
 * real Web Workers (the iteration protocol of impl/protocol.ts, hosted by playground/runDriver.ts)
 * for a small count; the histogram's counts sum to the count and every observed outcome is allowed
 * under tso (this machine is x86); Stop ends a long run, and the page then holds no run worker.
 * A screenshot goes to test-output/playground/run.png (not committed).
 *
 * The site must be built first (`npm run build`). Chromium: skipped when missing, as in
 * playground.test.ts, except under MEMWEAVE_REQUIRE_TOOLS=1.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlaygroundServer, type PlaygroundServer } from '../../cli/playground/server.js';
import { playgroundDir } from '../../cli/commands/playground.js';
import { toolGate } from '../support/tools.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-output', 'playground');
const CHROMIUM = process.env['MEMWEAVE_CHROMIUM'] ?? '/usr/bin/chromium';
const GATE = toolGate('Chromium', existsSync(CHROMIUM), 'MEMWEAVE_SKIP_BROWSER');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** A guard only: each wait is for the page's own state, which a bounded count of iterations reaches. */
const WAIT = { timeout: 60_000 };

async function openSb(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready=true]', WAIT);
  await page.locator('#summary', { hasText: /^test / }).waitFor(WAIT);
  expect(await page.inputValue('#source')).toContain('test SB');
  return { page, problems };
}

describe.skipIf(GATE.skip)(`playground Run view in Chromium${GATE.note}`, () => {
  let browser: Browser | null = null;
  let server: PlaygroundServer | null = null;

  beforeAll(async () => {
    const dir = playgroundDir();
    if (dir === null) throw new Error('the playground is not built (no dist/playground/index.html): run npm run build');
    mkdirSync(SHOTS, { recursive: true });
    const s = await startPlaygroundServer(dir, { port: 0, host: '127.0.0.1' });
    if (!s.ok) throw new Error(s.error.message);
    server = s.server;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 60_000);

  // closing the browser ends every Web Worker of its pages, whatever a test left
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs SB on Web Workers: the counts sum to the count, every outcome is allowed under tso', async () => {
    if (browser === null) throw new Error('no browser');
    const { page, problems } = await openSb(browser, server?.url ?? '');
    await page.selectOption('#model', 'tso');
    await page.fill('#run-iterations', '2000');
    // no check yet: Run checks first, then runs
    await page.click('#run');
    await page.locator('#run-status', { hasText: /^ran 2000 iterations/ }).waitFor(WAIT);
    const rows = await page.$$eval('#histogram tbody tr', (trs) => trs.map((tr) => ({ count: Number(tr.getAttribute('data-count')), allowed: tr.getAttribute('data-allowed') })));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.reduce((a, r) => a + r.count, 0)).toBe(2000);
    expect(rows.every((r) => r.allowed === 'true')).toBe(true);
    expect(await page.textContent('#run-conformance')).toMatch(/conform tso: CONSISTENT/);
    expect(await page.getAttribute('body', 'data-run-workers')).toBe('0');
    await page.screenshot({ path: join(SHOTS, 'run.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('Stop ends a long run and leaves no run worker', async () => {
    if (browser === null) throw new Error('no browser');
    const { page, problems } = await openSb(browser, server?.url ?? '');
    await page.selectOption('#model', 'tso');
    await page.fill('#run-iterations', '1000000');
    await page.click('#run');
    await page.locator('body[data-running=true]').waitFor(WAIT);
    await page.locator('#run-count', { hasText: /iterations counted/ }).waitFor(WAIT);
    await page.click('#run-stop');
    await page.locator('body[data-running=false]').waitFor(WAIT);
    expect(await page.textContent('#run-status')).toMatch(/^run stopped after \d+ iterations/);
    const counted = Number(/(\d+)/.exec((await page.textContent('#run-count')) ?? '')?.[1]);
    expect(counted).toBeLessThan(1_000_000);
    expect(await page.getAttribute('body', 'data-run-workers')).toBe('0');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
