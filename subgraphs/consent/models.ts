import type { ConsentRow } from './tables.js';

export type { ConsentRow };

/** A Holder as the gateway hands it to this subgraph: its key plus the prefecture this subgraph @requires. */
export interface HolderReference {
  id: string;
  residencePrefecture?: string;
}

export type ConsentParent = ConsentRow;
