import { Migration } from '@mikro-orm/migrations';

export class Migration20261125142731 extends Migration {
  override name = 'Migration20261125142731';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "adapter_cursor" ("adapter" varchar(255) not null, "cursor" varchar(255) null, "updated_at" timestamptz not null, primary key ("adapter"));`,
    );

    this.addSql(
      `alter table "case_department_task" add "reasons" jsonb null, add "result_name" varchar(255) null, add "result_number" varchar(255) null;`,
    );
    this.addSql(
      `create index "case_department_task_adapter_department_ref_index" on "case_department_task" ("adapter", "department_ref");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "adapter_cursor" cascade;`);

    this.addSql(`drop index "case_department_task_adapter_department_ref_index";`);
    this.addSql(
      `alter table "case_department_task" drop column "reasons", drop column "result_name", drop column "result_number";`,
    );
  }
}
