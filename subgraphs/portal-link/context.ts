import type { Db } from '../../lib/platform/db/database.js';
import { groupLoader, rowLoader } from '../../lib/platform/loaders.js';
import type { SubgraphContext } from '../../lib/platform/subgraph-server.js';
import { findHonsekiRequestsByHolderIds, findLatestCertificates, findLinksByHolderIds, findLinksByPseudonyms } from './repository.js';

export function createPortalLinkLoaders(db: Db) {
  return {
    certificateByHolderId: rowLoader(
      (ids: readonly string[]) => findLatestCertificates(db, ids),
      (r) => r.holderId,
    ),
    linkByHolderId: rowLoader(
      (ids: readonly string[]) => findLinksByHolderIds(db, ids),
      (r) => r.holderId,
    ),
    linkByPseudonym: rowLoader(
      (ps: readonly string[]) => findLinksByPseudonyms(db, ps),
      (r) => r.pseudonym,
    ),
    honsekiRequestsByHolderId: groupLoader(
      (ids: readonly string[]) => findHonsekiRequestsByHolderIds(db, ids),
      (r) => r.holderId,
    ),
  };
}

export interface PortalLinkContext extends SubgraphContext {
  loaders: ReturnType<typeof createPortalLinkLoaders>;
}
