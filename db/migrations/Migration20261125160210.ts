import { Migration } from '@mikro-orm/migrations';

export class Migration20261125160210 extends Migration {
  override name = 'Migration20261125160210';

  override up(): void | Promise<void> {
    this.addSql(`alter table "case_department_task" add "supplemented_at" timestamptz null;`);
    // Tasks handed over before this column existed count as supplied, except where materials are still
    // owed: those go to the department when they arrive.
    this.addSql(
      `update "case_department_task" t set "supplemented_at" = t."transferred_at" from "hall_case" c
        where c."id" = t."case_id" and c."status" <> 'accepted_with_deficiency';`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "case_department_task" drop column "supplemented_at";`);
  }
}
