import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Case } from './case.ts';
import { Hall } from './hall.ts';

export const PACKAGE_STATUSES = ['signed_for', 'registered'] as const;
export type PackageStatus = (typeof PACKAGE_STATUSES)[number];

/**
 * Materials received by express mail (R-F8): signed for by a clerk when they arrive, then registered
 * as the application they contain, which carries them on to the departments like any other case.
 */
export const ExpressPackageSchema = defineEntity({
  name: 'ExpressPackage',
  tableName: 'express_package',
  uniques: [{ properties: ['carrier', 'trackingNumber'] }],
  indexes: [{ properties: ['hall', 'status'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    hall: () => p.manyToOne(Hall),
    carrier: p.string(),
    trackingNumber: p.string(),
    senderName: p.string(),
    /** What the clerk found inside, as written on the sign-for record. */
    contents: p.text(),
    signedForAt: p.datetime(),
    signedForBy: p.string(),
    status: p.enum(PACKAGE_STATUSES),
    case: () => p.oneToOne(Case).nullable().owner(),
    registeredAt: p.datetime().nullable(),
  },
});

export class ExpressPackage extends ExpressPackageSchema.class {}
ExpressPackageSchema.setClass(ExpressPackage);
