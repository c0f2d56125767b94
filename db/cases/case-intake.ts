import type { Actor } from '../actor.ts';
import { chinaDate } from '../calendar/index.ts';
import { Applicant, type ApplicantType } from '../entities/applicant.ts';
import { Blob } from '../entities/blob.ts';
import { type AgentRecord, Case, type CaseStatus, type Channel } from '../entities/case.ts';
import { CaseMaterial, type MaterialMedium } from '../entities/case-material.ts';
import { badInput, HubError } from '../errors.ts';
import { checkIdentity } from '../identity/identity.ts';
import type { HubEntityManager } from '../orm.ts';
import { certificatesOnFile } from '../sharing/certificates-on-file.ts';
import { requireRole } from './case-access.ts';
import { changeCase } from './case-change.ts';
import { emitOutbox, recordEvent } from './case-events.ts';
import { loadIntakeGraph } from './case-graph.ts';
import { nextCaseNumber } from './case-numbers.ts';
import { closeSuspension, materialCheckOf } from './case-view.ts';
import { packageToRegister } from './express-packages.ts';

export interface PresentedMaterialInput {
  checklistCode: string;
  medium: MaterialMedium;
  copies?: number | null;
  /** SHA-256 of an uploaded file (electronic materials). */
  blobId?: string | null;
  fileName?: string | null;
  failedReviewPoints?: string[] | null;
  note?: string | null;
}

export interface ApplicantInput {
  type: ApplicantType;
  name: string;
  idNumber: string;
  phone?: string | null;
  address?: string | null;
  legalRepresentative?: string | null;
  /** Link to the applicant's own login, when known. */
  accountId?: string | null;
}

export interface AgentInput {
  name: string;
  idNumber: string;
  phone?: string | null;
  authorisation: string;
}

export interface RegisterCaseInput {
  itemCode: string;
  channel: Channel;
  /** Hall of an online application submitted by the applicant; a clerk's own hall otherwise. */
  hallCode?: string | null;
  applicant: ApplicantInput;
  agent?: AgentInput | null;
  materials: PresentedMaterialInput[];
  /** The package an express-mail application came in (channel express_mail). */
  expressPackageId?: string | null;
}

function validatedIdentity(field: string, type: 'citizen_id' | 'credit_code', value: string): string {
  const result = checkIdentity(type, value);
  if (!result.ok) {
    const what = type === 'citizen_id' ? 'citizen ID number' : 'unified social credit code';
    throw badInput(field, `the ${what} is not valid: ${result.reason}`);
  }
  return result.value;
}

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/** An applicant's input checked and normalised, with the identity it is looked up by. */
interface CheckedApplicant {
  input: ApplicantInput;
  name: string;
  idType: 'citizen_id' | 'credit_code';
  idNumber: string;
  phone: string | null;
}

function checkApplicant(input: ApplicantInput): CheckedApplicant {
  const name = input.name.trim();
  if (name.length < 2 || name.length > 100)
    throw badInput('applicant.name', 'the name must be 2 to 100 characters');
  const idType = input.type === 'person' ? 'citizen_id' : 'credit_code';
  const idNumber = validatedIdentity('applicant.idNumber', idType, input.idNumber);
  const phone = input.phone?.trim() || null;
  if (phone && !PHONE.test(phone)) {
    throw badInput(
      'applicant.phone',
      'the phone number must be a mainland mobile (11 digits) or a landline with area code',
    );
  }
  if (input.type === 'organisation' && !input.legalRepresentative?.trim()) {
    throw badInput('applicant.legalRepresentative', 'an organisation needs its legal representative');
  }
  return { input, name, idType, idNumber, phone };
}

