import { UnrecoverableError } from 'bullmq';
import type {
  PlatformRecorder,
  PlatformStatusChange,
  PlatformStatusResult,
} from '../adapters/kit/adapter-contract.ts';
import { DepartmentError } from '../adapters/kit/department-error.ts';
import { loadCaseForPackages, packageOf } from '../db/cases/case-transfer.ts';
import type { Case } from '../db/entities/case.ts';
import type { CaseEvent } from '../db/entities/case-event.ts';
import { DeadLetter } from '../db/entities/dead-letter.ts';
import { OutboxEvent } from '../db/entities/outbox-event.ts';
import type { HubEntityManager } from '../db/orm.ts';
import { defineJob, outboxPayload } from './job-definition.ts';

const OUTCOMES: Record<string, 'accepted' | 'correction_required' | 'refused'> = {
  pre_accepted: 'accepted',
  correction_required: 'correction_required',
  refused: 'refused',
};

/** The later steps of an accepted case the platform records (办件过程/办结). */
const STATUS_TOPICS = [
  'case.returned',
  'case.materials_supplied',
  'case.concluded',
  'case.decided',
  'delivery.delivered',
];

/**
 * Records each acceptance (R-F1), online pre-acceptance result (R-F5) and later step of an accepted
 * case (退办, 容缺补齐, 办结, 送达) on the provincial platform. A record the platform refuses is not
 * retried: it becomes a dead letter carrying the platform's field errors, for a clerk to fix and a
 * supervisor to send again.
 *
 * Order. The platform takes a case's steps only after its acceptance, and keeps them in arrival order,
 * while jobs run concurrently and retry independently. So a step job sends every step of the case's
 * timeline so far, oldest first, each under a key derived from its timeline entry
 * (`platform-status-<case>-e<seq>`, not the outbox id: outbox rows are deleted after a day, the timeline
 * stays): steps already recorded answer as repeats, and none can land before an earlier one. When the
 * platform holds no acceptance yet, the job retries with backoff only while our acceptance record is
 * still on its way; see {@link awaitAcceptance}.
 */
export const recordOnPlatform = defineJob({
  name: 'record-on-platform',
  queue: 'platform',
  topics: ['case.accepted', 'case.pre_acceptance_result', ...STATUS_TOPICS],
  payload: outboxPayload,
  async process({ outboxId, caseId, topic }, { em, adapters }) {
    const platform = adapters.find((a) => a.platform)?.platform;
    if (!platform) throw new UnrecoverableError('no adapter records on the provincial platform');
    const hallCase = await loadCaseForPackages(em, caseId);
    if (!hallCase) throw new UnrecoverableError(`case ${caseId} does not exist`);
    try {
      if (STATUS_TOPICS.includes(topic)) return await recordSteps(em, platform, hallCase);
      if (topic === 'case.accepted') {
        return await platform.acceptance(
          packageOf(hallCase, 'provincial', `platform-accept-${hallCase.number}`),
        );
      }
      const event = await em.findOne(OutboxEvent, { id: outboxId });
      const result = String(event?.payload.result ?? 'pre_accepted');
      const pkg = packageOf(hallCase, 'provincial', `platform-pre-${hallCase.number}-o${outboxId}`);
      const lastDocument = hallCase.documents.getItems().at(-1);
      return await platform.preAcceptance({
        caseNumber: pkg.caseNumber,
        idempotencyKey: pkg.idempotencyKey,
        itemCode: pkg.itemCode,
        itemName: pkg.itemName,
        applicant: pkg.applicant,
        materials: pkg.materials,
        outcome: OUTCOMES[result] ?? 'accepted',
        reasons:
          hallCase.refusalReasons ??
          (result === 'correction_required' ? ['材料不齐全或不符合法定形式，已一次性告知补正'] : []),
        decidedAt: (lastDocument?.issuedAt ?? new Date()).toISOString(),
      });
    } catch (error) {
      if (error instanceof DepartmentError && error.kind === 'permanent') {
        throw new UnrecoverableError(`the provincial platform refused the record: ${error.reason}`);
      }
      throw error;
    }
  },
});

