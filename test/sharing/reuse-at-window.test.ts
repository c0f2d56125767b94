import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { CaseMaterial } from '../../db/entities/case-material.ts';
import type { CertificateType } from '../../db/entities/certificate-type.ts';
import { forkEm } from '../../db/orm.ts';
import { catalogue } from '../../db/seed/catalogue/index.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';
import { certificateRow, certificateType, creditCode, dayFromToday } from './certificate-rows.ts';

/** 企业变更登记: its approval issues a (new) business licence; it also takes the paper licence back. */
const CHANGE_REGISTRATION = 'QYKB-002';
/** 食品经营许可证核发: needs the business licence (营业执照, electronic accepted). */
const FOOD_LICENCE = 'QYKB-006';
const LICENCE = '营业执照';
/** QYKB-002's M05: the paper licence must be handed in, so no electronic certificate can stand for it. */
const PAPER_LICENCE = '营业执照正本及全部副本';

const item = (code: string) => catalogue.items.find((i) => i.code === code)!;
const codeOf = (itemCode: string, name: string) =>
  item(itemCode).materials.find((m) => m.name === name)!.code;

function paper(itemCode: string, leaveOut: string[] = []) {
  return item(itemCode)
    .materials.filter((m) => m.required && !leaveOut.includes(m.code))
    .map((m) => ({ checklistCode: m.code, medium: 'paper' as const }));
}

interface CaseView {
  status: string;
  version: number;
  materialCheck: {
    complete: boolean;
    gaps: { code: string }[];
    entries: {
      material: { code: string };
      state: string;
      onFile: boolean;
      certificate: { id: string; identifier: string } | null;
    }[];
  };
  materials: {
    checklistCode: string;
    medium: string;
    note: string | null;
    certificate: { id: string } | null;
  }[];
  timeline: { type: string; changes: string }[];
}

const CASE = `query($id: ID!) { case(id: $id) { status version
  materialCheck { complete gaps { code } entries { material { code } state onFile certificate { id identifier } } }
  materials { checklistCode medium note certificate { id } }
  timeline { type changes } } }`;

