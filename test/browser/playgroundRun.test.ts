/**
 * The playground's Run view (issue 19) in Debian's Chromium through playwright-core: SB runs on
 * real Web Workers (the iteration protocol of impl/protocol.ts, hosted by playground/runDriver.ts);
 * the histogram's counts sum to the count and every observed outcome is allowed under tso (this
 * machine is x86); the histogram is live — it is redrawn after each batch the harness finishes,
 * seen at least twice before the run ends, with conform's line only at the end; Stop ends a long
 * run and the page then holds no run worker; the run's time limit stops it with what was seen.
 * Screenshots go to test-output/playground/ (not committed).
 *
 * Every wait is for the page's own state, which a bounded count of iterations reaches; the
 * live-histogram check records every redraw with a MutationObserver (no polling race).
 * The site must be built first (`npm run build`). Chromium: skipped when missing, as in
 * playground.test.ts, except under MEMWEAVE_REQUIRE_TOOLS=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_GATE, openPlayground, screenshot, startFixture, type BrowserFixture, type WatchedPage } from '../support/browser.js';

/** A guard only: each wait is for the page's own state, which a bounded count of iterations reaches. */
const WAIT = { timeout: 90_000 };

describe.skipIf(BROWSER_GATE.skip)(`playground Run view in Chromium${BROWSER_GATE.note}`, () => {
  let fx: BrowserFixture | null = null;

  beforeAll(async () => {
    fx = await startFixture();
  }, 60_000);

  // closing the browser ends every Web Worker of its pages, whatever a test left
  afterAll(async () => {
    await fx?.close();
  });

  async function openSb(): Promise<WatchedPage> {
    if (fx === null) throw new Error('no browser');
    const w = await openPlayground(fx.browser, fx.server, { viewport: { width: 1280, height: 1200 } });
    await w.page.locator('#summary', { hasText: /^test / }).waitFor(WAIT);
    expect(await w.page.inputValue('#source')).toContain('test SB');
    expect(await w.page.getAttribute('body', 'data-isolated')).toBe('true');
    return w;
  }

  it('runs SB on Web Workers: the counts sum to the count, every outcome is allowed under tso', async () => {
    const { page, problems } = await openSb();
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
    expect(await page.getAttribute('body', 'data-run-stop')).toBe('done');
    await screenshot(page, 'run');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('the histogram is live: redrawn after each batch while the run goes on, conform\'s line at the end', async () => {
    const { page, problems } = await openSb();
    await page.selectOption('#model', 'tso');
    // check first, so that the run starts at once
    await page.click('#check');
    await page.locator('#check:enabled').waitFor(WAIT);
    await page.fill('#run-iterations', '200000');
    // record every redraw of the count line, with the state of the page at that moment
    await page.evaluate(
      "window.__redraws = []; new MutationObserver(() => window.__redraws.push({ count: document.getElementById('run-count').textContent, running: document.body.dataset.running, conform: document.getElementById('run-conformance').textContent, rows: document.querySelectorAll('#histogram tbody tr').length })).observe(document.getElementById('run-count'), { childList: true, characterData: true, subtree: true })",
    );
    await page.click('#run');
    await page.locator('body[data-running=true]').waitFor(WAIT);
    await page.locator('body:not([data-run-updates="0"])').waitFor(WAIT);
    await screenshot(page, 'run-live');
    await page.locator('#run-status', { hasText: /^ran 200000 iterations/ }).waitFor(WAIT);
    const redraws = (await page.evaluate('window.__redraws')) as { count: string; running: string; conform: string; rows: number }[];
    // 200,000 iterations are 20 batches of 10,000: a redraw after each, during the run, before the end
    const live = redraws.filter((r) => r.running === 'true' && r.count !== '' && !r.count.startsWith('200000 '));
    const counts = [...new Set(live.map((r) => Number(/^(\d+) of 200000 iterations counted$/.exec(r.count)?.[1])))];
    expect(counts.length).toBeGreaterThanOrEqual(2);
    expect(counts.every((n) => n > 0 && n < 200_000)).toBe(true);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    // while the run goes on there are rows already, and no conform verdict yet
    expect(live.every((r) => r.rows > 0 && r.conform === 'conform: when the run ends')).toBe(true);
    expect(Number(await page.getAttribute('body', 'data-run-updates'))).toBeGreaterThanOrEqual(3);
    const rows = await page.$$eval('#histogram tbody tr', (trs) => trs.map((tr) => Number(tr.getAttribute('data-count'))));
    expect(rows.reduce((a, b) => a + b, 0)).toBe(200_000);
    expect(await page.textContent('#run-conformance')).toMatch(/^conform tso: CONSISTENT/);
    expect(await page.getAttribute('body', 'data-run-workers')).toBe('0');
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it('Stop ends a long run and leaves no run worker', async () => {
    const { page, problems } = await openSb();
    await page.selectOption('#model', 'tso');
    await page.fill('#run-iterations', '1000000');
    await page.click('#run');
    await page.locator('body[data-running=true]').waitFor(WAIT);
    // stop once the histogram has been drawn at least once (the run is under way on its workers)
    await page.locator('#run-count', { hasText: /iterations counted/ }).waitFor(WAIT);
    // the browser's own list of the page's workers (not the page's count): SB's two threads run on Blob URL workers
    const runWorkers = (): number => page.workers().filter((w) => w.url().startsWith('blob:')).length;
    expect(runWorkers()).toBe(2);
    await page.click('#run-stop');
    await page.locator('body[data-running=false]').waitFor(WAIT);
    // terminated workers leave the browser's list once Chromium reports them closed
    await expect.poll(runWorkers, WAIT).toBe(0);
    expect(await page.textContent('#run-status')).toMatch(/^run stopped after \d+ of 1000000 iterations/);
    expect(await page.getAttribute('body', 'data-run-stop')).toBe('aborted');
    // as memweave conform after an interrupt: the partial histogram gives no verdict
    expect(await page.textContent('#run-conformance')).toMatch(/^conform: interrupted after \d+ iterations: no verdict$/);
    const counted = Number(/(\d+)/.exec((await page.textContent('#run-count')) ?? '')?.[1]);
    expect(counted).toBeLessThan(1_000_000);
    expect(await page.getAttribute('body', 'data-run-workers')).toBe('0');
    expect(await page.locator('#run:enabled').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('held against an inconclusive check, the run says its comparison proves nothing and forbids nothing', async () => {
    const { page, problems } = await openSb();
    await page.selectOption('#model', 'tso');
    await page.fill('#check-max-states', '3');
    await page.click('#check');
    await page.locator('#check:enabled').waitFor(WAIT);
    expect(await page.textContent('#verdicts tr[data-model="tso"] td.result')).toBe('inconclusive (states)');
    await page.fill('#run-iterations', '2000');
    await page.click('#run');
    await page.locator('#run-status', { hasText: /^ran 2000 iterations/ }).waitFor(WAIT);
    const rows = await page.$$eval('#histogram tbody tr', (trs) => trs.map((tr) => ({ cls: tr.getAttribute('class'), under: tr.lastElementChild?.textContent ?? '' })));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.under).not.toMatch(/FORBIDDEN/);
      if (r.cls !== 'allowed') expect(r.under).toBe('not found by the inconclusive check under tso');
    }
    expect(rows.some((r) => r.cls === 'unknown')).toBe(true);
    expect(await page.textContent('#run-conformance')).toMatch(/^the check under tso was inconclusive \(the state budget ran out\): its allowed set is partial, so this comparison proves nothing/);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('the run\'s time limit ends it with the counts so far; a malformed time limit or count is refused with the CLI\'s message', async () => {
    const { page, problems } = await openSb();
    await page.selectOption('#model', 'tso');
    await page.fill('#run-time-limit', 'soon');
    await page.click('#run');
    expect(await page.textContent('#run-status')).toBe("not run: --time-limit expects a positive number, got 'soon'");
    expect(await page.getAttribute('#run-time-limit', 'class')).toContain('invalid');
    await page.fill('#run-time-limit', '');
    await page.fill('#run-iterations', '0');
    await page.click('#run');
    expect(await page.textContent('#run-status')).toBe("not run: --iterations expects an integer ≥ 1, got '0'");
    await page.fill('#run-iterations', '2000000');
    await page.click('#run');
    expect(await page.textContent('#run-status')).toBe("not run: --iterations expects an integer ≤ 1000000, got '2000000'");
    expect(await page.getAttribute('#run-iterations', 'class')).toContain('invalid');
    // a million iterations (seconds of work on any machine) under a tenth of a second: the limit ends it
    await page.fill('#run-iterations', '1000000');
    await page.fill('#run-time-limit', '0.1');
    await page.click('#run');
    await page.locator('body[data-run-stop]').waitFor(WAIT);
    expect(await page.getAttribute('body', 'data-run-stop')).toBe('time');
    expect(await page.textContent('#run-status')).toMatch(/^time limit: stopped after \d+ of 1000000 iterations/);
    expect(await page.getAttribute('body', 'data-run-workers')).toBe('0');
    expect(await page.textContent('#run-conformance')).toMatch(/conform tso: CONSISTENT/);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
