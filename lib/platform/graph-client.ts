import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import type { Config } from './config.js';
import { trustedDocumentId } from './graphql/document-id.js';
import { HEADER } from './identity/request.js';

export interface GraphResult<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** Thrown when the graph cannot be reached or answers with a server failure; callers retry or report it. */
export class GraphUnavailableError extends Error {
  override name = 'GraphUnavailableError';
}

/** Thrown when the graph refuses an operation outright (top-level errors, no answer): the codes say why. */
export class GraphRefusedError extends Error {
  override name = 'GraphRefusedError';
  constructor(readonly codes: string[]) {
    super(`the graph refused the operation (${codes.join(', ')})`);
  }
}

/** The codes of an answer's errors; an error without one is the server's (as the gateway's formatter has it). */
export const errorCodes = (r: GraphResult<unknown>): string[] => (r.errors ?? []).map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');

/**
 * The answer of an operation that must run whole (a worker's claim or batch): its data, or a GraphRefusedError when
 * the graph answered errors instead — so that a step the graph refuses is reported, not taken for "nothing to do".
 */
export function answerOf<T>(r: GraphResult<T>): T {
  if (r.errors?.length || r.data == null) throw new GraphRefusedError(errorCodes(r));
  return r.data;
}

/**
 * A typed client of the gateway, used by workers and by cross-subgraph steps: the generated documents of
 * schema/operations give both the query text and the result types, as for any integrator. A production gateway runs
 * trusted documents only and refuses a document's text, so there (`trustedDocuments`) each is sent by its id: the
 * SHA-256 of the printed text, as schema/trusted-documents.json keys it. The id goes in
 * `extensions.persistedQuery.sha256Hash`, the form our gateway, Apollo Router and Hive Router all take, so the
 * workers need no change when a router is put in front of the same manifest.
 */
export interface GraphClient {
  request<R, V>(doc: TypedDocumentNode<R, V>, variables: V, headers: Record<string, string>): Promise<GraphResult<R>>;
}

/** A production process reaches a production gateway, which runs trusted documents only (gateway/hive-gateway.ts). */
export const sendsTrustedDocuments = (cfg: Pick<Config, 'NODE_ENV'>): boolean => cfg.NODE_ENV === 'production';

export function createGraphClient(url: () => string, opts: { timeoutMs?: number; trustedDocuments?: boolean } = {}): GraphClient {
  // Each document printed, and hashed, once per client.
  const names = new WeakMap<DocumentNode, { query: string } | { extensions: { persistedQuery: { version: 1; sha256Hash: string } } }>();
  const nameOf = (doc: DocumentNode) => {
    let name = names.get(doc);
    if (!name) {
      const query = print(doc);
      name = opts.trustedDocuments ? { extensions: { persistedQuery: { version: 1, sha256Hash: trustedDocumentId(query) } } } : { query };
      names.set(doc, name);
    }
    return name;
  };
  return {
    async request(doc, variables, headers) {
      let res: Response;
      try {
        res = await fetch(url(), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ ...nameOf(doc), variables }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
        });
      } catch (e) {
        throw new GraphUnavailableError(`the graph is unreachable (${(e as Error).name})`);
      }
      if (res.status >= 500) throw new GraphUnavailableError(`the graph answered ${res.status}`);
      return (await res.json()) as GraphResult<never>;
    },
  };
}

export async function serviceHeaders(token: () => Promise<string>, requestId?: string): Promise<Record<string, string>> {
  return {
    [HEADER.authorization]: `Bearer ${await token()}`,
    [HEADER.purpose]: 'SYSTEM',
    ...(requestId ? { [HEADER.requestId]: requestId } : {}),
  };
}
