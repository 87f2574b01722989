import type { Db } from '../../lib/platform/db/database.js';
import { groupLoader, rowLoader } from '../../lib/platform/loaders.js';
import type { SubgraphContext } from '../../lib/platform/subgraph-server.js';
import type { HolderReadBudget } from './holder-read-budget.js';
import type { RecordLimits } from './rules/import-validation.js';
import { findHoldersByIds, findHoldersByLicenseNumbers, findImportsByHolderIds, findImportsByIds } from './repository.js';

export function createDriverLoaders(db: Db) {
  return {
    holderById: rowLoader(
      (ids: readonly string[]) => findHoldersByIds(db, ids),
      (r) => r.id,
    ),
    holderByLicenseNumber: rowLoader(
      (ns: readonly string[]) => findHoldersByLicenseNumbers(db, ns),
      (r) => r.licenseNumber ?? '',
    ),
    importsByHolderId: groupLoader(
      (ids: readonly string[]) => findImportsByHolderIds(db, ids),
      (r) => r.holderId,
    ),
    importById: rowLoader(
      (ids: readonly string[]) => findImportsByIds(db, ids),
      (r) => r.id,
    ),
  };
}

export interface DriverContext extends SubgraphContext {
  loaders: ReturnType<typeof createDriverLoaders>;
  /** What the record can hold of each text item (MAX_ADDRESS_LENGTH, MAX_NAME_LENGTH, MAX_HONSEKI_LENGTH). */
  recordLimits: Omit<RecordLimits, 'today'>;
  readBudget: HolderReadBudget;
  /** Holder ids this request's `holders` fields asked for so far (MAX_HOLDERS_PER_REQUEST over all of them). */
  holderIdsRequested: { count: number };
}
