/**
 * Mixed-size views on real workers (issue 15): the compiled code goes through Int8Array /
 * Int16Array views over the same SharedArrayBuffer, and what the workers observe is allowed by sc
 * (conform's inclusion, observed ⊆ allowed). Small iteration counts; every worker is ended.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.js';
import { compileProgram } from '../../../impl/compile.js';
import { runOnWorkers, terminateAllWorkers } from '../../../impl/harness.js';
import { compileSource } from '../../../model/frontend.js';
import type { IrProgram } from '../../../model/ir.js';
import { outcomeKey, valuesFromNamed } from '../../../model/outcome.js';

function irOf(path: string): IrProgram {
  const r = compileSource(path, readFileSync(path, 'utf8'));
  if (r.ir === null) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.ir;
}

afterAll(async () => {
  await terminateAllWorkers();
});

describe('views on workers', () => {
  it('compiles views to Int8Array / Int16Array element accesses with Atomics on them', () => {
    const src = compileProgram(irOf('examples/mixed/half_carry.mw'))[0]?.source ?? '';
    expect(src).toContain('new Int16Array(M.buffer');
    expect(src).toMatch(/Atomics\.add\(M16, a, v\)/);
    const bytes = compileProgram(irOf('examples/mixed/bytes_no_race.mw'))[0]?.source ?? '';
    expect(bytes).toMatch(/M8\[a\] = v;/);
  });

  for (const file of ['bytes_no_race', 'word_then_byte', 'half_carry']) {
    it(`${file}: every observed outcome is allowed by sc`, async () => {
      const p = irOf(`examples/mixed/${file}.mw`);
      const allowed = new Set(check(p, { model: 'sc' }).outcomes.map((o) => outcomeKey(valuesFromNamed(p, o.values))));
      const r = await runOnWorkers(p, { iterations: 300, seed: 3 });
      expect(r.histogram.size).toBeGreaterThan(0);
      for (const key of r.histogram.keys()) expect(allowed.has(key), `${file}: observed ${key}`).toBe(true);
    });
  }
});
