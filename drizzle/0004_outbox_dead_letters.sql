ALTER TABLE "outbox" ADD COLUMN "last_error_code" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "requested_by" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "dead_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "outbox_channel_pending_idx" ON "outbox" USING btree ("platform","channel","id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_dead_idx" ON "outbox" USING btree ("platform","dead_at") WHERE status = 'dead';--> statement-breakpoint
-- Rows given up before this migration: their last try is the best time known.
UPDATE "outbox" SET "dead_at" = "not_before" WHERE "status" = 'dead';