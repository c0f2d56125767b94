import { Migration } from '@mikro-orm/migrations';

export class Migration20261125134213 extends Migration {
  override name = 'Migration20261125134213';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "applicant" ("id" uuid not null, "type" text not null, "name" varchar(255) not null, "id_type" text not null, "id_number" varchar(18) not null, "phone" varchar(255) null, "address" text null, "legal_representative" varchar(255) null, "account_id" varchar(255) null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "applicant" add constraint "applicant_account_id_unique" unique ("account_id");`,
    );
    this.addSql(
      `alter table "applicant" add constraint "applicant_id_type_id_number_unique" unique ("id_type", "id_number");`,
    );

    this.addSql(
      `create table "blob" ("sha256" varchar(64) not null, "size" int not null, "media_type" varchar(255) not null, "created_at" timestamptz not null, primary key ("sha256"));`,
    );

    this.addSql(
      `create table "hall" ("code" varchar(6) not null, "name" varchar(255) not null, "document_prefix" varchar(255) not null, primary key ("code"));`,
    );

    this.addSql(
      `create table "outbox_event" ("id" bigserial primary key, "topic" varchar(255) not null, "case_id" uuid null, "payload" jsonb not null, "created_at" timestamptz not null, "published_at" timestamptz null);`,
    );
    this.addSql(
      `create index "outbox_event_published_at_id_index" on "outbox_event" ("published_at", "id");`,
    );

    this.addSql(
      `create table "sequence_counter" ("scope" varchar(255) not null, "last" int not null, primary key ("scope"));`,
    );

    this.addSql(
      `create table "hall_case" ("id" uuid not null, "number" varchar(255) not null, "item_code" varchar(255) not null, "item_version_id" int not null, "applicant_id" uuid not null, "agent" jsonb null, "channel" text not null, "hall_code" varchar(6) not null, "clerk_id" varchar(255) not null, "status" text not null, "received_at" timestamptz not null, "received_on" varchar(10) not null, "accepted_on" varchar(10) null, "promised_limit_days" int not null, "commitment" jsonb null, "refusal_reasons" jsonb null, "audit_head" varchar(64) null, "event_count" int not null default 0, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "hall_case" add constraint "hall_case_number_unique" unique ("number");`);
    this.addSql(`create index "hall_case_applicant_id_index" on "hall_case" ("applicant_id");`);
    this.addSql(`create index "hall_case_hall_code_status_index" on "hall_case" ("hall_code", "status");`);
    this.addSql(
      `create index "hall_case_hall_code_received_at_index" on "hall_case" ("hall_code", "received_at");`,
    );

    this.addSql(
      `create table "case_suspension" ("id" serial primary key, "case_id" uuid not null, "reason" text not null, "from" varchar(10) not null, "to" varchar(10) null);`,
    );
    this.addSql(`create index "case_suspension_case_id_index" on "case_suspension" ("case_id");`);

    this.addSql(
      `create table "case_material" ("id" uuid not null, "case_id" uuid not null, "position" int not null, "checklist_code" varchar(255) not null, "medium" text not null, "copies" int not null, "blob_sha256" varchar(64) null, "file_name" varchar(255) null, "failed_review_points" jsonb not null, "note" text null, "presented_at" timestamptz not null, "presented_by" varchar(255) not null, primary key ("id"));`,
    );
    this.addSql(`create index "case_material_case_id_index" on "case_material" ("case_id");`);

    this.addSql(
      `create table "case_event" ("id" bigserial primary key, "case_id" uuid not null, "seq" int not null, "at" timestamptz not null, "actor_id" varchar(255) not null, "actor_role" varchar(255) not null, "type" varchar(255) not null, "changes" jsonb not null, "document_id" varchar(255) null, "note" text null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null);`,
    );
    this.addSql(
      `alter table "case_event" add constraint "case_event_case_id_seq_unique" unique ("case_id", "seq");`,
    );

    this.addSql(
      `create table "case_document" ("id" uuid not null, "case_id" uuid not null, "kind" text not null, "number" varchar(255) not null, "title" varchar(255) not null, "issued_at" timestamptz not null, "issued_on" varchar(10) not null, "issued_by" varchar(255) not null, "content" jsonb not null, "gap_keys" jsonb null, "pdf_sha256" varchar(64) null, primary key ("id"));`,
    );
    this.addSql(`create index "case_document_case_id_index" on "case_document" ("case_id");`);
    this.addSql(
      `alter table "case_document" add constraint "case_document_number_unique" unique ("number");`,
    );

    this.addSql(
      `alter table "applicant" add constraint "applicant_type_check" check ("type" in ('person', 'organisation'));`,
    );
    this.addSql(
      `alter table "applicant" add constraint "applicant_id_type_check" check ("id_type" in ('citizen_id', 'credit_code'));`,
    );

    this.addSql(
      `alter table "hall_case" add constraint "hall_case_item_code_foreign" foreign key ("item_code") references "service_item" ("code");`,
    );
    this.addSql(
      `alter table "hall_case" add constraint "hall_case_item_version_id_foreign" foreign key ("item_version_id") references "service_item_version" ("id");`,
    );
    this.addSql(
      `alter table "hall_case" add constraint "hall_case_applicant_id_foreign" foreign key ("applicant_id") references "applicant" ("id");`,
    );
    this.addSql(
      `alter table "hall_case" add constraint "hall_case_hall_code_foreign" foreign key ("hall_code") references "hall" ("code");`,
    );
    this.addSql(
      `alter table "hall_case" add constraint "hall_case_channel_check" check ("channel" in ('window', 'online', 'express_mail'));`,
    );
    this.addSql(
      `alter table "hall_case" add constraint "hall_case_status_check" check ("status" in ('registered', 'online_submitted', 'pre_accepted', 'correction_required', 'accepted', 'accepted_with_deficiency', 'refused', 'approved', 'denied'));`,
    );

    this.addSql(
      `alter table "case_suspension" add constraint "case_suspension_case_id_foreign" foreign key ("case_id") references "hall_case" ("id");`,
    );
    this.addSql(
      `alter table "case_suspension" add constraint "case_suspension_reason_check" check ("reason" in ('correction', 'deficiency_commitment'));`,
    );

    this.addSql(
      `alter table "case_material" add constraint "case_material_case_id_foreign" foreign key ("case_id") references "hall_case" ("id");`,
    );
    this.addSql(
      `alter table "case_material" add constraint "case_material_blob_sha256_foreign" foreign key ("blob_sha256") references "blob" ("sha256") on delete set null;`,
    );
    this.addSql(
      `alter table "case_material" add constraint "case_material_medium_check" check ("medium" in ('paper', 'electronic'));`,
    );

    this.addSql(
      `alter table "case_event" add constraint "case_event_case_id_foreign" foreign key ("case_id") references "hall_case" ("id");`,
    );

    this.addSql(
      `alter table "case_document" add constraint "case_document_case_id_foreign" foreign key ("case_id") references "hall_case" ("id");`,
    );
    this.addSql(
      `alter table "case_document" add constraint "case_document_pdf_sha256_foreign" foreign key ("pdf_sha256") references "blob" ("sha256") on delete set null;`,
    );
    this.addSql(
      `alter table "case_document" add constraint "case_document_kind_check" check ("kind" in ('acceptance_notice', 'correction_notice', 'refusal_decision', 'deficiency_acceptance_notice', 'pre_acceptance_result', 'immediate_decision'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "hall_case" drop constraint "hall_case_applicant_id_foreign";`);
    this.addSql(`alter table "case_material" drop constraint "case_material_blob_sha256_foreign";`);
    this.addSql(`alter table "case_document" drop constraint "case_document_pdf_sha256_foreign";`);
    this.addSql(`alter table "hall_case" drop constraint "hall_case_hall_code_foreign";`);
    this.addSql(`alter table "case_suspension" drop constraint "case_suspension_case_id_foreign";`);
    this.addSql(`alter table "case_material" drop constraint "case_material_case_id_foreign";`);
    this.addSql(`alter table "case_event" drop constraint "case_event_case_id_foreign";`);
    this.addSql(`alter table "case_document" drop constraint "case_document_case_id_foreign";`);

    this.addSql(`drop table if exists "applicant" cascade;`);
    this.addSql(`drop table if exists "blob" cascade;`);
    this.addSql(`drop table if exists "hall" cascade;`);
    this.addSql(`drop table if exists "outbox_event" cascade;`);
    this.addSql(`drop table if exists "sequence_counter" cascade;`);
    this.addSql(`drop table if exists "hall_case" cascade;`);
    this.addSql(`drop table if exists "case_suspension" cascade;`);
    this.addSql(`drop table if exists "case_material" cascade;`);
    this.addSql(`drop table if exists "case_event" cascade;`);
    this.addSql(`drop table if exists "case_document" cascade;`);
  }
}
