import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { apiError, type ErrorCode } from '../platform/errors.js';
import { HolderForProcedureByPseudonymDocument, HolderForProcedureDocument, type HolderFactsFragment } from './generated/operations.js';
import { GraphUnavailableError, type GraphClient, type GraphResult } from '../platform/graph-client.js';

export type HolderFacts = HolderFactsFragment;

const PASSED_ON = new Set<string>(['FORBIDDEN', 'PURPOSE_REQUIRED', 'UNAUTHENTICATED', 'INVALID_INPUT']);

/**
 * Reads what a procedure needs of a holder from the other subgraphs, through the gateway and with the caller's own
 * headers, so the caller's scope applies to the nested read exactly as to a direct one.
 */
export async function lookupHolder(
  graph: GraphClient,
  headers: Record<string, string>,
  by: { id: string } | { pseudonym: string },
): Promise<HolderFacts | null> {
  let result: GraphResult<{ holder?: HolderFacts | null; holderByPseudonym?: HolderFacts | null }>;
  try {
    result =
      'id' in by
        ? await graph.request(HolderForProcedureDocument as TypedDocumentNode<{ holder?: HolderFacts | null }, { id: string }>, { id: by.id }, headers)
        : await graph.request(HolderForProcedureByPseudonymDocument, { pseudonym: by.pseudonym }, headers);
  } catch (e) {
    if (e instanceof GraphUnavailableError) throw apiError('INTERNAL_SERVER_ERROR', 'the holder record could not be read; try again');
    throw e;
  }
  const holder = result.data?.holder ?? result.data?.holderByPseudonym ?? null;
  const rootError = result.errors?.find((e) => (e.path?.length ?? 0) <= 1);
  if (!holder && rootError) {
    const code = rootError.extensions?.code ?? '';
    if (PASSED_ON.has(code)) throw apiError(code as ErrorCode, rootError.message);
    throw apiError('INTERNAL_SERVER_ERROR', 'the holder record could not be read; try again');
  }
  return holder;
}
