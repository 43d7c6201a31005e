/**
 * The playground (dist/playground, served by `memweave playground`'s server on port 0) in Debian's
 * Chromium driven by playwright-core: the page loads cross-origin isolated with no console error,
 * checks SB under sc and under tso and shows both verdicts, draws an outcome's execution graph and
 * steps through it, steps a real counterexample (a deadlock), shows diagnostics as you type with
 * the span marked, reloads a shared link with the program in it (and refuses one too long), stops
 * a long check with Stop, and runs none of a hostile program's strings. A screenshot of each view
 * goes to test-output/playground/ (not committed).
 *
 * The site must be built first (`npm run build`, which `npm test` runs). Chromium: as the report's
 * browser test (test/support/tools.ts): skipped when missing, except under MEMWEAVE_REQUIRE_TOOLS=1.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlaygroundServer, type PlaygroundServer } from '../../cli/playground/server.js';
import { playgroundDir } from '../../cli/commands/playground.js';
import { encodeShare, MAX_SHARE_BYTES } from '../../playground/share.js';
import { toolGate } from '../support/tools.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-output', 'playground');
const CHROMIUM = process.env['MEMWEAVE_CHROMIUM'] ?? '/usr/bin/chromium';
const GATE = toolGate('Chromium', existsSync(CHROMIUM), 'MEMWEAVE_SKIP_BROWSER');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Generous limits on one check or execution in the page (they are bounded by work: SB takes milliseconds). */
const WAIT = { timeout: 30_000 };

const EVIL = [
  'test "<img src=x onerror=alert(1)>" "</p><script>alert(2)</script>"',
  'source "\\"><svg onload=alert(3)>"',
  'shared x = 0;',
  'thread P0 { store.plain(x, 1); assert(load.plain(x) == 2, "</script><script>alert(4)</script>"); }',
  'forall (x = 1)',
  '',
].join('\n');

/** Open a page and collect console errors, page errors, dialogs and requests off the server. */
async function open(browser: Browser, url: string, origin: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) problems.push(`network request: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready=true]', WAIT);
  return { page, problems };
}

/** Wait until the page is idle (the Check button enabled again) and give the status line. */
async function idle(page: Page): Promise<string> {
  await page.locator('#check:enabled').waitFor(WAIT);
  return (await page.textContent('#status')) ?? '';
}

async function pick(page: Page, file: string): Promise<void> {
  const value = await page.locator(`#catalogue option[data-file="${file}"]`).getAttribute('value');
  expect(value, file).not.toBeNull();
  await page.selectOption('#catalogue', value ?? '');
  await page.locator('#summary', { hasText: /^test / }).waitFor(WAIT);
}

async function check(page: Page, model: string): Promise<void> {
  await page.selectOption('#model', model);
  await page.click('#check');
  await idle(page);
}

