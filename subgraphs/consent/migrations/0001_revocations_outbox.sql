CREATE TABLE "consent"."record_change_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consent_id" uuid NOT NULL,
	"holder_id" uuid NOT NULL,
	"changes" jsonb NOT NULL,
	"filed_on" date,
	"effective_on" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"claimed_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consent"."revoked_certificates" (
	"serial_number" text PRIMARY KEY NOT NULL,
	"revoked_at" timestamp with time zone NOT NULL,
	"notification_id" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "record_change_outbox_pending_idx" ON "consent"."record_change_outbox" USING btree ("created_at") WHERE "consent"."record_change_outbox"."delivered_at" is null;