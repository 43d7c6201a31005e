/** Lexer tests: token kinds and spans, comments, literals, and lexical diagnostics with positions. */
import { describe, expect, it } from 'vitest';
import { lex, isKeyword, isPlainIdentifier, type Token } from '../../../../model/syntax/lexer.js';
import { SourceFile } from '../../../../model/syntax/source.js';

function run(text: string): { tokens: Token[]; diags: string[] } {
  const r = lex(new SourceFile('l.mw', text));
  return { tokens: r.tokens, diags: r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`) };
}
function texts(text: string): string[] {
  return run(text)
    .tokens.filter((t) => t.kind !== 'eof')
    .map((t) => `${t.kind}:${t.text}`);
}

describe('lex', () => {
  it('classifies keywords, identifiers, modes and punctuation', () => {
    expect(texts('r0 = load.acq_rel(x);')).toEqual(['ident:r0', 'punct:=', 'keyword:load', 'punct:.', 'ident:acq_rel', 'punct:(', 'ident:x', 'punct:)', 'punct:;']);
    expect(texts('thread T[i in 0..N]')).toEqual(['keyword:thread', 'ident:T', 'punct:[', 'ident:i', 'keyword:in', 'int:0', 'punct:..', 'ident:N', 'punct:]']);
  });
  it('takes the longest punctuation first, including herd connectives', () => {
    expect(texts('a/\\b\\/c=>d==e!=f<=g>=h<<i>>j&&k||l')).toEqual([
      'ident:a', 'punct:/\\', 'ident:b', 'punct:\\/', 'ident:c', 'punct:=>', 'ident:d', 'punct:==', 'ident:e', 'punct:!=', 'ident:f',
      'punct:<=', 'ident:g', 'punct:>=', 'ident:h', 'punct:<<', 'ident:i', 'punct:>>', 'ident:j', 'punct:&&', 'ident:k', 'punct:||', 'ident:l',
    ]);
    expect(texts('~exists')).toEqual(['punct:~', 'keyword:exists']);
  });
  it('skips all three comment styles', () => {
    expect(texts('a // line\nb /* block\n */ c (* herd\n *) d')).toEqual(['ident:a', 'ident:b', 'ident:c', 'ident:d']);
  });
  it('records 1-based line:col spans', () => {
    const { tokens } = run('test X\n  shared y;');
    const y = tokens.find((t) => t.text === 'y');
    expect(y?.span).toEqual({ start: 16, end: 17, line: 2, col: 10 });
    const eof = tokens[tokens.length - 1];
    expect(eof?.kind).toBe('eof');
    expect(eof?.span.start).toBe(18);
  });
  it('reads decimal and hex integers; hex wraps to signed 32-bit', () => {
    const ints = run('0 42 2147483647 0x10 0xFFFFFFFF 0x80000000 2147483648').tokens.flatMap((t) => (t.kind === 'int' ? [t.value] : []));
    expect(ints).toEqual([0, 42, 2147483647, 16, -1, -2147483648, 2147483648]);
  });
  it('reports out-of-range and malformed integers', () => {
    expect(run('x 2147483649').diags).toEqual(['E004 1:3']);
    expect(run('0x100000000').diags).toEqual(['E004 1:1']);
    expect(run('\n  0x').diags).toEqual(['E001 2:3']);
    expect(run('12ab').diags).toEqual(['E001 1:3']);
  });
  it('decodes string escapes', () => {
    const s = run('"a\\"b\\\\c\\nd\\te"').tokens[0];
    expect(s?.kind === 'string' ? s.value : null).toBe('a"b\\c\nd\te');
  });
  it('reports an unterminated string at its start and resumes on the next line', () => {
    const r = run('x "abc\ny');
    expect(r.diags).toEqual(['E002 1:3']);
    expect(r.tokens.map((t) => t.kind)).toEqual(['ident', 'string', 'ident', 'eof']);
  });
  it('reports unknown escapes, unexpected characters and unterminated comments', () => {
    expect(run('"\\q"').diags).toEqual(['E001 1:2']);
    expect(run('a @ b\n # $').diags).toEqual(['E001 1:3', 'E001 2:2', 'E001 2:4']);
    expect(run('a /* b').diags).toEqual(['E003 1:3']);
    expect(run('a\n(* b').diags).toEqual(['E003 2:1']);
    expect(run('\\ x').diags).toEqual(['E001 1:1']);
  });
  it('keeps going after errors: several diagnostics, tokens on both sides', () => {
    const r = run('a @ b # c');
    expect(r.diags).toHaveLength(2);
    expect(texts('a @ b # c')).toEqual(['ident:a', 'ident:b', 'ident:c']);
  });
  it('knows its reserved words', () => {
    expect(isKeyword('await')).toBe(true);
    expect(isKeyword('sc')).toBe(false);
    expect(isPlainIdentifier('P0')).toBe(true);
    expect(isPlainIdentifier('2+2W')).toBe(false);
    expect(isPlainIdentifier('exists')).toBe(false);
  });
});
