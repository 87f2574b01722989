import { createHash } from 'node:crypto';
import { print, type DocumentNode } from 'graphql';

/** JSON with object keys in sorted order, so that a retry whose client orders its variables differently matches. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The digest of one client operation — its document, operation name and variables — that the gateway passes beside
 * an Idempotency-Key: each subgraph a keyed request reaches stores it with the key, so the key stands for that one
 * request across the whole graph, and a retry of it is recognised in every subgraph it reached.
 */
export function operationDigest(document: DocumentNode, operationName: string | null | undefined, variables: unknown): string {
  return createHash('sha256')
    .update(print(document))
    .update('\n')
    .update(operationName ?? '')
    .update('\n')
    .update(stableJson(variables ?? {}))
    .digest('hex');
}
