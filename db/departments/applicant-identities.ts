import type { Actor } from '../actor.ts';
import type { HubEntityManager, HubOrm } from '../orm.ts';
import { forkEm } from '../orm.ts';

export type Identity = { idType: 'citizen_id' | 'credit_code'; idNumber: string };

/** The request context a department subschema receives (structurally: the gateway's context). */
interface RequestScope {
  actor: Actor | null;
  em: HubEntityManager;
}

/**
 * Gives a department query the identity numbers of the applicants it asks about — only those the
 * actor may see (a clerk or supervisor: applicants with a case in their hall; an applicant: themself),
 * and writes one audit row per applicant asked about, allowed or not.
 */
export function createIdentityResolver(orm: HubOrm) {
  return {
    async resolve(
      context: unknown,
      applicantIds: readonly string[],
      purpose: string,
    ): Promise<Map<string, Identity>> {
      const scope = context as RequestScope;
      const { actor } = scope;
      const ids = [...new Set(applicantIds)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
      const found = new Map<string, Identity>();
      if (!actor || ids.length === 0) return found;
      // Taken only now: the request's entity manager is made when first asked for.
      const { em } = scope;
      const marks = ids.map(() => '?').join(', ');
      let rows: { id: string; id_type: Identity['idType']; id_number: string }[] = [];
      if ((actor.role === 'clerk' || actor.role === 'supervisor') && actor.hallCode) {
        rows = await em.execute(
          `select distinct a.id, a.id_type, a.id_number from applicant a
             join hall_case c on c.applicant_id = a.id
            where a.id in (${marks}) and c.hall_code = ?`,
          [...ids, actor.hallCode],
        );
      } else if (actor.role === 'applicant') {
        rows = await em.execute(
          `select id, id_type, id_number from applicant where id in (${marks}) and account_id = ?`,
          [...ids, actor.id],
        );
      }
      for (const row of rows) found.set(row.id, { idType: row.id_type, idNumber: row.id_number });
      // Audit in its own unit of work, so a read-only request still leaves its trace.
      const audit = forkEm(orm);
      const at = new Date();
      const values = ids.map(() => '(?, ?, ?, ?, ?, ?)').join(', ');
      await audit.execute(
        `insert into personal_data_access (at, actor_id, actor_role, applicant_id, purpose, granted) values ${values}`,
        ids.flatMap((id) => [at, actor.id, actor.role, id, purpose, found.has(id)]),
      );
      return found;
    },
  };
}
