import { Migration } from '@mikro-orm/migrations';

export class Migration20261125145931 extends Migration {
  override name = 'Migration20261125145931';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "hub_installation" ("id" uuid not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "hub_installation" cascade;`);
  }
}