describe.skipIf(GATE.skip)(`playground in Chromium${GATE.note}`, () => {
  let browser: Browser | null = null;
  let server: PlaygroundServer | null = null;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set MEMWEAVE_SKIP_BROWSER=1 to skip this test`);
    const dir = playgroundDir();
    if (dir === null) throw new Error('the playground is not built (no dist/playground/index.html): run npm run build');
    mkdirSync(SHOTS, { recursive: true });
    const s = await startPlaygroundServer(dir, { port: 0, host: '127.0.0.1' });
    if (!s.ok) throw new Error(s.error.message);
    server = s.server;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const url = (): string => server?.url ?? '';
  const origin = (): string => url().replace(/\/$/, '');

  it('loads cross-origin isolated with no console error and checks SB under sc and under tso', async () => {
    if (browser === null) throw new Error('no browser');
    const { page, problems } = await open(browser, url(), origin());
    expect(await page.evaluate(() => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated)).toBe(true);
    await pick(page, 'litmus/SB.mw');
    expect(await page.inputValue('#source')).toContain('test SB');
    await check(page, 'sc');
    expect(await page.textContent('#verdicts tr[data-model="sc"] td.verdict')).toBe('Forbidden');
    expect(await page.locator('#verdicts tbody tr').count()).toBe(1);
    await check(page, 'tso');
    expect(await page.textContent('#verdicts tr[data-model="tso"] td.verdict')).toBe('Allowed');
    await check(page, 'all');
    expect(await page.textContent('#verdicts tr[data-model="sc"] td.verdict')).toBe('Forbidden');
    expect(await page.textContent('#verdicts tr[data-model="tso"] td.verdict')).toBe('Allowed');
    expect(await page.locator('#verdicts tbody tr').count()).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: join(SHOTS, 'check.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws the execution of the outcome sc forbids and steps through its states', async () => {
    if (browser === null) throw new Error('no browser');
    const { page, problems } = await open(browser, url(), origin());
    await pick(page, 'litmus/SB.mw');
    await check(page, 'tso');
    await page.click('.model-outcomes[data-model="tso"] li.witness button.show-outcome');
    await idle(page);
    expect(await page.textContent('#exec-title')).toBe('An execution reaching P0:r0=0; P1:r0=0; under tso');
    expect(await page.locator('#graph svg').count()).toBe(1);
    expect(await page.textContent('#graph svg')).toContain('cycle (forbidden under sc)');
    const counter = page.locator('#step-counter');
    expect(await counter.textContent()).toBe('step 0 / 6 (initial state)');
    expect(await page.locator('#step-prev').isDisabled()).toBe(true);
    await page.click('#step-next');
    expect(await counter.textContent()).toBe('step 1 / 6');
    expect(await page.textContent('#step-text')).toBe('P0: store.plain(x, 1)  →  write x = 1 (buffered)');
    expect(await page.textContent('#step-buffers')).toContain('P0 [x=1]');
    await page.click('#step-last');
    expect(await counter.textContent()).toBe('step 6 / 6');
    expect(await page.locator('#step-next').isDisabled()).toBe(true);
    const state = await page.locator('#state-body').innerText();
    expect(state).toMatch(/P0:r0\s+0/);
    expect(state).toMatch(/P1:r0\s+0/);
    await page.click('#step-prev');
    expect(await counter.textContent()).toBe('step 5 / 6');
    await page.screenshot({ path: join(SHOTS, 'execution.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('steps through a counterexample: the deadlock of two flags', async () => {
    if (browser === null) throw new Error('no browser');
    const { page, problems } = await open(browser, url(), origin());
    await pick(page, 'broken/two_flag_deadlock.mw');
    await check(page, 'sc');
    expect(await page.textContent('#verdicts tr[data-model="sc"] td.result')).toMatch(/^fail/);
    await page.click('.model-outcomes[data-model="sc"] button.show-violation');
    await idle(page);
    expect(await page.textContent('#exec-title')).toMatch(/^Counterexample \(deadlock\) under sc/);
    const total = Number(/\/ (\d+)/.exec((await page.textContent('#step-counter')) ?? '')?.[1]);
    expect(total).toBeGreaterThan(0);
    for (let i = 1; i <= total; i++) {
      await page.click('#step-next');
      expect(await page.textContent('#step-counter')).toBe(`step ${i} / ${total}`);
    }
    expect(await page.locator('#step-next').isDisabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'counterexample.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows diagnostics as you type, with the span marked', async () => {
    if (browser === null) throw new Error('no browser');
    const { page, problems } = await open(browser, url(), origin());
    await page.fill('#source', 'test T\nshared x = 0;\nthread P0 { store.plain(y, 1); }\n');
    await page.waitForSelector('#diagnostics li', WAIT);
    const first = (await page.textContent('#diagnostics li')) ?? '';
    expect(first).toMatch(/^error\[N201\] 3:25 /);
    expect(await page.textContent('#backdrop mark')).toBe('y');
    expect(await page.locator('#gutter div.err').innerText()).toBe('3');
    await page.screenshot({ path: join(SHOTS, 'diagnostics.png') });
    // fixed: no diagnostics left
    await page.fill('#source', 'test T\nshared x = 0;\nthread P0 { store.plain(x, 1); }\n');
    await page.locator('#summary', { hasText: /^test T/ }).waitFor(WAIT);
    expect(await page.locator('#diagnostics li').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reloads a shared link with its program, and makes none for a program over the limit', async () => {
    if (browser === null) throw new Error('no browser');
    const { page, problems } = await open(browser, url(), origin());
    await pick(page, 'litmus/MP.mw');
    const text = await page.inputValue('#source');
    await page.click('#share');
    const link = page.url();
    expect(link).toMatch(/#name=MP\.mw&src=[A-Za-z0-9_-]+$/);
    const { page: again, problems: more } = await open(browser, link, origin());
    expect(await again.inputValue('#source')).toBe(text);
    expect(await again.inputValue('#file-name')).toBe('MP.mw');
    await again.screenshot({ path: join(SHOTS, 'shared.png') });
    await again.close();
    await page.fill('#source', `// ${'x'.repeat(MAX_SHARE_BYTES)}\n`);
    await page.click('#share');
    expect(await page.textContent('#share-status')).toMatch(/a link holds at most 16384/);
    expect([...problems, ...more]).toEqual([]);
    await page.close();
  });

  it('stops a long check with Stop and stays responsive', async () => {
    if (browser === null) throw new Error('no browser');
    const { page, problems } = await open(browser, url(), origin());
    await pick(page, 'graph/indexer.mw');
    await page.selectOption('#model', 'sc');
    await page.click('#check');
    await page.locator('#status', { hasText: 'states' }).waitFor(WAIT);
    // the page answers while the worker searches
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    await page.click('#stop');
    expect(await idle(page)).toMatch(/^stopped/);
    expect(await page.locator('#verdicts tbody tr').count()).toBe(0);
    // a new check after the stop runs in a new worker
    await pick(page, 'litmus/SB.mw');
    await check(page, 'sc');
    expect(await page.textContent('#verdicts tr[data-model="sc"] td.verdict')).toBe('Forbidden');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('rebuilds a hostile SVG from its allow-list: no script, handler, link or foreign object survives', async () => {
    if (browser === null) throw new Error('no browser');
    // a page of its own that imports the sanitiser (tsc's output) and shows what it makes of a hostile SVG
    const dir = mkdtempSync(join(tmpdir(), 'memweave-svg-'));
    const s = await startPlaygroundServer(dir, { port: 0, host: '127.0.0.1' });
    if (!s.ok) throw new Error(s.error.message);
    try {
      copyFileSync(join(ROOT, 'dist', 'playground-js', 'svg.js'), join(dir, 'svg.js'));
      const hostile = [
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50" onload="alert(1)">',
        '<script>alert(2)</script><g id="graph0" onclick="alert(3)"><title>&lt;img src=x onerror=alert(4)&gt;</title>',
        '<a xlink:href="javascript:alert(5)" href="javascript:alert(6)"><text x="1" y="20" fill="#000">kept</text></a>',
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(7)"/></div></foreignObject>',
        '<image href="x" onerror="alert(8)"/><animate attributeName="href" to="javascript:alert(9)"/><set attributeName="onload" to="alert(10)"/>',
        '<polygon points="0,0 1,1" style="background:url(javascript:alert(11))" fill="red"/></g></svg>',
      ].join('');
      writeFileSync(join(dir, 'hostile.txt'), hostile);
      writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><div id="out"></div><script type="module" src="page.js"></script>');
      writeFileSync(
        join(dir, 'page.js'),
        "import { sanitizeSvg } from './svg.js';\nconst text = await (await fetch('hostile.txt')).text();\nconst svg = sanitizeSvg(text);\nif (svg) document.getElementById('out').append(svg);\ndocument.body.dataset.ready = 'true';\n",
      );
      const { page, problems } = await open(browser, s.server.url, s.server.url.replace(/\/$/, ''));
      const out = page.locator('#out');
      expect(await out.locator('svg').count()).toBe(1);
      expect(await out.locator('text').textContent()).toBe('kept');
      expect(await out.locator('title').textContent()).toBe('<img src=x onerror=alert(4)>');
      // the title's text may say anything (it is text); everything else is markup
      const html = (await out.innerHTML()).replace(/<title>[^<]*<\/title>/, '<title></title>');
      for (const bad of ['script', 'onload', 'onclick', 'onerror', 'javascript:', 'foreignObject', '<img', '<image', '<a ', 'animate', '<set', 'style=']) expect(html, bad).not.toContain(bad);
      await out.locator('text').click();
      await page.waitForTimeout(100);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await s.server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs none of the hostile strings of a shared program', async () => {
    if (browser === null) throw new Error('no browser');
    const share = encodeShare('evil.mw', EVIL);
    if (!share.ok) throw new Error(share.error);
    const { page, problems } = await open(browser, `${url()}#${share.fragment}`, origin());
    await page.locator('#summary', { hasText: /^test / }).waitFor(WAIT);
    expect(await page.textContent('#summary')).toContain('test <img src=x onerror=alert(1)>');
    await check(page, 'all');
    await page.click('.model-outcomes[data-model="sc"] button.show-violation');
    await idle(page);
    await page.click('#step-last');
    expect(await page.locator('#outcomes img, #graph img, #graph foreignObject, script:not([src])').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'hostile.png'), fullPage: true });
    await page.waitForTimeout(100);
    expect(problems).toEqual([]);
    await page.close();
  });
});
