import { Migration } from '@mikro-orm/migrations';

export class Migration20261125143616 extends Migration {
  override name = 'Migration20261125143616';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "dead_letter" ("id" bigserial primary key, "queue" varchar(255) not null, "job_name" varchar(255) not null, "job_id" varchar(255) not null, "case_id" uuid null, "payload" jsonb not null, "reason" text not null, "attempts" int not null, "failed_at" timestamptz not null, "retried_at" timestamptz null, "retried_by" varchar(255) null);`,
    );
    this.addSql(
      `create index "dead_letter_retried_at_failed_at_index" on "dead_letter" ("retried_at", "failed_at");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "dead_letter" cascade;`);
  }
}
