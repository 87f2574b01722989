import type { SubgraphContext } from '../subgraph-server.js';

/**
 * Which of these holders the caller may reach now (lib/platform/identity/authorize.ts, `canReachHolder`), for an
 * idempotent replay: each subgraph says how it knows (lib/domain/holders-in-scope.ts for those that know holders by
 * id only, the driver from its own rows).
 */
export type HoldersInScope = (ctx: SubgraphContext, holderIds: readonly string[]) => Promise<Set<string>>;
