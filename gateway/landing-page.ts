import { readFileSync } from 'node:fs';
import { schemaPath } from '../schema/subgraphs.js';

/** What Apollo Sandbox opens with in development: the HolderCard operation and the headers it needs. */
export function sandboxInitialState() {
  return {
    document: readFileSync(schemaPath('operations/HolderCard.graphql'), 'utf8'),
    variables: { id: '11111111-1111-4111-8111-000000000001' },
    headers: {
      Authorization: 'Bearer <paste the output of: npm run --silent token -- --role SUPERVISOR --prefecture 13>',
      'x-access-purpose': 'HOLDER_INQUIRY',
      'x-identity-verification': 'MYNA_CARD_FACE',
    },
  };
}
