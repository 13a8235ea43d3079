CREATE TABLE "alert_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_id" uuid NOT NULL,
	"action" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"event_time" timestamp with time zone,
	"actor" text NOT NULL,
	"note" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"asset_id" uuid,
	"customer_id" uuid,
	"metric" text NOT NULL,
	"kind" text NOT NULL,
	"fault" text NOT NULL,
	"detector" text NOT NULL,
	"lifecycle" text NOT NULL,
	"severity" text NOT NULL,
	"score" double precision NOT NULL,
	"status" text NOT NULL,
	"explanation" text NOT NULL,
	"standard" text,
	"evidence" jsonb NOT NULL,
	"prediction" jsonb,
	"details" jsonb,
	"event_time" timestamp with time zone NOT NULL,
	"onset_time" timestamp with time zone NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"last_event_time" timestamp with time zone NOT NULL,
	"occurrences" integer NOT NULL,
	"cleared_at" timestamp with time zone,
	"cleared_event_time" timestamp with time zone,
	"clear_reason" text,
	"acknowledged_by" text,
	"acknowledged_at" timestamp with time zone,
	"closed_by" text,
	"closed_at" timestamp with time zone,
	"note" text,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_sensitivity" (
	"device_id" text PRIMARY KEY NOT NULL,
	"value" double precision NOT NULL,
	"history" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "detector_state" (
	"device_id" text NOT NULL,
	"metric" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"pending" jsonb,
	"last_event_time" timestamp with time zone,
	"live" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "detector_state_device_id_metric_pk" PRIMARY KEY("device_id","metric")
);
--> statement-breakpoint
ALTER TABLE "alert_actions" ADD CONSTRAINT "alert_actions_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_sensitivity" ADD CONSTRAINT "device_sensitivity_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detector_state" ADD CONSTRAINT "detector_state_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_actions_alert_idx" ON "alert_actions" USING btree ("alert_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_one_open_per_key" ON "alerts" USING btree ("device_id","metric","kind") WHERE status in ('active', 'acknowledged');--> statement-breakpoint
CREATE INDEX "alerts_key_idx" ON "alerts" USING btree ("device_id","metric","kind","event_time");--> statement-breakpoint
CREATE INDEX "alerts_event_time_idx" ON "alerts" USING btree ("event_time");--> statement-breakpoint
CREATE INDEX "alerts_customer_idx" ON "alerts" USING btree ("customer_id","event_time");--> statement-breakpoint
CREATE INDEX "alerts_asset_idx" ON "alerts" USING btree ("asset_id","event_time");--> statement-breakpoint
CREATE INDEX "alerts_status_idx" ON "alerts" USING btree ("status","event_time");