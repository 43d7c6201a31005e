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
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeShare, MAX_SHARE_BYTES } from '../../playground/share.js';
import { BROWSER_GATE, openPage, openPlayground, screenshot, serveSite, startFixture, type BrowserFixture } from '../support/browser.js';

const ROOT = join(import.meta.dirname, '..', '..');
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

describe.skipIf(BROWSER_GATE.skip)(`playground in Chromium${BROWSER_GATE.note}`, () => {
  let fx: BrowserFixture | null = null;

  beforeAll(async () => {
    fx = await startFixture();
  }, 60_000);

  // closing the browser ends every page and Web Worker a test left
  afterAll(async () => {
    await fx?.close();
  });

  const open = (suffix = ''): ReturnType<typeof openPlayground> => {
    if (fx === null) throw new Error('no browser');
    return openPlayground(fx.browser, fx.server, { suffix });
  };

  it('loads cross-origin isolated with no console error and checks SB under sc and under tso', async () => {
    const { page, problems } = await open();
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
    await screenshot(page, 'check');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws the execution of the outcome sc forbids and steps through its states', async () => {
    const { page, problems } = await open();
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
    await screenshot(page, 'execution');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('steps through a counterexample: the deadlock of two flags', async () => {
    const { page, problems } = await open();
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
    await screenshot(page, 'counterexample');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows diagnostics as you type, with the span marked', async () => {
    const { page, problems } = await open();
    await page.fill('#source', 'test T\nshared x = 0;\nthread P0 { store.plain(y, 1); }\n');
    await page.waitForSelector('#diagnostics li', WAIT);
    const first = (await page.textContent('#diagnostics li')) ?? '';
    expect(first).toMatch(/^error\[N201\] 3:25 /);
    expect(await page.textContent('#backdrop mark')).toBe('y');
    expect(await page.locator('#gutter div.err').innerText()).toBe('3');
    await screenshot(page, 'diagnostics', false);
    // fixed: no diagnostics left
    await page.fill('#source', 'test T\nshared x = 0;\nthread P0 { store.plain(x, 1); }\n');
    await page.locator('#summary', { hasText: /^test T/ }).waitFor(WAIT);
    expect(await page.locator('#diagnostics li').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reloads a shared link with its program, and makes none for a program over the limit', async () => {
    const { page, problems } = await open();
    await pick(page, 'litmus/MP.mw');
    const text = await page.inputValue('#source');
    await page.click('#share');
    const link = page.url();
    expect(link).toMatch(/#name=MP\.mw&src=[A-Za-z0-9_-]+$/);
    if (fx === null) throw new Error('no browser');
    const { page: again, problems: more } = await openPage(fx.browser, link, { origin: fx.server.url.replace(/\/$/, ''), readySelector: 'body[data-ready=true]' });
    expect(await again.inputValue('#source')).toBe(text);
    expect(await again.inputValue('#file-name')).toBe('MP.mw');
    await screenshot(again, 'shared', false);
    await again.close();
    await page.fill('#source', `// ${'x'.repeat(MAX_SHARE_BYTES)}\n`);
    await page.click('#share');
    expect(await page.textContent('#share-status')).toMatch(/a link holds at most 16384/);
    expect([...problems, ...more]).toEqual([]);
    await page.close();
  });

  it('stops a long check with Stop and stays responsive', async () => {
    const { page, problems } = await open();
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
    if (fx === null) throw new Error('no browser');
    // a page of its own that imports the sanitiser (tsc's output) and shows what it makes of a hostile SVG
    const dir = mkdtempSync(join(tmpdir(), 'memweave-svg-'));
    const server = await serveSite({ dir });
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
      const { page, problems } = await openPage(fx.browser, server.url, { origin: server.url.replace(/\/$/, ''), readySelector: 'body[data-ready=true]' });
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
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs none of the hostile strings of a shared program', async () => {
    const share = encodeShare('evil.mw', EVIL);
    if (!share.ok) throw new Error(share.error);
    const { page, problems } = await open(`#${share.fragment}`);
    await page.locator('#summary', { hasText: /^test / }).waitFor(WAIT);
    expect(await page.textContent('#summary')).toContain('test <img src=x onerror=alert(1)>');
    await check(page, 'all');
    await page.click('.model-outcomes[data-model="sc"] button.show-violation');
    await idle(page);
    await page.click('#step-last');
    expect(await page.locator('#outcomes img, #graph img, #graph foreignObject, script:not([src])').count()).toBe(0);
    await screenshot(page, 'hostile');
    await page.waitForTimeout(100);
    expect(problems).toEqual([]);
    await page.close();
  });
  it('colours the editor from the lexer: keywords, modes, registers, locations, numbers and comments, with diagnostics still at their spans', async () => {
    const { page, problems } = await open();
    await pick(page, 'litmus/SB.mw');
    const token = async (cls: string): Promise<string[]> => page.$$eval(`#backdrop span.tok-${cls}`, (xs) => xs.map((x) => x.textContent ?? ''));
    expect(await token('keyword')).toEqual(expect.arrayContaining(['test', 'source', 'shared', 'thread', 'store', 'load', 'exists']));
    expect(new Set(await token('mode'))).toEqual(new Set(['plain']));
    expect(new Set(await token('register'))).toEqual(new Set(['r0']));
    expect(new Set(await token('location'))).toEqual(new Set(['x', 'y']));
    expect(await token('number')).toContain('1');
    expect((await token('comment'))[0]).toMatch(/^\/\/ SB \(store buffering/);
    // the colours are real: a keyword is drawn in another colour than plain text, and the textarea's own text is transparent
    // (a string expression: the test tree is type-checked without the DOM library)
    const colours = (await page.evaluate(
      "({ keyword: getComputedStyle(document.querySelector('#backdrop span.tok-keyword')).color, plain: getComputedStyle(document.getElementById('backdrop')).color, source: getComputedStyle(document.getElementById('source')).color })",
    )) as { keyword: string; plain: string; source: string };
    expect(colours.keyword).not.toBe(colours.plain);
    expect(colours.source).toBe('rgba(0, 0, 0, 0)');
    // the backdrop holds the text itself, character for character
    expect(await page.textContent('#backdrop')).toBe(`${await page.inputValue('#source')}\n`);
    await screenshot(page, 'syntax', false);
    // a diagnostic: its span is marked and the rest stays coloured
    await page.fill('#source', 'test T\nshared x = 0;\nthread P0 { store.rel(y, 1); r1 = load.acq(x); }\n');
    await page.waitForSelector('#diagnostics li', WAIT);
    expect(await page.textContent('#backdrop mark')).toBe('y');
    expect(await token('mode')).toEqual(['rel', 'acq']);
    expect(await token('register')).toEqual(['r1']);
    await screenshot(page, 'syntax-diagnostic', false);
    // a herd .litmus file: coloured from the importer's splitter and lexers (model/litmus/highlight.ts)
    await pick(page, 'herd/x86/2+2W.litmus');
    expect(await token('keyword')).toEqual(expect.arrayContaining(['X86', 'MOV', 'exists']));
    expect(new Set(await token('thread'))).toEqual(new Set(['P0', 'P1']));
    expect(new Set(await token('location'))).toEqual(new Set(['x', 'y']));
    expect(await token('number')).toContain('$2');
    expect(await page.textContent('#backdrop')).toBe(`${await page.inputValue('#source')}\n`);
    await screenshot(page, 'syntax-litmus', false);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a check that reaches a budget reads as inconclusive, never as a pass: the state budget, the time limit, a malformed budget', async () => {
    const { page, problems } = await open();
    await pick(page, 'graph/indexer.mw');
    await page.fill('#check-max-states', '50');
    await check(page, 'sc');
    const row = page.locator('#verdicts tr[data-model="sc"]');
    expect(await row.locator('td.result').textContent()).toBe('inconclusive (states)');
    expect(await row.locator('td.result').getAttribute('class')).toContain('warning');
    expect(await page.textContent('#status')).toMatch(/INCONCLUSIVE under sc \(the state budget ran out\)/);
    expect(await page.getAttribute('#status', 'class')).toBe('inconclusive');
    // the graph engine's budget is the same field (executions)
    await pick(page, 'graph/fib_bench.mw');
    await page.fill('#check-max-states', '500');
    await check(page, 'ra');
    expect(await page.textContent('#verdicts tr[data-model="ra"] td.result')).toBe('inconclusive (states)');
    expect(await page.textContent('#verdicts tr[data-model="ra"] td:nth-child(5)')).toMatch(/^\d+ executions$/);
    // one time limit for every model, as the CLI's --time-limit: fib_bench takes seconds under each
    await page.fill('#check-max-states', '');
    await page.fill('#check-time-limit', '0.2');
    await check(page, 'all');
    const results = await page.$$eval('#verdicts tbody td.result', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(results.length).toBeGreaterThanOrEqual(4);
    for (const r of results) expect(r).not.toMatch(/^pass/);
    expect(results.filter((r) => r === 'inconclusive (time)').length).toBeGreaterThanOrEqual(1);
    expect(await page.textContent('#status')).toMatch(/INCONCLUSIVE under/);
    await screenshot(page, 'budgets');
    // a malformed budget: the CLI's message, the field marked, nothing checked
    await page.fill('#check-time-limit', '');
    await page.fill('#check-max-states', 'lots');
    await page.click('#check');
    expect(await page.textContent('#status')).toBe("not checked: --max-states expects a positive integer, got 'lots'");
    expect(await page.getAttribute('#check-max-states', 'class')).toContain('invalid');
    expect(await page.locator('#check:enabled').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the graph engine\'s progress (executions so far) during a long check, and stops it', async () => {
    const { page, problems } = await open();
    await pick(page, 'graph/fib_bench.mw');
    await page.selectOption('#model', 'ra');
    await page.click('#check');
    // the worker's first progress report comes after a second of its clock: fib_bench takes several under ra
    await page.locator('#status[data-engine="graph"]', { hasText: /checking under ra \(1 of 1\): executions \d+ \(\d+\/s\), graphs \d+/ }).waitFor(WAIT);
    const first = Number(/executions (\d+)/.exec((await page.textContent('#status')) ?? '')?.[1]);
    expect(first).toBeGreaterThan(0);
    await screenshot(page, 'progress', false);
    await page.click('#stop');
    expect(await idle(page)).toMatch(/^stopped/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('served without COOP/COEP: check still works, Run is disabled and says which headers it needs', async () => {
    if (fx === null) throw new Error('no browser');
    const server = await serveSite({ isolated: false });
    try {
      const { page, problems } = await openPlayground(fx.browser, server);
      expect(await page.evaluate(() => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated)).toBe(false);
      expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('undefined');
      expect(await page.getAttribute('body', 'data-isolated')).toBe('false');
      expect(await page.locator('#run').isDisabled()).toBe(true);
      const message = (await page.textContent('#run-status')) ?? '';
      expect(message).toContain('Cross-Origin-Opener-Policy: same-origin');
      expect(message).toContain('Cross-Origin-Embedder-Policy: require-corp');
      await pick(page, 'litmus/SB.mw');
      await check(page, 'sc');
      expect(await page.textContent('#verdicts tr[data-model="sc"] td.verdict')).toBe('Forbidden');
      await check(page, 'tso');
      expect(await page.textContent('#verdicts tr[data-model="tso"] td.verdict')).toBe('Allowed');
      await page.click('.model-outcomes[data-model="tso"] li.witness button.show-outcome');
      await idle(page);
      expect(await page.locator('#graph svg').count()).toBe(1);
      await screenshot(page, 'non-isolated');
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await server.close();
    }
  });
});
