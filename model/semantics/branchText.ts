/**
 * What a branch step means at the source level, for traces. The lowering turns `if (c)`,
 * `while (c)` and a multi-load `await (c)` into a branch on the negation of `c` that jumps past
 * the body (or back to the re-read), and `for k in a..b` into a branch on `k >= b`; so "the
 * branch jumped" means the source condition was false. Traces say it the way the source does:
 * "r == 0 is true: enter the then-branch". The construct is read from the instruction's origin
 * text (which the lowering writes from the statement: `if (…)`, `while (…)`, `for k in a..b`,
 * `await (…)`), so the IR carries nothing extra.
 */
import type { IrInstr } from '../ir.js';

/** The source condition inside `keyword (…)`, or null when `text` is not that form. */
function condOf(text: string, keyword: string): string | null {
  const head = `${keyword} (`;
  return text.startsWith(head) && text.endsWith(')') ? text.slice(head.length, -1) : null;
}

/**
 * The effect text of a branch at `pc` of `code` (the instruction's thread), given whether it
 * jumped. `jumped` is the IR's view: the branch's own (lowered) condition held.
 */
export function branchEffect(code: readonly IrInstr[], pc: number, jumped: boolean): string {
  const instr = code[pc];
  if (instr === undefined || instr.kind !== 'branch') return jumped ? 'jump' : 'no jump';
  const text = instr.origin.text;
  const ifCond = condOf(text, 'if');
  if (ifCond !== null) {
    // an if with an else ends its then-branch with a jump of the same statement past the else
    const end = code[instr.target - 1];
    const hasElse = end !== undefined && end.kind === 'jump' && end.origin.span.start === instr.origin.span.start && instr.target - 1 > pc;
    return jumped ? `${ifCond} is false: ${hasElse ? 'take the else-branch' : 'skip the then-branch'}` : `${ifCond} is true: enter the then-branch`;
  }
  const whileCond = condOf(text, 'while');
  if (whileCond !== null) return jumped ? `${whileCond} is false: leave the loop` : `${whileCond} is true: run the loop body`;
  const awaitCond = condOf(text, 'await');
  if (awaitCond !== null) return jumped ? `${awaitCond} is false: read again` : `${awaitCond} is true: go on`;
  const forMatch = /^for (\S+) in .*\.\.(.+)$/.exec(text);
  if (forMatch !== null) {
    const [, v, hi] = forMatch as unknown as [string, string, string];
    return jumped ? `${v} reached ${hi}: leave the loop` : `${v} < ${hi}: run the loop body`;
  }
  return jumped ? 'condition true: jump' : 'condition false: fall through';
}
