CREATE SCHEMA "consent";
--> statement-breakpoint
CREATE TABLE "consent"."consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"holder_id" uuid NOT NULL,
	"items" text[] NOT NULL,
	"channel" text NOT NULL,
	"terms_version" text NOT NULL,
	"consented_at" timestamp with time zone NOT NULL,
	"expires_on" date NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_via" text,
	"certificate_serial" text NOT NULL,
	"certificate_not_after" timestamp with time zone NOT NULL,
	"certificate_revoked_at" timestamp with time zone,
	"signed_document" text,
	"signature" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consents_items_known" CHECK ("consent"."consents"."items" <@ ARRAY['ADDRESS','NAME','BIRTH_DATE']::text[] and cardinality("consent"."consents"."items") > 0),
	CONSTRAINT "consents_channel_known" CHECK ("consent"."consents"."channel" in ('CENTER','MYNA_PORTAL')),
	CONSTRAINT "consents_revoked_via_known" CHECK ("consent"."consents"."revoked_via" is null or "consent"."consents"."revoked_via" in ('CENTER','MYNA_PORTAL'))
);
--> statement-breakpoint
CREATE TABLE "consent"."jlis_notifications" (
	"notification_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"consent_id" uuid,
	"filed_on" date,
	"outcome" text NOT NULL,
	"reason" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "jlis_notifications_outcome_known" CHECK ("consent"."jlis_notifications"."outcome" in ('SCHEDULED','NO_CHANGE','SKIPPED'))
);
--> statement-breakpoint
CREATE INDEX "consents_holder_consented_idx" ON "consent"."consents" USING btree ("holder_id","consented_at");--> statement-breakpoint
CREATE INDEX "consents_certificate_serial_idx" ON "consent"."consents" USING btree ("certificate_serial");--> statement-breakpoint
CREATE INDEX "consents_active_expiry_idx" ON "consent"."consents" USING btree ("expires_on") WHERE "consent"."consents"."revoked_at" is null;