import { randomBytes } from 'node:crypto';
import { wrap } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../db/actor.ts';
import { loadCaseGraph, loadIntakeGraph } from '../db/cases/case-graph.ts';
import { registerCase } from '../db/cases/case-intake.ts';
import { CASE_CORE_POPULATE, findCaseFor } from '../db/cases/case-queries.ts';
import { Applicant } from '../db/entities/applicant.ts';
import { Blob } from '../db/entities/blob.ts';
import { Case } from '../db/entities/case.ts';
import { CaseSuspension } from '../db/entities/case-suspension.ts';
import { ChecklistMaterial } from '../db/entities/checklist-material.ts';
import { ServiceItem } from '../db/entities/service-item.ts';
import { ServiceItemVersion } from '../db/entities/service-item-version.ts';
import { forkEm, type HubEntityManager } from '../db/orm.ts';
import { citizenId, findItem } from './kit/front-desk.ts';
import { createTestDatabase, type TestDatabase } from './kit/test-database.ts';

/** A joint item (two or more departments) with a required material that may come as a file. */
const JOINT_ITEM = findItem(
  (i) => i.departmentCodes.length >= 2 && i.materials.some((m) => m.required && m.electronicAccepted),
  'joint, with a required material accepted as a file',
);

const CLERK: Actor = {
  id: 'clerk-graph',
  name: '窗口人员',
  role: 'clerk',
  departmentCode: null,
  hallCode: '410900',
};

/** The ORM's own read of the same graph, the one the graph loader stands in for. */
async function populated(em: HubEntityManager, id: string): Promise<Case> {
  return (await em.findOne(Case, { id }, { populate: CASE_CORE_POPULATE })) as Case;
}

const serialised = (c: Case) => wrap(c).serialize({ populate: CASE_CORE_POPULATE as never });

