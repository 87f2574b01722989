import { readFileSync } from 'node:fs';
import { SUBGRAPHS, SUPERGRAPH_FILE, type SubgraphName } from '../schema/subgraphs.js';

export type SubgraphUrls = Record<SubgraphName, string>;

/**
 * The committed supergraph with each subgraph's routing URL set to where it runs now. The file carries placeholder
 * URLs so that it does not change with ports or hosts.
 */
export function loadSupergraph(urls: SubgraphUrls): string {
  let sdl = readFileSync(SUPERGRAPH_FILE, 'utf8');
  for (const s of SUBGRAPHS) {
    sdl = sdl.replaceAll(`http://${s.name}.subgraph.invalid/graphql`, urls[s.name]);
  }
  return sdl;
}
