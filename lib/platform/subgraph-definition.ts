import type { SubgraphContext } from './subgraph-server.js';
import type { HoldersInScope } from './idempotency/holders-in-scope.js';
import type { Db } from './db/database.js';
import type { WorkCount } from './metrics.js';

/** Everything that makes one subgraph: its name, the Postgres schema and migrations it owns, its resolvers and loaders. */
export interface SubgraphDefinition<C extends SubgraphContext = SubgraphContext> {
  name: 'driver' | 'consent' | 'portal-link';
  dbSchema: string;
  migrationsFolder: string;
  /** Which holders the caller may reach now, for an idempotent replay (lib/domain/holders-in-scope.ts). */
  holdersInScope: HoldersInScope;
  resolvers: object;
  /** The depth of the durable work this subgraph owns, for its `/metrics`. */
  workCounts?(db: Db): Promise<WorkCount[]>;
  /** The per-request part of the context: one DataLoader per entity. */
  extendContext(base: SubgraphContext, settings: SubgraphSettings): C;
}

export interface SubgraphSettings {
  /** What the driver record can hold of an item, in characters (R-IMP-1). */
  maxAddressLength: number;
  maxNameLength: number;
  maxHonsekiLength: number;
  /** Distinct holders one identity may read per window (enforced by the driver subgraph, which serves every holder). */
  holderReadLimit: number;
  holderReadWindowMs: number;
}

export const defineSubgraph = <C extends SubgraphContext>(d: SubgraphDefinition<C>) => d;
