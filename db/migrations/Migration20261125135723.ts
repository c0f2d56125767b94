import { Migration } from '@mikro-orm/migrations';

export class Migration20261125135723 extends Migration {
  override name = 'Migration20261125135723';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "department_call" ("id" bigserial primary key, "department" varchar(255) not null, "case_number" varchar(255) null, "operation" varchar(255) not null, "method" varchar(255) not null, "path" varchar(255) not null, "request_bytes" int not null, "status" int null, "outcome" varchar(255) not null, "error" text null, "started_at" timestamptz not null, "duration_ms" int not null, "attempt" int not null);`,
    );
    this.addSql(
      `create index "department_call_department_started_at_index" on "department_call" ("department", "started_at");`,
    );
    this.addSql(`create index "department_call_case_number_index" on "department_call" ("case_number");`);

    this.addSql(
      `create table "personal_data_access" ("id" bigserial primary key, "at" timestamptz not null, "actor_id" varchar(255) not null, "actor_role" varchar(255) not null, "applicant_id" uuid not null, "purpose" varchar(255) not null, "granted" boolean not null);`,
    );
    this.addSql(
      `create index "personal_data_access_applicant_id_at_index" on "personal_data_access" ("applicant_id", "at");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "department_call" cascade;`);
    this.addSql(`drop table if exists "personal_data_access" cascade;`);
  }
}