/** Sends the case's steps so far, oldest first; a step refused stops the rest (they follow it). */
async function recordSteps(
  em: HubEntityManager,
  platform: PlatformRecorder,
  hallCase: Case,
): Promise<{ recorded: number; repeated: number }> {
  let recorded = 0;
  let repeated = 0;
  for (const step of platformSteps(hallCase)) {
    let answer: PlatformStatusResult;
    try {
      answer = await platform.statusChange(step);
    } catch (error) {
      if (error instanceof DepartmentError && error.kind === 'permanent') {
        throw new UnrecoverableError(
          `the provincial platform refused the record: ${error.reason} (the ${step.status} step, ${step.idempotencyKey})`,
        );
      }
      throw error;
    }
    if (answer.status === 'case_not_accepted') return awaitAcceptance(em, hallCase, answer.reason);
    if (answer.status === 'duplicate') repeated++;
    else recorded++;
  }
  return { recorded, repeated };
}

/**
 * The platform holds no acceptance for the case, so it took none of its steps. This is transient only
 * while our acceptance record is still on its way (queued, or retrying) — an out-of-order arrival, so
 * the job fails to be retried with backoff. When our side will not send one (the hall never accepted
 * the case, or the acceptance record is itself a dead letter awaiting a clerk) waiting cannot help: the
 * step is dead-lettered at once with the platform's field error, naming what to send first.
 */
async function awaitAcceptance(em: HubEntityManager, hallCase: Case, reason: string): Promise<never> {
  if (!hallCase.acceptedOn) {
    throw new UnrecoverableError(
      `the provincial platform refused the record: ${reason} (case ${hallCase.number} was never accepted by the hall)`,
    );
  }
  const letters = await em.find(DeadLetter, {
    caseId: hallCase.id,
    jobName: recordOnPlatform.name,
    retriedAt: null,
  });
  const stuck = letters.find((l) => l.payload.topic === 'case.accepted');
  if (stuck) {
    throw new UnrecoverableError(
      `the provincial platform refused the record: ${reason} (the case's acceptance record is dead letter ${stuck.id}; send it again first, then this one)`,
    );
  }
  throw new Error(
    `the provincial platform holds no acceptance for case ${hallCase.number} yet (${reason}); our acceptance record is still on its way, so this step is retried`,
  );
}

/**
 * The platform's view of a case's timeline: each later step of an accepted case, oldest first, built
 * from the timeline entry and the case alone so the same step is the same record however often and
 * by whichever job it is sent.
 */
function platformSteps(hallCase: Case): PlatformStatusChange[] {
  const departments = hallCase.item.departments.getItems().map((d) => ({ code: d.code, name: d.name }));
  const steps: PlatformStatusChange[] = [];
  for (const event of hallCase.events.getItems()) {
    const common = {
      caseNumber: hallCase.number,
      idempotencyKey: `platform-status-${hallCase.number}-e${event.seq}`,
      itemCode: hallCase.item.code,
      itemName: hallCase.item.name,
      occurredAt: event.at.toISOString(),
      departments,
    };
    const status = event.changes.status?.[1];
    switch (event.type) {
      case 'returned':
        steps.push({ ...common, status: 'returned', reasons: returnReasons(hallCase, event) });
        break;
      case 'materials_presented':
        // Only the presentation that settled a deficiency-tolerant commitment is a step of its own.
        if (event.changes.status?.[0] === 'accepted_with_deficiency' && status === 'accepted') {
          steps.push({ ...common, status: 'materials_supplied', materials: owedMaterials(hallCase, event) });
        }
        break;
      case 'concluded':
        steps.push(conclusion(hallCase, event, common));
        break;
      case 'approved_on_the_spot':
      case 'denied_on_the_spot':
        steps.push(decisionOnTheSpot(hallCase, event, common));
        break;
      case 'delivered_electronically':
        steps.push({
          ...common,
          status: 'delivered',
          delivery: { method: 'electronic', recipient: 'applicant', waybillNo: null },
        });
        break;
      case 'delivered_by_post':
        steps.push({
          ...common,
          status: 'delivered',
          delivery: { method: 'post', recipient: 'applicant', waybillNo: text(event.changes.waybillNo?.[1]) },
        });
        break;
      case 'result_handed_over':
        steps.push({
          ...common,
          status: 'delivered',
          delivery: {
            method: 'pickup',
            recipient: event.changes.recipient?.[1] === 'agent' ? 'agent' : 'applicant',
            waybillNo: null,
          },
        });
        break;
    }
  }
  return steps;
}

