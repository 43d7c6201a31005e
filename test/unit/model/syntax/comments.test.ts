/**
 * Comment-preserving formatting: lexWithComments, attachComments and printProgram(p, { comments }).
 * Placement of each kind of comment, blank lines, idempotence, and the two laws the formatter must
 * keep — no comment text is lost, and the program does not change — on every example and on random
 * programs with comments inserted between random tokens.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../../model/frontend.js';
import { attachComments, collectComments } from '../../../../model/syntax/comments.js';
import { lex, lexWithComments } from '../../../../model/syntax/lexer.js';
import { parseMw } from '../../../../model/syntax/parser.js';
import { printProgram } from '../../../../model/syntax/printer.js';
import { SourceFile } from '../../../../model/syntax/source.js';
import { arbProgram, stripSpans } from '../../../arbitraries/ast.js';
import { walkFiles } from '../../../support/programs.js';

const SEED = Number(process.env['MEMWEAVE_SEED'] ?? 20260611);
const NUM_RUNS = 250;
const EXAMPLES = join(import.meta.dirname, '..', '..', '..', '..', 'examples');

/** Format .mw text keeping comments; throws on syntax errors (the tests only format valid text). */
function fmt(text: string): string {
  const file = new SourceFile('t.mw', text);
  const { program, diagnostics } = parseMw(file);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`syntax errors: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}\n${text}`);
  return printProgram(program, { comments: attachComments(program, file) });
}

/** The comment texts of a .mw text, sorted (a multiset). */
function commentTexts(text: string): string[] {
  return lexWithComments(new SourceFile('t.mw', text))
    .comments.map((c) => c.text)
    .sort();
}

/** The AST without spans, for "the program did not change". */
function ast(text: string): unknown {
  return stripSpans(parseMw(new SourceFile('t.mw', text)).program);
}

/** IR without spans; an origin's display text is compared without whitespace and parentheses (it is a source slice). */
function irOf(name: string, text: string): unknown {
  const out = compileSource(name, text);
  const strip = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return v.map((x: unknown) => strip(x, ''));
    if (v !== null && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (k !== 'span') o[k] = strip(x, k);
      return o;
    }
    if (key === 'text' && typeof v === 'string') return v.replace(/[\s()]/g, '');
    return v;
  };
  return { ir: strip(out.ir, ''), errors: out.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code) };
}


