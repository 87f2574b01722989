import { readFileSync } from 'node:fs';
import { SUBGRAPHS, SUPERGRAPH_FILE, type SubgraphName } from '../schema/subgraphs.js';
import { BAD_PORT_MESSAGE, fetchRefusesUrl } from '../lib/platform/fetch-ports.js';

export type SubgraphUrls = Record<SubgraphName, string>;

/**
 * The committed supergraph with each subgraph's routing URL set to where it runs now. The file carries placeholder
 * URLs so that it does not change with ports or hosts. A URL whose port fetch refuses stops the gateway at start,
 * naming the subgraph, instead of failing every call to it as an internal error.
 */
export function loadSupergraph(urls: SubgraphUrls): string {
  let sdl = readFileSync(SUPERGRAPH_FILE, 'utf8');
  for (const s of SUBGRAPHS) {
    if (fetchRefusesUrl(urls[s.name])) throw new Error(`subgraph ${s.name}: its URL ${BAD_PORT_MESSAGE}`);
    sdl = sdl.replaceAll(`http://${s.name}.subgraph.invalid/graphql`, urls[s.name]);
  }
  return sdl;
}
