/**
 * Issue 13, `parse --ir` linear in its input: every instruction a statement lowers to carries the
 * statement's origin text, so the text is bounded (MAX_ORIGIN_TEXT); a statement twice as long
 * gives about twice the IR, not four times.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { MAX_ORIGIN_TEXT } from '../../../model/syntax/lower.js';
import { compileSource } from '../../../model/frontend.js';
import { fakeIo } from '../cli/fakeIo.js';

/** A one-thread program whose only statement sums `loads` loads, in groups of 50 (the nesting limit allows 200 per chain). */
function manyLoads(loads: number, threads = ''): string {
  const groups: string[] = [];
  for (let i = 0; i < loads; i += 50) groups.push(`(${Array(Math.min(50, loads - i)).fill('load.sc(x)').join(' + ')})`);
  return `test big;\nshared x = 0;\nthread P${threads} {\n  r = ${groups.join(' + ')};\n}\n`;
}

async function irBytes(text: string): Promise<number> {
  const io = fakeIo({ files: { 'big.mw': text } });
  expect(await main(['parse', 'big.mw', '--ir'], io)).toBe(0);
  return io.out.length;
}

describe('parse --ir is linear in the input', () => {
  it('doubling the loads of one statement about doubles the output', async () => {
    const small = await irBytes(manyLoads(100));
    const large = await irBytes(manyLoads(200));
    expect(large / small).toBeLessThan(2.2);
  });

  it('a 64-instance template of a 250-load statement stays small', async () => {
    const text = manyLoads(250, '[i in 0..63]');
    const bytes = await irBytes(text);
    // 64 instances × 250 loads, each a few hundred bytes of indented JSON (the sum's tree adds
    // indentation): under 120 bytes per instance per source byte (it was over 320)
    expect(bytes / (64 * text.length)).toBeLessThan(120);
  });

  it('origin texts are cut at MAX_ORIGIN_TEXT with …, short ones are whole', () => {
    const r = compileSource('big.mw', manyLoads(100));
    const texts = r.ir?.threads[0]?.code.map((i) => i.origin.text) ?? [];
    expect(texts.length).toBeGreaterThan(100);
    for (const t of texts) {
      expect(t.length).toBe(MAX_ORIGIN_TEXT);
      expect(t.endsWith('…')).toBe(true);
    }
    // a cut never splits a surrogate pair
    for (let pad = 70; pad < 110; pad++) {
      const text = `test s;\nshared x = 0;\nthread P { r = load.sc(x); assert (r == 0, "${'a'.repeat(pad)}${'\u{1F600}'.repeat(40)}"); }\n`;
      const origin = compileSource('s.mw', text).ir?.threads[0]?.code.at(-1)?.origin.text ?? '';
      expect(origin.length).toBeGreaterThanOrEqual(MAX_ORIGIN_TEXT - 1);
      expect(origin.length).toBeLessThanOrEqual(MAX_ORIGIN_TEXT);
      expect(origin, `pad ${pad}`).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    const short = compileSource('s.mw', 'test s;\nshared x = 0;\nthread P { r = load.sc(x); }\n');
    expect(short.ir?.threads[0]?.code[0]?.origin.text).toBe('r = load.sc(x)');
  });
});
