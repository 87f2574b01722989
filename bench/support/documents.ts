import { print, type DocumentNode } from 'graphql';
import { trustedDocumentId } from '../../lib/platform/graphql/document-id.js';

/** True when this run's processes run as deployed (devkit/production.ts). */
export const productionRun = (): boolean => process.env.NODE_ENV === 'production';

/**
 * How a client names an operation: our gateway in production runs trusted documents only, so there it gets the
 * document's id, as deployed front-ends send it; the peers run no trusted documents and get the text.
 */
export function operationBody(doc: DocumentNode, opts: { trusted: boolean }): (variables: Record<string, unknown>) => string {
  const text = print(doc);
  const name = opts.trusted ? { documentId: `sha256:${trustedDocumentId(text)}` } : { query: text };
  return (variables) => JSON.stringify({ ...name, variables });
}
