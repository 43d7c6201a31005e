/** S311: unreachable code is a warning, and for templates only code unreachable in every instance. */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../../model/frontend.js';

function warnings(text: string): string[] {
  const r = compileSource('u.mw', text);
  expect(r.ir).not.toBeNull();
  return r.diagnostics.filter((d) => d.code === 'S311').map((d) => `${d.span.line}:${d.span.col}`);
}

describe('S311 unreachable code', () => {
  it('code after an endless loop and after a goto is reported once per run', () => {
    expect(warnings('shared x = 0;\nthread P0 {\n  while (1) { skip; }\n  store.sc(x, 1);\n  store.sc(x, 2);\n}\n')).toEqual(['4:3']);
    expect(warnings('shared x = 0;\nthread P0 {\n  goto e;\n  store.sc(x, 4);\ne:\n  skip;\n}\n')).toEqual(['4:3']);
  });

  it('a branch on the template index is not unreachable: each arm runs in some instance', () => {
    expect(warnings('shared x = 0;\nthread T[i in 0..2] {\n  if (i == 0) { store.sc(x, 2); } else { store.sc(x, 3); }\n}\n')).toEqual([]);
  });

  it('with a single instance, the arm it never takes is reported', () => {
    expect(warnings('shared x = 0;\nthread T[i in 0..1] {\n  if (i == 0) { store.sc(x, 2); } else { store.sc(x, 3); }\n}\n')).toEqual(['3:42']);
  });

  it('reachable loops and branches are not reported', () => {
    expect(warnings('shared x = 0;\nthread P0 {\n  for k in 0..3 { r = load.sc(x); if (r == 1) { store.sc(x, 0); } }\n}\n')).toEqual([]);
  });
});
