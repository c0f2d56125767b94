import type { Actor } from '../actor.ts';
import { chinaDate, correctionNoticeDeadline, hallCalendar } from '../calendar/index.ts';
import { Case, type CaseStatus } from '../entities/case.ts';
import { CaseDocument, type DocumentKind } from '../entities/case-document.ts';
import { CaseSuspension } from '../entities/case-suspension.ts';
import { badInput } from '../errors.ts';
import type { HubEntityManager } from '../orm.ts';
import { requireRole } from './case-access.ts';
import { changeCase } from './case-change.ts';
import { buildDocumentContent } from './case-documents.ts';
import { emitOutbox, type Recorder, recordEvent, SYSTEM_ACTOR } from './case-events.ts';
import { nextDocumentNumber } from './case-numbers.ts';
import { CASE_VIEW_POPULATE, itemsOf } from './case-queries.ts';
import { closeSuspension, deadlineOf, materialCheckOf } from './case-view.ts';
import { gapKey, type MaterialCheck, type MaterialGap } from './material-check.ts';

/** Outcomes a caller can act on; faults (no access, stale version, bad input) are HubErrors. */
export type DecisionOutcome =
  | { kind: 'accepted'; hallCase: Case; document: CaseDocument }
  | { kind: 'correction_required'; hallCase: Case; document: CaseDocument; gaps: MaterialGap[] }
  | { kind: 'refused'; hallCase: Case; document: CaseDocument }
  | { kind: 'accepted_with_deficiency'; hallCase: Case; document: CaseDocument }
  | { kind: 'pre_accepted'; hallCase: Case; document: CaseDocument }
  | { kind: 'immediate_decided'; hallCase: Case; document: CaseDocument; approved: boolean }
  | { kind: 'not_allowed'; hallCase: Case; code: NotAllowedCode; message: string; gaps: MaterialGap[] };

export type NotAllowedCode =
  | 'MATERIALS_INCOMPLETE'
  | 'NOTHING_TO_CORRECT'
  | 'ALREADY_NOTIFIED'
  | 'CORRECTION_PERIOD_OVER'
  | 'GAPS_NOT_TOLERABLE'
  | 'COMMITMENT_INVALID'
  | 'WRONG_STATUS'
  | 'NOT_IMMEDIATE';

export type AcceptanceDecision =
  | { type: 'accept' }
  | { type: 'require_correction' }
  | { type: 'refuse'; reasons: string[] }
  | { type: 'accept_with_deficiency'; commitment: { materialCodes: string[]; supplyBy: string } };

async function issueDocument(
  tx: HubEntityManager,
  hallCase: Case,
  actor: Recorder,
  kind: DocumentKind,
  extra: { gaps?: MaterialGap[]; reasons?: string[]; approved?: boolean; gapKeys?: string[] },
): Promise<CaseDocument> {
  const now = new Date();
  const issuedOn = chinaDate(now);
  const number = await nextDocumentNumber(tx, hallCase.hall, kind, Number(issuedOn.slice(0, 4)));
  const content = buildDocumentContent(hallCase, kind, number, issuedOn, {
    check: materialCheckOf(hallCase),
    deadline: deadlineOf(hallCase, issuedOn),
    ...extra,
  });
  const document = tx.create(CaseDocument, {
    case: hallCase,
    kind,
    number,
    title: String(content.title),
    issuedAt: now,
    issuedOn,
    issuedBy: actor.id,
    content: content as unknown as Record<string, unknown>,
    gapKeys: extra.gapKeys ?? null,
    pdf: null,
  });
  hallCase.documents.add(document);
  return document;
}

/**
 * The day acceptance counts from. Without a correction notice within 5 working days of receipt the
 * application counts as accepted on the day it was received (行政许可法 §32), so a late acceptance is
 * dated back and its clock has already been running.
 */
export function acceptanceDate(hallCase: Case, today: string): string {
  return today > correctionNoticeDeadline(hallCalendar(), hallCase.receivedOn) ? hallCase.receivedOn : today;
}

function notAllowed(
  hallCase: Case,
  code: NotAllowedCode,
  message: string,
  gaps: MaterialGap[] = [],
): DecisionOutcome {
  return { kind: 'not_allowed', hallCase, code, message, gaps };
}