describe('lexWithComments', () => {
  it('returns the same tokens and diagnostics as lex, plus every comment with its span', () => {
    const text = 'test t // one\n/* two\n  lines */ shared x = 1 / 2; (* herd *)\nthread P0 { skip; }   //  trailing spaces   \r\n';
    const file = new SourceFile('t.mw', text);
    const plain = lex(file);
    const withC = lexWithComments(file);
    expect(withC.tokens).toEqual(plain.tokens);
    expect(withC.diagnostics).toEqual(plain.diagnostics);
    expect(withC.comments.map((c) => [c.kind, c.text])).toEqual([
      ['line', '// one'],
      ['block', '/* two\n  lines */'],
      ['herd', '(* herd *)'],
      ['line', '//  trailing spaces'],
    ]);
    for (const c of withC.comments) expect(text.slice(c.span.start, c.span.end)).toBe(c.text);
  });

  it('keeps an unterminated comment (to the end of the file) and reports E003 as lex does', () => {
    const file = new SourceFile('t.mw', 'shared x; /* open');
    const r = lexWithComments(file);
    expect(r.comments.map((c) => c.text)).toEqual(['/* open']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E003']);
  });

  it('never sees comments inside strings', () => {
    expect(commentTexts('test t "a // b /* c (* d"\n')).toEqual([]);
  });

  it('collectComments marks end-of-line comments and blank lines before them', () => {
    const { comments } = collectComments(new SourceFile('t.mw', '// a\n\n// b\nshared x; // c\n\n\n/* d */\n'));
    expect(comments.map((c) => [c.text, c.endOfLine, c.blankBefore])).toEqual([
      ['// a', false, false],
      ['// b', false, true],
      ['// c', true, false],
      ['/* d */', false, true],
    ]);
  });
});

describe('printProgram without comments', () => {
  it('is unchanged by the options object, and the comment table changes nothing on a file without comments or blank lines', () => {
    const text = 'test t\nshared x = 0;\nthread P0 {\n  if (1) {\n    skip;\n  } else if (2) {\n    skip;\n  } else {}\n}\nexists (x=0)\n';
    const file = new SourceFile('t.mw', text);
    const { program } = parseMw(file);
    expect(printProgram(program, {})).toBe(printProgram(program));
    expect(printProgram(program, { comments: attachComments(program, file) })).toBe(printProgram(program));
    expect(printProgram(program)).toBe(text);
  });
});

describe('comment placement', () => {
  it('keeps leading, trailing, end-of-block and end-of-file comments where they were', () => {
    const text = [
      '// header',
      'test t',
      '// the flag',
      'shared x = 0; // zero',
      'thread P0 { // opening',
      '  // before the store',
      '  store.sc(x, 1); // store',
      '  r = 1;',
      '  // at the end of the block',
      '}',
      'exists (P0:r=1) // condition',
      '// end of file',
      '',
    ].join('\n');
    expect(fmt(text)).toBe(text);
  });

  it('keeps a trailing comment at its column when its line is unchanged, else puts it one space after the code', () => {
    const aligned = 'thread P0 {\n  r = 1;                 // aligned\n  store.sc(x, 1);        // aligned\n}\n';
    expect(fmt(aligned)).toBe(aligned);
    const messy = 'thread P0 {\n  r=1;                 // was aligned\n      store.sc( x,1 );// squeezed\n    skip;            // reindented\n}\n';
    expect(fmt(messy)).toBe('thread P0 {\n  r = 1; // was aligned\n  store.sc(x, 1); // squeezed\n  skip; // reindented\n}\n');
  });

  it('keeps one blank line where the source had one or more, none at the start or end of a block', () => {
    const messy = 'test t\n\n\n\nshared x;\nshared y;\n\n// about P0\n\nthread P0 {\n\n  skip;\n\n\n  skip;\n\n}\n\n\n';
    expect(fmt(messy)).toBe('test t\n\nshared x;\nshared y;\n\n// about P0\n\nthread P0 {\n  skip;\n\n  skip;\n}\n');
  });

  it('moves a comment inside an expression to its statement: trailing if it ended a line, leading otherwise', () => {
    const messy = 'thread P0 {\n  r = 1 + // one\n    2;\n  s = 3 +\n    // three\n    4;\n}\n';
    expect(fmt(messy)).toBe('thread P0 {\n  r = 1 + 2; // one\n  // three\n  s = 3 + 4;\n}\n');
  });

  it('moves a comment in a loop head to the end of the line of its {', () => {
    expect(fmt('thread P0 {\n  while (r == // spin\n    0) {\n    skip;\n  }\n}\n')).toBe('thread P0 {\n  while (r == 0) { // spin\n    skip;\n  }\n}\n');
  });

  it('keeps comments in every branch of an if / else if / else chain', () => {
    const text = [
      'thread P0 {',
      '  if (r == 1) { // one',
      '    skip;',
      '    // after one',
      '  } else if (r == 2) { // two',
      '    // before two',
      '    skip;',
      '  } else { // other',
      '    skip;',
      '  } // after the chain',
      '}',
      '',
    ].join('\n');
    expect(fmt(text)).toBe(text);
  });

  it('moves comments between an if and its else into the else block', () => {
    const messy = 'thread P0 {\n  if (r) {\n    skip;\n  } // then ends\n  // here comes else\n  else {\n    skip;\n  }\n}\n';
    expect(fmt(messy)).toBe('thread P0 {\n  if (r) {\n    skip;\n  } else { // then ends\n    // here comes else\n    skip;\n  }\n}\n');
  });

  it('keeps the comments of an else { if … } that prints as else if', () => {
    const messy = 'thread P0 {\n  if (a) {\n    skip;\n  } else { // else\n    // inner\n    if (b) {\n      skip;\n    } // inner done\n    // last\n  }\n}\n';
    const out = fmt(messy);
    expect(out).toBe('thread P0 {\n  if (a) {\n    skip;\n  } else if (b) { // else\n    // inner\n    skip;\n  } // inner done\n  // last\n}\n');
    expect(fmt(out)).toBe(out);
  });

  it('prints comments inside an empty block', () => {
    expect(fmt('thread P0 { // nothing\n}\n')).toBe('thread P0 { // nothing\n}\n');
    expect(fmt('thread P0 {\n    // nothing yet\n}\n')).toBe('thread P0 {\n  // nothing yet\n}\n');
    expect(fmt('thread P0 {}\n')).toBe('thread P0 {}\n');
  });

  it('moves comments with their item when the printer reorders items', () => {
    const messy = 'thread P0 { skip; } // the thread\n// the location\nshared x;\n// the param\nparam N = 1;\n';
    expect(fmt(messy)).toBe('// the param\nparam N = 1;\n// the location\nshared x;\nthread P0 {\n  skip;\n} // the thread\n');
  });

  it('merges the comments of header lines the printer merges (test + description, several locations)', () => {
    const messy = '// name\ntest t // t\n// what\ndescription "d" // d\nlocations [x] // l1\nlocations [y] // l2\nshared x;\nshared y;\n';
    const out = fmt(messy);
    expect(out).toBe('// name\n// what\ntest t "d" // t\n// d\nshared x;\nshared y;\nlocations [x; y] // l1\n// l2\n');
    expect(fmt(out)).toBe(out);
  });

  it('puts a second trailing comment after a // comment on its own line', () => {
    const out = fmt('shared x; // one\nshared y; /* two */ /* three */ // four\nshared z;\n');
    expect(out).toBe('shared x; // one\nshared y; /* two */ /* three */ // four\nshared z;\n');
    expect(fmt('thread P0 { skip; // a\n /* b */ }\n')).toBe('thread P0 {\n  skip; // a\n  /* b */\n}\n');
  });

  it('keeps block and herd comments; a multi-line one keeps its shape where it already sits', () => {
    const text = '(* herd style *)\ntest t\n/* a block\n   over two lines */\nshared x; /* short */\n';
    expect(fmt(text)).toBe(text);
  });

  it('re-indents the continuation lines of a multi-line comment with its first line', () => {
    // moved right: from column 0 to the block's indentation
    const messy = 'thread P0 {\n/* a\n   b */ skip;\n}\n';
    const out = fmt(messy);
    expect(out).toBe('thread P0 {\n  /* a\n     b */\n  skip;\n}\n');
    expect(fmt(out)).toBe(out);
    // moved left, with a blank line inside and a line less indented than the shift
    const deep = 'thread P0 {\n        /* one\n\n           two\n     three */\n  skip;\n}\n';
    const out2 = fmt(deep);
    expect(out2).toBe('thread P0 {\n  /* one\n\n     two\nthree */\n  skip;\n}\n');
    expect(fmt(out2)).toBe(out2);
    // a herd comment, and an end-of-line one pushed to its own line after a // comment
    expect(fmt('thread P0 {\n(* x\n   y *) skip;\n}\n')).toBe('thread P0 {\n  (* x\n     y *)\n  skip;\n}\n');
    const over = fmt('thread P0 {\n      skip; // done\n   /* p\n      q */\n}\n');
    expect(over).toBe('thread P0 {\n  skip; // done\n  /* p\n     q */\n}\n');
    expect(fmt(over)).toBe(over);
  });

  it('keeps comments of a file with no items', () => {
    expect(fmt('// only a comment\n\n/* and another */')).toBe('// only a comment\n\n/* and another */\n');
    expect(fmt('')).toBe('');
  });

  it('never drops a comment, even with a table from another file (printed at the end)', () => {
    const a = new SourceFile('a.mw', 'shared x; // from a\nthread P0 { skip; /* in a */ }\n');
    const b = new SourceFile('b.mw', 'shared y;\n');
    const out = printProgram(parseMw(b).program, { comments: attachComments(parseMw(a).program, a) });
    expect(commentTexts(out)).toEqual(['/* in a */', '// from a']);
  });
});

describe('the examples', () => {
  const files = walkFiles(EXAMPLES).filter((p) => p.endsWith('.mw'));
  it('finds the examples', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(files.map((p) => [p.slice(EXAMPLES.length + 1), p]))('%s: idempotent, keeps every comment and the program', (name, path) => {
    const text = readFileSync(path, 'utf8');
    const once = fmt(text);
    expect(fmt(once)).toBe(once);
    expect(commentTexts(once)).toEqual(commentTexts(text));
    expect(irOf(name, once)).toEqual(irOf(name, text));
    // and from a scrambled layout: every token gap becomes a space or a newline (a newline after each // comment)
    const messy = scramble(text, name.length);
    expect(ast(messy)).toEqual(ast(text));
    const fromMessy = fmt(messy);
    expect(fmt(fromMessy)).toBe(fromMessy);
    expect(commentTexts(fromMessy)).toEqual(commentTexts(text));
    expect(irOf(name, fromMessy)).toEqual(irOf(name, text));
  });
});

/** Re-lay out `text`: same tokens and comments, random whitespace between them (deterministic in `seed`). */
function scramble(text: string, seed: number): string {
  const file = new SourceFile('t.mw', text);
  const { tokens, comments } = lexWithComments(file);
  const pieces = [...tokens.filter((t) => t.kind !== 'eof').map((t) => ({ start: t.span.start, text: t.text, line: false })), ...comments.map((c) => ({ start: c.span.start, text: c.text, line: c.kind === 'line' }))].sort(
    (a, b) => a.start - b.start,
  );
  let state = seed + 1;
  const rnd = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  let out = '';
  for (const p of pieces) {
    out += p.text;
    if (p.line) out += '\n';
    else {
      const r = rnd();
      out += r < 0.6 ? ' ' : r < 0.9 ? '\n' : '\n\n   ';
    }
  }
  return out;
}

describe('random programs with comments between random tokens', () => {
  const COMMENT_BODIES = ['c', 'a // b', 'x * y / z', '(nested (* *', 'tab\there', '"quoted"', '*', ''];
  const arbComment = fc.record({ style: fc.constantFrom('line', 'block', 'herd', 'own-line', 'blank-line'), body: fc.constantFrom(...COMMENT_BODIES), n: fc.nat(999) });

  it('formatting keeps the program and every comment, and is idempotent', () => {
    const prop = fc.property(arbProgram, fc.array(fc.tuple(fc.nat(), arbComment), { maxLength: 12 }), (p, inserts) => {
      const base = printProgram(p);
      const { tokens } = lex(new SourceFile('t.mw', base));
      // insert after randomly chosen tokens (statement boundaries are among them; the eof token
      // stands for the start of the file), back to front
      const at = inserts.map(([k, c]) => ({ offset: tokens[(k % tokens.length) - 1]?.span.end ?? 0, c })).sort((a, b) => b.offset - a.offset);
      let text = base;
      for (const { offset, c } of at) {
        const body = `${c.body} ${c.n}`;
        const comment =
          c.style === 'line' ? ` // ${body}\n` : c.style === 'block' ? ` /* ${body} */ ` : c.style === 'herd' ? ` (* ${body.replace(/\(\*|\*\)/g, '')} *) ` : c.style === 'own-line' ? `\n// ${body}\n` : `\n\n/* ${body} */\n\n`;
        text = text.slice(0, offset) + comment + text.slice(offset);
      }
      const once = fmt(text);
      expect(ast(once)).toEqual(ast(base));
      expect(commentTexts(once)).toEqual(commentTexts(text));
      expect(fmt(once)).toBe(once);
    });
    try {
      fc.assert(prop, { seed: SEED, numRuns: NUM_RUNS });
    } catch (e) {
      console.error(`comment formatting property failed; rerun with MEMWEAVE_SEED=${SEED}`);
      throw e;
    }
  });
});
