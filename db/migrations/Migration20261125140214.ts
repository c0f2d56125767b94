import { Migration } from '@mikro-orm/migrations';

export class Migration20261125140214 extends Migration {
  override name = 'Migration20261125140214';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "callback_receipt" ("id" bigserial primary key, "adapter" varchar(255) not null, "webhook_id" varchar(255) null, "verdict" text not null, "reason" text null, "events" jsonb not null, "remote_address" varchar(255) null, "received_at" timestamptz not null, "processed_at" timestamptz null);`,
    );
    this.addSql(
      `create index "callback_receipt_verdict_processed_at_index" on "callback_receipt" ("verdict", "processed_at");`,
    );
    this.addSql(
      `alter table "callback_receipt" add constraint "callback_receipt_adapter_webhook_id_unique" unique ("adapter", "webhook_id");`,
    );

    this.addSql(
      `alter table "callback_receipt" add constraint "callback_receipt_verdict_check" check ("verdict" in ('accepted', 'rejected'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "callback_receipt" cascade;`);
  }
}
