/**
 * Mixed-size accesses in the execution-graph engine's ECMAScript model (issue 15:
 * model/memory/graph/jsBytes.ts, model/semantics/byteSlots.ts):
 * - the brute-force oracle (test/oracle/graphOracle.ts, every reads-bytes-from choice and every
 *   per-byte coherence order of every run of each thread, judged by the model) finds the same
 *   executions and register outcomes as the explorer where the engine's answer is complete, and a
 *   superset where it is not, on generated mixed-size programs;
 * - race-free mixed-size programs: the graph engine's js outcomes are the stateful search's (SC-DRF);
 * - pinned verdicts, each with its clause of ECMA-262 §29 (the 2024 numbering: §29.7.2 Coherent
 *   Reads, §29.7.3 Tear Free Reads, §29.9 Data Races).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, checkProgram } from '../../../checker/check.js';
import { graphBytesUnsupported } from '../../../checker/graphCheck.js';
import { exploreGraphs } from '../../../checker/graphExplorer.js';
import { GRAPH_MODELS } from '../../../model/memory/graph/index.js';
import type { ExecutionGraph, GraphModel } from '../../../model/memory/graph/index.js';
import type { IrProgram } from '../../../model/ir.js';
import { compileSource } from '../../../model/frontend.js';
import { assertSeeded, describeProgram, seedFromEnv } from '../../arbitraries/irProgram.js';
import { arbMixedSource, arbMixedWaitSource, mixedIr } from '../../arbitraries/mixedProgram.js';
import { graphOracle } from '../../oracle/graphOracle.js';
import { IrThreadRunner } from '../../../model/semantics/irThreads.js';
import { byteSlot, byteWords } from '../../../model/semantics/byteSlots.js';

function model(name: string): GraphModel {
  const m = GRAPH_MODELS.get(name);
  if (m === undefined) throw new Error(`no graph model ${name}`);
  return m;
}

function irOf(text: string): IrProgram {
  const r = compileSource('t.mw', text);
  if (r.ir === null) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.ir;
}

/** The register part of an outcome key (a JSON array over the observables). */
function registersOf(p: IrProgram): (key: string) => string {
  const regs = p.observables.flatMap((o, i) => (o.what.kind === 'reg' ? [i] : []));
  return (key) => {
    const values = JSON.parse(key) as number[];
    return JSON.stringify(regs.map((i) => values[i] ?? 0));
  };
}

/** Does the program make an RMW of a location modelled byte by byte? */
function hasByteRmw(p: IrProgram): boolean {
  const bw = byteWords(p);
  return bw !== null && p.threads.some((th) => th.code.some((i) => i.kind === 'rmw' && bw[p.locations[i.addr.loc]?.base ?? -1] === 1));
}

/** A compareExchange of a byte-by-byte location (js2017 refuses it: checker/graphCheck.ts casWriteBackUnsupported). */
function hasByteCas(p: IrProgram): boolean {
  const bw = byteWords(p);
  return bw !== null && p.threads.some((th) => th.code.some((i) => i.kind === 'rmw' && i.op === 'cmpxchg' && bw[p.locations[i.addr.loc]?.base ?? -1] === 1));
}

const sortedSet = (keys: Iterable<string>): string[] => [...new Set(keys)].sort();

/** The distinct values of several observables together, as sorted tuples. */
const tuples = (r: ReturnType<typeof check>, names: readonly string[]): string[] => sortedSet(r.outcomes.map((o) => JSON.stringify(names.map((n) => o.values[n]))));

/** A generated source with its threads in reverse order (renamed P0, P1, … again, so the condition still names them). */
function reversedThreads(text: string): string {
  const blocks = [...text.matchAll(/thread P(\d+) \{\n([\s\S]*?)\n\}/g)].map((m) => ({ t: Number(m[1]), body: m[2] as string }));
  const n = blocks.length;
  let out = text;
  const re = (k: number): number => n - 1 - k;
  // the bodies in reverse, and the condition's register names mapped P_k → P_(n-1-k)
  const head = out.slice(0, out.indexOf('thread P0'));
  const cond = out.slice(out.lastIndexOf('}') + 1).replace(/P(\d+):/g, (_m, k: string) => `P${re(Number(k))}:`);
  out = `${head}${blocks.map((_, k) => `thread P${k} {\n${(blocks[re(k)] as { body: string }).body}\n}`).join('\n')}${cond}`;
  return out;
}

