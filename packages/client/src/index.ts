/**
 * Renkei's integrator kit: every operation a production gateway runs, typed, with its trusted-document hash, and a
 * small client that sends a document by that hash with the headers the graph asks for. docs/integrators.md in the
 * Renkei repository says how to get a token, which role may run which operation, the errors and paging.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { DOCUMENT_HASHES, type OperationName } from './document-hashes.js';

export * from './operations.js';
export { DOCUMENT_HASHES, type OperationName } from './document-hashes.js';

/** Why the caller reads or writes a holder's data (`x-access-purpose`); recorded with every access. */
export type AccessPurpose = 'HOLDER_INQUIRY' | 'COUNTER_PROCEDURE' | 'IMPORT_CORRECTION' | 'AUDIT' | 'SYSTEM';

/**
 * Top-level error codes (`errors[].extensions.code`): the request was not run, or a field could not be answered.
 * A refused business action is not one of these: it is a `userErrors` entry of the mutation's payload.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'PURPOSE_REQUIRED'
  | 'IDENTITY_VERIFICATION_REQUIRED'
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'REQUEST_TOO_LARGE'
  | 'TOO_MANY_VARIABLES'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_IN_USE'
  | 'PERSISTED_QUERY_ONLY'
  | 'PERSISTED_QUERY_ID_REQUIRED'
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'INTERNAL_SERVER_ERROR';

/** A refused business action or malformed input, in a mutation's payload; `message` is Japanese, for people. */
export interface UserError {
  code: string;
  message: string;
  field: string[] | null;
}

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: ErrorCode | string; [key: string]: unknown };
}

/** The whole request failed: no data at all (a bad token, a missing header, an unknown document, the graph down). */
export class RenkeiRequestError extends Error {
  override name = 'RenkeiRequestError';
  constructor(
    readonly status: number,
    readonly errors: GraphQLErrorEntry[],
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ') || `HTTP ${status}`);
  }
  /** The first error's code, for branching. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

export interface RenkeiClientOptions {
  /** The gateway's endpoint, e.g. `https://renkei.example/graphql`. */
  url: string;
  /** The bearer token, or a function giving a current one (called per request, so a refreshed token is picked up). */
  token: string | (() => string | Promise<string>);
  purpose: AccessPurpose;
  /** How the holder's identity was verified at the counter (`x-identity-verification`); required for HOLDER_INQUIRY. */
  identityVerification?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  /** For a mutation retried after a lost answer: the same key and the same request give the first answer again. */
  idempotencyKey?: string;
  purpose?: AccessPurpose;
  identityVerification?: string;
  signal?: AbortSignal;
}

/** Data, and the field errors of a partial answer (a field a role may not read is null with FORBIDDEN). */
export interface RenkeiResult<R> {
  data: R;
  errors: GraphQLErrorEntry[];
}

/** The operation's name, which is also its key in DOCUMENT_HASHES. */
function operationName(document: TypedDocumentNode<unknown, unknown>): OperationName {
  const op = document.definitions.find((d) => d.kind === 'OperationDefinition');
  const name = op && 'name' in op ? op.name?.value : undefined;
  if (!name || !(name in DOCUMENT_HASHES)) throw new Error(`not a document of this kit: ${name ?? '(anonymous)'}`);
  return name as OperationName;
}

/**
 * The body a production gateway takes: the document named by the SHA-256 of its text, never the text. Also what
 * Apollo Router and Hive Router take, should one stand in front.
 */
export function persistedRequestBody<V>(document: TypedDocumentNode<unknown, V>, variables: V): string {
  const name = operationName(document as TypedDocumentNode<unknown, unknown>);
  return JSON.stringify({ operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: DOCUMENT_HASHES[name] } } });
}

/** Sends the kit's documents by hash, with the token and the purpose headers. */
export class RenkeiClient {
  constructor(private readonly options: RenkeiClientOptions) {}

  /**
   * Runs one operation. Throws RenkeiRequestError when the request was not run (no data); returns the data with any
   * field errors otherwise. A mutation's refusals are in its payload's `userErrors`, not thrown.
   */
  async request<R, V>(document: TypedDocumentNode<R, V>, variables: V, opts: RequestOptions = {}): Promise<RenkeiResult<R>> {
    const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${token}`,
      'x-access-purpose': opts.purpose ?? this.options.purpose,
    };
    const verification = opts.identityVerification ?? this.options.identityVerification;
    if (verification) headers['x-identity-verification'] = verification;
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    const response = await (this.options.fetch ?? fetch)(this.options.url, {
      method: 'POST',
      headers,
      body: persistedRequestBody(document, variables),
      signal: opts.signal,
    });
    const body = (await response.json().catch(() => null)) as { data?: R | null; errors?: GraphQLErrorEntry[] } | null;
    if (!body || body.data == null) throw new RenkeiRequestError(response.status, body?.errors ?? []);
    return { data: body.data, errors: body.errors ?? [] };
  }

  /** Every page of a connection, `first` at a time: `page(after)` runs one request and says where the connection is. */
  async *pages<N>(
    page: (after: string | null) => Promise<{ edges: { node: N }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>,
  ): AsyncGenerator<N> {
    let after: string | null = null;
    for (;;) {
      const connection = await page(after);
      for (const edge of connection.edges) yield edge.node;
      if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) return;
      after = connection.pageInfo.endCursor;
    }
  }
}