describe('免提交: a valid electronic certificate of the applicant stands for a checklist material', () => {
  let hub: TestHub;
  let clerk: string;
  let licence: CertificateType;
  let serial = 0;

  beforeAll(async () => {
    hub = await startTestHub();
    clerk = await hub.token('clerk');
    expect(item(FOOD_LICENCE).materials.find((m) => m.name === LICENCE)).toMatchObject({
      required: true,
      electronicAccepted: true,
    });
    expect(item(CHANGE_REGISTRATION).materials.find((m) => m.name === PAPER_LICENCE)).toMatchObject({
      required: true,
      electronicAccepted: false,
    });
    licence = await certificateType(hub.db.orm, LICENCE, [LICENCE, PAPER_LICENCE], {
      itemCodes: [CHANGE_REGISTRATION],
    });
  });
  afterAll(async () => hub?.close());

  async function view(id: string): Promise<CaseView> {
    const { body } = await hub.gql<{ case: CaseView }>(CASE, { id }, { token: clerk });
    if (!body.data?.case) throw new Error(JSON.stringify(body.errors));
    return body.data.case;
  }

  function company() {
    serial++;
    return {
      type: 'organisation' as const,
      name: `濮阳市第${serial}食品有限公司`,
      idNumber: creditCode(4200 + serial),
      legalRepresentative: '王建国',
    };
  }

  const register = (applicant: ReturnType<typeof company>, itemCode: string, leaveOut: string[] = []) =>
    registerCase(forkEm(hub.db.orm), DEMO_ACTORS.clerk, {
      itemCode,
      channel: 'window',
      applicant,
      materials: paper(itemCode, leaveOut),
    });

  it('a second application is complete without the licence the first case issued, and records which certificate', async () => {
    const applicant = company();
    // The first case: a change registration, accepted; its approval issued the electronic licence.
    const first = await register(applicant, CHANGE_REGISTRATION);
    const accepted = await decideAcceptance(forkEm(hub.db.orm), DEMO_ACTORS.clerk, first.id, first.version, {
      type: 'accept',
    });
    expect(accepted.kind).toBe('accepted');
    const certificate = await certificateRow(hub.db.orm, {
      typeCode: licence.code,
      holderIdType: '001',
      holderIdNumber: applicant.idNumber,
      holderName: applicant.name,
      sourceCase: first.id,
    });

    // The second application leaves the licence out.
    const licenceCode = codeOf(FOOD_LICENCE, LICENCE);
    const second = await register(applicant, FOOD_LICENCE, [licenceCode]);
    const registered = await view(second.id);
    expect(registered.materialCheck.complete).toBe(true);
    expect(registered.materialCheck.gaps).toEqual([]);
    const entry = registered.materialCheck.entries.find((e) => e.material.code === licenceCode)!;
    expect(entry).toMatchObject({
      state: 'CONFORMING',
      onFile: true,
      certificate: { id: certificate.id, identifier: certificate.identifier },
    });
    // Every other entry was presented, not on file.
    expect(registered.materialCheck.entries.filter((e) => e.onFile)).toHaveLength(1);
    expect(registered.materials.find((m) => m.checklistCode === licenceCode)).toMatchObject({
      medium: 'ELECTRONIC',
      certificate: { id: certificate.id },
      note: `免提交：电子证照 ${certificate.identifier}`,
    });
    const registeredEvent = registered.timeline.find((e) => e.type === 'registered')!;
    expect(JSON.parse(registeredEvent.changes).onFile).toEqual([
      null,
      `${licenceCode} ${certificate.identifier}`,
    ]);

    // The window accepts it as complete, and the case keeps the certificate it was accepted on.
    const outcome = await decideAcceptance(
      forkEm(hub.db.orm),
      DEMO_ACTORS.clerk,
      second.id,
      registered.version,
      { type: 'accept' },
    );
    expect(outcome.kind).toBe('accepted');
    const onFile = await forkEm(hub.db.orm).findOneOrFail(CaseMaterial, {
      case: second.id,
      checklistCode: licenceCode,
    });
    expect(onFile.certificate?.id).toBe(certificate.id);
  });

  it('a revoked, suspended, expired or not yet valid certificate stands for nothing', async () => {
    const licenceCode = codeOf(FOOD_LICENCE, LICENCE);
    for (const variant of [
      { status: 'revoked' as const },
      { status: 'suspended' as const },
      { validFrom: dayFromToday(-800), validTo: dayFromToday(-1) },
      { validFrom: dayFromToday(3) },
    ]) {
      const applicant = company();
      await certificateRow(hub.db.orm, {
        typeCode: licence.code,
        holderIdType: '001',
        holderIdNumber: applicant.idNumber,
        holderName: applicant.name,
        ...variant,
      });
      const c = await register(applicant, FOOD_LICENCE, [licenceCode]);
      const check = (await view(c.id)).materialCheck;
      expect(check.complete).toBe(false);
      expect(check.gaps).toEqual([{ code: licenceCode }]);
      expect(check.entries.find((e) => e.material.code === licenceCode)).toMatchObject({
        state: 'MISSING',
        onFile: false,
        certificate: null,
      });
    }
  });

  it("someone else's certificate does not count, and a presented material is not replaced", async () => {
    const licenceCode = codeOf(FOOD_LICENCE, LICENCE);
    const holder = company();
    await certificateRow(hub.db.orm, {
      typeCode: licence.code,
      holderIdType: '001',
      holderIdNumber: holder.idNumber,
      holderName: holder.name,
    });
    const other = await register(company(), FOOD_LICENCE, [licenceCode]);
    expect((await view(other.id)).materialCheck.gaps).toEqual([{ code: licenceCode }]);

    const presented = await register(holder, FOOD_LICENCE);
    const check = (await view(presented.id)).materialCheck;
    expect(check.complete).toBe(true);
    expect(check.entries.every((e) => !e.onFile)).toBe(true);
  });

  it('a material that must be handed in on paper is not replaced, even by a type that names it', async () => {
    const applicant = company();
    await certificateRow(hub.db.orm, {
      typeCode: licence.code,
      holderIdType: '001',
      holderIdNumber: applicant.idNumber,
      holderName: applicant.name,
    });
    const paperCode = codeOf(CHANGE_REGISTRATION, PAPER_LICENCE);
    const c = await register(applicant, CHANGE_REGISTRATION, [paperCode]);
    const check = (await view(c.id)).materialCheck;
    expect(check.gaps).toEqual([{ code: paperCode }]);
    expect(check.entries.some((e) => e.onFile)).toBe(false);
  });
});
