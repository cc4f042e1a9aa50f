DROP INDEX "tickets_one_open_per_customer_idx";--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "customer_index" text;--> statement-breakpoint
CREATE INDEX "tickets_customer_index_idx" ON "tickets" USING btree ("customer_index");--> statement-breakpoint
CREATE INDEX "tickets_unsealed_idx" ON "tickets" USING btree ("id") WHERE customer_index IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_one_open_per_customer_idx" ON "tickets" USING btree ("customer_index") WHERE status <> 'closed' AND related_to IS NULL;