import { readFileSync } from 'node:fs';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
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

/**
 * The Apollo Sandbox page as Apollo Server renders it, for an engine that has no Apollo Server of its own: the
 * plugin's own renderer, so the page stays what Apollo ships.
 */
export async function sandboxHtml(): Promise<string> {
  const plugin = ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false, ...sandboxInitialState() });
  const listener = await plugin.serverWillStart?.({} as never);
  const page = await listener?.renderLandingPage?.();
  if (!page) throw new Error('the Sandbox landing page could not be rendered');
  return typeof page.html === 'function' ? page.html() : page.html;
}
