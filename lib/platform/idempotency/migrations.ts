import { fileURLToPath } from 'node:url';

/** The Idempotency-Key registry's own migrations (schema `idempotency`), applied before the subgraphs'. */
export const IDEMPOTENCY_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
