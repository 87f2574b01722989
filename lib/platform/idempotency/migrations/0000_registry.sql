CREATE SCHEMA "idempotency";
--> statement-breakpoint
CREATE TABLE "idempotency"."requests" (
	"subject" text NOT NULL,
	"key" text NOT NULL,
	"service" text NOT NULL,
	"operation" text NOT NULL,
	"request_hash" text NOT NULL,
	"response" jsonb,
	"holders" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "requests_pkey" PRIMARY KEY("subject","key","service")
);
