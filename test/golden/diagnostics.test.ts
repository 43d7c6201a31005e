/**
 * Golden diagnostics: for every code the front end or the command line can emit (E, P, N, S, H, U
 * ranges; R6xx are run-time and tested with the checker), test/golden/diagnostics/ holds a tiny
 * input and the expected rendering (no colour) in <CODE>.expected.
 *   <CODE>.mw / <CODE>.litmus   compiled with compileSource, diagnostics rendered with renderDiagnostics
 *   <CODE>.args                 a JSON array of CLI arguments run through main(); the golden is stderr
 * MEMWEAVE_PROMOTE=1 (npm run promote) rewrites the .expected files; review the diff.
 * Codes no input can trigger yet are listed in NOT_YET with the reason and reported as skipped;
 * as soon as such an input does produce its code, the check below fails so the skip is removed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CODES, type DiagnosticCode } from '../../model/diagnostics/codes.js';
import { compileSource } from '../../model/frontend.js';
import { main } from '../../cli/main.js';
import { renderDiagnostics } from '../../cli/render.js';
import { fakeIo } from '../unit/cli/fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, 'test', 'golden', 'diagnostics');
const PROMOTE = process.env['MEMWEAVE_PROMOTE'] === '1';

/** Codes with no triggering input yet, and why. */
const NOT_YET: Partial<Record<DiagnosticCode, string>> = {
  U506: 'needs a write that fails, which the in-memory io here never does; test/unit/limits/writeErrors.test.ts renders it for every command that writes',
};

/** The codes covered here: everything but the run-time R6xx range. */
const FRONT_END_CODES: readonly DiagnosticCode[] = ALL_CODES.filter((c) => !c.startsWith('R'));

type Case = { kind: 'args'; args: string[] } | { kind: 'source'; name: string; text: string };

function caseFor(code: DiagnosticCode): Case | null {
  const argsPath = join(DIR, `${code}.args`);
  if (existsSync(argsPath)) return { kind: 'args', args: JSON.parse(readFileSync(argsPath, 'utf8')) as string[] };
  for (const ext of ['.mw', '.litmus']) {
    const p = join(DIR, `${code}${ext}`);
    if (existsSync(p)) return { kind: 'source', name: `${code}${ext}`, text: readFileSync(p, 'utf8') };
  }
  return null;
}

/** Run one case: the codes it produced and its rendering. */
async function runCase(c: Case): Promise<{ codes: string[]; rendered: string; exit: number | null }> {
  if (c.kind === 'args') {
    const io = fakeIo({ diskRoot: ROOT });
    const exit = await main(c.args, io);
    const codes = [...io.err.matchAll(/^(?:error|warning|note)\[([A-Z]\d{3})\]/gm)].map((m) => m[1] ?? '');
    return { codes, rendered: io.err, exit };
  }
  const out = compileSource(c.name, c.text, {});
  return { codes: out.diagnostics.map((d) => d.code), rendered: renderDiagnostics(out.diagnostics, out.file, { color: false }), exit: null };
}

describe('golden diagnostics', () => {
  it('every front-end code has an input or a documented reason', () => {
    const missing = FRONT_END_CODES.filter((c) => caseFor(c) === null && NOT_YET[c] === undefined);
    expect(missing).toEqual([]);
  });

  for (const code of FRONT_END_CODES) {
    const reason = NOT_YET[code];
    if (reason !== undefined) {
      it.skip(`${code}: not triggerable yet: ${reason}`, () => {});
      continue;
    }
    it(`${code} renders as in ${code}.expected`, async () => {
      const c = caseFor(code);
      expect(c, `no input for ${code}`).not.toBeNull();
      if (c === null) return;
      const { codes, rendered, exit } = await runCase(c);
      expect(codes, `input for ${code} should produce ${code}`).toContain(code);
      if (exit !== null) expect(exit).toBe(2);
      expect(rendered).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/); // no stack traces
      const expectedPath = join(DIR, `${code}.expected`);
      if (PROMOTE) {
        writeFileSync(expectedPath, rendered);
        return;
      }
      expect(existsSync(expectedPath), `missing ${code}.expected: run npm run promote and review the diff`).toBe(true);
      expect(rendered).toBe(readFileSync(expectedPath, 'utf8'));
    });
  }

  it('codes listed as not yet triggerable still are not produced by their inputs', async () => {
    for (const code of Object.keys(NOT_YET) as DiagnosticCode[]) {
      const c = caseFor(code);
      if (c === null) continue;
      const { codes } = await runCase(c);
      expect(codes, `${code} is now produced: remove it from NOT_YET and promote its golden`).not.toContain(code);
    }
  });
});
