-- The access log is append-only: no row is ever changed or removed, whoever connects.
CREATE FUNCTION "audit"."refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the access log is append-only';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "access_records_append_only" BEFORE UPDATE OR DELETE ON "audit"."access_records"
  FOR EACH ROW EXECUTE FUNCTION "audit"."refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "access_records_no_truncate" BEFORE TRUNCATE ON "audit"."access_records"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit"."refuse_change"();
