import { fileURLToPath } from 'node:url';
import { holdersInScopeThroughGraph } from '../../lib/domain/holders-in-scope.js';
import { defineSubgraph } from '../../lib/platform/subgraph-definition.js';
import { createConsentLoaders, type ConsentContext } from './context.js';
import { outboxWork } from './repository.js';
import { resolvers } from './resolvers.js';

export const consentSubgraph = defineSubgraph<ConsentContext>({
  name: 'consent',
  dbSchema: 'consent',
  migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  holdersInScope: holdersInScopeThroughGraph,
  workCounts: outboxWork,
  extendContext: (base) => ({ ...base, loaders: createConsentLoaders(base.db) }),
});
