-- One hash chain per writing process instead of one for the whole graph, so writers no longer queue on one lock.
-- Existing rows become the chain "global" at their old positions; their hashes are kept as written (lib/audit/chain.ts
-- verifies that chain with the formula it was written with). The append-only trigger is set aside for this one
-- statement that fills the new columns, and restored in the same migration transaction.
CREATE SEQUENCE "audit"."access_records_seq_seq" OWNED BY "audit"."access_records"."seq";--> statement-breakpoint
SELECT setval('"audit"."access_records_seq_seq"', coalesce((SELECT max("seq") FROM "audit"."access_records"), 0) + 1, false);--> statement-breakpoint
ALTER TABLE "audit"."access_records" ALTER COLUMN "seq" SET DEFAULT nextval('"audit"."access_records_seq_seq"');--> statement-breakpoint
ALTER TABLE "audit"."access_records" ADD COLUMN "chain" text;--> statement-breakpoint
ALTER TABLE "audit"."access_records" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit"."access_records" DISABLE TRIGGER "access_records_append_only";--> statement-breakpoint
UPDATE "audit"."access_records" SET "chain" = 'global', "chain_seq" = "seq";--> statement-breakpoint
ALTER TABLE "audit"."access_records" ENABLE TRIGGER "access_records_append_only";--> statement-breakpoint
ALTER TABLE "audit"."access_records" ALTER COLUMN "chain" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit"."access_records" ALTER COLUMN "chain_seq" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "access_records_chain_position_idx" ON "audit"."access_records" USING btree ("chain","chain_seq");
