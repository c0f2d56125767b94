import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Actor } from '../actor.ts';
import type { Case } from '../entities/case.ts';
import { HubError } from '../errors.ts';
import type { HubEntityManager } from '../orm.ts';
import { findCaseFor } from './case-queries.ts';

/**
 * Runs a change to one case in a transaction; a concurrent change to the same case is a conflict. The
 * transaction writes what the change did when the change returns (one flush, then the commit).
 */
export async function changeCase<T>(
  em: HubEntityManager,
  actor: Actor | null,
  caseId: string,
  expectedVersion: number,
  change: (tx: HubEntityManager, hallCase: Case, actor: Actor) => Promise<T>,
): Promise<T> {
  try {
    return await em.transactional(async (tx) => {
      const hallCase = await findCaseFor(tx, actor, { id: caseId });
      if (hallCase.version !== expectedVersion) throw staleVersion(hallCase.version, expectedVersion);
      return change(tx, hallCase, actor!);
    });
  } catch (error) {
    // Two changes at once: the loser fails on the version check or, earlier, on the next timeline slot.
    const concurrent =
      error instanceof OptimisticLockError ||
      (error instanceof UniqueConstraintViolationException &&
        error.message.includes('case_event_case_id_seq_unique'));
    if (concurrent) {
      throw new HubError(
        'CONFLICT',
        'someone else changed this case at the same moment; reload it and decide again',
      );
    }
    throw error;
  }
}

function staleVersion(actual: number, expected: number): HubError {
  return new HubError(
    'CONFLICT',
    `the case has changed since you loaded it (version ${actual}, you had ${expected}); reload it and decide again`,
    'expectedVersion',
  );
}
