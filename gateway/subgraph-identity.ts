import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST, GraphQLError } from 'graphql';
import { operationDigest } from '../lib/platform/idempotency/operation.js';
import type { GatewayTokenSigner } from '../lib/platform/identity/gateway-token.js';
import { HEADER, subgraphHeaders } from '../lib/platform/identity/request.js';
import type { RequestAccess } from '../lib/platform/identity/roles.js';
import { traceHeaders } from '../lib/platform/tracing.js';
import { accessWithHolderScope, type PseudonymResolver } from './holder-scope.js';

/** What the subgraph calls of one request carry: the verified access (with a Myna Portal request's holder scope). */
interface RequestState {
  access: RequestAccess;
  /** The client operation's digest, for a mutation sent with an idempotency key. */
  operation: string | null;
}

/**
 * Puts on every subgraph call the headers `subgraphHeaders` names: the gateway's token for that subgraph, the request
 * id, the trace context, and for a mutation's call the caller's token, idempotency key and operation digest. The
 * runtime's `propagateHeaders` is not told whether a call is a mutation's, so it would have to give every call the
 * caller's token; this hook sees the call's operation type.
 *
 * Before execution it reads the parsed document and variables (a trusted document's too): a Myna Portal request's
 * pseudonyms become the holder scope signed into its tokens (holder-scope.ts).
 *
 * The access is the one the HTTP wrapper verified and put in a header of its own (it replaces whatever a client
 * sent under that name); nothing else the client sent reaches a subgraph.
 */
export function subgraphIdentityPlugin(sign: GatewayTokenSigner, resolvePseudonyms: PseudonymResolver): GatewayPlugin {
  // Read once per request, however many times the plan calls a subgraph; the signer reuses its tokens.
  const byRequest = new WeakMap<Request, RequestState | null>();
  const stateOf = (request: Request): RequestState | null => {
    let state = byRequest.get(request);
    if (state === undefined) {
      const verified = request.headers.get(HEADER.verifiedAccess);
      byRequest.set(request, (state = verified ? { access: JSON.parse(verified) as RequestAccess, operation: null } : null));
    }
    return state;
  };
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request } | undefined)?.request;
      const state = request && stateOf(request);
      if (!request || !state) return;
      try {
        state.access = await accessWithHolderScope(state.access, args.document, args.variableValues, resolvePseudonyms);
      } catch (e) {
        setResultAndStopExecution({
          errors: [e instanceof GraphQLError ? e : new GraphQLError('internal error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })],
        });
        return;
      }
      if (request.headers.get(HEADER.idempotencyKey) && getOperationAST(args.document, args.operationName)?.operation === 'mutation') {
        state.operation = operationDigest(args.document, args.operationName, args.variableValues);
      }
    },
    async onSubgraphExecute({ subgraphName, executionRequest }) {
      const request = (executionRequest.context as { request?: Request } | undefined)?.request;
      const state = request && stateOf(request);
      if (!request || !state) return;
      const writing =
        executionRequest.operationType === 'mutation'
          ? { authorization: request.headers.get(HEADER.authorization), idempotencyKey: request.headers.get(HEADER.idempotencyKey), operation: state.operation }
          : null;
      const headers = { ...subgraphHeaders(await sign(subgraphName, state.access), state.access.requestId, writing), ...traceHeaders(request.headers) };
      // The HTTP executor takes these out of the request it is given and onto the call (see subgraph-timeout.ts).
      executionRequest.extensions = { ...executionRequest.extensions, headers };
    },
  };
}
