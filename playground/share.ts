/**
 * The shareable link: the program's text in the page's fragment, `#name=FILE&src=BASE64URL`
 * (UTF-8, base64url without padding), so a link carries the program and no server sees it. A
 * text over {@link MAX_SHARE_BYTES} makes no link (a clear message instead): links much longer
 * than this are cut by some browsers, chat tools and mail clients. Pure: no DOM, no I/O.
 */

/** The largest program (UTF-8 bytes) a link carries: 16 KiB, about 22,000 characters of link. */
export const MAX_SHARE_BYTES = 16 * 1024;

/** The longest file name a link carries. */
const MAX_NAME = 200;

/** The bytes of a string as base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) to bytes; null when it is not base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The fragment (without `#`) of a link to `text`, or why there is none. */
export function encodeShare(name: string, text: string): { readonly ok: true; readonly fragment: string } | { readonly ok: false; readonly error: string } {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_SHARE_BYTES) {
    return { ok: false, error: `the program is ${bytes.length} bytes; a link holds at most ${MAX_SHARE_BYTES} (save it as a file and share that instead)` };
  }
  return { ok: true, fragment: `name=${encodeURIComponent(name.slice(0, MAX_NAME))}&src=${toBase64Url(bytes)}` };
}

/** A shared program read back from a fragment (with or without `#`): null when the fragment holds none, an error when it holds a broken one. */
export function decodeShare(fragment: string): { readonly ok: true; readonly name: string; readonly text: string } | { readonly ok: false; readonly error: string } | null {
  const params = new URLSearchParams(fragment.startsWith('#') ? fragment.slice(1) : fragment);
  const src = params.get('src');
  if (src === null) return null;
  // the link's own limit, with room for base64's 4/3
  if (src.length > Math.ceil((MAX_SHARE_BYTES * 4) / 3) + 4) return { ok: false, error: `the link's program is longer than ${MAX_SHARE_BYTES} bytes` };
  const bytes = fromBase64Url(src);
  if (bytes === null) return { ok: false, error: 'the link\'s program is not valid base64url' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: 'the link\'s program is not valid UTF-8' };
  }
  const rawName = (params.get('name') ?? 'shared.mw').slice(0, MAX_NAME);
  const name = /\.(mw|litmus)$/i.test(rawName) ? rawName : 'shared.mw';
  return { ok: true, name, text };
}