/** The applicant on record for this identity (`existing`), brought up to date, or a new one. */
async function findOrCreateApplicant(
  em: HubEntityManager,
  { input, name, idType, idNumber, phone }: CheckedApplicant,
  existing: Applicant | null,
): Promise<Applicant> {
  if (existing) {
    if (existing.name !== name) {
      throw badInput(
        'applicant.name',
        'the name does not match the one on record for this identity number; check both',
      );
    }
    if (phone) existing.phone = phone;
    if (input.address) existing.address = input.address.trim();
    if (input.accountId && existing.accountId && existing.accountId !== input.accountId) {
      throw badInput(
        'applicant.accountId',
        'this applicant is already linked to another account; an account is changed by the applicant’s identity service, not at the window',
      );
    }
    if (input.accountId && !existing.accountId) {
      await refuseAccountOfAnother(em, input.accountId, existing.id);
      existing.accountId = input.accountId;
    }
    return existing;
  }
  if (input.accountId) await refuseAccountOfAnother(em, input.accountId, null);
  return em.create(Applicant, {
    type: input.type,
    name,
    idType,
    idNumber,
    phone,
    address: input.address?.trim() || null,
    legalRepresentative: input.legalRepresentative?.trim() || null,
    accountId: input.accountId ?? null,
  });
}

async function addMaterials(
  em: HubEntityManager,
  hallCase: Case,
  actor: Actor,
  inputs: readonly PresentedMaterialInput[],
): Promise<CaseMaterial[]> {
  const checklist = new Map(hallCase.itemVersion.materials.getItems().map((m) => [m.code, m]));
  let position = hallCase.materials.length;
  const added: CaseMaterial[] = [];
  for (const [index, input] of inputs.entries()) {
    const field = `materials[${index}]`;
    const entry = checklist.get(input.checklistCode);
    if (!entry) {
      throw badInput(
        `${field}.checklistCode`,
        `${input.checklistCode} is not on the checklist of ${hallCase.item.code}`,
      );
    }
    const failed = [...new Set(input.failedReviewPoints ?? [])];
    const unknown = failed.filter((p) => !entry.reviewPoints.includes(p));
    if (unknown.length > 0) {
      throw badInput(
        `${field}.failedReviewPoints`,
        `not review points of ${entry.code} ${entry.name}: ${unknown.join('; ')}`,
      );
    }
    let blob: Blob | null = null;
    if (input.medium === 'electronic') {
      if (!entry.electronicAccepted)
        throw badInput(`${field}.medium`, `${entry.name} is not accepted as an electronic file`);
      if (!input.blobId)
        throw badInput(`${field}.blobId`, 'an electronic material needs the id of its uploaded file');
      blob = await em.findOne(Blob, { sha256: input.blobId });
      if (!blob)
        throw badInput(`${field}.blobId`, 'no uploaded file has this id; upload it first (POST /uploads)');
    }
    const copies = input.copies ?? 1;
    if (!Number.isInteger(copies) || copies < 1 || copies > 99)
      throw badInput(`${field}.copies`, 'copies must be 1 to 99');
    const material = em.create(CaseMaterial, {
      case: hallCase,
      position: position++,
      checklistCode: entry.code,
      medium: input.medium,
      copies,
      blob,
      fileName: input.fileName?.slice(0, 200) ?? null,
      failedReviewPoints: failed,
      note: input.note?.slice(0, 1000) ?? null,
      presentedBy: actor.id,
    });
    hallCase.materials.add(material);
    added.push(material);
  }
  return added;
}

/**
 * 免提交: a required material the applicant did not present, for which they hold a valid electronic
 * certificate whose type stands for it, is put on file with that certificate. It is recorded at
 * registration, as a material of the case, so the clerk's check, the timeline and the departments
 * see which certificate stood for it; presenting the material later supersedes it.
 */
