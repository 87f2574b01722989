-- An Idempotency-Key is one request across the whole graph: its answers are kept in idempotency.requests (lib/idempotency).
DROP TABLE "consent"."idempotency_keys" CASCADE;