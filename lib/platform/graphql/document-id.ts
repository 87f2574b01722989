import { createHash } from 'node:crypto';

/**
 * A trusted document's id: the SHA-256 (hex) of its text as the generated typed documents print it. The manifest
 * (schema/trusted-documents.json) is keyed by it; clients send it as `extensions.persistedQuery.sha256Hash` (the
 * integrator kit, packages/client, does), which our gateway, Apollo Router and Hive Router all take.
 */
export const trustedDocumentId = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
