CREATE TABLE "consent"."access_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"request_id" text NOT NULL,
	"subject" text NOT NULL,
	"role" text NOT NULL,
	"prefecture" char(2),
	"holder_id" uuid NOT NULL,
	"action" text NOT NULL,
	"fields" text[] NOT NULL,
	"purpose" text,
	"identity_verification" text,
	"outcome" text NOT NULL,
	CONSTRAINT "access_records_action_known" CHECK ("consent"."access_records"."action" in ('READ','WRITE')),
	CONSTRAINT "access_records_outcome_known" CHECK ("consent"."access_records"."outcome" in ('ALLOWED','DENIED'))
);
--> statement-breakpoint
CREATE INDEX "access_records_holder_at_idx" ON "consent"."access_records" USING btree ("holder_id","at");