import { Migration } from '@mikro-orm/migrations';

export class Migration20261125135138 extends Migration {
  override name = 'Migration20261125135138';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "express_package" ("id" uuid not null, "hall_code" varchar(6) not null, "carrier" varchar(255) not null, "tracking_number" varchar(255) not null, "sender_name" varchar(255) not null, "contents" text not null, "signed_for_at" timestamptz not null, "signed_for_by" varchar(255) not null, "status" text not null, "case_id" uuid null, "registered_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "express_package" add constraint "express_package_case_id_unique" unique ("case_id");`,
    );
    this.addSql(
      `create index "express_package_hall_code_status_index" on "express_package" ("hall_code", "status");`,
    );
    this.addSql(
      `alter table "express_package" add constraint "express_package_carrier_tracking_number_unique" unique ("carrier", "tracking_number");`,
    );

    this.addSql(
      `alter table "express_package" add constraint "express_package_hall_code_foreign" foreign key ("hall_code") references "hall" ("code");`,
    );
    this.addSql(
      `alter table "express_package" add constraint "express_package_case_id_foreign" foreign key ("case_id") references "hall_case" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "express_package" add constraint "express_package_status_check" check ("status" in ('signed_for', 'registered'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "express_package" cascade;`);
  }
}
