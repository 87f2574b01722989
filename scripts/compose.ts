/**
 * Composes schema/*.graphql into schema/supergraph.graphql with @apollo/composition. Any error or hint fails the
 * build: a hint today is a planner surprise tomorrow. `--check` compares instead of writing.
 */
import { composeServices } from '@apollo/composition';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'graphql';
import { readSubgraphSdl, SUBGRAPHS, SUPERGRAPH_FILE } from '../schema/subgraphs.js';

export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPHS.map((s) => ({
      name: s.name,
      // The routing URL is a placeholder: the gateway maps subgraph names to addresses from its own config.
      url: `http://${s.name}.subgraph.invalid/graphql`,
      typeDefs: parse(readSubgraphSdl(s.name)),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
  }
  if (result.hints.length > 0) {
    throw new Error(`composition hints (treated as errors):\n${result.hints.map((h) => `  ${h.definition.code}: ${h.message}`).join('\n')}`);
  }
  return result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const sdl = composeSupergraph();
    if (process.argv.includes('--check')) {
      const committed = readFileSync(SUPERGRAPH_FILE, 'utf8');
      if (committed !== sdl) {
        console.error('schema/supergraph.graphql is out of date: run npm run compose');
        process.exit(1);
      }
    } else {
      writeFileSync(SUPERGRAPH_FILE, sdl);
      console.log(`wrote ${SUPERGRAPH_FILE}`);
    }
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
