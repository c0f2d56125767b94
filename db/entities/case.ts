import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Applicant } from './applicant.ts';
import { CaseDepartmentTask } from './case-department-task.ts';
import { CaseDocument } from './case-document.ts';
import { CaseEvent } from './case-event.ts';
import { CaseMaterial } from './case-material.ts';
import { CaseSuspension } from './case-suspension.ts';
import { Hall } from './hall.ts';
import { ServiceItem } from './service-item.ts';
import { ServiceItemVersion } from './service-item-version.ts';

export const CHANNELS = ['window', 'online', 'express_mail'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Where a case stands; transitions live in db/cases/case-transitions.ts. */
export const CASE_STATUSES = [
  'registered',
  'online_submitted',
  'pre_accepted',
  'correction_required',
  'accepted',
  'accepted_with_deficiency',
  'refused',
  'approved',
  'denied',
  'returned',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** What the applicant committed to supply under deficiency-tolerant acceptance (容缺承诺). */
export interface DeficiencyCommitment {
  materialCodes: string[];
  supplyBy: string;
  committedAt: string;
}

/** Someone acting for the applicant (帮办代办). */
export interface AgentRecord {
  name: string;
  idType: 'citizen_id';
  idNumber: string;
  phone: string | null;
  /** What the authorisation says and how it was presented (e.g. 授权委托书原件). */
  authorisation: string;
}

/** A case (办件): one application, from registration to decision. */
export const CaseSchema = defineEntity({
  name: 'Case',
  tableName: 'hall_case',
  indexes: [{ properties: ['hall', 'status'] }, { properties: ['hall', 'receivedAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** Human-readable, unique: hall division code + date + serial, e.g. 410900-20261125-000123. */
    number: p.string().unique(),
    item: () => p.manyToOne(ServiceItem),
    /** The checklist version the case is judged by (the one current at submission). */
    itemVersion: () => p.manyToOne(ServiceItemVersion),
    applicant: () => p.manyToOne(Applicant).index(),
    agent: p.json<AgentRecord>().nullable(),
    channel: p.enum(CHANNELS),
    hall: () => p.manyToOne(Hall),
    /** Staff id of the clerk who registered the case. */
    clerkId: p.string(),
    status: p.enum(CASE_STATUSES),
    receivedAt: p.datetime(),
    /** China calendar date of receipt; the 5-working-day correction rule counts from it. */
    receivedOn: p.string().length(10),
    acceptedOn: p.string().length(10).nullable(),
    /** Promised completion date, before suspensions; the live due date adds suspended working days. */
    promisedLimitDays: p.integer(),
    commitment: p.json<DeficiencyCommitment>().nullable(),
    refusalReasons: p.json<string[]>().nullable(),
    materials: () => p.oneToMany(CaseMaterial).mappedBy('case').orderBy({ position: 'asc' }),
    documents: () => p.oneToMany(CaseDocument).mappedBy('case').orderBy({ issuedAt: 'asc' }),
    events: () => p.oneToMany(CaseEvent).mappedBy('case').orderBy({ seq: 'asc' }),
    /** The departments' parts of the case, once handed over. */
    tasks: () => p.oneToMany(CaseDepartmentTask).mappedBy('case'),
    suspensions: () => p.oneToMany(CaseSuspension).mappedBy('case').orderBy({ from: 'asc' }),
    /** Hash of the last audit event: the head of the case's hash chain. */
    auditHead: p.string().length(64).nullable(),
    /** Number of audit events so far. */
    eventCount: p.integer().default(0),
    /** Optimistic lock: two clerks acting at once → one wins, the other gets a conflict. */
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class Case extends CaseSchema.class {}
CaseSchema.setClass(Case);
