-- The audit trail is append-only: the database itself refuses to rewrite history.
CREATE OR REPLACE FUNCTION posko_refuse_event_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ticket_events is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ticket_events_append_only
  BEFORE UPDATE OR DELETE ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION posko_refuse_event_change();
--> statement-breakpoint
CREATE TRIGGER ticket_events_no_truncate
  BEFORE TRUNCATE ON ticket_events
  FOR EACH STATEMENT EXECUTE FUNCTION posko_refuse_event_change();
