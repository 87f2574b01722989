import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { HEADER } from './identity/request.js';

export interface GraphResult<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** Thrown when the graph cannot be reached or answers with a server failure; callers retry or report it. */
export class GraphUnavailableError extends Error {
  override name = 'GraphUnavailableError';
}

/**
 * A typed client of the gateway, used by workers and by cross-subgraph steps: the generated documents of
 * schema/operations give both the query text and the result types, as for any integrator.
 */
export interface GraphClient {
  request<R, V>(doc: TypedDocumentNode<R, V>, variables: V, headers: Record<string, string>): Promise<GraphResult<R>>;
}

const printed = new WeakMap<DocumentNode, string>();

export function createGraphClient(url: () => string, opts: { timeoutMs?: number } = {}): GraphClient {
  return {
    async request(doc, variables, headers) {
      let query = printed.get(doc);
      if (!query) printed.set(doc, (query = print(doc)));
      let res: Response;
      try {
        res = await fetch(url(), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query, variables }),
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