function acceptanceData(hallCase: Case, check: MaterialCheck) {
  // What the provincial platform records for an acceptance (R-F1): references and facts, no identity numbers.
  return {
    caseNumber: hallCase.number,
    itemCode: hallCase.item.code,
    itemVersion: hallCase.itemVersion.version,
    hallCode: hallCase.hall.code,
    channel: hallCase.channel,
    applicantId: hallCase.applicant.id,
    acceptedOn: hallCase.acceptedOn,
    promisedLimitDays: hallCase.promisedLimitDays,
    materials: check.entries.map((e) => ({ code: e.entry.code, name: e.entry.name, state: e.state })),
  };
}

/** The window's decision on acceptance (R-F1…R-F4): one of the outcomes the plan allows. */
export async function decideAcceptance(
  em: HubEntityManager,
  actor: Actor | null,
  caseId: string,
  expectedVersion: number,
  decision: AcceptanceDecision,
): Promise<DecisionOutcome> {
  requireRole(actor, ['clerk'], 'deciding on acceptance');
  return changeCase(em, actor, caseId, expectedVersion, async (tx, hallCase, who) => {
    if (!['registered', 'pre_accepted'].includes(hallCase.status)) {
      const hint =
        hallCase.status === 'online_submitted' ? '; an online application is pre-accepted first' : '';
      return notAllowed(
        hallCase,
        'WRONG_STATUS',
        `the case is ${hallCase.status}; acceptance is decided on a registered case${hint}`,
      );
    }
    return decide(tx, hallCase, who, decision);
  });
}

