import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SourceFile } from '../../../model/syntax/source.js';
import { parseMw } from '../../../model/syntax/parser.js';
import { lowerProgram } from '../../../model/syntax/lower.js';
import { check } from '../../../checker/check.js';
it('x', () => {
  for (const f of ['/tmp/sb.mw', 'examples/locks/lost_wakeup.mw', 'examples/locks/peterson.mw', 'examples/locks/tas.mw']) {
  const file = new SourceFile(f, readFileSync(f, 'utf8'));
  const p = parseMw(file);
  const l = lowerProgram(p.program, file);
  if (!l.ok) { console.log(l.diagnostics); continue; }
  for (const model of ['sc', 'tso', 'pso', 'js'] as const) { const r = check(l.value, { model }); console.log(f, model, r.verdict, r.stats, r.condition, r.outcomes.length, JSON.stringify(r.violations, null, 1).slice(0, 2500)); }
  }
});
