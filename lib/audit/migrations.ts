import { fileURLToPath } from 'node:url';

/** The access log's own migrations (schema `audit`), applied before the subgraphs'. */
export const AUDIT_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