describe('a case read in one statement (case-graph)', () => {
  let db: TestDatabase;
  let caseId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const em = forkEm(db.orm);
    const sha256 = randomBytes(32).toString('hex');
    await em.insert(Blob, { sha256, size: 1234, mediaType: 'application/pdf', createdAt: new Date() });
    const electronic = JOINT_ITEM.materials.find((m) => m.required && m.electronicAccepted)!;
    const registered = await registerCase(em, CLERK, {
      itemCode: JOINT_ITEM.code,
      channel: 'window',
      applicant: { type: 'person', name: '图读取', idNumber: citizenId(701) },
      materials: JOINT_ITEM.materials
        .filter((m) => m.required)
        .map((m) =>
          m.code === electronic.code
            ? { checklistCode: m.code, medium: 'electronic' as const, blobId: sha256, fileName: 'a.pdf' }
            : { checklistCode: m.code, medium: 'paper' as const, copies: m.copies },
        ),
    });
    caseId = registered.id;
    // A suspension, and a newer checklist version than the one the case was registered under.
    const setup = forkEm(db.orm);
    setup.create(CaseSuspension, {
      case: setup.getReference(Case, caseId),
      reason: 'correction',
      from: '2026-11-02',
      to: null,
    });
    const item = (await setup.findOneOrFail(
      ServiceItem,
      { code: JOINT_ITEM.code },
      { populate: ['currentVersion.materials'] },
    )) as ServiceItem;
    const old = item.currentVersion!;
    const next = setup.create(ServiceItemVersion, {
      item,
      version: old.version + 1,
      contentHash: 'f'.repeat(64),
      statutoryLimitDays: old.statutoryLimitDays,
      promisedLimitDays: old.promisedLimitDays,
      feeFen: old.feeFen,
      feeBasis: old.feeBasis,
      deliveryOptions: old.deliveryOptions,
      routing: old.routing,
      stageLimits: old.stageLimits,
    });
    for (const m of old.materials.getItems().slice(1)) {
      const { id: _id, itemVersion: _v, ...entry } = wrap(m).toObject();
      setup.create(ChecklistMaterial, { ...entry, itemVersion: next });
    }
    item.currentVersion = next;
    await setup.flush();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('builds the same entities, collections and values as the ORM populate', async () => {
    const viaGraph = (await loadCaseGraph(forkEm(db.orm), { id: caseId }, () => {
      throw new Error('the case is not held yet: the graph statement reads it');
    }))!;
    const viaOrm = await populated(forkEm(db.orm), caseId);
    expect(serialised(viaGraph)).toEqual(serialised(viaOrm));
    // What the test set up is in it: a file, a suspension, two checklist versions, two departments.
    expect(viaGraph.materials.getItems().some((m) => m.blob?.mediaType === 'application/pdf')).toBe(true);
    expect(viaGraph.suspensions.getItems().map((s) => s.from)).toEqual(['2026-11-02']);
    expect(viaGraph.item.currentVersion!.id).not.toBe(viaGraph.itemVersion.id);
    expect(viaGraph.item.currentVersion!.materials.length).toBe(viaGraph.itemVersion.materials.length - 1);
    expect(viaGraph.item.departments.getItems().map((d) => d.code)).toEqual(JOINT_ITEM.departmentCodes);
    // By number too.
    const byNumber = (await loadCaseGraph(forkEm(db.orm), { number: viaOrm.number }, (em) =>
      populated(em, caseId),
    ))!;
    expect(serialised(byNumber)).toEqual(serialised(viaOrm));
  });

  it('leaves nothing to write: a flush after reading sends no statement', async () => {
    const em = forkEm(db.orm);
    await findCaseFor(em, CLERK, { id: caseId });
    const before = db.statements.length;
    await em.flush();
    expect(db.statements.slice(before)).toEqual([]);
  });

  it('keeps what the entity manager already holds, unsaved changes included', async () => {
    const em = forkEm(db.orm);
    const held = await findCaseFor(em, CLERK, { id: caseId });
    held.status = 'refused';
    held.applicant.phone = '13900000000';
    const again = await findCaseFor(em, CLERK, { id: caseId });
    expect(again).toBe(held);
    expect(again.status).toBe('refused');
    expect(again.applicant.phone).toBe('13900000000');
    const byNumber = await findCaseFor(em, CLERK, { number: held.number });
    expect(byNumber).toBe(held);
    expect(byNumber.status).toBe('refused');

    // A catalogue entity changed in this unit of work stays as changed when a case graph is read.
    const other = forkEm(db.orm);
    const item = (await other.findOneOrFail(ServiceItem, { code: JOINT_ITEM.code })) as ServiceItem;
    item.name = '本次改过的名称';
    const read = await findCaseFor(other, CLERK, { id: caseId });
    expect(read.item).toBe(item);
    expect(read.item.name).toBe('本次改过的名称');
    expect(read.item.departments.isInitialized()).toBe(true);
  });

  it('answers null for no such case, and findCaseFor answers as for a case the caller may not see', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await loadCaseGraph(forkEm(db.orm), { id: missing }, (em) => populated(em, caseId))).toBeNull();
    await expect(findCaseFor(forkEm(db.orm), CLERK, { id: missing })).rejects.toThrow(/no such case/);
    await expect(
      findCaseFor(forkEm(db.orm), { ...CLERK, hallCode: '410922' }, { id: caseId }),
    ).rejects.toThrow(/no such case/);
  });

  it('reads what registering needs in one statement, with nulls for what is not there', async () => {
    const em = forkEm(db.orm);
    const holder = (await em.findOneOrFail(Case, { id: caseId }, { populate: ['applicant'] })) as Case;
    const start = db.statements.length;
    const found = await loadIntakeGraph(forkEm(db.orm), {
      hallCode: '410900',
      itemCode: JOINT_ITEM.code,
      idType: 'citizen_id',
      idNumber: holder.applicant.idNumber,
    });
    expect(db.statements.length - start).toBe(1);
    expect(found.hall?.code).toBe('410900');
    expect(found.item?.departments.getItems().map((d) => d.code)).toEqual(JOINT_ITEM.departmentCodes);
    expect(found.item?.currentVersion?.materials.isInitialized()).toBe(true);
    expect(found.applicant?.id).toBe(holder.applicant.id);
    expect(found.applicant).toBeInstanceOf(Applicant);

    const none = await loadIntakeGraph(forkEm(db.orm), {
      hallCode: 'nowhere',
      itemCode: 'NO-SUCH-ITEM',
      idType: 'citizen_id',
      idNumber: citizenId(702),
    });
    expect(none).toEqual({ hall: null, item: null, applicant: null });
  });
});
