/**
 * Which memory models take mixed-size programs (views narrower than a word: x.i8[k], x.i16[k]),
 * and the S316 diagnostic for one that does not. An operational model says so in its record
 * (`MemoryModel.mixedSize`: sc and js); the axiomatic models (model/memory/graph/) and the
 * execution-graph engine do not model bytes yet — their reads-from and coherence are per word, so
 * reads-bytes-from and tear-freedom over byte ranges (ECMA-262 §29) are not in them.
 */
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { firstNarrowAccess, type IrProgram } from '../ir.js';
import { MIXED_SIZE_MODEL_NAMES, supportsMixedSize } from './registry.js';

/** S316 when `program` makes a narrow access and `model` (on the execution-graph engine when `graphEngine`) does not model mixed size; else null. */
export function mixedSizeRefusal(program: IrProgram, model: string, graphEngine: boolean): Diagnostic | null {
  const at = firstNarrowAccess(program);
  if (at === null || (supportsMixedSize(model) && !graphEngine)) return null;
  const who = graphEngine && supportsMixedSize(model) ? `--model ${model} on the execution-graph engine` : `--model ${model}`;
  return diag('S316', program.file, at.origin.span, `\`${at.origin.text}\` is a mixed-size access (a view narrower than i32), which ${who} does not model; the models that do: ${MIXED_SIZE_MODEL_NAMES.join(', ')} (on the stateful engine)`);
}
