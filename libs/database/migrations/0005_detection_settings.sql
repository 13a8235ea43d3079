CREATE TABLE "asset_detection_settings" (
	"asset_id" uuid PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	"history" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "asset_detection_settings" ADD CONSTRAINT "asset_detection_settings_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;