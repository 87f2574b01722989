CREATE TABLE "audit"."chain_heads" (
	"n" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"chain" text NOT NULL,
	"chain_seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"prev_mac" text NOT NULL,
	"prev_of_chain" bigint,
	"mac" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit"."access_records" ADD COLUMN "mac" text;--> statement-breakpoint
CREATE INDEX "chain_heads_chain_idx" ON "audit"."chain_heads" USING btree ("chain","chain_seq");--> statement-breakpoint
-- Checkpoints are append-only like the records they sign.
CREATE TRIGGER "chain_heads_append_only" BEFORE UPDATE OR DELETE ON "audit"."chain_heads"
  FOR EACH ROW EXECUTE FUNCTION "audit"."refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "chain_heads_no_truncate" BEFORE TRUNCATE ON "audit"."chain_heads"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit"."refuse_change"();