async function addCertificatesOnFile(
  em: HubEntityManager,
  hallCase: Case,
  actor: Actor,
  today: string,
): Promise<CaseMaterial[]> {
  const presented = new Set(hallCase.materials.getItems().map((m) => m.checklistCode));
  const checklist = hallCase.itemVersion.materials.getItems();
  const found = await certificatesOnFile(em, hallCase.applicant, checklist, presented, today);
  let position = hallCase.materials.length;
  return found.map(({ entry, certificate }) => {
    const material = em.create(CaseMaterial, {
      case: hallCase,
      position: position++,
      checklistCode: entry.code,
      medium: 'electronic',
      copies: 1,
      blob: null,
      certificate,
      fileName: null,
      failedReviewPoints: [],
      note: `免提交：电子证照 ${certificate.identifier}`,
      presentedBy: actor.id,
    });
    hallCase.materials.add(material);
    return material;
  });
}

/** Registers an application for a catalogue item (at the window, online or from express mail). */
export async function registerCase(
  em: HubEntityManager,
  actor: Actor | null,
  input: RegisterCaseInput,
): Promise<Case> {
  const who = requireRole(actor, ['clerk', 'applicant'], 'registering an application');
  if (who.role === 'applicant' && input.channel !== 'online') {
    throw new HubError(
      'FORBIDDEN',
      'applicants apply online; window and express-mail applications are registered by a clerk',
    );
  }
  const hallCode = who.role === 'clerk' ? who.hallCode : input.hallCode;
  if (!hallCode) throw badInput('hallCode', 'an online application names the hall it is made to');
  if (input.materials.length > 100) throw badInput('materials', 'at most 100 materials at once');
  const checked = checkApplicant({
    ...input.applicant,
    accountId: who.role === 'applicant' ? who.id : input.applicant.accountId,
  });
  return em.transactional(async (tx) => {
    // One statement: the hall, the item with its departments and checklist, the applicant on record.
    const {
      hall,
      item,
      applicant: onRecord,
    } = await loadIntakeGraph(tx, {
      hallCode,
      itemCode: input.itemCode,
      idType: checked.idType,
      idNumber: checked.idNumber,
    });
    if (!hall) throw badInput('hallCode', `no hall has the code ${hallCode}`);
    if (!item?.active || !item.currentVersion) {
      throw badInput('itemCode', `${input.itemCode} is not an item of the catalogue`);
    }
    if (!item.comprehensiveWindow) {
      throw badInput(
        'itemCode',
        `${item.code} ${item.name} is still handled at the department's own window, not here`,
      );
    }
    const expressPackage =
      input.channel === 'express_mail'
        ? await packageToRegister(tx, hall.code, input.expressPackageId)
        : null;
    const applicant = await findOrCreateApplicant(tx, checked, onRecord);
    let agent: AgentRecord | null = null;
    if (input.agent) {
      const name = input.agent.name.trim();
      const authorisation = input.agent.authorisation.trim();
      if (name.length < 2) throw badInput('agent.name', 'the agent needs a name');
      if (authorisation.length < 2)
        throw badInput('agent.authorisation', 'say how the agent is authorised (e.g. 授权委托书原件)');
      const agentPhone = input.agent.phone?.trim() || null;
      if (agentPhone && !PHONE.test(agentPhone))
        throw badInput('agent.phone', 'the phone number is not valid');
      agent = {
        name,
        idType: 'citizen_id',
        idNumber: validatedIdentity('agent.idNumber', 'citizen_id', input.agent.idNumber),
        phone: agentPhone,
        authorisation,
      };
    }
    const now = new Date();
    const receivedOn = chinaDate(now);
    const status: CaseStatus = input.channel === 'online' ? 'online_submitted' : 'registered';
    const hallCase = tx.create(Case, {
      number: await nextCaseNumber(tx, hall.code, receivedOn),
      item,
      itemVersion: item.currentVersion,
      applicant,
      agent,
      channel: input.channel,
      hall,
      clerkId: who.id,
      status,
      receivedAt: now,
      receivedOn,
      acceptedOn: null,
      promisedLimitDays: item.currentVersion.promisedLimitDays,
      commitment: null,
      refusalReasons: null,
      auditHead: null,
    });
    await addMaterials(tx, hallCase, who, input.materials);
    const onFile = await addCertificatesOnFile(tx, hallCase, who, receivedOn);
    recordEvent(tx, hallCase, who, 'registered', {
      status: [null, status],
      channel: [null, input.channel],
      item: [null, `${item.code}@${item.currentVersion.version}`],
      materials: [null, input.materials.length],
      agent: [null, agent ? 'recorded' : 'none'],
      ...(onFile.length > 0
        ? { onFile: [null, onFile.map((m) => `${m.checklistCode} ${m.certificate!.identifier}`).join(', ')] }
        : {}),
      ...(expressPackage
        ? { expressPackage: [null, `${expressPackage.carrier} ${expressPackage.trackingNumber}`] }
        : {}),
    });
    if (expressPackage) {
      expressPackage.status = 'registered';
      expressPackage.case = hallCase;
      expressPackage.registeredAt = now;
    }
    emitOutbox(tx, 'case.registered', hallCase.id, {
      caseNumber: hallCase.number,
      itemCode: item.code,
      channel: input.channel,
      hallCode: hall.code,
    });
    return hallCase;
  });
}

