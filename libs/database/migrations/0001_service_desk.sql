CREATE TABLE "work_order_acceptances" (
	"id" uuid PRIMARY KEY NOT NULL,
	"work_order_id" uuid NOT NULL,
	"verdict" text NOT NULL,
	"signed_by" text,
	"signature_ref" text,
	"reason" text,
	"at" timestamp with time zone NOT NULL,
	"actor" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_comments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"work_order_id" uuid NOT NULL,
	"author" jsonb NOT NULL,
	"body" text NOT NULL,
	"internal" boolean NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_follow_ups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"work_order_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"outcome" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_surveys" (
	"work_order_id" uuid PRIMARY KEY NOT NULL,
	"score" integer NOT NULL,
	"would_recommend" boolean NOT NULL,
	"comment" text,
	"submitted_at" timestamp with time zone NOT NULL,
	"submitted_by" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_fees" (
	"id" uuid PRIMARY KEY NOT NULL,
	"work_order_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"amount_minor" integer NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_labour" (
	"id" uuid PRIMARY KEY NOT NULL,
	"work_order_id" uuid NOT NULL,
	"technician_id" uuid,
	"description" text,
	"minutes" integer NOT NULL,
	"hourly_rate_minor" integer NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_parts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"work_order_id" uuid NOT NULL,
	"part_number" text NOT NULL,
	"description" text,
	"batch" text NOT NULL,
	"supplier" text NOT NULL,
	"origin" text NOT NULL,
	"quantity" double precision NOT NULL,
	"unit" text NOT NULL,
	"unit_price_minor" integer NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_warranty" (
	"work_order_id" uuid PRIMARY KEY NOT NULL,
	"coverage" text NOT NULL,
	"reason" text NOT NULL,
	"fault_date" date NOT NULL,
	"warranty_until" date,
	"exclusions" jsonb NOT NULL,
	"exclusions_found" text[] NOT NULL,
	"explanation" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"decided_by" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"work_order_id" uuid,
	"subject" text NOT NULL,
	"description" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"investigated_at" timestamp with time zone,
	"findings" text,
	"outcome" text,
	"closed_at" timestamp with time zone,
	"handling_score" integer,
	"overdue_notified_at" timestamp with time zone,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "preventive_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"asset_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"every" integer NOT NULL,
	"unit" text NOT NULL,
	"anchor" text NOT NULL,
	"start_date" date NOT NULL,
	"lead_days" integer NOT NULL,
	"priority" text NOT NULL,
	"fault_category" text,
	"active" boolean NOT NULL,
	"last_due_date" date,
	"last_completed_date" date,
	"occurrence_open" boolean NOT NULL,
	"last_work_order_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"work_order_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"fault_category" text,
	"reported_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"platform_was_first" boolean NOT NULL,
	"reported_by" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_alerts" (
	"alert_id" text PRIMARY KEY NOT NULL,
	"work_order_id" uuid NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	"evidence" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last_sequence" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"work_order_id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" jsonb NOT NULL,
	"note" text,
	"data" jsonb NOT NULL,
	CONSTRAINT "work_order_events_sequence_unique" UNIQUE("work_order_id","sequence")
);
--> statement-breakpoint
CREATE TABLE "work_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"version" integer NOT NULL,
	"source" text NOT NULL,
	"asset_id" uuid NOT NULL,
	"device_id" text,
	"customer_id" uuid NOT NULL,
	"region" text,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"fault_category" text,
	"priority" text NOT NULL,
	"sla_priority" text NOT NULL,
	"status" text NOT NULL,
	"technician_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"detected_at" timestamp with time zone,
	"customer_reported_at" timestamp with time zone,
	"first_response_at" timestamp with time zone,
	"triaged_at" timestamp with time zone,
	"assigned_at" timestamp with time zone,
	"en_route_at" timestamp with time zone,
	"on_site_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"on_site_arrivals" integer NOT NULL,
	"rejection_count" integer NOT NULL,
	"due_first_response" timestamp with time zone,
	"due_on_site" timestamp with time zone,
	"due_resolution" timestamp with time zone,
	"clock_stopped_at" timestamp with time zone,
	"sla_escalated" text[] DEFAULT '{}'::text[] NOT NULL,
	"cancel_reason" text,
	"remote_resolution" boolean NOT NULL,
	"alert_id" text,
	"preventive_plan_id" uuid,
	"currency" text NOT NULL,
	"state" jsonb NOT NULL,
	CONSTRAINT "work_orders_number_unique" UNIQUE("number")
);
--> statement-breakpoint
ALTER TABLE "work_order_acceptances" ADD CONSTRAINT "work_order_acceptances_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_comments" ADD CONSTRAINT "work_order_comments_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_follow_ups" ADD CONSTRAINT "work_order_follow_ups_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_surveys" ADD CONSTRAINT "work_order_surveys_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_fees" ADD CONSTRAINT "work_order_fees_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_labour" ADD CONSTRAINT "work_order_labour_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_parts" ADD CONSTRAINT "work_order_parts_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_warranty" ADD CONSTRAINT "work_order_warranty_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "preventive_plans" ADD CONSTRAINT "preventive_plans_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_reports" ADD CONSTRAINT "customer_reports_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_reports" ADD CONSTRAINT "customer_reports_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_reports" ADD CONSTRAINT "customer_reports_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_alerts" ADD CONSTRAINT "work_order_alerts_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_events" ADD CONSTRAINT "work_order_events_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "work_order_acceptances_work_order_idx" ON "work_order_acceptances" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "work_order_comments_work_order_idx" ON "work_order_comments" USING btree ("work_order_id","at");--> statement-breakpoint
CREATE INDEX "work_order_follow_ups_work_order_idx" ON "work_order_follow_ups" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "work_order_follow_ups_due_idx" ON "work_order_follow_ups" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "work_order_surveys_submitted_idx" ON "work_order_surveys" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "work_order_fees_work_order_idx" ON "work_order_fees" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "work_order_labour_work_order_idx" ON "work_order_labour" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "work_order_parts_work_order_idx" ON "work_order_parts" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "work_order_parts_batch_idx" ON "work_order_parts" USING btree ("batch");--> statement-breakpoint
CREATE INDEX "complaints_customer_idx" ON "complaints" USING btree ("customer_id","opened_at");--> statement-breakpoint
CREATE INDEX "complaints_opened_idx" ON "complaints" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "complaints_work_order_idx" ON "complaints" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "preventive_plans_asset_idx" ON "preventive_plans" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "preventive_plans_active_idx" ON "preventive_plans" USING btree ("active");--> statement-breakpoint
CREATE INDEX "customer_reports_customer_idx" ON "customer_reports" USING btree ("customer_id","reported_at");--> statement-breakpoint
CREATE INDEX "customer_reports_work_order_idx" ON "customer_reports" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "work_order_alerts_work_order_idx" ON "work_order_alerts" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "work_order_events_at_idx" ON "work_order_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "work_orders_status_idx" ON "work_orders" USING btree ("status");--> statement-breakpoint
CREATE INDEX "work_orders_priority_idx" ON "work_orders" USING btree ("priority");--> statement-breakpoint
CREATE INDEX "work_orders_asset_idx" ON "work_orders" USING btree ("asset_id","fault_category");--> statement-breakpoint
CREATE INDEX "work_orders_customer_idx" ON "work_orders" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "work_orders_technician_idx" ON "work_orders" USING btree ("technician_id","status");--> statement-breakpoint
CREATE INDEX "work_orders_source_idx" ON "work_orders" USING btree ("source");--> statement-breakpoint
CREATE INDEX "work_orders_created_idx" ON "work_orders" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "work_orders_due_first_response_idx" ON "work_orders" USING btree ("due_first_response");--> statement-breakpoint
CREATE INDEX "work_orders_due_on_site_idx" ON "work_orders" USING btree ("due_on_site");--> statement-breakpoint
CREATE INDEX "work_orders_due_resolution_idx" ON "work_orders" USING btree ("due_resolution");--> statement-breakpoint
CREATE INDEX "work_orders_plan_idx" ON "work_orders" USING btree ("preventive_plan_id");