async function decide(
  tx: HubEntityManager,
  hallCase: Case,
  who: Actor,
  decision: AcceptanceDecision,
): Promise<DecisionOutcome> {
  const check = materialCheckOf(hallCase);
  const today = chinaDate(new Date());
  const before = hallCase.status;
  switch (decision.type) {
    case 'accept': {
      if (!check.complete) {
        return notAllowed(
          hallCase,
          'MATERIALS_INCOMPLETE',
          `${check.gaps.length} material(s) missing or defective`,
          check.gaps,
        );
      }
      hallCase.status = 'accepted';
      hallCase.acceptedOn = acceptanceDate(hallCase, today);
      const document = await issueDocument(tx, hallCase, who, 'acceptance_notice', {});
      recordEvent(
        tx,
        hallCase,
        who,
        'accepted',
        { status: [before, 'accepted'], acceptedOn: [null, hallCase.acceptedOn] },
        { documentId: document.id },
      );
      emitOutbox(tx, 'case.accepted', hallCase.id, {
        ...acceptanceData(hallCase, check),
        documentNumber: document.number,
      });
      return { kind: 'accepted', hallCase, document };
    }
    case 'require_correction': {
      if (check.complete)
        return notAllowed(hallCase, 'NOTHING_TO_CORRECT', 'every material conforms; accept the case instead');
      const deadline = correctionNoticeDeadline(hallCalendar(), hallCase.receivedOn);
      if (today > deadline) {
        return notAllowed(
          hallCase,
          'CORRECTION_PERIOD_OVER',
          `a correction had to be notified by ${deadline} (5 working days after receipt); the application now counts as accepted`,
          check.gaps,
        );
      }
      const told = new Set(
        (await itemsOf(hallCase.documents))
          .filter((d) => d.kind === 'correction_notice')
          .flatMap((d) => d.gapKeys ?? []),
      );
      const keys = check.gaps.map(gapKey);
      if (keys.every((k) => told.has(k))) {
        return notAllowed(
          hallCase,
          'ALREADY_NOTIFIED',
          'every gap was already on an earlier correction notice (一次告知); wait for the applicant to supply them, or refuse',
          check.gaps,
        );
      }
      hallCase.status = 'correction_required';
      if (hallCase.acceptedOn)
        tx.create(CaseSuspension, { case: hallCase, reason: 'correction', from: today, to: null });
      const document = await issueDocument(tx, hallCase, who, 'correction_notice', {
        gaps: check.gaps,
        gapKeys: keys,
      });
      recordEvent(
        tx,
        hallCase,
        who,
        'correction_required',
        { status: [before, 'correction_required'], gaps: [null, keys.length] },
        { documentId: document.id },
      );
      emitOutbox(tx, 'case.correction_required', hallCase.id, {
        caseNumber: hallCase.number,
        documentNumber: document.number,
      });
      return { kind: 'correction_required', hallCase, document, gaps: check.gaps };
    }
    case 'refuse': {
      const reasons = decision.reasons.map((r) => r.trim()).filter((r) => r.length > 0);
      if (reasons.length === 0)
        throw badInput(
          'reasons',
          'a refusal states its specific reasons (不予受理具体理由); none were given',
        );
      if (reasons.some((r) => r.length < 4))
        throw badInput('reasons', 'each reason must say specifically why (at least 4 characters)');
      hallCase.status = 'refused';
      hallCase.refusalReasons = reasons;
      const document = await issueDocument(tx, hallCase, who, 'refusal_decision', { reasons });
      recordEvent(
        tx,
        hallCase,
        who,
        'refused',
        { status: [before, 'refused'], reasons: [null, reasons.length] },
        { documentId: document.id },
      );
      emitOutbox(tx, 'case.refused', hallCase.id, {
        caseNumber: hallCase.number,
        documentNumber: document.number,
      });
      return { kind: 'refused', hallCase, document };
    }
    case 'accept_with_deficiency': {
      if (check.complete)
        return notAllowed(hallCase, 'NOTHING_TO_CORRECT', 'every material conforms; accept the case instead');
      const intolerable = check.gaps.filter((g) => !g.tolerable);
      if (intolerable.length > 0) {
        return notAllowed(
          hallCase,
          'GAPS_NOT_TOLERABLE',
          `deficiency-tolerant acceptance is not possible: ${intolerable.map((g) => `${g.code} ${g.name}`).join('、')} may not be owed for this item`,
          intolerable,
        );
      }
      const owed = check.gaps.map((g) => g.code).sort();
      const committed = [...new Set(decision.commitment.materialCodes)].sort();
      if (owed.join(',') !== committed.join(',')) {
        return notAllowed(
          hallCase,
          'COMMITMENT_INVALID',
          `the commitment must cover exactly the owed materials: ${owed.join(', ')}`,
          check.gaps,
        );
      }
      const supplyBy = decision.commitment.supplyBy;
      const latest = hallCalendar().addWorkingDays(today, hallCase.promisedLimitDays).date;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(supplyBy) || supplyBy <= today || supplyBy > latest) {
        return notAllowed(
          hallCase,
          'COMMITMENT_INVALID',
          `the supply date must be after today and no later than the promised completion date ${latest}`,
          check.gaps,
        );
      }
      hallCase.status = 'accepted_with_deficiency';
      hallCase.acceptedOn = acceptanceDate(hallCase, today);
      hallCase.commitment = { materialCodes: committed, supplyBy, committedAt: new Date().toISOString() };
      tx.create(CaseSuspension, { case: hallCase, reason: 'deficiency_commitment', from: today, to: null });
      const document = await issueDocument(tx, hallCase, who, 'deficiency_acceptance_notice', {
        gaps: check.gaps,
      });
      recordEvent(
        tx,
        hallCase,
        who,
        'accepted_with_deficiency',
        {
          status: [before, 'accepted_with_deficiency'],
          acceptedOn: [null, hallCase.acceptedOn],
          commitment: [null, `${committed.join(',')} by ${supplyBy}`],
        },
        { documentId: document.id },
      );
      emitOutbox(tx, 'case.accepted', hallCase.id, {
        ...acceptanceData(hallCase, check),
        documentNumber: document.number,
        deficiency: { materialCodes: committed, supplyBy },
      });
      return { kind: 'accepted_with_deficiency', hallCase, document };
    }
  }
}

/** Pre-acceptance (预受理) of an online application; its result is told to the applicant (R-F5). */
export async function preAccept(
  em: HubEntityManager,
  actor: Actor | null,
  caseId: string,
  expectedVersion: number,
  decision: { type: 'pass' } | { type: 'require_correction' } | { type: 'refuse'; reasons: string[] },
): Promise<DecisionOutcome> {
  requireRole(actor, ['clerk'], 'pre-acceptance');
  return changeCase(em, actor, caseId, expectedVersion, async (tx, hallCase, who) => {
    if (hallCase.status !== 'online_submitted') {
      return notAllowed(
        hallCase,
        'WRONG_STATUS',
        `pre-acceptance is for online applications not yet reviewed; this case is ${hallCase.status}`,
      );
    }
    let outcome: DecisionOutcome;
    if (decision.type === 'pass') {
      const check = materialCheckOf(hallCase);
      if (!check.complete) {
        return notAllowed(
          hallCase,
          'MATERIALS_INCOMPLETE',
          `${check.gaps.length} material(s) missing or defective`,
          check.gaps,
        );
      }
      hallCase.status = 'pre_accepted';
      const document = await issueDocument(tx, hallCase, who, 'pre_acceptance_result', { approved: true });
      recordEvent(
        tx,
        hallCase,
        who,
        'pre_accepted',
        { status: ['online_submitted', 'pre_accepted'] },
        { documentId: document.id },
      );
      outcome = { kind: 'pre_accepted', hallCase, document };
    } else {
      // The same decisions as at the desk; the case stands as registered for them.
      hallCase.status = 'registered';
      outcome = await decide(tx, hallCase, who, decision);
      if (outcome.kind === 'not_allowed') hallCase.status = 'online_submitted';
    }
    if (outcome.kind === 'not_allowed') return outcome;
    emitOutbox(tx, 'case.pre_acceptance_result', hallCase.id, {
      ...acceptanceData(hallCase, materialCheckOf(hallCase)),
      result: outcome.kind,
      documentNumber: 'document' in outcome ? outcome.document.number : null,
    });
    return outcome;
  });
}

