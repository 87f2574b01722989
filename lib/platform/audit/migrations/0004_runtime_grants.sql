-- The rights of the role that serves requests (docs/operations.md, Database roles), granted by `npm run db:migrate`
-- run as the owner (lib/stack.ts, migrateAll). On the access log INSERT and SELECT only: that role can neither change
-- nor remove a record, nor switch the append-only triggers off (which needs ownership). On each subgraph's schema what
-- the subgraphs do there: read, insert and update rows; nothing of theirs deletes. Whatever the role held before is
-- taken back first, so the grants are exactly these after every migration.
CREATE FUNCTION "audit"."grant_runtime"(runtime name, subgraph_schemas name[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  s name;
BEGIN
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA audit FROM %I', runtime);
  EXECUTE format('GRANT USAGE ON SCHEMA audit TO %I', runtime);
  EXECUTE format('GRANT SELECT, INSERT ON audit.access_records, audit.chain_heads TO %I', runtime);
  EXECUTE format('GRANT USAGE ON SEQUENCE audit.access_records_seq_seq TO %I', runtime);
  FOREACH s IN ARRAY subgraph_schemas LOOP
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', s, runtime);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, runtime);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA %I TO %I', s, runtime);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I', s, runtime);
  END LOOP;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "audit"."grant_runtime"(name, name[]) FROM PUBLIC;
