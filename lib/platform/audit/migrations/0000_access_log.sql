CREATE SCHEMA "audit";
--> statement-breakpoint
CREATE TABLE "audit"."access_records" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"request_id" text NOT NULL,
	"service" text NOT NULL,
	"subject" text NOT NULL,
	"role" text NOT NULL,
	"prefecture" char(2),
	"holder_id" uuid NOT NULL,
	"action" text NOT NULL,
	"fields" text[] NOT NULL,
	"purpose" text,
	"identity_verification" text,
	"outcome" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "access_records_action_known" CHECK ("audit"."access_records"."action" in ('READ','WRITE')),
	CONSTRAINT "access_records_outcome_known" CHECK ("audit"."access_records"."outcome" in ('ALLOWED','DENIED'))
);
--> statement-breakpoint
CREATE INDEX "access_records_holder_seq_idx" ON "audit"."access_records" USING btree ("holder_id","seq");