import { fileURLToPath } from 'node:url';
import { defineSubgraph } from '../../lib/subgraph-definition.js';
import { createPortalLinkLoaders, type PortalLinkContext } from './context.js';
import { honsekiWork } from './repository.js';
import { resolvers } from './resolvers.js';

export const portalLinkSubgraph = defineSubgraph<PortalLinkContext>({
  name: 'portal-link',
  dbSchema: 'portal_link',
  migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  workCounts: honsekiWork,
  extendContext: (base) => ({ ...base, loaders: createPortalLinkLoaders(base.db) }),
});
