import { consentSubgraph } from './consent/definition.js';
import { driverSubgraph } from './driver/definition.js';
import { portalLinkSubgraph } from './portal-link/definition.js';

/** The three subgraphs, in the order they are migrated and started. */
export const SUBGRAPH_DEFINITIONS = [driverSubgraph, consentSubgraph, portalLinkSubgraph] as const;