/** The values of one register over a check's outcomes. */
function valuesOf(r: ReturnType<typeof check>, name: string): number[] {
  return [...new Set(r.outcomes.map((o) => o.values[name] as number))].sort((a, b) => a - b);
}

describe('mixed size on the graph engine against the brute-force oracle', () => {
  const seed = seedFromEnv(0x15b17e);
  // brute force over bytes is costly (about a second a program): 40 programs for js, 20 for the 2017 variant
  const override = process.env['MEMWEAVE_GRAPH_ORACLE_RUNS'];
  for (const name of ['js', 'js2017']) {
    const runs = Number(override ?? (name === 'js' ? 40 : 20));
    it(`${name}: the same executions and register outcomes where the engine is complete, a subset where it is not (${runs} programs)`, () => {
      const tally = { complete: 0, partial: 0, skipped: 0, weak: 0, rmwComplete: 0, refused: 0, enumerated: 0 };
      assertSeeded(
        fc.property(arbMixedSource, (text) => {
          const p = mixedIr(text);
          const m = model(name);
          const want = graphOracle(p, m);
          if (want === null) {
            tally.skipped++;
            return;
          }
          const answer = check(p, { model: name as 'js' | 'js2017', engine: 'graph' });
          // js2017's write-back of a failed compareExchange is not modelled on byte-by-byte locations: refused, saying so
          if (name === 'js2017' && hasByteCas(p)) {
            expect(answer.stats.unsupported, text).toMatch(/failed compareExchange writes back/);
            expect(answer.verdict).toBe('inconclusive');
            tally.refused++;
            return;
          }
          expect(answer.stats.unsupported, text).toBeUndefined();
          const got = exploreGraphs(p, { model: m });
          const regs = registersOf(p);
          const mine = sortedSet(got.outcomes.rows().map((o) => regs(JSON.stringify(o.tuple))));
          const theirs = sortedSet([...want.outcomes.keys()].map(regs));
          const sc = sortedSet(check(p, { model: 'sc' }).outcomes.map((o) => regs(JSON.stringify(p.observables.map((ob) => o.values[ob.name])))));
          if (mine.length > sc.length) tally.weak++;
          // the explorer's own outcomes are always among the oracle's
          for (const o of mine) expect(theirs, `${name}: the engine found ${o}, the oracle did not\n${text}`).toContain(o);
          if (answer.budgetExhausted === null) {
            tally.complete++;
            if (hasByteRmw(p)) tally.rmwComplete++;
            // the explorer's executions plus those of checker/beyondPorf.ts (po ∪ rf cycles) are exactly the oracle's
            const answered = sortedSet(answer.outcomes.map((o) => regs(JSON.stringify(p.observables.map((ob) => o.values[ob.name] ?? 0)))));
            expect({ executions: answer.stats.executions, outcomes: answered }, `${name} (complete answer)\n${text}\n${describeProgram(p)}`).toEqual({ executions: want.executions, outcomes: theirs });
            if ((answer.stats.beyondPorf?.executions ?? 0) > 0) tally.enumerated++;
            else expect(got.executions, text).toBe(want.executions);
          } else {
            tally.partial++;
            expect(answer.budgetExhausted, text).toBe('unexplored');
            for (const o of mine) expect(theirs, `${name}: the engine found ${o}, the oracle did not\n${text}`).toContain(o);
          }
        }),
        seed,
        runs,
      );
      // not vacuous: most programs compared exactly, and some have outcomes SC does not
      expect(tally.skipped).toBeLessThan(runs / 5);
      expect(tally.complete).toBeGreaterThan((runs - tally.refused) / 2);
      expect(tally.weak).toBeGreaterThan(0);
      // and some of those compared exactly have an RMW of the byte-by-byte location
      expect(tally.rmwComplete).toBeGreaterThan(runs / 10);
    }, 600_000);
  }
});

describe('race-free mixed-size programs: the graph engine agrees with the stateful search (SC-DRF)', () => {
  it('the same outcomes, memory included, on every generated race-free program', () => {
    const tally = { raceFree: 0, rmw: 0 };
    assertSeeded(
      fc.property(arbMixedSource, (text) => {
        const p = mixedIr(text);
        const state = check(p, { model: 'js', engine: 'state' });
        if (state.violations.some((v) => v.kind === 'race')) return;
        tally.raceFree++;
        if (hasByteRmw(p)) tally.rmw++;
        const graph = check(p, { model: 'js', engine: 'graph' });
        expect(graph.budgetExhausted, text).toBe(null);
        const key = (r: typeof state): string[] => sortedSet(r.outcomes.map((o) => JSON.stringify(o.values)));
        expect(key(graph), text).toEqual(key(state));
        expect(graph.condition?.validated, text).toBe(state.condition?.validated);
      }),
      seedFromEnv(0x15d7f),
      150,
    );
    expect(tally.raceFree).toBeGreaterThan(10);
    expect(tally.rmw).toBeGreaterThan(3);
  }, 600_000);
});

