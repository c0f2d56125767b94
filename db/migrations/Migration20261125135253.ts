import { Migration } from '@mikro-orm/migrations';

export class Migration20261125135253 extends Migration {
  override name = 'Migration20261125135253';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "holiday_schedule" ("year" int not null, "holidays" jsonb not null, "adjusted_workdays" jsonb not null, "source" text not null, "published_at" timestamptz not null, "published_by" varchar(255) not null, primary key ("year"));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "holiday_schedule" cascade;`);
  }
}
