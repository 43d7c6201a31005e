/**
 * Trace tables and numbers in the text output (issue 12): the whole instruction text is kept (it
 * was cut at 28 characters), the table fits a terminal width (COLUMNS) by stacking its rows, and
 * counts past 10^15 print readably.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { formatCount, renderTraceTable } from '../../../cli/commands/check.js';
import { terminalColumns } from '../../../cli/main.js';
import { compileOrThrow } from '../../support/programs.js';

const LONG = 'await (load.plain(flag[1 - i]) == 0 || load.plain(turn) == i)';
const src = `test p
shared flag[2];
shared turn = 0;
thread T[i in 0..2] {
  store.plain(flag[i], 1);
  store.plain(turn, 1 - i);
  ${LONG};
  critical { skip; }
}
`;

const trace = () => {
  const p = compileOrThrow('p.mw', src);
  const r = check(p, { model: 'tso' });
  const v = r.violations.find((x) => x.kind === 'mutex');
  expect(v).toBeDefined();
  return { p, steps: v!.trace };
};

describe('trace tables', () => {
  it('keep the whole instruction text', () => {
    const { p, steps } = trace();
    expect(steps.some((s) => s.text === LONG)).toBe(true);
    const table = renderTraceTable(steps, p);
    expect(table).toContain(LONG);
    expect(table).not.toContain('…');
  });

  it('fit a terminal width: stacked rows, then two lines per step, never losing text', () => {
    const { p, steps } = trace();
    const wide = renderTraceTable(steps, p);
    const widest = Math.max(...wide.split('\n').map((l) => l.length));
    expect(renderTraceTable(steps, p, widest)).toBe(wide);
    for (const width of [120, 80, 60]) {
      const t = renderTraceTable(steps, p, width);
      expect(t).toContain(LONG);
      // only a line carrying source text (the instruction, or a branch effect quoting its condition) may be longer
      const over = t.split('\n').filter((l) => l.length > width && !l.includes(LONG) && !l.includes('load.plain(flag[1 - i]) == 0 || load.plain(turn) == i'));
      expect(over, `width ${width}`).toEqual([]);
    }
    expect(renderTraceTable(steps, p, 80)).toMatch(/^ +\d+ {2}T\[\d\] {2}p\.mw:\d+ {2}\S/m);
  });

  it('the width comes from the terminal, else from COLUMNS', () => {
    expect(terminalColumns(132, '80')).toEqual({ columns: 132 });
    expect(terminalColumns(undefined, '80')).toEqual({ columns: 80 });
    expect(terminalColumns(undefined, 'wide')).toEqual({});
    expect(terminalColumns(undefined, undefined)).toEqual({});
  });
});

describe('big numbers', () => {
  it('print as is below 10^15, else with three digits and a power of ten', () => {
    expect(formatCount(5_700_000_000_000)).toBe('5700000000000');
    expect(formatCount(1.5731200860589523e66)).toBe('1.57·10^66');
    expect(formatCount(9.999e20)).toBe('1.00·10^21');
    expect(formatCount(1e15)).toBe('1.00·10^15');
  });
});
