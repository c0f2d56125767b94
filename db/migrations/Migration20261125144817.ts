import { Migration } from '@mikro-orm/migrations';

export class Migration20261125144817 extends Migration {
  override name = 'Migration20261125144817';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "case_warning" ("id" serial primary key, "case_id" uuid not null, "hall_code" varchar(6) not null, "level" text not null, "due_date" varchar(10) not null, "remaining_working_days" int not null, "raised_at" timestamptz not null, "acknowledged_by" varchar(255) null);`,
    );
    this.addSql(`create index "case_warning_hall_code_index" on "case_warning" ("hall_code");`);
    this.addSql(
      `alter table "case_warning" add constraint "case_warning_case_id_level_unique" unique ("case_id", "level");`,
    );

    this.addSql(
      `alter table "case_warning" add constraint "case_warning_case_id_foreign" foreign key ("case_id") references "hall_case" ("id");`,
    );
    this.addSql(
      `alter table "case_warning" add constraint "case_warning_level_check" check ("level" in ('yellow', 'red'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "case_warning" cascade;`);
  }
}
