/** The playground's shareable link (playground/share.ts): round trips, the size limit, broken links. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, fromBase64Url, MAX_SHARE_BYTES, toBase64Url } from '../../../playground/share.js';

describe('the shared link', () => {
  it('round-trips any text up to the limit, Unicode included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const e = encodeShare('SB.mw', text);
        expect(e.ok).toBe(true);
        if (!e.ok) return;
        expect(e.fragment).toMatch(/^name=SB\.mw&src=[A-Za-z0-9_-]*$/);
        const d = decodeShare(`#${e.fragment}`);
        expect(d).toEqual({ ok: true, name: 'SB.mw', text: text.replace(/[\uD800-\uDFFF]/g, (c, i: number, s: string) => (isPaired(s, i) ? c : '\uFFFD')) });
      }),
    );
  });

  it('makes no link for a program over the limit, and says so', () => {
    expect(encodeShare('a.mw', 'x'.repeat(MAX_SHARE_BYTES)).ok).toBe(true);
    const e = encodeShare('a.mw', 'x'.repeat(MAX_SHARE_BYTES + 1));
    expect(e).toEqual({ ok: false, error: `the program is ${MAX_SHARE_BYTES + 1} bytes; a link holds at most ${MAX_SHARE_BYTES} (save it as a file and share that instead)` });
    // bytes, not characters: 'é' is two
    expect(encodeShare('a.mw', 'é'.repeat(MAX_SHARE_BYTES / 2 + 1)).ok).toBe(false);
  });

  it('reads no program from a fragment without one, and refuses broken ones', () => {
    expect(decodeShare('')).toBeNull();
    expect(decodeShare('#model=tso')).toBeNull();
    expect(decodeShare('#src=a*b')).toEqual({ ok: false, error: "the link's program is not valid base64url" });
    expect(decodeShare('#src=A')).toEqual({ ok: false, error: "the link's program is not valid base64url" });
    expect(decodeShare(`#src=${toBase64Url(new Uint8Array([0xff, 0xfe]))}`)).toEqual({ ok: false, error: "the link's program is not valid UTF-8" });
    expect(decodeShare(`#src=${'A'.repeat(MAX_SHARE_BYTES * 2)}`)).toEqual({ ok: false, error: `the link's program is longer than ${MAX_SHARE_BYTES} bytes` });
  });

  it('keeps a .mw or .litmus name and replaces any other', () => {
    const src = toBase64Url(new TextEncoder().encode('test T'));
    expect(decodeShare(`#name=x.litmus&src=${src}`)).toMatchObject({ name: 'x.litmus' });
    expect(decodeShare(`#name=%3Cimg%3E.html&src=${src}`)).toMatchObject({ name: 'shared.mw' });
    expect(decodeShare(`#src=${src}`)).toMatchObject({ name: 'shared.mw', text: 'test T' });
  });

  it('base64url matches the platform encoder, without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const b = toBase64Url(bytes);
        expect(b).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64Url(b)).toEqual(bytes);
      }),
    );
  });
});

/** Whether the surrogate at `i` is half of a pair (TextEncoder turns a lone one into U+FFFD). */
function isPaired(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) return i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
  return i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff;
}
