/**
 * The worked example of docs/api.md, through the package's main entry (cli/index.ts): what the
 * document says each call answers is what it answers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { check, compileSource, liveWorkers, renderDiagnostics, renderTraceTable, replay, runOnWorkers } from '../../../cli/index.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

afterEach(() => {
  expect(liveWorkers()).toBe(0);
});

describe('docs/api.md worked example', () => {
  it('compile, check, render, replay, run on workers', async () => {
    const path = 'examples/locks/peterson.mw';
    const compiled = compileSource(path, readFileSync(join(ROOT, path), 'utf8'), { defines: { K: 1 } });
    expect(compiled.ir).not.toBeNull();
    const program = compiled.ir!;
    const answer = check(program, { model: 'tso', timeLimitMs: 10_000 });
    if (!answer.ok) throw new Error('the program was refused');
    const result = answer.result;
    expect(result.verdict).toBe('fail');
    expect(result.violations.map((v) => v.kind)).toEqual(['mutex', 'condition']);
    const mutex = result.violations[0]!;
    const table = renderTraceTable(mutex.trace, program, 100);
    expect(table.split('\n').every((l) => l.length <= 100 || l.includes('await ('))).toBe(true);
    expect(table).toContain('store.plain(flag[i], 1)');
    const again = replay(program, { model: 'tso' }, mutex.replay);
    expect(again.ok && again.observed).toBe('mutex');
    const run = await runOnWorkers(program, { iterations: 2_000, seed: 1, batchSize: 500 });
    expect(run.iterations).toBe(2_000);
    const counted = [...run.histogram.values()].reduce((a, b) => a + b, 0);
    expect(counted + run.pruned + run.cut).toBe(run.iterations);
    expect([...run.histogram.keys()].every((k) => /^\[\d+\]$/.test(k))).toBe(true);
  });

  it('a program with an error: no IR, and diagnostics that render', () => {
    const bad = compileSource('bad.mw', 'test bad\nthread P0 { r = 1 + ; }\n');
    expect(bad.ir).toBeNull();
    expect(renderDiagnostics(bad.diagnostics, bad.file, { color: false })).toMatch(/^error\[P102\]: expected an expression, found ';'\n --> bad\.mw:2:21/);
  });

  it('the document shows these calls', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
    for (const call of ['compileSource(path', 'check(program, { model:', 'renderTraceTable(mutex.trace', 'replay(program,', 'runOnWorkers(program,', "from 'memweave/testing'", 'toHold(']) expect(doc).toContain(call);
  });
});