/** One account, one applicant: an account already linked to someone else is refused with a reason. */
async function refuseAccountOfAnother(em: HubEntityManager, accountId: string, applicantId: string | null) {
  const holder = await em.findOne(Applicant, { accountId });
  if (holder && holder.id !== applicantId)
    throw badInput(
      'applicant.accountId',
      'this account is linked to another applicant; check the account shown',
    );
}

/** Adds presented materials (a correction supplied, owed materials arriving, or more at the desk). */
export async function presentMaterials(
  em: HubEntityManager,
  actor: Actor | null,
  caseId: string,
  expectedVersion: number,
  materials: PresentedMaterialInput[],
): Promise<Case> {
  requireRole(actor, ['clerk'], 'presenting materials');
  if (materials.length === 0) throw badInput('materials', 'present at least one material');
  return changeCase(em, actor, caseId, expectedVersion, async (tx, hallCase, who) => {
    const open: CaseStatus[] = [
      'registered',
      'online_submitted',
      'pre_accepted',
      'correction_required',
      'accepted_with_deficiency',
    ];
    if (!open.includes(hallCase.status)) {
      throw new HubError('CONFLICT', `materials cannot be added to a case that is ${hallCase.status}`);
    }
    await addMaterials(tx, hallCase, who, materials);
    let settled = false;
    const before = hallCase.status;
    const today = chinaDate(new Date());
    if (before === 'correction_required') {
      // The applicant supplied what the notice asked for: the case goes back to the desk's check.
      hallCase.status = hallCase.acceptedOn ? 'accepted' : 'registered';
      closeSuspension(hallCase, 'correction', today);
    } else if (before === 'accepted_with_deficiency' && hallCase.commitment) {
      const check = materialCheckOf(hallCase);
      const stillOwed = check.gaps.filter((g) => hallCase.commitment!.materialCodes.includes(g.code));
      if (stillOwed.length === 0) {
        hallCase.status = 'accepted';
        closeSuspension(hallCase, 'deficiency_commitment', today);
        settled = true;
      }
    }
    recordEvent(tx, hallCase, who, 'materials_presented', {
      materials: [null, materials.map((m) => m.checklistCode).join(',')],
      ...(before !== hallCase.status ? { status: [before, hallCase.status] } : {}),
    });
    if (before !== hallCase.status) {
      emitOutbox(tx, 'case.status_changed', hallCase.id, {
        caseNumber: hallCase.number,
        from: before,
        to: hallCase.status,
      });
    }
    // The owed materials go on to every department that holds the case (`supply-materials`); the
    // simulated approval becomes the decision once they all have them (R-B4).
    if (settled) {
      emitOutbox(tx, 'case.materials_supplied', hallCase.id, {
        caseNumber: hallCase.number,
        materialCodes: hallCase.commitment!.materialCodes,
      });
    }
    return hallCase;
  });
}
