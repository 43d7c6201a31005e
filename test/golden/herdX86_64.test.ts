/**
 * herd7's X86_64 tests, read by memweave and answered under tso, against herd's published results:
 *   - the X86_64 catalogue (herdtools7 catalogue/x86_64/tests, 28 diy-generated tests): our
 *     versions in examples/herd/x86_64/, herd's verdicts from that folder's kinds.txt (Allow /
 *     Forbid, under x86-TSO) in examples/herd/x86_64/expected.json;
 *   - herd's X86_64 regression tests (herd/tests/instructions/X86_64, 13 tests): our versions in
 *     examples/herd/x86_64-regress/ and, for the two memweave refuses, test/fixtures/herd/x86_64-refused/,
 *     herd's Observation and States (its .expected files) in examples/herd/x86_64-regress/expected.json.
 * These are the numbers the X86_64 import's session measured by hand (catalogue 28/28 agree,
 * regression 11/13 import), now pinned. The test prints the parse rate and the agreement.
 */
import { describe, expect, it } from 'vitest';
import { litmusIn, loadHerd, runHerd, summary } from '../support/herdExpected.js';

const CATALOGUE = 'examples/herd/x86_64/expected.json';
const REGRESS = 'examples/herd/x86_64-regress/expected.json';

describe("herd7's X86_64 tests against herd's published results", () => {
  it('the expected files cover exactly our versions of the tests', () => {
    expect(Object.keys(loadHerd(CATALOGUE)).sort()).toEqual(litmusIn('examples/herd/x86_64').sort());
    expect(Object.keys(loadHerd(REGRESS)).sort()).toEqual([...litmusIn('examples/herd/x86_64-regress'), ...litmusIn('test/fixtures/herd/x86_64-refused')].sort());
  });

  it('the X86_64 catalogue: every test imports and agrees with kinds.txt under tso', () => {
    const t = runHerd(loadHerd(CATALOGUE), 'tso', false);
    console.log(summary('herd catalogue/x86_64/tests under tso (herd: kinds.txt, x86-TSO)', t));
    // kinds.txt gives a verdict only: no counts or states to compare
    expect(t).toEqual({ tests: 28, imported: 28, sameWord: 28, detailed: 0, sameCounts: 0, sameStates: 0 });
  });

  it("herd's X86_64 regression tests: parse rate and agreement under tso", () => {
    const t = runHerd(loadHerd(REGRESS), 'tso', false);
    console.log(summary('herd herd/tests/instructions/X86_64 under tso (herd: x86-TSO)', t));
    // pinned: 13 tests; refused: A009 (an array and an address in a register, H403), A010 (a
    // 64-bit value, H411)
    expect(t).toEqual({ tests: 13, imported: 11, sameWord: 11, detailed: 11, sameCounts: 11, sameStates: 11 });
  });
});
