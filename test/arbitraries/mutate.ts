/**
 * Fuzz inputs for the front end: random token soup over the .mw alphabet, and mutations of valid
 * sources (delete, insert, duplicate, swap or replace token spans, truncate). Mutations work on the
 * lexer's token spans, so they produce plausible near-programs rather than noise. Reusable for the
 * whole pipeline: `arbMutatedSource(validSources)`.
 */
import fc from 'fast-check';
import { KEYWORDS, PUNCTUATION, lex } from '../../model/syntax/lexer.js';
import { SourceFile } from '../../model/syntax/source.js';

/** One lexical piece: a keyword, punctuation, name, number, string, comment, whitespace or junk. */
export const arbPiece: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYWORDS) },
  { weight: 6, arbitrary: fc.constantFrom(...PUNCTUATION) },
  { weight: 3, arbitrary: fc.constantFrom('x', 'y', 'r0', 'P0', 'T', 'N', 'sc', 'rel', 'acq', 'plain', 'acq_rel', 'rlx', 'foo') },
  { weight: 2, arbitrary: fc.constantFrom('0', '1', '42', '0x10', '0xffffffff', '2147483647', '2147483648', '99999999999', '0x1ffffffff', '0x', '12ab') },
  { weight: 1, arbitrary: fc.constantFrom('"s"', '"a\\"b"', '"unterminated', '"bad\\q"', '// c\n', '/* c */', '(* c *)', '/* open', '(* open') },
  { weight: 4, arbitrary: fc.constantFrom(' ', ' ', '\n', '\t', '\r\n') },
  { weight: 1, arbitrary: fc.constantFrom('@', '#', '$', '\\', '`', '\u0000', 'é', '\u{1F600}', '\uD800') },
);

/** Random strings over the token alphabet. */
export const arbTokenSoup: fc.Arbitrary<string> = fc.array(arbPiece, { maxLength: 60 }).map((ps) => ps.join(''));

type Mutation =
  | { readonly kind: 'delete'; readonly at: number; readonly len: number }
  | { readonly kind: 'insert'; readonly at: number; readonly piece: string }
  | { readonly kind: 'replace'; readonly at: number; readonly piece: string }
  | { readonly kind: 'duplicate'; readonly at: number; readonly len: number }
  | { readonly kind: 'swap'; readonly at: number; readonly other: number }
  | { readonly kind: 'truncate'; readonly fraction: number };

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), piece: arbPiece }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), piece: arbPiece }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

/** Apply one mutation to `text`, working on its token spans. */
export function applyMutation(text: string, m: Mutation): string {
  if (m.kind === 'truncate') return text.slice(0, Math.floor(text.length * m.fraction));
  const spans = lex(new SourceFile('mutate', text)).tokens.filter((t) => t.kind !== 'eof').map((t) => t.span);
  if (spans.length === 0) return m.kind === 'insert' || m.kind === 'replace' ? m.piece + text : text;
  const n = spans.length;
  const tok = (k: number) => spans[((k % n) + n) % n] ?? { start: 0, end: 0 };
  switch (m.kind) {
    case 'delete': {
      const a = tok(m.at);
      const b = tok(Math.min(n - 1, (m.at % n) + m.len - 1));
      return text.slice(0, a.start) + text.slice(Math.max(a.end, b.end));
    }
    case 'insert': {
      const a = tok(m.at);
      return `${text.slice(0, a.start)}${m.piece} ${text.slice(a.start)}`;
    }
    case 'replace': {
      const a = tok(m.at);
      return text.slice(0, a.start) + m.piece + text.slice(a.end);
    }
    case 'duplicate': {
      const a = tok(m.at);
      const b = tok(Math.min(n - 1, (m.at % n) + m.len - 1));
      const end = Math.max(a.end, b.end);
      return text.slice(0, end) + ' ' + text.slice(a.start, end) + text.slice(end);
    }
    case 'swap': {
      let a = tok(m.at);
      let b = tok(m.other);
      if (a.start === b.start) return text;
      if (b.start < a.start) [a, b] = [b, a];
      return text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
    }
  }
}

/** Sources made from valid ones by one to four token-level mutations. */
export function arbMutatedSource(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(valid, fc.array(arbMutation, { minLength: 1, maxLength: 4 })).map(([text, ms]) => ms.reduce(applyMutation, text));
}
