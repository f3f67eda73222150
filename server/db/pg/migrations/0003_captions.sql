CREATE TABLE "caption_segments" (
	"id" text PRIMARY KEY NOT NULL,
	"show_id" text NOT NULL,
	"language" text NOT NULL,
	"text" text NOT NULL,
	"start_at" bigint NOT NULL,
	"end_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "caption_settings" (
	"show_id" text PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"language" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "caption_segments" ADD CONSTRAINT "caption_segments_show_id_shows_id_fk" FOREIGN KEY ("show_id") REFERENCES "public"."shows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caption_settings" ADD CONSTRAINT "caption_settings_show_id_shows_id_fk" FOREIGN KEY ("show_id") REFERENCES "public"."shows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "caption_segments_show_idx" ON "caption_segments" USING btree ("show_id","start_at");