CREATE SCHEMA "portal_link";
--> statement-breakpoint
CREATE TABLE "portal_link"."honseki_change_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"holder_id" uuid NOT NULL,
	"identifier_code" text,
	"status" text DEFAULT 'RECEIVED' NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"failure_reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	CONSTRAINT "honseki_change_requests_status_known" CHECK ("portal_link"."honseki_change_requests"."status" in ('RECEIVED','FETCHING','APPLIED','FAILED'))
);
--> statement-breakpoint
CREATE TABLE "portal_link"."portal_links" (
	"holder_id" uuid PRIMARY KEY NOT NULL,
	"pseudonym" text NOT NULL,
	"certificate_serial" text NOT NULL,
	"linked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portal_link"."signature_certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"holder_id" uuid NOT NULL,
	"serial_number" text NOT NULL,
	"issuer" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"certificate_pem" text,
	"face_matched" boolean NOT NULL,
	"card_valid" boolean NOT NULL,
	"address_matched" boolean NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "honseki_change_requests_holder_idx" ON "portal_link"."honseki_change_requests" USING btree ("holder_id","submitted_at");--> statement-breakpoint
CREATE INDEX "honseki_change_requests_due_idx" ON "portal_link"."honseki_change_requests" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "portal_links_pseudonym_key" ON "portal_link"."portal_links" USING btree ("pseudonym");--> statement-breakpoint
CREATE INDEX "signature_certificates_holder_submitted_idx" ON "portal_link"."signature_certificates" USING btree ("holder_id","submitted_at");--> statement-breakpoint
CREATE INDEX "signature_certificates_serial_idx" ON "portal_link"."signature_certificates" USING btree ("serial_number");