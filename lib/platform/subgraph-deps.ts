import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { KeyObject } from 'node:crypto';
import type { TrustStore } from '../domain/certificates/verify.js';
import type { GraphClient } from './graph-client.js';
import { httpSettings } from './http-server.js';
import { auditSigner } from './audit/signing.js';
import { serviceTokenSource } from './identity/service-token.js';
import { createSubgraphScope } from './identity/subgraph-scope.js';
import type { SubgraphDeps } from './subgraph-server.js';

/** What every subgraph process needs from its configuration, built the same way wherever a subgraph is started. */
export function subgraphDeps(
  cfg: Config,
  io: { db: Db; clock: Clock; trust: TrustStore; jlisFeedKeys: readonly KeyObject[]; graph: GraphClient },
): SubgraphDeps {
  return {
    ...io,
    gatewayKeys: cfg,
    scope: createSubgraphScope(cfg),
    serviceToken: serviceTokenSource(cfg),
    http: httpSettings(cfg),
    accessLog: { signer: auditSigner(cfg.AUDIT_LOG_KEY), checkpointIntervalMs: cfg.AUDIT_CHECKPOINT_INTERVAL_S * 1000 },
    settings: {
      maxAddressLength: cfg.MAX_ADDRESS_LENGTH,
      maxNameLength: cfg.MAX_NAME_LENGTH,
      maxHonsekiLength: cfg.MAX_HONSEKI_LENGTH,
      holderReadLimit: cfg.HOLDER_READ_LIMIT,
      holderReadWindowMs: cfg.HOLDER_READ_WINDOW_S * 1000,
    },
  };
}
