/**
 * The model names as the CLI prints them, all from the registry (model/memory/registry.ts): a
 * model added there appears in every usage text, choice list and default without an edit here.
 */
import { DEFAULT_MODEL, MODELS, MODEL_NAMES, SC_MODEL, drfModelOf, hardwareModelOf, type ModelName } from '../model/memory/registry.js';

export { DEFAULT_MODEL, MODEL_NAMES, SC_MODEL, drfModelOf, hardwareModelOf };
export type { ModelName };

/** "sc|tso|pso|js": the alternatives of a --model option. */
export const MODEL_ALTERNATIVES = MODEL_NAMES.join('|');
/** "sc, tso, pso, js": the models as a list. */
export const MODEL_LIST = MODEL_NAMES.join(', ');
/** "sc, tso, pso or js": the models as a choice. */
export const MODEL_CHOICE = MODEL_NAMES.length < 2 ? MODEL_LIST : `${MODEL_NAMES.slice(0, -1).join(', ')} or ${MODEL_NAMES[MODEL_NAMES.length - 1] ?? ''}`;
/** The models whose outcomes are their own (not another model's plus checks, as js is sc's): the columns of `litmus list`. */
export const OUTCOME_MODELS: readonly ModelName[] = MODELS.models.filter((m) => m.sameOutcomesAs === null).map((m) => m.name);
