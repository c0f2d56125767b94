import { Migration } from '@mikro-orm/migrations';

export class Migration20261125142419 extends Migration {
  override name = 'Migration20261125142419';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "case_department_task" ("id" uuid not null, "case_id" uuid not null, "department_code" varchar(255) not null, "adapter" varchar(255) not null, "idempotency_key" varchar(255) not null, "status" text not null, "department_ref" varchar(255) not null, "transferred_at" timestamptz not null, "decided_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "case_department_task_case_id_index" on "case_department_task" ("case_id");`);
    this.addSql(
      `alter table "case_department_task" add constraint "case_department_task_idempotency_key_unique" unique ("idempotency_key");`,
    );

    this.addSql(
      `alter table "case_department_task" add constraint "case_department_task_case_id_foreign" foreign key ("case_id") references "hall_case" ("id");`,
    );
    this.addSql(
      `alter table "case_department_task" add constraint "case_department_task_status_check" check ("status" in ('transferred', 'approved', 'rejected'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "case_department_task" cascade;`);
  }
}
