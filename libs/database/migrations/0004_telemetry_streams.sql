CREATE TABLE "telemetry_points" (
	"stream_id" integer NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "telemetry_points_stream_id_ts_pk" PRIMARY KEY("stream_id","ts")
);
--> statement-breakpoint
CREATE TABLE "telemetry_streams" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "telemetry_streams_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"device_id" text NOT NULL,
	"metric" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "telemetry_streams_device_metric_uq" ON "telemetry_streams" USING btree ("device_id","metric");--> statement-breakpoint
-- Keep what the wide table held: one stream per (device, metric), then its points.
INSERT INTO "telemetry_streams" ("device_id", "metric") SELECT DISTINCT "device_id", "metric" FROM "readings" ORDER BY 1, 2;--> statement-breakpoint
INSERT INTO "telemetry_points" ("stream_id", "ts", "value")
	SELECT s."id", r."ts", r."value" FROM "readings" r JOIN "telemetry_streams" s ON s."device_id" = r."device_id" AND s."metric" = r."metric";--> statement-breakpoint
DROP TABLE "readings" CASCADE;--> statement-breakpoint
CREATE VIEW "public"."readings" AS (select s.device_id, s.metric, p.ts, p.value from telemetry_points p join telemetry_streams s on s.id = p.stream_id);
