/** Tests for cli/args.ts: option parsing into values or usage messages, and -D definitions. */
import { describe, expect, it } from 'vitest';
import { DEFINE_OPTION, FORMAT_OPTION, FORMATS, parseCommandArgs, parseDefines } from '../../../cli/args.js';

const OPTIONS = { ...DEFINE_OPTION, ...FORMAT_OPTION, ir: { type: 'boolean' } } as const;
const RULES = { choices: { format: FORMATS }, positionals: ['FILE'] } as const;

describe('parseCommandArgs', () => {
  it('collects repeated -D in all spellings, the format and positionals', () => {
    const r = parseCommandArgs(['-D', 'N=2', '-DK=3', '--define', 'M=4', '--format', 'json', 'a.mw', '--ir'], OPTIONS, RULES);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.values.define).toEqual(['N=2', 'K=3', 'M=4']);
    expect(r.values.format).toBe('json');
    expect(r.values.ir).toBe(true);
    expect(r.positionals).toEqual(['a.mw']);
  });

  it('defaults --format to text', () => {
    const r = parseCommandArgs(['a.mw'], OPTIONS, RULES);
    expect(r.ok && r.values.format).toBe('text');
  });

  it.each([
    [['a.mw', '--format', 'xml'], /invalid value 'xml' for --format; expected one of: text, json/],
    [['a.mw', '--bogus'], /unknown option '--bogus'/i],
    [['a.mw', '--format'], /argument missing/],
    [['a.mw', '--ir=yes'], /does not take an argument/],
    [[], /missing FILE/],
    [['a.mw', 'b.mw'], /unexpected argument 'b.mw'/],
  ])('rejects %j with a usage message', (argv, message) => {
    const r = parseCommandArgs(argv, OPTIONS, RULES);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(message);
    expect(r.message).not.toMatch(/To specify a positional/);
  });

  it('accepts a positional that starts with - after --', () => {
    const r = parseCommandArgs(['--', '-odd.mw'], OPTIONS, RULES);
    expect(r.ok && r.positionals).toEqual(['-odd.mw']);
  });
});

describe('parseDefines', () => {
  it('parses decimal, negative and hex values (hex wraps to signed 32-bit)', () => {
    expect(parseDefines(['N=3', 'M=-2147483648', 'H=0xffffffff', 'Z = 0x10'])).toEqual({ defines: { N: 3, M: -2147483648, H: -1, Z: 16 }, errors: [] });
  });

  it.each([
    ['N', /expected NAME=VALUE/],
    ['3N=1', /'3N' is not a name/],
    ['N=two', /'two' is not an integer/],
    ['N=', /'' is not an integer/],
    ['N=1.5', /not an integer/],
    ['N=2147483648', /out of the 32-bit range/],
    ['N=-2147483649', /out of the 32-bit range/],
    ['N=0x100000000', /out of the 32-bit range/],
  ])('reports %j as malformed', (item, message) => {
    const r = parseDefines([item]);
    expect(r.defines).toEqual({});
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(message);
  });

  it('reports a name defined twice and keeps the first value', () => {
    const r = parseDefines(['N=1', 'N=2']);
    expect(r.defines).toEqual({ N: 1 });
    expect(r.errors[0]).toMatch(/N is defined more than once/);
  });
});
