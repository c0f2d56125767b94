import { Migration } from '@mikro-orm/migrations';

export class Migration20261125153629 extends Migration {
  override name = 'Migration20261125153629';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "notification" ("id" serial primary key, "case_id" uuid not null, "outbox_id" bigint not null, "kind" varchar(255) not null, "template" varchar(255) not null, "status" text not null, "phone_suffix" varchar(4) null, "gateway_ref" varchar(255) null, "sent_at" timestamptz not null);`,
    );
    this.addSql(`create index "notification_case_id_index" on "notification" ("case_id");`);
    this.addSql(
      `alter table "notification" add constraint "notification_outbox_id_unique" unique ("outbox_id");`,
    );

    this.addSql(
      `create table "case_delivery" ("id" uuid not null, "case_id" uuid not null, "method" text not null, "recipient_name" varchar(255) null, "phone" varchar(255) null, "address" text null, "postcode" varchar(6) null, "status" text not null, "ready_at" timestamptz null, "waybill_no" varchar(255) null, "tracking_status" varchar(255) null, "tracking_sequence" int not null default 0, "tracking_location" varchar(255) null, "shipped_at" timestamptz null, "delivered_at" timestamptz null, "received_by" text null, "handed_over_by" varchar(255) null, "signature" varchar(64) null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "case_delivery" add constraint "case_delivery_case_id_unique" unique ("case_id");`,
    );
    this.addSql(`create index "case_delivery_status_index" on "case_delivery" ("status");`);

    this.addSql(`alter table "department_task" add "refusals" jsonb null, add "delivery_report" jsonb null;`);

    this.addSql(
      `alter table "service_item_version" add "routing" text not null default 'parallel', add "stage_limits" jsonb null;`,
    );
    this.addSql(
      `alter table "service_item_version" add constraint "service_item_version_routing_check" check ("routing" in ('parallel', 'sequential'));`,
    );

    this.addSql(`alter table "case_warning" drop constraint "case_warning_case_id_level_unique";`);
    this.addSql(`alter table "case_warning" add "scope" varchar(255) not null default 'case';`);
    this.addSql(
      `alter table "case_warning" add constraint "case_warning_case_id_scope_level_unique" unique ("case_id", "scope", "level");`,
    );

    this.addSql(`alter table "case_department_task" drop constraint "case_department_task_status_check";`);
    this.addSql(
      `alter table "case_department_task" add "result_holder_name" varchar(255) null, add "result_refusals" jsonb null, add "position" int not null default 0, add "due_on" varchar(10) null, add "paper_count" int not null default 0, add "paper_signed_by" varchar(255) null, add "paper_signed_at" timestamptz null, add "paper_signature" varchar(64) null, add "delivery_reported_at" timestamptz null;`,
    );
    this.addSql(
      `alter table "case_department_task" add constraint "case_department_task_status_check" check ("status" in ('transferred', 'approved', 'rejected', 'result_refused'));`,
    );

    this.addSql(
      `alter table "notification" add constraint "notification_case_id_foreign" foreign key ("case_id") references "hall_case" ("id");`,
    );
    this.addSql(
      `alter table "notification" add constraint "notification_status_check" check ("status" in ('sent', 'skipped'));`,
    );

    this.addSql(
      `alter table "case_delivery" add constraint "case_delivery_case_id_foreign" foreign key ("case_id") references "hall_case" ("id");`,
    );
    this.addSql(
      `alter table "case_delivery" add constraint "case_delivery_method_check" check ("method" in ('pickup', 'post', 'electronic'));`,
    );
    this.addSql(
      `alter table "case_delivery" add constraint "case_delivery_status_check" check ("status" in ('awaiting_result', 'ready', 'shipping', 'shipped', 'delivered', 'delivery_failed'));`,
    );
    this.addSql(
      `alter table "case_delivery" add constraint "case_delivery_received_by_check" check ("received_by" in ('applicant', 'agent'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notification" cascade;`);
    this.addSql(`drop table if exists "case_delivery" cascade;`);

    this.addSql(`alter table "case_department_task" drop constraint "case_department_task_status_check";`);
    this.addSql(
      `alter table "case_department_task" drop column "result_holder_name", drop column "result_refusals", drop column "position", drop column "due_on", drop column "paper_count", drop column "paper_signed_by", drop column "paper_signed_at", drop column "paper_signature", drop column "delivery_reported_at";`,
    );
    this.addSql(
      `alter table "case_department_task" add constraint "case_department_task_status_check" check ("status" in ('transferred', 'approved', 'rejected'));`,
    );

    this.addSql(`alter table "case_warning" drop constraint "case_warning_case_id_scope_level_unique";`);
    this.addSql(`alter table "case_warning" drop column "scope";`);
    this.addSql(
      `alter table "case_warning" add constraint "case_warning_case_id_level_unique" unique ("case_id", "level");`,
    );

    this.addSql(`alter table "department_task" drop column "refusals", drop column "delivery_report";`);

    this.addSql(`alter table "service_item_version" drop constraint "service_item_version_routing_check";`);
    this.addSql(`alter table "service_item_version" drop column "routing", drop column "stage_limits";`);
  }
}
