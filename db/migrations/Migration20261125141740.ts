import { Migration } from '@mikro-orm/migrations';

export class Migration20261125141740 extends Migration {
  override name = 'Migration20261125141740';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "department_task" ("id" uuid not null, "idempotency_key" varchar(255) not null, "department_code" varchar(255) not null, "case_number" varchar(255) not null, "item_code" varchar(255) not null, "item_name" varchar(255) not null, "accepted_on" varchar(10) not null, "applicant_name" varchar(255) not null, "materials" jsonb not null, "status" text not null, "reasons" jsonb not null, "result_name" varchar(255) null, "result_number" varchar(255) null, "decided_by" varchar(255) null, "decided_at" timestamptz null, "decision_seq" bigint null, "created_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(
      `alter table "department_task" add constraint "department_task_idempotency_key_unique" unique ("idempotency_key");`,
    );
    this.addSql(`create index "department_task_case_number_index" on "department_task" ("case_number");`);
    this.addSql(
      `create index "department_task_department_code_status_index" on "department_task" ("department_code", "status");`,
    );
    this.addSql(`create index "department_task_decision_seq_index" on "department_task" ("decision_seq");`);

    this.addSql(
      `alter table "department_task" add constraint "department_task_status_check" check ("status" in ('pending', 'approved', 'rejected'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "department_task" cascade;`);
  }
}
