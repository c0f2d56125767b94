import { defineEntity, p } from '@mikro-orm/core';
import { Certificate } from './certificate.ts';

/**
 * A registered data-sharing consumer (an organisation, e.g. 市大数据管理局) whose actor id signs in
 * with the `consumer` role; it may subscribe a webhook for status changes of certificates it fetched.
 */
export const SharingConsumerSchema = defineEntity({
  name: 'SharingConsumer',
  tableName: 'sharing_consumer',
  properties: {
    id: p.string().primary(),
    name: p.string(),
    webhookUrl: p.string().nullable(),
    /** Standard Webhooks secret the hub signs notifications with. */
    webhookSecret: p.string().nullable(),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class SharingConsumer extends SharingConsumerSchema.class {}
SharingConsumerSchema.setClass(SharingConsumer);

/** What a consumer may fetch: one certificate type, for one purpose, until a date. */
export const SharingGrantSchema = defineEntity({
  name: 'SharingGrant',
  tableName: 'sharing_grant',
  indexes: [{ properties: ['consumer', 'typeCode'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    consumer: () => p.manyToOne(SharingConsumer),
    typeCode: p.string(),
    purpose: p.text(),
    validUntil: p.datetime(),
    grantedBy: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class SharingGrant extends SharingGrantSchema.class {}
SharingGrantSchema.setClass(SharingGrant);

export const ACCESS_OUTCOMES = ['allowed', 'denied'] as const;
export type AccessOutcome = (typeof ACCESS_OUTCOMES)[number];

/**
 * Every access to certificates by a consumer — allowed or denied — in one hash chain (seq, prevHash,
 * hash): a changed, removed or reordered entry is found by verifying the chain.
 */
export const CertificateAccessSchema = defineEntity({
  name: 'CertificateAccess',
  tableName: 'certificate_access',
  properties: {
    seq: p.bigint('number').primary(),
    at: p.datetime(),
    consumerId: p.string(),
    typeCode: p.string().nullable(),
    /** The certificate fetched, when one was. */
    certificateId: p.uuid().nullable(),
    /** Holder looked up, masked. */
    holder: p.string().nullable(),
    reason: p.text(),
    outcome: p.enum(ACCESS_OUTCOMES),
    detail: p.text().nullable(),
    prevHash: p.string().length(64),
    hash: p.string().length(64).unique(),
  },
});

export class CertificateAccess extends CertificateAccessSchema.class {}
CertificateAccessSchema.setClass(CertificateAccess);

export const NOTICE_EVENTS = ['revoked', 'suspended', 'reinstated'] as const;
export type NoticeEvent = (typeof NOTICE_EVENTS)[number];

/** A signed webhook to a subscribed consumer about a status change; delivered at least once. */
export const CertificateNoticeSchema = defineEntity({
  name: 'CertificateNotice',
  tableName: 'certificate_notice',
  uniques: [{ properties: ['consumer', 'certificate', 'event', 'changedAt'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    consumer: () => p.manyToOne(SharingConsumer),
    certificate: () => p.manyToOne(Certificate),
    event: p.enum(NOTICE_EVENTS),
    changedAt: p.datetime(),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    deliveredAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class CertificateNotice extends CertificateNoticeSchema.class {}
CertificateNoticeSchema.setClass(CertificateNotice);
