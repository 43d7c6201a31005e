/**
 * Fuzzing the whole front end (lex → parse → resolve → check → lower), as the CLI runs it:
 * at least 10,000 generated and mutated .mw and .litmus inputs (seed printed; MEMWEAVE_SEED
 * overrides). None throws; every rejection carries a catalogued code and a position inside the
 * text; any IR produced validates. A sample also goes through `memweave check` in-process: bad
 * input exits 2 with a rendered diagnostic and no stack trace.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { DIAGNOSTIC_CODES } from '../../../model/diagnostics/codes.js';
import { compileSource } from '../../../model/frontend.js';
import { validateIr } from '../../../model/irValidate.js';
import { arbMutatedSource, arbTokenSoup } from '../../arbitraries/mutate.js';
import { seedFromEnv } from '../../arbitraries/irProgram.js';
import { fakeIo } from '../cli/fakeIo.js';

const SEED = seedFromEnv(0xf022);

function corpus(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...corpus(p, ext));
    else if (e.name.endsWith(ext)) out.push(readFileSync(p, 'utf8'));
  }
  return out;
}

const mwCorpus = corpus('examples', '.mw');
const litmusCorpus = corpus('examples/herd', '.litmus');

function checkFrontEnd(name: string, text: string): void {
  const r = compileSource(name, text);
  for (const d of r.diagnostics) {
    expect(Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CODES, d.code), `unknown code ${d.code}`).toBe(true);
    if (d.code.startsWith('U')) continue; // command-line diagnostics point at the command line
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    expect(d.span.line).toBeGreaterThanOrEqual(1);
    expect(d.span.col).toBeGreaterThanOrEqual(1);
  }
  if (r.ir === null) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  else expect(validateIr(r.ir)).toEqual([]);
}

describe('front-end fuzz (whole pipeline)', () => {
  it(`10,000+ generated and mutated inputs never throw and every rejection has a code and position (seed ${SEED})`, () => {
    console.log(`[pipelineFuzz] fast-check seed ${SEED}`);
    let runs = 0;
    fc.assert(
      fc.property(arbMutatedSource(fc.constantFrom(...mwCorpus)), (text) => {
        runs++;
        checkFrontEnd('fuzz.mw', text);
      }),
      { seed: SEED, numRuns: 6_000 },
    );
    fc.assert(
      fc.property(arbTokenSoup, (text) => {
        runs++;
        checkFrontEnd('soup.mw', text);
      }),
      { seed: SEED + 1, numRuns: 2_000 },
    );
    fc.assert(
      fc.property(arbMutatedSource(fc.constantFrom(...litmusCorpus)), (text) => {
        runs++;
        checkFrontEnd('fuzz.litmus', text);
      }),
      { seed: SEED + 2, numRuns: 2_500 },
    );
    expect(runs).toBeGreaterThanOrEqual(10_000);
  });

  it('the CLI exits 2 with a rendered diagnostic and no stack trace on rejected input', async () => {
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(arbMutatedSource(fc.constantFrom(...mwCorpus)), async (text) => {
        const r = compileSource('bad.mw', text);
        if (r.ir !== null) return;
        rejected++;
        const io = fakeIo({ files: { 'bad.mw': text } });
        const code = await main(['check', 'bad.mw'], io);
        expect(code).toBe(2);
        expect(io.err).toMatch(/error\[[A-Z]\d{3}\]/);
        expect(io.err).toMatch(/--> bad\.mw:\d+:\d+/);
        expect(io.err).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
        expect(io.err).not.toMatch(/internal error/);
      }),
      { seed: SEED + 3, numRuns: 300 },
    );
    expect(rejected).toBeGreaterThan(50);
  });
});