type StepCommon = Pick<
  PlatformStatusChange,
  'caseNumber' | 'idempotencyKey' | 'itemCode' | 'itemName' | 'occurredAt' | 'departments'
>;

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function materialNames(hallCase: Case, codes: readonly string[]): { code: string; name: string }[] {
  const checklist = hallCase.itemVersion.materials.getItems();
  return codes.map((code) => ({ code, name: checklist.find((m) => m.code === code)?.name ?? code }));
}

function owedMaterials(hallCase: Case, event: CaseEvent): { code: string; name: string }[] {
  const codes = hallCase.commitment?.materialCodes ?? text(event.changes.materials?.[1])?.split(',') ?? [];
  return materialNames(hallCase, codes);
}

function returnReasons(hallCase: Case, event: CaseEvent): string[] {
  const owed = text(event.changes.owed?.[1])?.split(',') ?? [];
  const names = materialNames(hallCase, owed).map((m) => m.name);
  return [
    names.length > 0
      ? `申请人未在承诺期限内补齐容缺材料：${names.join('、')}`
      : '申请人未在承诺期限内补齐容缺材料',
  ];
}

/** 办结 by the departments: those that decided, their results when approved, their reasons when not. */
function conclusion(hallCase: Case, event: CaseEvent, common: StepCommon): PlatformStatusChange {
  const approved = event.changes.status?.[1] === 'approved';
  // The conclusion lists the departments that decided, as `code:status,…`, in the item's order.
  const decided = (text(event.changes.departments?.[1])?.split(',') ?? []).map((d) => d.split(':')[0]!);
  const departments = decided.length
    ? decided.map((code) => common.departments.find((d) => d.code === code) ?? { code, name: code })
    : common.departments;
  const tasks = decided
    .map((code) => hallCase.tasks.getItems().find((t) => t.departmentCode === code))
    .filter((t) => t !== undefined);
  return {
    ...common,
    departments,
    status: 'concluded',
    outcome: approved ? 'approved' : 'denied',
    reasons: approved ? [] : tasks.flatMap((t) => (t.status === 'rejected' ? (t.reasons ?? []) : [])),
    results: approved
      ? tasks.flatMap((t) =>
          t.resultName && t.resultNumber ? [{ name: t.resultName, number: t.resultNumber }] : [],
        )
      : [],
  };
}

/** 办结 of an immediate item decided at the window (R-C1): the decision document is the result. */
function decisionOnTheSpot(hallCase: Case, event: CaseEvent, common: StepCommon): PlatformStatusChange {
  const approved = event.type === 'approved_on_the_spot';
  const document = hallCase.documents.getItems().find((d) => d.id === event.documentId);
  // A denial's reasons are the numbered paragraphs of its decision document.
  const paragraphs = Array.isArray(document?.content.paragraphs) ? document.content.paragraphs : [];
  const reasons = paragraphs.flatMap((p) => {
    const match = typeof p === 'string' ? /^\d+\. (.+)$/.exec(p) : null;
    return match ? [match[1]!] : [];
  });
  return {
    ...common,
    status: 'concluded',
    outcome: approved ? 'approved' : 'denied',
    reasons: approved ? [] : reasons.length > 0 ? reasons : [`见${document?.title ?? '审批决定书'}`],
    results: approved && document ? [{ name: hallCase.item.resultName, number: document.number }] : [],
  };
}
