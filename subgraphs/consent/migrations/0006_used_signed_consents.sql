CREATE TABLE "consent"."used_signed_consents" (
	"document_digest" text PRIMARY KEY NOT NULL,
	"consent_id" uuid NOT NULL,
	"used_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "jlis_notifications_consent_idx" ON "consent"."jlis_notifications" USING btree ("consent_id") WHERE "consent"."jlis_notifications"."consent_id" is not null;--> statement-breakpoint
-- The documents of consents given before this table existed are used too: a replay of one of them is refused as well.
INSERT INTO "consent"."used_signed_consents" ("document_digest", "consent_id", "used_at")
SELECT encode(sha256(convert_to("signed_document", 'UTF8')), 'hex'), "id", "created_at"
FROM "consent"."consents"
WHERE "signed_document" IS NOT NULL
ON CONFLICT DO NOTHING;
