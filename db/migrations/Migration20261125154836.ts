import { Migration } from '@mikro-orm/migrations';

export class Migration20261125154836 extends Migration {
  override name = 'Migration20261125154836';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "certificate_access" ("seq" bigserial primary key, "at" timestamptz not null, "consumer_id" varchar(255) not null, "type_code" varchar(255) null, "certificate_id" uuid null, "holder" varchar(255) null, "reason" text not null, "outcome" text not null, "detail" text null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null);`,
    );
    this.addSql(
      `alter table "certificate_access" add constraint "certificate_access_hash_unique" unique ("hash");`,
    );

    this.addSql(
      `create table "certificate_type" ("code" varchar(255) not null, "name" varchar(255) not null, "department_code" varchar(255) not null, "fields" jsonb not null, "item_codes" jsonb not null, "stands_for" jsonb not null, "validity_years" int null, primary key ("code"));`,
    );

    this.addSql(
      `create table "sharing_consumer" ("id" varchar(255) not null, "name" varchar(255) not null, "webhook_url" varchar(255) null, "webhook_secret" varchar(255) null, "active" boolean not null default true, "created_at" timestamptz not null, primary key ("id"));`,
    );

    this.addSql(
      `create table "sharing_grant" ("id" serial primary key, "consumer_id" varchar(255) not null, "type_code" varchar(255) not null, "purpose" text not null, "valid_until" timestamptz not null, "granted_by" varchar(255) not null, "created_at" timestamptz not null);`,
    );
    this.addSql(
      `create index "sharing_grant_consumer_id_type_code_index" on "sharing_grant" ("consumer_id", "type_code");`,
    );

    this.addSql(
      `create table "certificate" ("id" uuid not null, "identifier" varchar(255) not null, "type_code" varchar(255) not null, "serial" varchar(255) not null, "version" int not null, "number" varchar(255) not null, "holder_name" varchar(255) not null, "holder_id_type" text not null, "holder_id_number" varchar(18) not null, "issuer_name" varchar(255) not null, "issuer_code" varchar(18) not null, "issued_on" varchar(10) not null, "valid_from" varchar(10) not null, "valid_to" varchar(10) null, "data" jsonb not null, "source_case_id" uuid null, "source_department" varchar(255) null, "status" text not null, "status_reason" text null, "status_changed_at" timestamptz null, "status_changed_by" varchar(255) null, "status_index" int not null, "pdf_sha256" varchar(64) null, "token_sha256" varchar(64) null, "key_id" varchar(255) null, "signed_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "certificate" add constraint "certificate_identifier_unique" unique ("identifier");`,
    );
    this.addSql(`create index "certificate_source_case_id_index" on "certificate" ("source_case_id");`);
    this.addSql(
      `alter table "certificate" add constraint "certificate_status_index_unique" unique ("status_index");`,
    );
    this.addSql(
      `create index "certificate_holder_id_type_holder_id_number_index" on "certificate" ("holder_id_type", "holder_id_number");`,
    );
    this.addSql(
      `alter table "certificate" add constraint "certificate_type_code_serial_version_unique" unique ("type_code", "serial", "version");`,
    );

    this.addSql(
      `create table "certificate_notice" ("id" serial primary key, "consumer_id" varchar(255) not null, "certificate_id" uuid not null, "event" text not null, "changed_at" timestamptz not null, "attempts" int not null default 0, "last_error" text null, "delivered_at" timestamptz null, "created_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "certificate_notice" add constraint "certificate_notice_consumer_id_certificate_id_eve_09184_unique" unique ("consumer_id", "certificate_id", "event", "changed_at");`,
    );

    this.addSql(`alter table "case_material" add "certificate_id" uuid null;`);
    this.addSql(
      `alter table "case_material" add constraint "case_material_certificate_id_foreign" foreign key ("certificate_id") references "certificate" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "certificate_access" add constraint "certificate_access_outcome_check" check ("outcome" in ('allowed', 'denied'));`,
    );

    this.addSql(
      `alter table "sharing_grant" add constraint "sharing_grant_consumer_id_foreign" foreign key ("consumer_id") references "sharing_consumer" ("id");`,
    );

    this.addSql(
      `alter table "certificate" add constraint "certificate_type_code_foreign" foreign key ("type_code") references "certificate_type" ("code");`,
    );
    this.addSql(
      `alter table "certificate" add constraint "certificate_source_case_id_foreign" foreign key ("source_case_id") references "hall_case" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "certificate" add constraint "certificate_holder_id_type_check" check ("holder_id_type" in ('111', '001'));`,
    );
    this.addSql(
      `alter table "certificate" add constraint "certificate_status_check" check ("status" in ('issued', 'suspended', 'revoked'));`,
    );

    this.addSql(
      `alter table "certificate_notice" add constraint "certificate_notice_consumer_id_foreign" foreign key ("consumer_id") references "sharing_consumer" ("id");`,
    );
    this.addSql(
      `alter table "certificate_notice" add constraint "certificate_notice_certificate_id_foreign" foreign key ("certificate_id") references "certificate" ("id");`,
    );
    this.addSql(
      `alter table "certificate_notice" add constraint "certificate_notice_event_check" check ("event" in ('revoked', 'suspended', 'reinstated'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "certificate" drop constraint "certificate_type_code_foreign";`);
    this.addSql(`alter table "sharing_grant" drop constraint "sharing_grant_consumer_id_foreign";`);
    this.addSql(`alter table "certificate_notice" drop constraint "certificate_notice_consumer_id_foreign";`);
    this.addSql(
      `alter table "certificate_notice" drop constraint "certificate_notice_certificate_id_foreign";`,
    );
    this.addSql(`alter table "case_material" drop constraint "case_material_certificate_id_foreign";`);

    this.addSql(`drop table if exists "certificate_access" cascade;`);
    this.addSql(`drop table if exists "certificate_type" cascade;`);
    this.addSql(`drop table if exists "sharing_consumer" cascade;`);
    this.addSql(`drop table if exists "sharing_grant" cascade;`);
    this.addSql(`drop table if exists "certificate" cascade;`);
    this.addSql(`drop table if exists "certificate_notice" cascade;`);

    this.addSql(`alter table "case_material" drop column "certificate_id";`);
  }
}
