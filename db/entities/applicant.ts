import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

export const APPLICANT_TYPES = ['person', 'organisation'] as const;
export type ApplicantType = (typeof APPLICANT_TYPES)[number];
export const IDENTITY_TYPES = ['citizen_id', 'credit_code'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

/**
 * A person (by citizen ID number) or an organisation (by unified social credit code): one identity
 * across every case (一号). Identity numbers and phones are personal data: masked in answers to roles
 * that do not need them, never logged, never in job payloads.
 */
export const ApplicantSchema = defineEntity({
  name: 'Applicant',
  tableName: 'applicant',
  uniques: [{ properties: ['idType', 'idNumber'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    type: p.enum(APPLICANT_TYPES),
    name: p.string(),
    idType: p.enum(IDENTITY_TYPES),
    idNumber: p.string().length(18),
    phone: p.string().nullable(),
    address: p.text().nullable(),
    /** Legal representative of an organisation. */
    legalRepresentative: p.string().nullable(),
    /** Subject of the applicant's own login (统一身份认证), when linked; lets them follow their cases. */
    accountId: p.string().nullable().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Applicant extends ApplicantSchema.class {}
ApplicantSchema.setClass(Applicant);
