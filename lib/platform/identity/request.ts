import { randomUUID } from 'node:crypto';
import { apiError, forbidden, unauthenticated } from '../errors.js';
import { PURPOSES, purposeAllowed, type Purpose, type RequestAccess } from './roles.js';
import { InvalidTokenError, type TokenVerifier } from './tokens.js';
import { InvalidGatewayTokenError, type GatewayTokenVerifier } from './gateway-token.js';

export const HEADER = {
  authorization: 'authorization',
  purpose: 'x-access-purpose',
  identityVerification: 'x-identity-verification',
  requestId: 'x-request-id',
  /** Gateway → subgraph, on a mutation's call only: the caller's own Authorization, for the subgraph's nested requests. */
  caller: 'x-renkei-caller',
  /** Inside the Hive gateway only: the access it verified, from its HTTP wrapper to its subgraph calls. */
  verifiedAccess: 'x-renkei-verified-access',
  /** A client's key for retrying a mutation safely (passed on to the subgraph that runs it). */
  idempotencyKey: 'idempotency-key',
  /**
   * Gateway → subgraph, beside the idempotency key: a digest of the client's whole operation (document, operation
   * name, variables), so that every subgraph a keyed request reaches knows the key for that one request.
   */
  operation: 'x-renkei-operation',
} as const;

export type HeaderSource = { get(name: string): string | null | undefined } | Record<string, string | string[] | undefined>;

export function header(headers: HeaderSource, name: string): string | null {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(n: string): string | null | undefined }).get(name) ?? null;
  }
  const raw = (headers as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(raw) ? raw[0] : raw) ?? null;
}

const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;
const VERIFICATION_RE = /^[A-Za-z0-9_:.-]{1,64}$/;

/**
 * Reads who is asking and why from the HTTP headers. The gateway and every subgraph call this: subgraphs verify
 * the forwarded token themselves rather than trusting a header the gateway could not vouch for.
 */
export async function readRequestAccess(headers: HeaderSource, verify: TokenVerifier): Promise<RequestAccess> {
  const auth = header(headers, HEADER.authorization);
  const match = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  if (!match?.[1]) throw unauthenticated('an Authorization: Bearer token is required');
  let identity: Awaited<ReturnType<TokenVerifier>>;
  try {
    identity = await verify(match[1]);
  } catch (e) {
    if (e instanceof InvalidTokenError) throw unauthenticated('the bearer token is invalid or expired');
    throw e;
  }

  const rawPurpose = header(headers, HEADER.purpose);
  let purpose: Purpose | null = null;
  if (rawPurpose) {
    if (!(PURPOSES as readonly string[]).includes(rawPurpose)) {
      throw apiError('INVALID_INPUT', `header "${HEADER.purpose}" must be one of ${PURPOSES.join(', ')}`, { header: HEADER.purpose });
    }
    purpose = rawPurpose as Purpose;
    if (!purposeAllowed(identity.role, purpose)) {
      throw forbidden(`purpose ${purpose} is not one role ${identity.role} may name in "${HEADER.purpose}"`);
    }
  }
  const rawVerification = header(headers, HEADER.identityVerification);
  if (rawVerification && !VERIFICATION_RE.test(rawVerification)) {
    throw apiError('INVALID_INPUT', `header "${HEADER.identityVerification}" must be a method name of 1-64 letters, digits or _:.-`, {
      header: HEADER.identityVerification,
    });
  }
  return { identity, purpose, identityVerification: rawVerification || null, requestId: requestIdFrom(headers) };
}

/** The client's `x-request-id` when it is a plain token of up to 64 characters (it goes into logs), else a new one. */
function requestIdFrom(headers: HeaderSource): string {
  const raw = header(headers, HEADER.requestId);
  return raw && REQUEST_ID_RE.test(raw) ? raw : randomUUID();
}

/**
 * The headers a subgraph's nested request through the gateway carries to act as the caller did: the caller's own
 * token, the purpose and identity verification (R-INQ-1), and the request id that ties the logs together.
 */
export function callerHeaders(access: RequestAccess, callerAuthorization: string | null): Record<string, string> {
  const out: Record<string, string> = { [HEADER.requestId]: access.requestId };
  if (callerAuthorization) out[HEADER.authorization] = callerAuthorization;
  if (access.purpose) out[HEADER.purpose] = access.purpose;
  if (access.identityVerification) out[HEADER.identityVerification] = access.identityVerification;
  return out;
}

/** What of the caller a mutation's subgraph call carries besides the gateway's token. */
export interface WritingCaller {
  /** The caller's own Authorization, which the subgraph presents again for its nested requests. */
  authorization: string | null;
  idempotencyKey: string | null;
  /** The digest of the client's operation, for a call that carries an idempotency key (lib/platform/idempotency). */
  operation?: string | null;
}

/**
 * What a gateway sends a subgraph: its own token for that subgraph and the request id; for a mutation's call also
 * the caller's token and the idempotency key. Only a procedure (a mutation) makes nested requests as the caller,
 * and a key names a write: a query's call, an entity fetch of a mutation's plan included, gets neither, so a
 * subgraph answering reads never holds a token it could act on as the caller.
 */
export function subgraphHeaders(gatewayToken: string, requestId: string, writing: WritingCaller | null): Record<string, string> {
  const out: Record<string, string> = { [HEADER.authorization]: `Bearer ${gatewayToken}`, [HEADER.requestId]: requestId };
  if (writing?.authorization) out[HEADER.caller] = writing.authorization;
  if (writing?.idempotencyKey) {
    out[HEADER.idempotencyKey] = writing.idempotencyKey;
    if (writing.operation) out[HEADER.operation] = writing.operation;
  }
  return out;
}

/**
 * A subgraph's view of a request: only a token the gateway signed for this subgraph is accepted, checked before
 * anything of the request is parsed (`_entities` and `_service` included). The request id is the gateway's header
 * (held to the same shape as at the gateway; a new one if it is missing or malformed).
 */
export async function readGatewayAccess(headers: HeaderSource, verify: GatewayTokenVerifier): Promise<{ access: RequestAccess; caller: string | null }> {
  const auth = header(headers, HEADER.authorization);
  const match = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  if (!match?.[1]) throw unauthenticated('subgraphs answer requests from the gateway only');
  try {
    const access = await verify(match[1]);
    return { access: { ...access, requestId: requestIdFrom(headers) }, caller: header(headers, HEADER.caller) };
  } catch (e) {
    if (e instanceof InvalidGatewayTokenError) throw unauthenticated('subgraphs answer requests from the gateway only');
    throw e;
  }
}
