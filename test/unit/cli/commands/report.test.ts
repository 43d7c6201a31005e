/**
 * `memweave report`: the page holds the verdicts, outcomes, pictures and the stepper data; every
 * input string is escaped (hostile names, descriptions, sources, messages); nothing is loaded
 * from elsewhere; `--run` adds the hardware histogram.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCommand } from '../../../../cli/commands/report.js';
import { escapeHtml, jsonForScript } from '../../../../cli/report/html.js';
import { fakeIo } from '../fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

async function report(argv: string[], files: Record<string, string> = {}): Promise<{ code: number; html: string; err: string }> {
  const io = fakeIo({ files, diskRoot: ROOT });
  const code = await reportCommand.run([...argv, '-o', 'out.html'], io);
  return { code, html: io.written.get('out.html') ?? '', err: io.err };
}

/** The stepper's JSON payload. */
function stepperData(html: string): { steps: { state: Record<string, number>; text: string }[]; initialState: Record<string, number>; threads: string[] } {
  const m = /<script type="application\/json" id="stepper-data">([\s\S]*?)<\/script>/.exec(html);
  if (m === null) throw new Error('no stepper data');
  return JSON.parse(m[1] ?? '') as ReturnType<typeof stepperData>;
}

/** No resource is fetched: no src/href to anything, no CSS imports or urls, a CSP that forbids fetches. */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/\s(src|href)\s*=\s*["'](?!#)/i);
  expect(html).not.toMatch(/@import|url\(/i);
  expect(html).not.toMatch(/<link\b|<iframe\b|<img\b/i);
  expect(html).toContain(`content="default-src 'none';`);
}

describe('memweave report', () => {
  it('SB: verdicts, outcomes per model, the picture of the relaxed outcome with its cycle, and the TSO execution to step through', async () => {
    const r = await report(['examples/litmus/SB.mw']);
    expect(r.code, r.err).toBe(0);
    expect(r.html).toContain('<h1>SB</h1>');
    expect(r.html).toMatch(/<tr><td>tso<\/td><td class="ok">pass<\/td><td>Ok<\/td><td>Allowed<\/td>/);
    expect(r.html).toMatch(/<tr><td>sc<\/td><td class="ok">pass<\/td><td>No<\/td><td>Forbidden<\/td>/);
    expect(r.html).toContain('*&gt; P0:r0=0; P1:r0=0;');
    expect(r.html.match(/<figure>/g)).toHaveLength(1);
    expect(r.html).toContain('cycle: <span class="cycle">a -po-&gt; b -fre-&gt; c -po-&gt; d -fre-&gt; a</span>');
    expect(r.html).toMatch(/<svg[\s\S]*<\/svg>/);
    const data = stepperData(r.html);
    expect(data.steps).toHaveLength(6);
    expect(data.threads).toEqual(['P0', 'P1']);
    expect(data.steps[data.steps.length - 1]?.state).toMatchObject({ 'P0:r0': 0, 'P1:r0': 0, x: 1, y: 1 });
    expect(r.html).toContain('--model tso --replay mw1.tso.');
    expectSelfContained(r.html);
  });

  it('steps through a counterexample when a model has one', async () => {
    const r = await report(['examples/locks/peterson.mw', '--model', 'sc', '--model', 'tso']);
    expect(r.code, r.err).toBe(0);
    expect(r.html).toContain('Counterexample (mutex) under tso');
    expect(stepperData(r.html).steps.length).toBeGreaterThan(4);
  });

  it('escapes every input string', async () => {
    const evil = [
      'test "<script>alert(1)</script>" "desc </p><img src=x onerror=alert(2)>"',
      'source "\\"><svg onload=alert(3)> & co"',
      'shared x = 0;',
      'thread P0 { store.plain(x, 1); assert(load.plain(x) == 2, "</script><script>alert(4)</script>"); }',
      'forall (x = 1)',
      '',
    ].join('\n');
    const r = await report(['evil.mw'], { 'evil.mw': evil });
    expect(r.code, r.err).toBe(0);
    for (const raw of ['<script>alert(1)', '<img src=x', '<svg onload', '</script><script>alert(4)']) expect(r.html).not.toContain(raw);
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.html).toContain('&quot;&gt;&lt;svg onload=alert(3)&gt; &amp; co');
    // the assert message travels in the stepper JSON too: escaped there as \u003c
    expect(r.html).toContain('Counterexample (assert)');
    expect(stepperData(r.html).steps.length).toBeGreaterThan(0);
    expect(r.html.match(/<script\b/g)?.length).toBe(2);
    expectSelfContained(r.html);
  });

  it('--run puts the hardware histogram beside the models', async () => {
    const r = await report(['examples/litmus/MP.mw', '--run', '-n', '2000', '--seed', '3']);
    expect(r.code, r.err).toBe(0);
    expect(r.html).toContain('<th>observed</th>');
    expect(r.html).toMatch(/Hardware: 2000 iterations on worker_threads, seed 3/);
  });

  it('rejects bad usage', async () => {
    expect((await report(['examples/litmus/SB.mw', '--iterations', '5'])).code).toBe(2);
    expect((await report(['examples/litmus/SB.mw', '--model', 'arm'])).code).toBe(2);
    expect((await report(['missing.mw'])).code).toBe(2);
  });

  it('escapeHtml and jsonForScript leave nothing that closes an element', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const j = jsonForScript({ s: '</script><!-- \u2028 &' });
    expect(j).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(j)).toEqual({ s: '</script><!-- \u2028 &' });
  });
});

describe('report: a racy program’s weak outcome under js is drawn from the ECMAScript model (issue 15)', () => {
  it('IRIW with plain accesses: only js allows the non-multi-copy-atomic outcome, and its picture is the graph engine’s, with its SC cycle', async () => {
    const r = await report(['examples/iriw.mw']);
    expect(r.code).toBe(0);
    expect(r.html).toMatch(/allowed under js; drawn under js; cycle: <span class="cycle">[^<]*-fre-&gt;/);
    expect(r.html).toContain('<svg');
  });
});

describe('report: the stepper’s states are inside --max-memory (issue 13)', () => {
  // every stepper row carries the whole state: with a 2,000-element array, about 400 KB a row
  const big = 'test bigarray\nshared a[2000] = 0;\nshared x = 0;\nthread P0 { store.sc(x, 1); store.plain(a[3], 1); }\nthread P1 { r0 = load.sc(x); }\nexists (P1:r0 = 1)\n';
  it('no room for its rows’ states: the page says so and has no stepper; with room it has one', async () => {
    const small = await report(['big.mw', '--model', 'sc', '--max-memory', '16'], { 'big.mw': big });
    expect(small.code).toBe(0);
    expect(small.html).toContain('no room for the execution to step through');
    expect(small.html).not.toContain('id="stepper-data"');
    const roomy = await report(['big.mw', '--model', 'sc', '--max-memory', '512'], { 'big.mw': big });
    expect(roomy.html).not.toContain('no room for the execution to step through');
    expect(stepperData(roomy.html).steps.length).toBeGreaterThan(0);
  });
});
