CREATE TABLE "source_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"channel" text NOT NULL,
	"message" text NOT NULL,
	"ticket_id" bigint,
	"link" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "source_link" text;--> statement-breakpoint
ALTER TABLE "source_messages" ADD CONSTRAINT "source_messages_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "source_messages_message_idx" ON "source_messages" USING btree ("platform","channel","message");--> statement-breakpoint
CREATE INDEX "source_messages_ticket_idx" ON "source_messages" USING btree ("ticket_id");