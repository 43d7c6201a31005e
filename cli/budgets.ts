/**
 * The budgets of the commands that search, on Node: everything of cli/budgetOptions.ts (pure, shared
 * with the playground), and `parseBudgets`, which holds `--max-memory` against this machine's memory.
 */
import { totalmem } from 'node:os';
import { parseBudgetsWithin, type BudgetValues, type Budgets } from './budgetOptions.js';

export * from './budgetOptions.js';

/** Parse `--max-states`, `--time-limit`, `--max-memory` (at most this machine's memory); a message when one is malformed. */
export function parseBudgets(values: BudgetValues): Budgets | string {
  return parseBudgetsWithin(values, totalmem());
}