describe('wait and notify on a word accessed at mixed sizes (its wait reads four bytes, its waiter list is per word)', () => {
  it('race-free programs: the graph engine\'s js outcomes are the stateful search\'s (SC-DRF), deadlocks included', () => {
    const tally = { raceFree: 0, waits: 0 };
    assertSeeded(
      fc.property(arbMixedWaitSource, (text) => {
        const p = mixedIr(text);
        // waits of two threads on x: refused by the graph engine (graphBytesUnsupported), below
        if (graphBytesUnsupported(p) !== null) return;
        const state = check(p, { model: 'js', engine: 'state' });
        if (state.violations.some((v) => v.kind === 'race')) return;
        tally.raceFree++;
        if (/wait\(x/.test(text)) tally.waits++;
        const graph = check(p, { model: 'js', engine: 'graph' });
        expect(graph.budgetExhausted, text).toBe(null);
        const key = (r: typeof state): string[] => sortedSet(r.outcomes.map((o) => JSON.stringify(o.values)));
        expect(key(graph), text).toEqual(key(state));
        expect(graph.condition?.validated, text).toBe(state.condition?.validated);
        expect(graph.violations.some((v) => v.kind === 'deadlock'), text).toBe(state.violations.some((v) => v.kind === 'deadlock'));
      }),
      seedFromEnv(0x15a17),
      150,
    );
    expect(tally.raceFree).toBeGreaterThan(10);
    expect(tally.waits).toBeGreaterThan(3);
  }, 600_000);
  it('racy programs: no final graph twice, and the reverse thread order finds the same outcomes', () => {
    const m = model('js');
    const tally = { racy: 0 };
    const graphKey = (g: ExecutionGraph): string => `${g.threads.map((es) => es.map((e) => `${e.kind}:${e.slot}:${e.value}:${e.rf}:${e.rmwArgs?.op ?? ''}`).join(',')).join('|')}#${[...g.co.entries()].sort((a, b) => a[0] - b[0]).map(([slot, ws]) => `${slot}=${ws.join(',')}`).join(';')}`;
    assertSeeded(
      fc.property(fc.tuple(arbMixedWaitSource, fc.boolean()), ([text, reverse]) => {
        const p = mixedIr(text);
        if (graphBytesUnsupported(p) !== null) return;
        const seen = new Set<string>();
        let finals = 0;
        const r = exploreGraphs(p, { model: m, maxExecutions: 20_000, onFinal: (g) => { finals++; seen.add(graphKey(g)); } });
        if (r.budgetExhausted !== null) return;
        if (r.findings.has('race')) tally.racy++;
        expect(seen.size, text).toBe(finals);
        if (!reverse) return;
        const n = p.threads.length;
        const fwd = check(p, { model: 'js', engine: 'graph', maxStates: 20_000 });
        const back = check(mixedIr(reversedThreads(text)), { model: 'js', engine: 'graph', maxStates: 20_000 });
        if (fwd.budgetExhausted === 'states' || back.budgetExhausted === 'states') return;
        // the reversed program's register P_k is the original's P_(n-1-k)
        const named = (r: typeof fwd, rename: boolean): string[] =>
          sortedSet(r.outcomes.map((o) => JSON.stringify(Object.entries(o.values).map(([k, v]) => [rename ? k.replace(/^P(\d+):/, (_m, t: string) => `P${n - 1 - Number(t)}:`) : k, v]).sort())));
        expect(named(back, true), text).toEqual(named(fwd, false));
        expect(back.violations.some((v) => v.kind === 'deadlock'), text).toBe(fwd.violations.some((v) => v.kind === 'deadlock'));
      }),
      seedFromEnv(0x15a18),
      40,
    );
    expect(tally.racy).toBeGreaterThan(5);
  }, 600_000);
  // Known gap, found by the reverse-order law: with two waiters and two i16 stores into the
  // waited word, the explorer finds 94 final executions in one thread order and 95 in the other
  // (the same outcomes, the same deadlock; no final graph twice in either). Word-only waits agree
  // (16 and 16), and so do one waiter, or loads instead of the waits. Grouping the final graphs
  // by their byte events shows each order missing executions the other has: one where the
  // storeless waiter reads byte 2 from P1 and byte 3 initial, consistent only with its critical
  // section first in the waiter list's order (the other waiter's store otherwise happens-before
  // its read through the list's synchronizes-with). Suspected: the order of two sections is
  // chosen by revisiting a leave, which keeps the wait's byte reads made for the other order. So
  // the graph engine refuses such programs (graphBytesUnsupported); the explorer is pinned here.
  it.fails('the execution count of a byte-modelled wait program does not depend on the thread order', () => {
    const one = 'shared x;\nshared y;\nthread P0 { store.plain(x.i16[1], 3599); r1 = wait(x, 0); }\nthread P1 { store.plain(x.i16[1], 3599); r1 = load.plain(y); }\nthread P2 { r0 = wait(x, 0); }\nexists (P0:r1=0 \\/ P1:r1=0 \\/ P2:r0=0)';
    const other = 'shared x;\nshared y;\nthread P0 { r0 = wait(x, 0); }\nthread P1 { store.plain(x.i16[1], 3599); r1 = load.plain(y); }\nthread P2 { store.plain(x.i16[1], 3599); r1 = wait(x, 0); }\nexists (P2:r1=0 \\/ P1:r1=0 \\/ P0:r0=0)';
    const m = model('js');
    expect(exploreGraphs(irOf(other), { model: m }).executions).toBe(exploreGraphs(irOf(one), { model: m }).executions);
  });
  it('a write access of a byte-by-byte location is added whole before another thread reads: a word read that synchronizes with a word store is not lost in either thread order', () => {
    // P1's i16 store then word store; P0's SeqCst word read. Reading any byte from the word store
    // synchronizes (equal ranges), and then Coherent Reads (§29.7.2) makes it read all four from
    // it; otherwise bytes 0-1 are initial and bytes 2-3 each initial or the i16 store's: 5
    // executions. With the reader first, its reads were once added between the word store's byte
    // writes, every choice of byte 3 was inconsistent for want of the store's byte 3, and the
    // execution reading the word store was lost (4).
    const reader = 'thread PR { r0 = load.sc(x); }';
    const writer = 'thread PW { store.plain(x.i16[1], 3599); store.sc(x, 16909060); }';
    const m = model('js');
    for (const [a, b] of [[writer, reader], [reader, writer]]) {
      const p = irOf(`shared x;\n${a}\n${b}\nexists (PR:r0=0)`);
      const want = graphOracle(p, m);
      expect(want?.executions).toBe(5);
      expect(exploreGraphs(p, { model: m }).executions).toBe(5);
    }
  });
  it('a wait reads its word from bytes: a byte store into the word makes it not-equal, and it does not synchronize the byte (different ranges)', () => {
    // P1's wait is a SeqCst read of x's four bytes (ECMA-262 §25.4 Atomics.wait: the Int32Array
    // element); it may take byte 1 from P0's i8 store and return not-equal. The store and the
    // wait's read have different ranges: no synchronizes-with (§29.6), so P1's later plain byte
    // read may still see the initial byte (Coherent Reads, §29.7.2, needs happens-before)
    const text = 'shared x;\nthread P0 { store.sc(x.i8[1], 1); r0 = notify(x); }\nthread P1 { r1 = wait(x, 0); r2 = load.plain(x.i8[1]); }\nexists (P1:r1=1 /\\ P1:r2=0 /\\ P0:r0=0)';
    const r = check(irOf(text), { model: 'js' });
    expect(r.stats.engine).toBe('graph');
    expect(r.budgetExhausted).toBe(null);
    expect(r.condition?.validated).toBe(true);
    // with the flag stored as a word (equal ranges) the wait's read synchronizes: forbidden
    const word = check(irOf(text.replace('store.sc(x.i8[1], 1)', 'store.sc(x, 256)')), { model: 'js' });
    expect(word.budgetExhausted).toBe(null);
    expect(word.condition?.validated).toBe(false);
    // a notify that found the waiter woke it: it returned ok (0)
    expect(tuples(word, ['P0:r0', 'P1:r1'])).toEqual(['[0,1]', '[1,0]']);
  });
});

describe('byte events (model/semantics/byteSlots.ts)', () => {
  it('an access of a byte-by-byte location is one event per byte, little-endian; a read is composed and sign-extended', () => {
    const p = irOf('shared x;\nshared y;\nthread P0 { store.plain(x, 0x1234ff80); r0 = load.sc(x.i16[1]); r1 = load.plain(x.i8[0]); r2 = load.plain(y); }\nexists (P0:r0=0 /\\ P0:r1=0 /\\ P0:r2=0)');
    const runner = new IrThreadRunner(p, 0, { unroll: 4 });
    const ops: string[] = [];
    const feed = [0x80, 0xff, 0x34, 0x12];
    for (let k = 0; k < 12; k++) {
      const op = runner.next();
      if (op.kind === 'done') break;
      if (op.kind !== 'read' && op.kind !== 'write') throw new Error(op.kind);
      ops.push(`${op.kind} ${op.slot} ${op.kind === 'write' ? op.value : ''} ${op.bytes === undefined ? 'word' : `${op.bytes.lo}+${op.bytes.part}/${op.bytes.size}`}`.replace('  ', ' '));
      // the reads of x's upper half read 0x34, 0x12; of its byte 0, 0x80; of y, 5
      runner.resume(op.kind === 'write' ? 0 : op.slot === byteSlot(0, 2) ? 0x34 : op.slot === byteSlot(0, 3) ? 0x12 : op.slot === byteSlot(0, 0) ? 0x80 : 5);
    }
    const b = (k: number): number => byteSlot(0, k);
    expect(ops).toEqual([`write ${b(0)} ${feed[0]} 0+0/4`, `write ${b(1)} ${feed[1]} 0+1/4`, `write ${b(2)} ${feed[2]} 0+2/4`, `write ${b(3)} ${feed[3]} 0+3/4`, `read ${b(2)} 2+0/2`, `read ${b(3)} 2+1/2`, `read ${b(0)} 0+0/1`, 'read 1 word']);
    expect([...runner.registers()]).toEqual([0x1234, -128, 5]);
  });
});

describe('pinned verdicts (ECMA-262 §29)', () => {
  it('tearing across two writes of different sizes is allowed (§29.7.3 constrains equal-range writes only)', () => {
    // P2's word read may take bytes 0-1 from P1's i16 write (0x0202) and bytes 2-3 from... or mix
    // byte 0 of P0's word write (0x01) with byte 1 of P1's: 0x0201 = 513
    const p = irOf('shared x;\nthread P0 { store.plain(x, 257); }\nthread P1 { store.plain(x.i16[0], 514); }\nthread P2 { r0 = load.plain(x); }\nexists (P2:r0=513)');
    const r = check(p, { model: 'js' });
    expect(r.stats.jsRoute).toBe('racy');
    expect(r.stats.engine).toBe('graph');
    expect(r.condition?.validated).toBe(true);
    // every combination of a byte from P0 (1), P1 (2) or the initial 0 for byte 0, the same for byte 1
    expect(valuesOf(r, 'P2:r0')).toEqual([0, 1, 2, 256, 257, 258, 512, 513, 514]);
    // SC allows only the three whole values
    expect(valuesOf(check(p, { model: 'sc' }), 'P2:r0')).toEqual([0, 257, 514]);
  });
  it('an aligned read never tears between two writes of its own range (§29.7.3 Tear Free Reads)', () => {
    const p = irOf('shared x;\nthread P0 { store.plain(x.i16[0], 257); }\nthread P1 { store.plain(x.i16[0], 514); }\nthread P2 { r0 = load.plain(x.i16[0]); }\nexists (P2:r0=258 \\/ P2:r0=513)');
    const r = check(p, { model: 'js' });
    expect(r.stats.jsRoute).toBe('racy');
    expect(r.condition?.validated).toBe(false);
    // with the initial bytes (1-byte Init writes, not of the read's range) it may still mix
    expect(valuesOf(r, 'P2:r0')).toEqual([0, 1, 2, 256, 257, 512, 514]);
  });
  it('a word write and a byte read race (different-size Atomics, §29.9) and the byte is one of the two', () => {
    const r = check(irOf('shared x;\nthread P0 { store.sc(x, 305419904); }\nthread P1 { r0 = load.sc(x.i8[0]); }\nforall ((P1:r0=0 \\/ P1:r0=-128) /\\ x.i8[3]=18)'), { model: 'js' });
    expect(r.stats.engine).toBe('graph');
    expect(r.stats.jsRoute).toBe('racy');
    expect(r.budgetExhausted).toBe(null);
    expect(r.violations.map((v) => v.kind)).toEqual(['race']);
    expect(r.condition?.validated).toBe(true);
    expect(valuesOf(r, 'P1:r0')).toEqual([-128, 0]);
  });
  it('message passing over bytes: an Atomics flag of equal range synchronizes, and the payload byte is seen (§29.7.2 Coherent Reads)', () => {
    const r = check(irOf('shared x;\nshared f;\nthread P0 { store.plain(x.i8[1], 5); store.sc(f, 1); }\nthread P1 { r0 = load.sc(f); r1 = load.plain(x); }\nexists (P1:r0=1 /\\ P1:r1=0)'), { model: 'js' });
    expect(r.condition?.validated).toBe(false);
    expect(r.outcomes.map((o) => [o.values['P1:r0'], o.values['P1:r1']])).toContainEqual([1, 1280]);
  });
  it('a flag written as a word and read as a byte does not synchronize (no equal ranges): the stale payload is allowed', () => {
    const r = check(irOf('shared x;\nshared f;\nthread P0 { store.plain(x, 5); store.sc(f, 1); }\nthread P1 { r0 = load.sc(f.i8[0]); r1 = load.plain(x); }\nexists (P1:r0=1 /\\ P1:r1=0)'), { model: 'js' });
    expect(r.stats.engine).toBe('graph');
    expect(r.condition?.validated).toBe(true);
    // with the word read of the flag the same program forbids it
    const word = check(irOf('shared x;\nshared f;\nthread P0 { store.plain(x, 5); store.sc(f.i8[0], 1); }\nthread P1 { r0 = load.sc(f.i8[0]); r1 = load.plain(x); }\nexists (P1:r0=1 /\\ P1:r1=0)'), { model: 'js' });
    expect(word.condition?.validated).toBe(false);
  });
  it('final memory is per byte: racing writes of different sizes leave any mix of their bytes', () => {
    const r = check(irOf('shared x;\nthread P0 { store.plain(x, 257); }\nthread P1 { store.plain(x.i8[1], 2); }\nexists (x=513)'), { model: 'js' });
    expect(r.condition?.validated).toBe(true);
    expect([...new Set(r.outcomes.map((o) => o.values['x']))].sort((a, b) => (a as number) - (b as number))).toEqual([257, 513]);
  });
});

describe('RMWs of a location accessed at mixed sizes (ECMA-262 §29: a ReadModifyWriteSharedMemory event reads bytes and writes its range)', () => {
  it('a word Atomics.add racing with a byte Atomics.store: the store may fall between its read and its write (no SC Atomics clause for different ranges)', () => {
    // §29.7.4 forbids a SeqCst write V between W and R in memory-order only when V has R's range
    // (or W's): P1's byte store and P0's word add have different ranges, so the add need not be
    // atomic against it (x = 1 having read 0: the store is lost); and since the add's read of
    // byte 0 from the store creates no synchronizes-with (§29.6: equal ranges), the final byte 0
    // may be either write's (x = 5 having read 5). SC allows only the two interleavings.
    const text = 'shared x;\nthread P0 { r0 = fetch_add.sc(x, 1); }\nthread P1 { store.sc(x.i8[0], 5); }\nexists (x=1 /\\ P0:r0=0)';
    const r = check(irOf(text), { model: 'js' });
    expect(r.stats.engine).toBe('graph');
    expect(r.budgetExhausted).toBe(null);
    expect(r.violations.map((v) => v.kind)).toEqual(['race']);
    expect(r.condition?.validated).toBe(true);
    expect(tuples(r, ['x', 'P0:r0'])).toEqual(['[1,0]', '[5,0]', '[5,5]', '[6,5]']);
    expect(tuples(check(irOf(text), { model: 'sc' }), ['x', 'P0:r0'])).toEqual(['[5,0]', '[6,5]']);
  });
  it('two word Atomics.add of a byte-by-byte location are atomic with each other (§29.7.4 (a): equal-range SeqCst events)', () => {
    // each add reads-from the other's write or the initial bytes; were P1's add to read 0 as well,
    // P0's add (a SeqCst write of its range) would lie between the initial write and P1's add in
    // memory-order, which clause (a) forbids when they synchronize, and js2017's rule too
    for (const model of ['js', 'js2017'] as const) {
      const r = check(irOf('shared x;\nthread P0 { r0 = fetch_add.sc(x, 1); }\nthread P1 { r1 = fetch_add.sc(x, 1); }\nthread P2 { r2 = load.sc(x.i8[1]); }\nforall (x=2 /\\ (P0:r0=1 \\/ P1:r1=1) /\\ P2:r2=0)'), { model, engine: 'graph' });
      expect(r.stats.executions, model).toBeGreaterThan(0);
      expect(tuples(r, ['x', 'P0:r0', 'P1:r1']), model).toEqual(['[2,0,1]', '[2,1,0]']);
      // both RMWs read and write x: a po ∪ rf cycle is possible by the program's shape, so checker/beyondPorf.ts
      // enumerates the cyclic candidates byte by byte; none is consistent (SeqCst RMWs of equal ranges), and the answer is complete
      expect(r.budgetExhausted, model).toBeNull();
      expect(r.stats.beyondPorf?.executions, model).toBe(0);
      expect(r.stats.beyondPorf?.candidates, model).toBeGreaterThan(0);
    }
  });
  it('a byte Atomics.add does not synchronize with a word Atomics.load of its word (§29.6 synchronizes-with needs equal ranges): the stale payload is allowed', () => {
    const mp = (flagRead: string): string => `shared d;\nshared f;\nthread P0 { store.plain(d, 1); r0 = fetch_add.sc(f.i8[0], 1); }\nthread P1 { r0 = load.sc(${flagRead}); r1 = load.plain(d); }\nexists (P0:r0=0 /\\ P1:r0=1 /\\ P1:r1=0)`;
    const word = check(irOf(mp('f')), { model: 'js' });
    expect(word.stats.engine).toBe('graph');
    expect(word.budgetExhausted).toBe(null);
    expect(word.condition?.validated).toBe(true);
    // the same flag read through the add's own range synchronizes: forbidden
    const byte = check(irOf(mp('f.i8[0]')), { model: 'js' });
    expect(byte.budgetExhausted).toBe(null);
    expect(byte.condition?.validated).toBe(false);
    expect(tuples(byte, ['P1:r0', 'P1:r1'])).toEqual(['[0,0]', '[0,1]', '[1,1]']);
  });
  it('a byte compareExchange compares with the expected value converted to its width (ECMA-262 §25.4 Atomics.compareExchange: ToInt8) on both engines', () => {
    const text = 'shared x = 255;\nthread P0 { r0 = cmpxchg.sc(x.i8[0], 255, 7); r1 = cmpxchg.sc(x.i8[0], 255, 9); }\nthread P1 { r2 = load.plain(x.i8[0]); }\nforall (x=7 /\\ P0:r0=-1 /\\ P0:r1=7 /\\ (P1:r2=-1 \\/ P1:r2=7))';
    for (const engine of ['graph', 'state'] as const) {
      const r = check(irOf(text), { model: 'js', engine });
      expect(r.budgetExhausted, engine).toBe(null);
      expect(r.condition?.validated, engine).toBe(true);
      // the failed second compareExchange wrote nothing: P1 reads 255 (-1) or 7, never 9
      expect(valuesOf(r, 'P1:r2'), engine).toEqual([-1, 7]);
    }
  });
  it('an i16 Atomics.add racing with a word store of its word: its read may tear, its writes mix with the store\'s per byte, its carry stays in its half', () => {
    // x starts 0x7fff7fff; P0 adds 0x0101 to the low half, P1 stores 0x01020304 (Unordered, a
    // race: §29.9). The add's read of bytes 0-1 may take each byte from the store or the 1-byte
    // Init writes (Tear Free Reads, §29.7.3, constrains only writes of the read's own range), and
    // memory-order may put the store between the add's read and its write on one byte and not on
    // the other (no SC Atomics clause applies to an Unordered V): the final low half 0x8104 takes
    // byte 0 from the store and byte 1 from the add having read the initial 0x7fff. The high half
    // is the store's (its only writer after Init, and Init is first in memory-order).
    const text = 'shared x = 2147450879;\nthread P0 { r0 = fetch_add.sc(x.i16[0], 257); }\nthread P1 { store.plain(x, 16909060); }\nexists (x.i16[0]=-32508 /\\ x.i16[1]=258 /\\ P0:r0=32767)';
    const r = check(irOf(text), { model: 'js' });
    expect(r.stats.engine).toBe('graph');
    expect(r.budgetExhausted).toBe(null);
    expect(r.condition?.validated).toBe(true);
    expect(valuesOf(r, 'x.i16[1]')).toEqual([258]);
    // 0x7fff, 0x0304, and the two tears 0x03ff and 0x7f04
    expect(valuesOf(r, 'P0:r0')).toEqual([772, 1023, 32516, 32767]);
    expect(r.outcomes.length).toBe(16);
    // SC: the store then the add (reads 772, leaves 1029), or the add then the store
    expect(tuples(check(irOf(text), { model: 'sc' }), ['x.i16[0]', 'P0:r0'])).toEqual(['[1029,772]', '[772,32767]']);
  });
  it('S316 is lifted for js and js2017 on the graph engine and kept for the others', () => {
    const p = irOf('shared x;\nthread P0 { store.plain(x.i8[0], 1); }\nthread P1 { r0 = load.plain(x); }');
    expect(checkProgram(p, { model: 'js', engine: 'graph' }).ok).toBe(true);
    expect(checkProgram(p, { model: 'js2017' }).ok).toBe(true);
    for (const m of ['ra', 'rc11'] as const) {
      const a = checkProgram(p, { model: m });
      expect(a.ok).toBe(false);
      if (!a.ok) expect(a.diagnostics.map((d) => d.code)).toEqual(['S316']);
    }
    expect(checkProgram(p, { model: 'sc', engine: 'graph' }).ok).toBe(false);
  });
  it('examples/mixed under js: the racy ones are answered by the graph engine, completely', () => {
    const dir = fileURLToPath(new URL('../../../examples/mixed', import.meta.url));
    const racy: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.mw')).sort()) {
      const r = compileSource(`examples/mixed/${f}`, readFileSync(`${dir}/${f}`, 'utf8'));
      if (r.ir === null) throw new Error(f);
      const a = check(r.ir, { model: 'js' });
      expect(a.budgetExhausted, f).toBe(null);
      if (a.stats.jsRoute !== 'racy') continue;
      racy.push(f);
      expect(a.stats.engine, f).toBe('graph');
    }
    expect(racy).toEqual(['add_loses_byte.mw', 'tear.mw', 'word_then_byte.mw']);
    // the lost byte store of add_loses_byte.mw: allowed by js, not by sc
    const lost = compileSource('examples/mixed/add_loses_byte.mw', readFileSync(`${dir}/add_loses_byte.mw`, 'utf8')).ir as IrProgram;
    expect(check(lost, { model: 'js' }).condition?.validated).toBe(true);
    expect(check(lost, { model: 'sc' }).condition?.validated).toBe(false);
  });
  it('a byte-by-byte location: a word read racing with one word write may mix the initial bytes with the write\'s (1-byte Init writes, §6.2.9.2)', () => {
    const r = check(irOf('shared x;\nthread P0 { store.plain(x, 257); }\nthread P1 { r0 = load.plain(x); }\nthread P2 { r1 = load.plain(x.i8[3]); }\nexists (P1:r0=256 /\\ P2:r1=0)'), { model: 'js' });
    expect(valuesOf(r, 'P1:r0')).toEqual([0, 1, 256, 257]);
  });
  // Known gap (docs/js-memory-model.md, ADR 0011): ECMA-262 §6.2.9.2 CreateSharedByteDataBlock
  // appends one 1-byte Init write per byte, and Tear Free Reads (§29.7.3) only forbids mixing
  // writes of the read's own range, so by the letter the same read on a location accessed only as
  // words may see 256 too. The Alloy model of Watt et al.'s artifact reads it the same way (its one
  // initial write IW covers every byte, so it is never of a word read's range and the no-tear rule
  // lets a read mix it with one write). The word engine's initial write is one 4-byte write and
  // does not show it. Not small to close: every racily accessed word under js would have to be
  // modelled byte by byte (four events per access, per-byte coherence), changing the counts and
  // the speed of every racy js graph check, which ADR 0011 keeps as they are; decided 2026-12-03
  // (issue 15, third step) to leave it open and visible here.
  it.fails('a word-only location: the same initial-byte mix (the word engine does not model it)', () => {
    const r = check(irOf('shared x;\nthread P0 { store.plain(x, 257); }\nthread P1 { r0 = load.plain(x); }\nexists (P1:r0=256)'), { model: 'js' });
    expect(valuesOf(r, 'P1:r0')).toEqual([0, 1, 256, 257]);
  });
});
