CREATE TABLE "portal_link"."certificate_holders" (
	"serial_number" text PRIMARY KEY NOT NULL,
	"holder_id" uuid NOT NULL,
	"first_submitted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- The serials submitted before: each stays with the holder who submitted it first.
INSERT INTO "portal_link"."certificate_holders" ("serial_number", "holder_id", "first_submitted_at")
SELECT DISTINCT ON ("serial_number") "serial_number", "holder_id", "submitted_at"
FROM "portal_link"."signature_certificates"
ORDER BY "serial_number", "submitted_at", "id";
