-- An Idempotency-Key is one request across the whole graph: its answers are kept in idempotency.requests (lib/idempotency).
DROP TABLE "portal_link"."idempotency_keys" CASCADE;