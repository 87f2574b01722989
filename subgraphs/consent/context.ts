import type { Db } from '../../lib/platform/db/database.js';
import { rowLoader } from '../../lib/platform/loaders.js';
import type { SubgraphContext } from '../../lib/platform/subgraph-server.js';
import { findConsentsByIds, findLatestConsents } from './repository.js';

export function createConsentLoaders(db: Db) {
  return {
    latestConsentByHolderId: rowLoader(
      (ids: readonly string[]) => findLatestConsents(db, ids),
      (r) => r.holderId,
    ),
    consentById: rowLoader(
      (ids: readonly string[]) => findConsentsByIds(db, ids),
      (r) => r.id,
    ),
  };
}

export interface ConsentContext extends SubgraphContext {
  loaders: ReturnType<typeof createConsentLoaders>;
}
