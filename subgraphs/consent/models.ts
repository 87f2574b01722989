import type { ConsentRow } from './tables.js';

export type { ConsentRow };

/** A Holder as this subgraph takes it from the gateway: its key and the prefecture the driver vouched for (@requires). */
export type { HolderInQuestion as HolderReference } from '../../lib/domain/holder-access.js';

export type ConsentParent = ConsentRow;
