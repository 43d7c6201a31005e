/**
 * The ECMAScript memory model (model/memory/graph/js.ts) on the graph engine, held to the
 * brute-force oracle (test/oracle/graphOracle.ts: every reads-from and coherence choice of every
 * run of each thread alone, judged by the model's predicate). The oracle builds what the explorer
 * does not — executions whose po ∪ rf has a cycle (load buffering with plain accesses) — so it
 * checks two things at once:
 * - where the engine's answer is complete (no `unexplored`, the answer `check --model js --engine
 *   graph` gives), the oracle finds exactly the same executions and outcomes: nothing the model
 *   allows is missed, and the engine's claim that no unbuilt execution can exist (SC-DRF for a
 *   race-free program, or checker/unbuiltExecutions.ts) holds;
 * - where it is not, everything the engine found, the oracle finds too.
 * Outcomes are compared on registers: under js a racy location's final value is what SeqCst
 * reads after joining every thread may read (several per execution: the model's `finalReads`),
 * where the oracle takes the coherence-last write.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exploreGraphs } from '../../../checker/graphExplorer.js';
import { check } from '../../../checker/check.js';
import { GRAPH_MODELS } from '../../../model/memory/graph/index.js';
import type { GraphModel } from '../../../model/memory/graph/index.js';
import type { IrProgram } from '../../../model/ir.js';
import { arbIrProgram, assertSeeded, describeProgram, seedFromEnv } from '../../arbitraries/irProgram.js';
import { graphOracle } from '../../oracle/graphOracle.js';

function model(name: string): GraphModel {
  const m = GRAPH_MODELS.get(name);
  if (m === undefined) throw new Error(`no graph model ${name}`);
  return m;
}

/** The register part of an outcome key (outcomeKey is a JSON array over the observables). */
function registersOf(p: IrProgram): (key: string) => string {
  const regs = p.observables.flatMap((o, i) => (o.what.kind === 'reg' ? [i] : []));
  return (key) => {
    const values = JSON.parse(key) as number[];
    return JSON.stringify(regs.map((i) => values[i] ?? 0));
  };
}

const sortedSet = (keys: Iterable<string>): string[] => [...new Set(keys)].sort();

// JavaScript's accesses: Unordered (plain) and SeqCst (sc); every RMW SeqCst; no fences
const jsPrograms = arbIrProgram({ maxThreads: 3, maxInstrs: 3, modes: ['plain', 'sc'], allowFences: false }).filter((p) => p.threads.every((t) => t.code.every((i) => i.kind !== 'rmw' || i.mode === 'sc')));

describe('the js model on the graph engine against the brute-force oracle', () => {
  const seed = seedFromEnv(15_2020);
  // judging js by brute force is the costliest oracle: 200 programs for js, 100 for the 2017 variant
  const override = process.env['MEMWEAVE_GRAPH_ORACLE_RUNS'];
  for (const name of ['js', 'js2017']) {
    const runs = Number(override ?? (name === 'js' ? 200 : 100));
    it(`${name}: the same executions and register outcomes where the engine is complete, a subset where it is not (${runs} programs)`, () => {
      const tally = { complete: 0, partial: 0, beyond: 0, skipped: 0, enumerated: 0 };
      assertSeeded(
        fc.property(jsPrograms, (p) => {
          const m = model(name);
          const want = graphOracle(p, m);
          if (want === null) {
            tally.skipped++; // too many value combinations for brute force
            return;
          }
          const answer = check(p, { model: name as 'js' | 'js2017', engine: 'graph' });
          const got = exploreGraphs(p, { model: m });
          const regs = registersOf(p);
          const explored = sortedSet(got.outcomes.rows().map((o) => regs(JSON.stringify(o.tuple))));
          const answered = sortedSet(answer.outcomes.map((o) => regs(JSON.stringify(p.observables.map((ob) => o.values[ob.name] ?? 0)))));
          const theirs = sortedSet([...want.outcomes.keys()].map(regs));
          // the explorer's own executions are always among the oracle's
          for (const o of explored) expect(theirs, `${name}: the engine found ${o}, the oracle did not\n${describeProgram(p)}`).toContain(o);
          if (answer.budgetExhausted === null) {
            tally.complete++;
            // the explorer's executions plus checker/beyondPorf.ts's are exactly the oracle's
            expect({ executions: answer.stats.executions, outcomes: answered }, `${name} (complete answer)\n${describeProgram(p)}`).toEqual({ executions: want.executions, outcomes: theirs });
            if ((answer.stats.beyondPorf?.executions ?? 0) > 0) tally.enumerated++;
            if (answer.stats.beyondPorf === undefined) expect(got.executions, describeProgram(p)).toBe(want.executions);
          } else {
            const mine = explored;
            tally.partial++;
            expect(answer.budgetExhausted, describeProgram(p)).toBe('unexplored');
            for (const o of mine) expect(theirs, `${name}: the engine found ${o}, the oracle did not\n${describeProgram(p)}`).toContain(o);
            if (theirs.length > mine.length) tally.beyond++;
          }
        }),
        seed,
        runs,
      );
      // not vacuous: most programs compared exactly, and some needed what the engine does not build
      expect(tally.skipped).toBeLessThan(runs / 10);
      expect(tally.complete).toBeGreaterThan(runs / 2);
      // … and the enumeration beyond po ∪ rf supplied executions the explorer does not build, agreeing with the oracle
      expect(tally.enumerated).toBeGreaterThan(runs / 20);
    }, 600_000);
  }
});
