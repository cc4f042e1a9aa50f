ALTER TABLE "escalations" ADD COLUMN "moved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "duplicate_of" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "paused_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "pause_reason" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "callback_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "failed_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "last_failed_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "customer_zone" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "telkom_ref" text;--> statement-breakpoint
CREATE INDEX "tickets_callback_idx" ON "tickets" USING btree ("callback_at") WHERE callback_at IS NOT NULL;--> statement-breakpoint
-- Records made false before the state machine: a decision after closing reopened a ticket with
-- closed_at still set, and waiting escalations outlived confirmation and closing.
UPDATE "tickets" SET "status" = 'closed' WHERE "closed_at" IS NOT NULL AND "status" <> 'closed';--> statement-breakpoint
UPDATE "escalations" SET "status" = 'cancelled', "decided_at" = now()
  WHERE "status" = 'pending' AND "ticket_id" IN (SELECT "id" FROM "tickets" WHERE "status" IN ('confirmed', 'closed'));
