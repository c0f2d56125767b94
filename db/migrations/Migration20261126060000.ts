import { Migration } from '@mikro-orm/migrations';

/**
 * The entity graphs the front desk's changes start from (db/cases/case-graph.ts), as functions:
 * PL/pgSQL keeps the plan of each statement for the connection's life, where the same statement
 * sent as text is planned on every call (half of its cost in PostgreSQL, about 0.5 ms for a case).
 * Each answers one row of JSON columns, each column the rows of one table as `row_to_json` gives
 * them, which the hub maps to managed entities.
 */

/** An item (`$item`) with its departments in the item's order, and item versions (`$versions`) with their checklists. */
const ITEM_COLUMNS = `
    (select row_to_json(i) from service_item i where i.code = $item),
    (select coalesce(json_agg(d order by sd.id), '[]') from service_item_department sd
       join department d on d.code = sd.department_code where sd.service_item_code = $item),
    (select coalesce(json_agg(v), '[]') from service_item_version v where v.id in ($versions)),
    (select coalesce(json_agg(m order by m.position), '[]') from checklist_material m
       where m.item_version_id in ($versions))`;

const CASE_COLUMNS = `
    row_to_json(c),
    ${ITEM_COLUMNS.replaceAll('$item', 'c.item_code').replaceAll(
      '$versions',
      'select c.item_version_id union select i.current_version_id from service_item i where i.code = c.item_code',
    )},
    (select row_to_json(z) from zone z join service_item i on i.zone_code = z.code where i.code = c.item_code),
    (select row_to_json(a) from applicant a where a.id = c.applicant_id),
    (select row_to_json(h) from hall h where h.code = c.hall_code),
    (select coalesce(json_agg(m order by m.position), '[]') from case_material m where m.case_id = c.id),
    (select coalesce(json_agg(b), '[]') from blob b
       where b.sha256 in (select m.blob_sha256 from case_material m where m.case_id = c.id)),
    (select coalesce(json_agg(s order by s."from"), '[]') from case_suspension s where s.case_id = c.id)
  from hall_case c`;

export class Migration20261126060000 extends Migration {
  override name = 'Migration20261126060000';

  override up(): void | Promise<void> {
    // A case by its id or, without one, by its number: its item with departments, the case's and the
    // item's current checklist versions, zone, applicant, hall, materials, their files, suspensions.
    this.addSql(`create function hub_case_graph(case_id uuid, case_number text)
  returns table (
    "case" json, item json, departments json, versions json, checklist json, zone json,
    applicant json, hall json, materials json, blobs json, suspensions json
  )
  language plpgsql stable as $$
begin
  if case_id is not null then
    return query select ${CASE_COLUMNS} where c.id = case_id;
  else
    return query select ${CASE_COLUMNS} where c.number = case_number;
  end if;
end $$;`);
    // What registering reads: the hall, the item with departments and current checklist, and the
    // applicant on record for an identity (each null when there is none).
    this.addSql(`create function hub_intake_graph(hall_code text, item_code text, id_type text, id_number text)
  returns table (hall json, item json, departments json, versions json, checklist json, applicant json)
  language plpgsql stable as $$
begin
  return query select
    (select row_to_json(h) from hall h where h.code = hub_intake_graph.hall_code),
    ${ITEM_COLUMNS.replaceAll('$item', 'hub_intake_graph.item_code').replaceAll(
      '$versions',
      'select i.current_version_id from service_item i where i.code = hub_intake_graph.item_code',
    )},
    (select row_to_json(a) from applicant a
      where a.id_type = hub_intake_graph.id_type and a.id_number = hub_intake_graph.id_number);
end $$;`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop function if exists hub_intake_graph(text, text, text, text);');
    this.addSql('drop function if exists hub_case_graph(uuid, text);');
  }
}
