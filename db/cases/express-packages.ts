import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Actor } from '../actor.ts';
import { ExpressPackage, type PackageStatus } from '../entities/express-package.ts';
import { Hall } from '../entities/hall.ts';
import { badInput, HubError } from '../errors.ts';
import type { HubEntityManager } from '../orm.ts';
import { requireRole } from './case-access.ts';

export interface SignForInput {
  carrier: string;
  trackingNumber: string;
  senderName: string;
  contents: string;
}

const TRACKING = /^[A-Za-z0-9-]{6,40}$/;

/** A clerk signs for an express package when it arrives at the hall (签收). */
export async function signForPackage(
  em: HubEntityManager,
  actor: Actor | null,
  input: SignForInput,
): Promise<ExpressPackage> {
  const clerk = requireRole(actor, ['clerk'], 'signing for express mail');
  const carrier = input.carrier.trim().toUpperCase();
  const trackingNumber = input.trackingNumber.trim();
  if (!/^[A-Z0-9]{2,10}$/.test(carrier))
    throw badInput('carrier', 'the carrier is a short code such as EMS or SF');
  if (!TRACKING.test(trackingNumber))
    throw badInput('trackingNumber', 'a tracking number is 6 to 40 letters, digits or dashes');
  if (!input.senderName.trim()) throw badInput('senderName', 'write who sent the package');
  if (!input.contents.trim()) throw badInput('contents', 'write what the package contains');
  try {
    return await em.transactional(async (tx) => {
      const hall = await tx.findOneOrFail(Hall, { code: clerk.hallCode! });
      const existing = await tx.findOne(ExpressPackage, { carrier, trackingNumber });
      if (existing) {
        throw new HubError(
          'CONFLICT',
          `${carrier} ${trackingNumber} was already signed for on ${existing.signedForAt.toISOString().slice(0, 10)}`,
        );
      }
      const row = tx.create(ExpressPackage, {
        hall,
        carrier,
        trackingNumber,
        senderName: input.senderName.trim().slice(0, 100),
        contents: input.contents.trim().slice(0, 2000),
        signedForAt: new Date(),
        signedForBy: clerk.id,
        status: 'signed_for',
        case: null,
        registeredAt: null,
      });
      await tx.flush();
      return row;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new HubError(
        'CONFLICT',
        `${carrier} ${trackingNumber} was signed for by someone else at the same moment`,
      );
    }
    throw error;
  }
}

/** Packages of the clerk's hall, newest first. */
export async function listPackages(
  em: HubEntityManager,
  actor: Actor | null,
  status?: PackageStatus | null,
): Promise<ExpressPackage[]> {
  const staff = requireRole(actor, ['clerk', 'supervisor'], 'listing express mail');
  return em.find(
    ExpressPackage,
    { hall: staff.hallCode!, ...(status ? { status } : {}) },
    { orderBy: { signedForAt: 'desc' }, limit: 500, populate: ['case'] },
  );
}

/** The package an express-mail application is registered from: signed for at this hall, not yet registered. */
export async function packageToRegister(
  em: HubEntityManager,
  hallCode: string,
  packageId: string | null | undefined,
): Promise<ExpressPackage> {
  if (!packageId)
    throw badInput(
      'expressPackageId',
      'an express-mail application names the package it came in (sign for it first)',
    );
  const row = /^[0-9a-f-]{36}$/i.test(packageId)
    ? await em.findOne(ExpressPackage, { id: packageId, hall: hallCode })
    : null;
  if (!row) throw badInput('expressPackageId', 'no package with this id was signed for at your hall');
  if (row.status !== 'signed_for')
    throw new HubError('CONFLICT', `this package is already registered as a case`, 'expressPackageId');
  return row;
}
