ALTER TABLE "tickets" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "tickets_retention_idx" ON "tickets" USING btree ("closed_at") WHERE status = 'closed' AND erased_at IS NULL;--> statement-breakpoint
-- UU PDP retention: ticket_events stays append-only, with one exception. The `retention` job, in a
-- transaction that says so (SET LOCAL posko.retention = 'on'), may rewrite an event's payload (the
-- free text emptied); its ticket, type, actor and time never change, and nothing is deleted.
CREATE OR REPLACE FUNCTION posko_refuse_event_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'ticket_events'
     AND current_setting('posko.retention', true) = 'on'
     AND NEW.id = OLD.id AND NEW.ticket_id = OLD.ticket_id AND NEW.type = OLD.type
     AND NEW.actor = OLD.actor AND NEW.at = OLD.at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ticket_events is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
END;
$$ LANGUAGE plpgsql;
