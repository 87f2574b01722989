/**
 * Writes schema/trusted-documents.json: every operation of schema/operations as the generated typed documents print
 * it, keyed by the SHA-256 of that text. In production the gateway runs only these (by hash); `--check` compares.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { print, type DocumentNode } from 'graphql';
import { trustedDocumentId } from '../lib/graphql/document-id.js';
import * as operations from '../lib/generated/operations.js';
import { schemaPath } from '../schema/subgraphs.js';

export const TRUSTED_DOCUMENTS_FILE = schemaPath('trusted-documents.json');

export function buildManifest(): Record<string, string> {
  const entries = Object.entries(operations)
    .filter(([name, value]) => name.endsWith('Document') && typeof value === 'object' && (value as DocumentNode).kind === 'Document')
    .map(([, doc]) => print(doc as DocumentNode))
    .map((text) => [trustedDocumentId(text), text] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(entries);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = `${JSON.stringify(buildManifest(), null, 2)}\n`;
  if (process.argv.includes('--check')) {
    if (readFileSync(TRUSTED_DOCUMENTS_FILE, 'utf8') !== text) {
      console.error('schema/trusted-documents.json is out of date: run npm run generate');
      process.exit(1);
    }
  } else {
    writeFileSync(TRUSTED_DOCUMENTS_FILE, text);
  }
}
