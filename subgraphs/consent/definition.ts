import { fileURLToPath } from 'node:url';
import { defineSubgraph } from '../../lib/subgraph-definition.js';
import { createConsentLoaders, type ConsentContext } from './context.js';
import { outboxWork } from './repository.js';
import { resolvers } from './resolvers.js';

export const consentSubgraph = defineSubgraph<ConsentContext>({
  name: 'consent',
  dbSchema: 'consent',
  migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  workCounts: outboxWork,
  extendContext: (base) => ({ ...base, loaders: createConsentLoaders(base.db) }),
});
