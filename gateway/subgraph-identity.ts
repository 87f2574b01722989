import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { GatewayTokenSigner } from '../lib/identity/gateway-token.js';
import { HEADER, subgraphHeaders } from '../lib/identity/request.js';
import type { RequestAccess } from '../lib/identity/roles.js';
import { traceHeaders } from '../lib/tracing.js';

/**
 * Puts on every subgraph call the headers `subgraphHeaders` names: the gateway's token for that subgraph, the request
 * id, the trace context, and for a mutation's call the caller's token and idempotency key. The runtime's
 * `propagateHeaders` is not told whether a call is a mutation's, so it would have to give every call the caller's
 * token; this hook sees the call's operation type.
 *
 * The access is the one the HTTP wrapper verified and put in a header of its own (it replaces whatever a client
 * sent under that name); nothing else the client sent reaches a subgraph.
 */
export function subgraphIdentityPlugin(sign: GatewayTokenSigner): GatewayPlugin {
  // Read once per request, however many times the plan calls a subgraph; the signer reuses its tokens.
  const accessByRequest = new WeakMap<Request, RequestAccess | null>();
  const accessOf = (request: Request): RequestAccess | null => {
    let access = accessByRequest.get(request);
    if (access === undefined) {
      const verified = request.headers.get(HEADER.verifiedAccess);
      accessByRequest.set(request, (access = verified ? (JSON.parse(verified) as RequestAccess) : null));
    }
    return access;
  };
  return {
    async onSubgraphExecute({ subgraphName, executionRequest }) {
      const request = (executionRequest.context as { request?: Request } | undefined)?.request;
      const access = request && accessOf(request);
      if (!request || !access) return;
      const writing =
        executionRequest.operationType === 'mutation'
          ? { authorization: request.headers.get(HEADER.authorization), idempotencyKey: request.headers.get(HEADER.idempotencyKey) }
          : null;
      const headers = { ...subgraphHeaders(await sign(subgraphName, access), access.requestId, writing), ...traceHeaders(request.headers) };
      // The HTTP executor takes these out of the request it is given and onto the call (see subgraph-timeout.ts).
      executionRequest.extensions = { ...executionRequest.extensions, headers };
    },
  };
}
