import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The subgraphs of the graph, in one place: composition, the gateway and the tests read this list. */
export const SUBGRAPHS = [
  { name: 'driver', sdlFile: 'driver.graphql', portVar: 'DRIVER_PORT' },
  { name: 'consent', sdlFile: 'consent.graphql', portVar: 'CONSENT_PORT' },
  { name: 'portal-link', sdlFile: 'portal-link.graphql', portVar: 'PORTAL_LINK_PORT' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const schemaPath = (file: string) => fileURLToPath(new URL(file, import.meta.url));
export const readSubgraphSdl = (name: SubgraphName) =>
  readFileSync(schemaPath(SUBGRAPHS.find((s) => s.name === name)!.sdlFile), 'utf8');
export const SUPERGRAPH_FILE = schemaPath('supergraph.graphql');
export const API_SCHEMA_FILE = schemaPath('api.graphql');
