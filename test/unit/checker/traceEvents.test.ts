/**
 * The public trace carries each step's structured memory event (so renderers need not parse the
 * effect text), and a violation's message is built once (a data race reads "data race on y: …",
 * not "data race: data race on y: …").
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { replay } from '../../../checker/replay.js';
import { compileOrThrow } from '../../support/programs.js';

const RACY = compileOrThrow('racy.mw', `test racy
shared x = 0;
shared y = 0;
thread P0 { store.plain(y, 1); store.sc(x, 1); }
thread P1 { r0 = load.sc(x); r1 = load.plain(y); }
`);

const DEADLOCK = compileOrThrow('dl.mw', `test dl
shared x = 0;
shared f = 0;
thread P0 { store.sc(x, 1); r = fetch_add.sc(f, 1); await (load.sc(x) == 2); }
thread P1 { await (load.sc(x) == 1); store.sc(x, 3); }
`);

describe('trace steps carry their memory event', () => {
  it('reads, writes and RMWs are events matching their effect text; a step without memory has none', () => {
    const r = check(DEADLOCK, { model: 'sc', por: false });
    const v = r.violations.find((x) => x.kind === 'deadlock');
    expect(v).toBeDefined();
    const trace = v?.trace ?? [];
    expect(trace.length).toBeGreaterThan(2);
    for (const s of trace) {
      const e = s.event;
      if (e === null) continue;
      switch (e.kind) {
        case 'write':
          expect(s.effect).toMatch(new RegExp(`^write \\w+ = ${e.value}`));
          break;
        case 'rmw':
          expect(s.effect).toMatch(new RegExp(`^read \\w+ = ${e.read}`));
          break;
        case 'read':
          expect(s.effect).toMatch(new RegExp(`read \\w+ = ${e.value}$`));
          break;
        default:
          break;
      }
    }
    expect(trace.map((s) => s.event?.kind ?? null)).toContain('rmw');
    expect(trace.map((s) => s.event?.kind ?? null)).toContain('write');
  });

  it('a replayed trace carries the same events', () => {
    const r = check(DEADLOCK, { model: 'tso' });
    const v = r.violations[0];
    expect(v).toBeDefined();
    if (v === undefined) return;
    const again = replay(DEADLOCK, { model: 'tso' }, v.replay);
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.trace.map((s) => s.event)).toEqual(v.trace.map((s) => s.event));
  });
});

describe('violation messages are built once', () => {
  it('a data race says so once, and the replay ending says the same', () => {
    const r = check(RACY, { model: 'js', engine: 'state' });
    const v = r.violations.find((x) => x.kind === 'race');
    expect(v?.message).toMatch(/^data race on y: P0 .* and P1 .* are concurrent conflicting accesses/);
    expect(v?.message).not.toMatch(/data race.*data race/);
    if (v === undefined) return;
    const again = replay(RACY, { model: 'js', engine: 'state' }, v.replay);
    expect(again.ok && again.ending).toBe(v.message);
  });
});
