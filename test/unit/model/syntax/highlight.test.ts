/**
 * The editor's syntax colouring (model/syntax/highlight.ts): the classes of SB's names and
 * tokens, and laws over every bundled .mw file — the spans are ordered, disjoint and inside the
 * text, and every keyword, number, string and comment span is exactly one of the lexer's tokens
 * or comments (the colouring has no tokenizer of its own).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { highlightMw, type HighlightSpan } from '../../../../model/syntax/highlight.js';
import { KEYWORDS, lexWithComments } from '../../../../model/syntax/lexer.js';
import { SourceFile } from '../../../../model/syntax/source.js';
import { walkFiles } from '../../../support/programs.js';

const SB = `// SB
test SB "store buffering"
shared x = 0;
shared y = 0;
thread P0 {
  store.plain(x, 1);
  r0 = load.acq(y);
}
thread P1 {
  store.rel(y, 0x1);
  r0 = load.plain(x);
}
exists (P0:r0=0 /\\ P1:r0=0)
`;

/** Each coloured span as "class:text". */
const named = (text: string, spans: readonly HighlightSpan[]): string[] => spans.map((s) => `${s.cls}:${text.slice(s.start, s.end)}`);

describe('highlightMw', () => {
  it('colours SB: keywords, modes, registers, locations, threads, numbers, strings and comments', () => {
    expect(named(SB, highlightMw(SB))).toEqual([
      'comment:// SB',
      'keyword:test', 'string:"store buffering"',
      'keyword:shared', 'location:x', 'number:0',
      'keyword:shared', 'location:y', 'number:0',
      'keyword:thread', 'thread:P0',
      'keyword:store', 'mode:plain', 'location:x', 'number:1',
      'register:r0', 'keyword:load', 'mode:acq', 'location:y',
      'keyword:thread', 'thread:P1',
      'keyword:store', 'mode:rel', 'location:y', 'number:0x1',
      'register:r0', 'keyword:load', 'mode:plain', 'location:x',
      'keyword:exists', 'thread:P0', 'register:r0', 'number:0', 'thread:P1', 'register:r0', 'number:0',
    ]);
  });

  it('a name a thread does not assign is not its register; for-variables and params are classified', () => {
    const text = 'param N = 2;\nshared x = 0;\nthread P0 { for i in 0..N { a = i; } }\nthread P1 { b = a; }\n';
    const got = named(text, highlightMw(text));
    expect(got).toContain('param:N');
    expect(got.filter((s) => s === 'register:i')).toHaveLength(2);
    expect(got.filter((s) => s === 'register:a')).toHaveLength(1);
    expect(got).toContain('register:b');
  });

  it('never throws and keeps its laws on broken text (an unterminated comment and string, a stray character)', () => {
    const text = 'thread P0 { r = "open\n  # @ /* never closed';
    const spans = highlightMw(text);
    expect(named(text, spans)).toEqual(['keyword:thread', 'thread:P0', 'register:r', 'string:"open', 'comment:/* never closed']);
  });

  it('on every bundled .mw file: ordered, disjoint spans inside the text, each token class one of the lexer\'s tokens or comments', () => {
    const files = walkFiles('examples').filter((f) => f.endsWith('.mw'));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const spans = highlightMw(text);
      const { tokens, comments } = lexWithComments(new SourceFile(f, text));
      const lexed = new Set([...tokens.map((t) => `${t.span.start}-${t.span.end}-${t.kind}`), ...comments.map((c) => `${c.span.start}-${c.span.end}-comment`)]);
      let at = 0;
      for (const s of spans) {
        expect(s.start, f).toBeGreaterThanOrEqual(at);
        expect(s.end, f).toBeGreaterThan(s.start);
        expect(s.end, f).toBeLessThanOrEqual(text.length);
        at = s.end;
        const kind = s.cls === 'number' ? 'int' : s.cls === 'keyword' || s.cls === 'string' || s.cls === 'comment' ? s.cls : 'ident';
        expect(lexed.has(`${s.start}-${s.end}-${kind}`), `${f}: ${s.cls} ${text.slice(s.start, s.end)}`).toBe(true);
        if (s.cls === 'keyword') expect(KEYWORDS as readonly string[]).toContain(text.slice(s.start, s.end));
      }
      // every keyword the lexer finds is coloured
      expect(spans.filter((s) => s.cls === 'keyword').length, f).toBe(tokens.filter((t) => t.kind === 'keyword').length);
    }
  });
});
