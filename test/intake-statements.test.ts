import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTAKE_ACCEPT, INTAKE_REGISTER } from '../bench/intake-bench.ts';
import { citizenId } from './kit/front-desk.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

describe('front-desk intake through the API', () => {
  let hub: TestHub;
  let clerk: string;
  beforeAll(async () => {
    hub = await startTestHub();
    clerk = await hub.token('clerk');
  });
  afterAll(async () => {
    await hub?.close();
  });

  const intake = async (serial: number) => {
    const registerStart = hub.db.statements.length;
    const registered = await hub.gql<{ registerCase: { id: string; version: number } }>(
      INTAKE_REGISTER,
      {
        input: {
          itemCode: 'BDC-003',
          channel: 'WINDOW',
          applicant: { type: 'PERSON', name: '语句计数', idNumber: citizenId(serial, '19700101') },
          materials: ['M01', 'M02', 'M03', 'M04', 'M05'].map((checklistCode) => ({
            checklistCode,
            medium: 'PAPER',
          })),
        },
      },
      { token: clerk },
    );
    expect(registered.body.errors).toBeUndefined();
    const registerStatements = hub.db.statements.slice(registerStart);
    const acceptStart = hub.db.statements.length;
    const { id, version } = registered.body.data!.registerCase;
    const accepted = await hub.gql<{ decideAcceptance: { __typename: string } }>(
      INTAKE_ACCEPT,
      { id, v: version },
      { token: clerk },
    );
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data!.decideAcceptance.__typename).toBe('CaseAccepted');
    return { register: registerStatements, accept: hub.db.statements.slice(acceptStart) };
  };

  it('registers and accepts a case with 5 materials in 13 SQL statements', async () => {
    await intake(1); // warm: the catalogue and the counters' rows exist from here on
    const { register, accept } = await intake(2);
    if (process.env.PRINT_STATEMENTS) console.log([...register, '----', ...accept].join('\n'));
    // Register: the hall, the item with its departments and checklist and the applicant on record in
    // one statement; counter, outbox, applicant, case, first event, 5 materials in one insert. Accept:
    // the case with its item, checklist, applicant, hall, materials and suspensions in one statement
    // (not its documents, timeline or tasks: the answer does not ask for them); counter, outbox,
    // event, notice, case update (version-checked). The SQL script writes 15 without reading.
    expect(register).toHaveLength(7);
    expect(accept).toHaveLength(6);
    expect(register[0]).toMatch(/hub_intake_graph/);
    expect(accept[0]).toMatch(/hub_case_graph/);
    expect(
      accept.filter((sql) => /from "(case_event|case_document|case_department_task)"/.test(sql)),
    ).toEqual([]);
    expect(register.filter((sql) => sql.startsWith('insert into "case_material"'))).toHaveLength(1);
  });
});
