CREATE SCHEMA "driver";
--> statement-breakpoint
CREATE TABLE "driver"."holders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"license_number" varchar(12),
	"name" text NOT NULL,
	"birth_date" date NOT NULL,
	"address" text NOT NULL,
	"honseki" text NOT NULL,
	"residence_prefecture" char(2) NOT NULL,
	"cards" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "holders_license_number_format" CHECK ("driver"."holders"."license_number" ~ '^[0-9]{12}$'),
	CONSTRAINT "holders_prefecture_format" CHECK ("driver"."holders"."residence_prefecture" ~ '^(0[1-9]|[1-3][0-9]|4[0-7])$'),
	CONSTRAINT "holders_cards_known" CHECK ("driver"."holders"."cards" <@ ARRAY['LICENSE_CARD','MYNA_LICENSE','HISTORY_CARD','MYNA_HISTORY']::text[])
);
--> statement-breakpoint
CREATE TABLE "driver"."record_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"holder_id" uuid NOT NULL,
	"item" text NOT NULL,
	"value" text NOT NULL,
	"resolves_import_id" uuid,
	"changed_by" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "driver"."record_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"holder_id" uuid NOT NULL,
	"item" text NOT NULL,
	"new_value" text NOT NULL,
	"source" text NOT NULL,
	"source_ref" text NOT NULL,
	"filed_on" date,
	"effective_on" date NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"failure_reason" text,
	"applied_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "record_imports_item_known" CHECK ("driver"."record_imports"."item" in ('HONSEKI','ADDRESS','NAME','BIRTH_DATE')),
	CONSTRAINT "record_imports_source_known" CHECK ("driver"."record_imports"."source" in ('ADDRESS_ONE_STOP','HONSEKI_ONLINE')),
	CONSTRAINT "record_imports_status_known" CHECK ("driver"."record_imports"."status" in ('PENDING','APPLIED','FAILED','RESOLVED'))
);
--> statement-breakpoint
ALTER TABLE "driver"."record_changes" ADD CONSTRAINT "record_changes_holder_id_holders_id_fk" FOREIGN KEY ("holder_id") REFERENCES "driver"."holders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "driver"."record_changes" ADD CONSTRAINT "record_changes_resolves_import_id_record_imports_id_fk" FOREIGN KEY ("resolves_import_id") REFERENCES "driver"."record_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "driver"."record_imports" ADD CONSTRAINT "record_imports_holder_id_holders_id_fk" FOREIGN KEY ("holder_id") REFERENCES "driver"."holders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "holders_license_number_key" ON "driver"."holders" USING btree ("license_number");--> statement-breakpoint
CREATE INDEX "holders_residence_prefecture_idx" ON "driver"."holders" USING btree ("residence_prefecture");--> statement-breakpoint
CREATE INDEX "record_changes_holder_idx" ON "driver"."record_changes" USING btree ("holder_id");--> statement-breakpoint
CREATE UNIQUE INDEX "record_imports_source_ref_item_key" ON "driver"."record_imports" USING btree ("source","source_ref","item");--> statement-breakpoint
CREATE INDEX "record_imports_holder_idx" ON "driver"."record_imports" USING btree ("holder_id");--> statement-breakpoint
CREATE INDEX "record_imports_status_effective_idx" ON "driver"."record_imports" USING btree ("status","effective_on");