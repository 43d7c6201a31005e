import { it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { SourceFile } from '../../../../model/syntax/source.js';
import { parseLitmus } from '../../../../model/litmus/index.js';
import { compileSource } from '../../../../model/frontend.js';
it('smoke', () => {
for (const dir of ['x86', 'c']) {
  for (const f of readdirSync(`examples/herd/${dir}`)) {
    const p = `examples/herd/${dir}/${f}`;
    const text = readFileSync(p, 'utf8');
    const file = new SourceFile(p, text);
    const r = parseLitmus(file);
    const summary = r.program.threads.map((t) => `${t.name.name}:${t.body.map((s) => s.kind).join(',')}`).join(' | ');
    console.log(p, r.diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.col} ${d.message}`), r.program.shared.map((s) => s.name.name).join(','), summary);
    try { const c = compileSource(p, text); console.log('  compile:', c.diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.col} ${d.message}`), c.ir ? 'IR ok' : 'no IR'); } catch (e) { console.log('  compile threw', String(e)); }
  }
}
});
