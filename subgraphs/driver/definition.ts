import { fileURLToPath } from 'node:url';
import { defineSubgraph } from '../../lib/platform/subgraph-definition.js';
import { createDriverLoaders, type DriverContext } from './context.js';
import { recordImportWork } from './repository.js';
import { resolvers } from './resolvers.js';
import { HolderReadBudget } from './holder-read-budget.js';
import { canReachHolder } from '../../lib/platform/identity/authorize.js';
import { findHoldersByIds } from './repository.js';

// One budget per running driver subgraph (its settings object): every holder a request reads passes through it.
const budgets = new WeakMap<object, HolderReadBudget>();

export const driverSubgraph = defineSubgraph<DriverContext>({
  name: 'driver',
  dbSchema: 'driver',
  migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  workCounts: recordImportWork,
  // The driver knows every holder's prefecture itself.
  holdersInScope: async (ctx, ids) => {
    const rows = ids.length ? await findHoldersByIds(ctx.db, ids) : [];
    return new Set(rows.filter((r) => canReachHolder(ctx.access, r)).map((r) => r.id));
  },
  extendContext: (base, settings) => {
    let budget = budgets.get(settings);
    if (!budget) budgets.set(settings, (budget = new HolderReadBudget(settings.holderReadLimit, settings.holderReadWindowMs)));
    return {
      ...base,
      loaders: createDriverLoaders(base.db),
      recordLimits: { maxAddressLength: settings.maxAddressLength, maxNameLength: settings.maxNameLength, maxHonsekiLength: settings.maxHonsekiLength },
      readBudget: budget,
      holderIdsRequested: { count: 0 },
    };
  },
});
