import { Migration } from '@mikro-orm/migrations';

export class Migration20261125145058 extends Migration {
  override name = 'Migration20261125145058';

  override up(): void | Promise<void> {
    this.addSql(`alter table "hall_case" drop constraint "hall_case_status_check";`);
    this.addSql(
      `alter table "hall_case" add constraint "hall_case_status_check" check ("status" in ('registered', 'online_submitted', 'pre_accepted', 'correction_required', 'accepted', 'accepted_with_deficiency', 'refused', 'approved', 'denied', 'returned'));`,
    );

    this.addSql(`alter table "case_document" drop constraint "case_document_kind_check";`);
    this.addSql(
      `alter table "case_document" add constraint "case_document_kind_check" check ("kind" in ('acceptance_notice', 'correction_notice', 'refusal_decision', 'deficiency_acceptance_notice', 'pre_acceptance_result', 'immediate_decision', 'return_notice'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "case_document" drop constraint "case_document_kind_check";`);
    this.addSql(
      `alter table "case_document" add constraint "case_document_kind_check" check ("kind" in ('acceptance_notice', 'correction_notice', 'refusal_decision', 'deficiency_acceptance_notice', 'pre_acceptance_result', 'immediate_decision'));`,
    );

    this.addSql(`alter table "hall_case" drop constraint "hall_case_status_check";`);
    this.addSql(
      `alter table "hall_case" add constraint "hall_case_status_check" check ("status" in ('registered', 'online_submitted', 'pre_accepted', 'correction_required', 'accepted', 'accepted_with_deficiency', 'refused', 'approved', 'denied'));`,
    );
  }
}