/** The chief representative decides an immediate item on the spot (即办件, R-C1). */
export async function decideImmediate(
  em: HubEntityManager,
  actor: Actor | null,
  caseId: string,
  expectedVersion: number,
  decision: { approve: boolean; reasons: string[] },
): Promise<DecisionOutcome> {
  requireRole(actor, ['chief_representative'], 'deciding an immediate item');
  return changeCase(em, actor, caseId, expectedVersion, async (tx, hallCase, who) => {
    if (hallCase.item.kind !== 'immediate') {
      return notAllowed(
        hallCase,
        'NOT_IMMEDIATE',
        `${hallCase.item.code} is a ${hallCase.item.kind} item, decided in the back office`,
      );
    }
    if (hallCase.status !== 'accepted') {
      return notAllowed(
        hallCase,
        'WRONG_STATUS',
        `an immediate item is decided once accepted; this case is ${hallCase.status}`,
      );
    }
    const reasons = decision.reasons.map((r) => r.trim()).filter(Boolean);
    if (!decision.approve && reasons.length === 0) throw badInput('reasons', 'a denial states its reasons');
    const to: CaseStatus = decision.approve ? 'approved' : 'denied';
    hallCase.status = to;
    const document = await issueDocument(tx, hallCase, who, 'immediate_decision', {
      approved: decision.approve,
      reasons,
    });
    recordEvent(
      tx,
      hallCase,
      who,
      decision.approve ? 'approved_on_the_spot' : 'denied_on_the_spot',
      { status: ['accepted', to] },
      { documentId: document.id },
    );
    emitOutbox(tx, 'case.decided', hallCase.id, {
      caseNumber: hallCase.number,
      approved: decision.approve,
      documentNumber: document.number,
    });
    return { kind: 'immediate_decided', hallCase, document, approved: decision.approve };
  });
}

/**
 * Deficiency-tolerant cases whose applicant did not supply the owed materials by the committed date
 * are returned unprocessed (退办) with a notice; the simulated approval is not released (R-B4).
 */
export async function returnLapsedCommitments(em: HubEntityManager, now: Date): Promise<string[]> {
  const today = chinaDate(now);
  const lapsed = await em.find(
    Case,
    { status: 'accepted_with_deficiency' },
    { fields: ['id', 'commitment'] },
  );
  const returned: string[] = [];
  for (const candidate of lapsed) {
    if (!candidate.commitment || candidate.commitment.supplyBy >= today) continue;
    const number = await em.fork().transactional(async (tx) => {
      const hallCase = (await tx.findOne(
        Case,
        { id: candidate.id },
        { populate: CASE_VIEW_POPULATE },
      )) as Case | null;
      if (hallCase?.status !== 'accepted_with_deficiency') return null;
      const owed = materialCheckOf(hallCase).gaps.filter((g) =>
        hallCase.commitment!.materialCodes.includes(g.code),
      );
      hallCase.status = 'returned';
      closeSuspension(hallCase, 'deficiency_commitment', today);
      const document = await issueDocument(tx, hallCase, SYSTEM_ACTOR, 'return_notice', { gaps: owed });
      recordEvent(
        tx,
        hallCase,
        SYSTEM_ACTOR,
        'returned',
        { status: ['accepted_with_deficiency', 'returned'], owed: [null, owed.map((g) => g.code).join(',')] },
        { documentId: document.id },
      );
      emitOutbox(tx, 'case.returned', hallCase.id, {
        caseNumber: hallCase.number,
        documentNumber: document.number,
      });
      return hallCase.number;
    });
    if (number) returned.push(number);
  }
  return returned;
}
