import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backOfficeAdapter } from '../../adapters/back-office/index.ts';
import type { CasePackage, DepartmentAdapter } from '../../adapters/kit/adapter-contract.ts';
import { createBackOfficeStore } from '../../db/departments/back-office.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

const TASKS = `query { departmentTasks { id caseNumber status version materials { code name } resultNumber } }`;
const DECIDE = `mutation($input: DecideTaskInput!) { decideDepartmentTask(input: $input) { id status version resultNumber reasons } }`;

function packageFor(caseNumber: string, departmentCode: string): CasePackage {
  return {
    caseNumber,
    departmentCode,
    idempotencyKey: `task-${caseNumber}-${departmentCode}`,
    itemCode: 'SBMS-004',
    itemName: '最低生活保障申请',
    acceptedOn: '2026-11-25',
    applicant: { name: '孙大爷', idType: 'citizen_id', idNumber: '41090219500101123X' },
    materials: [{ code: 'M01', name: '申请书', medium: 'paper', copies: 1, sha256: null, mediaType: null }],
  };
}

describe('the hub back office (departments without their own system)', () => {
  let hub: TestHub;
  let adapter: DepartmentAdapter;
  let reviewer: string;
  beforeAll(async () => {
    hub = await startTestHub();
    adapter = backOfficeAdapter.create({}, '', {
      recorder: { record: () => {} },
      identities: { resolve: async () => new Map() },
      backOffice: createBackOfficeStore(hub.db.orm),
    });
    reviewer = await hub.token('department_reviewer');
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('keeps one task per idempotency key, seen only by reviewers of its department', async () => {
    const first = await adapter.submit(packageFor('410900-20261125-000101', 'civil_affairs'));
    const again = await adapter.submit(packageFor('410900-20261125-000101', 'civil_affairs'));
    expect(again).toEqual({ departmentRef: first.departmentRef, status: 'duplicate' });
    await adapter.submit(packageFor('410900-20261125-000102', 'archives'));
    const { body } = await hub.gql<{ departmentTasks: { caseNumber: string; materials: unknown[] }[] }>(
      TASKS,
      {},
      { token: reviewer },
    );
    expect(body.data!.departmentTasks.map((t) => t.caseNumber)).toEqual(['410900-20261125-000101']);
    expect(JSON.stringify(body.data)).not.toContain('41090219500101123X');
    const clerk = await hub.gql(TASKS, {}, { token: await hub.token('clerk') });
    expect(clerk.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('lets the reviewer decide, and the decision is pulled like any department’s', async () => {
    const { body } = await hub.gql<{ departmentTasks: { id: string; version: number }[] }>(
      TASKS,
      {},
      { token: reviewer },
    );
    const task = body.data!.departmentTasks[0]!;
    const noNumber = await hub.gql(
      DECIDE,
      { input: { taskId: task.id, expectedVersion: task.version, approve: true } },
      { token: reviewer },
    );
    expect(noNumber.body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'resultNumber',
    });
    const otherDept = await hub.token('department_reviewer', { departmentCode: 'archives' });
    const foreign = await hub.gql(
      DECIDE,
      { input: { taskId: task.id, expectedVersion: task.version, approve: false, reasons: ['不符合'] } },
      { token: otherDept },
    );
    expect(foreign.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const decided = await hub.gql<{ decideDepartmentTask: { status: string } }>(
      DECIDE,
      {
        input: {
          taskId: task.id,
          expectedVersion: task.version,
          approve: true,
          resultNumber: '濮民低保〔2026〕0001号',
        },
      },
      { token: reviewer },
    );
    expect(decided.body.data!.decideDepartmentTask.status).toBe('APPROVED');
    const twice = await hub.gql(
      DECIDE,
      { input: { taskId: task.id, expectedVersion: task.version, approve: true, resultNumber: 'x' } },
      { token: reviewer },
    );
    expect(twice.body.errors![0]!.extensions!.code).toBe('CONFLICT');

    const page = await adapter.pullDecisions!(null);
    expect(page.decisions).toEqual([
      expect.objectContaining({
        departmentRef: task.id,
        caseNumber: '410900-20261125-000101',
        outcome: 'approved',
        result: { name: '最低生活保障申请', number: '濮民低保〔2026〕0001号' },
      }),
    ]);
    expect((await adapter.pullDecisions!(page.cursor)).decisions).toEqual([]);
  });
});
