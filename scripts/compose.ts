/**
 * Composes schema/*.graphql into schema/supergraph.graphql with @apollo/composition. Any error or hint fails the
 * build: a hint today is a planner surprise tomorrow. `--check` compares instead of writing.
 */
import { composeServices } from '@apollo/composition';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'graphql';
import { printSchema } from 'graphql';
import { API_SCHEMA_FILE, readSubgraphSdl, SUBGRAPHS, SUPERGRAPH_FILE } from '../schema/subgraphs.js';

export interface Composed {
  supergraphSdl: string;
  /** The schema clients see (no federation directives): integrators and codegen read it. */
  apiSdl: string;
}

const withNewline = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);

export function composeSupergraph(): Composed {
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
  return {
    supergraphSdl: withNewline(result.supergraphSdl),
    apiSdl: withNewline(printSchema(result.schema.toAPISchema().toGraphQLJSSchema())),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const composed = composeSupergraph();
    const outputs = [
      [SUPERGRAPH_FILE, composed.supergraphSdl],
      [API_SCHEMA_FILE, composed.apiSdl],
    ] as const;
    for (const [file, text] of outputs) {
      if (process.argv.includes('--check')) {
        if (readFileSync(file, 'utf8') !== text) {
          console.error(`${file} is out of date: run npm run compose`);
          process.exit(1);
        }
      } else {
        writeFileSync(file, text);
      }
    }
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
