import { Migration } from '@mikro-orm/migrations';

/**
 * The transfer job's two statements (db/cases/case-transfer.ts) as functions, planned once per
 * connection instead of on every call, as the case graphs are (Migration20261126060000): the facts a
 * department's package is built from, and the handover write.
 */
export class Migration20261126063000 extends Migration {
  override name = 'Migration20261126063000';

  override up(): void | Promise<void> {
    // The case, its item's departments and routing, checklist, applicant, materials (with their
    // files) and tasks, as one JSON object; null when there is no such case.
    this.addSql(`create function hub_transfer_facts(case_id uuid) returns json
  language plpgsql stable as $$
begin
  return (select row_to_json(f) from (  select c.id, c.number, c.status, c.event_count, c.audit_head, c.version, c.accepted_on, c.received_on,
         i.code as item_code, i.name as item_name, i.kind as item_kind,
         v.routing, v.stage_limits,
         a.name as applicant_name, a.id_type as applicant_id_type, a.id_number as applicant_id_number,
         coalesce((select json_agg(d.department_code order by d.id)
                     from service_item_department d where d.service_item_code = i.code), '[]') as departments,
         coalesce((select json_agg(json_build_object('code', m.code, 'name', m.name, 'required', m.required,
                                                     'tolerable', m.tolerable, 'reviewPoints', m.review_points)
                                   order by m.position)
                     from checklist_material m where m.item_version_id = v.id), '[]') as checklist,
         coalesce((select json_agg(json_build_object('checklistCode', cm.checklist_code,
                                                     'failedReviewPoints', cm.failed_review_points,
                                                     'presentedAt', cm.presented_at,
                                                     'certificateId', cm.certificate_id,
                                                     'medium', cm.medium, 'copies', cm.copies,
                                                     'sha256', b.sha256, 'mediaType', b.media_type)
                                   order by cm.position)
                     from case_material cm left join blob b on b.sha256 = cm.blob_sha256
                    where cm.case_id = c.id), '[]') as materials,
         coalesce((select json_agg(json_build_object('departmentCode', t.department_code, 'status', t.status))
                     from case_department_task t where t.case_id = c.id), '[]') as tasks
    from hall_case c
    join service_item i on i.code = c.item_code
    join service_item_version v on v.id = c.item_version_id
    join applicant a on a.id = c.applicant_id
   where c.id = hub_transfer_facts.case_id) f);
end $$;`);
    // The handover: the case's version-checked update to its new audit head, then the task and the
    // timeline event, only when the update found the version the transfer was read with. Answers 1
    // when written, 0 when the case had changed.
    this.addSql(`create function hub_write_handover(
    case_id uuid, expected_version int, event_count int, audit_head text, updated_at timestamptz,
    task_id uuid, department_code text, adapter text, idempotency_key text, department_ref text,
    transferred_at timestamptz, task_position int, due_on text, paper_count int,
    supplemented_at timestamptz, event_at timestamptz, actor_id text, actor_role text, event_type text,
    changes jsonb, prev_hash text, hash text)
  returns int language plpgsql as $$
declare
  moved int;
begin
  update hall_case c set event_count = hub_write_handover.event_count,
         audit_head = hub_write_handover.audit_head, version = c.version + 1,
         updated_at = hub_write_handover.updated_at
   where c.id = hub_write_handover.case_id and c.version = hub_write_handover.expected_version;
  get diagnostics moved = row_count;
  if moved = 0 then
    return 0;
  end if;
  insert into case_department_task
    (id, case_id, department_code, adapter, idempotency_key, status, department_ref, transferred_at,
     decided_at, position, due_on, paper_count, supplemented_at)
  values (task_id, hub_write_handover.case_id, hub_write_handover.department_code,
          hub_write_handover.adapter, hub_write_handover.idempotency_key, 'transferred',
          hub_write_handover.department_ref, hub_write_handover.transferred_at, null, task_position,
          hub_write_handover.due_on, hub_write_handover.paper_count, hub_write_handover.supplemented_at);
  insert into case_event
    (case_id, seq, at, actor_id, actor_role, type, changes, document_id, note, prev_hash, hash)
  values (hub_write_handover.case_id, hub_write_handover.event_count, event_at,
          hub_write_handover.actor_id, hub_write_handover.actor_role, event_type,
          hub_write_handover.changes, null, null, hub_write_handover.prev_hash, hub_write_handover.hash);
  return 1;
end $$;`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      'drop function if exists hub_write_handover(uuid, int, int, text, timestamptz, uuid, text, text, text, text, timestamptz, int, text, int, timestamptz, timestamptz, text, text, text, jsonb, text, text);',
    );
    this.addSql('drop function if exists hub_transfer_facts(uuid);');
  }
}
