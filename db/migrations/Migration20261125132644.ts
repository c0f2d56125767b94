import { Migration } from '@mikro-orm/migrations';

export class Migration20261125132644 extends Migration {
  override name = 'Migration20261125132644';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "department" ("code" varchar(255) not null, "name" varchar(255) not null, "name_en" varchar(255) not null, "kind" text not null, primary key ("code"));`,
    );
    this.addSql(
      `alter table "department" add constraint "department_kind_check" check ("kind" in ('government', 'enterprise'));`,
    );

    this.addSql(
      `create table "zone" ("code" text not null, "name" varchar(255) not null, "name_en" varchar(255) not null, "scope" text not null, "ordinal" int not null, primary key ("code"));`,
    );
    this.addSql(`alter table "zone" add constraint "zone_ordinal_unique" unique ("ordinal");`);
    this.addSql(
      `alter table "zone" add constraint "zone_code_check" check ("code" in ('investment', 'business_startup', 'real_estate', 'science_education_culture_health', 'public_security_justice', 'social_security_livelihood'));`,
    );

    this.addSql(
      `create table "service_item" ("code" varchar(255) not null, "name" varchar(255) not null, "zone_code" text not null, "kind" text not null, "comprehensive_window" boolean not null, "result_name" varchar(255) not null, "guide" text not null, "current_version_id" int null, "active" boolean not null default true, "updated_at" timestamptz not null, primary key ("code"));`,
    );
    this.addSql(`create index "service_item_name_index" on "service_item" ("name");`);
    this.addSql(`create index "service_item_zone_code_index" on "service_item" ("zone_code");`);
    this.addSql(
      `alter table "service_item" add constraint "service_item_kind_check" check ("kind" in ('immediate', 'promised', 'joint', 'major_project'));`,
    );

    this.addSql(
      `create table "service_item_version" ("id" serial primary key, "item_code" varchar(255) not null, "version" int not null, "content_hash" varchar(64) not null, "statutory_limit_days" int null, "promised_limit_days" int not null, "fee_fen" int null, "fee_basis" text null, "delivery_options" jsonb not null, "created_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "service_item_version" add constraint "service_item_version_item_code_version_unique" unique ("item_code", "version");`,
    );

    this.addSql(
      `create table "checklist_material" ("id" serial primary key, "item_version_id" int not null, "position" int not null, "code" varchar(255) not null, "name" varchar(255) not null, "required" boolean not null, "form" text not null, "copies" int not null, "electronic_accepted" boolean not null, "tolerable" boolean not null, "review_points" jsonb not null);`,
    );
    this.addSql(
      `alter table "checklist_material" add constraint "checklist_material_item_version_id_code_unique" unique ("item_version_id", "code");`,
    );
    this.addSql(
      `alter table "checklist_material" add constraint "checklist_material_form_check" check ("form" in ('original', 'copy', 'original_and_copy'));`,
    );

    this.addSql(
      `create table "service_item_department" ("id" serial primary key, "service_item_code" varchar(255) not null, "department_code" varchar(255) not null);`,
    );

    this.addSql(
      `create table "zone_department" ("id" serial primary key, "zone_code" text not null, "department_code" varchar(255) not null);`,
    );

    this.addSql(
      `alter table "service_item" add constraint "service_item_zone_code_foreign" foreign key ("zone_code") references "zone" ("code");`,
    );
    this.addSql(
      `alter table "service_item" add constraint "service_item_current_version_id_foreign" foreign key ("current_version_id") references "service_item_version" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "service_item_version" add constraint "service_item_version_item_code_foreign" foreign key ("item_code") references "service_item" ("code");`,
    );

    this.addSql(
      `alter table "checklist_material" add constraint "checklist_material_item_version_id_foreign" foreign key ("item_version_id") references "service_item_version" ("id");`,
    );

    this.addSql(
      `alter table "service_item_department" add constraint "service_item_department_service_item_code_foreign" foreign key ("service_item_code") references "service_item" ("code") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "service_item_department" add constraint "service_item_department_department_code_foreign" foreign key ("department_code") references "department" ("code") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "zone_department" add constraint "zone_department_zone_code_foreign" foreign key ("zone_code") references "zone" ("code") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "zone_department" add constraint "zone_department_department_code_foreign" foreign key ("department_code") references "department" ("code") on update cascade on delete cascade;`,
    );
  }
}
