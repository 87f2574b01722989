import { fileURLToPath } from 'node:url';
import { holdersInScopeThroughGraph } from '../../lib/domain/holders-in-scope.js';
import { defineSubgraph } from '../../lib/platform/subgraph-definition.js';
import { createPortalLinkLoaders, type PortalLinkContext } from './context.js';
import { honsekiWork } from './repository.js';
import { resolvers } from './resolvers.js';

export const portalLinkSubgraph = defineSubgraph<PortalLinkContext>({
  name: 'portal-link',
  dbSchema: 'portal_link',
  migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  holdersInScope: holdersInScopeThroughGraph,
  workCounts: honsekiWork,
  extendContext: (base) => ({ ...base, loaders: createPortalLinkLoaders(base.db) }),
});
