import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CasePackage,
  DepartmentCallRecord,
  PackageMaterial,
} from '../../adapters/kit/adapter-contract.ts';
import { DepartmentError } from '../../adapters/kit/department-error.ts';
import { taxAdapter } from '../../adapters/tax/index.ts';
import type { createTaxAdapter } from '../../adapters/tax/tax.adapter.ts';
import { type RunningTaxSimulator, startTaxSimulator } from '../../adapters/tax/tax.simulator.ts';
import { citizenId } from '../kit/front-desk.ts';

/** The tax bureau's REST side of the owed materials of a deficiency-tolerant case (容缺补交). */

const ROUTE = 'POST /v1/applications/:id/materials';
const OWED: PackageMaterial[] = [
  { code: 'M02', name: '税务登记表', medium: 'paper', copies: 2, sha256: null, mediaType: null },
  {
    code: 'M03',
    name: '清税申报表',
    medium: 'electronic',
    copies: 1,
    sha256: 'd'.repeat(64),
    mediaType: 'application/pdf',
  },
];

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(DepartmentError);
      return error as DepartmentError;
    },
  );

describe('tax bureau material supplements (REST)', () => {
  const calls: DepartmentCallRecord[] = [];
  let simulator: RunningTaxSimulator;
  let adapter: ReturnType<typeof createTaxAdapter>;
  let serial = 0;
  beforeAll(async () => {
    simulator = await startTaxSimulator();
    adapter = taxAdapter.create(
      taxAdapter.config.parse({ TAX_TIMEOUT_MS: '400', TAX_MAX_ATTEMPTS: '2' }),
      simulator.url,
      { recorder: { record: (c) => calls.push(c) }, identities: { resolve: async () => new Map() } },
    ) as ReturnType<typeof createTaxAdapter>;
  });
  afterAll(async () => {
    await simulator?.close();
  });

  function packageFor(): CasePackage {
    const caseNumber = `410900-20261125-3000${String(++serial).padStart(2, '0')}`;
    return {
      caseNumber,
      departmentCode: 'tax',
      idempotencyKey: `task-${caseNumber}-1`,
      itemCode: 'SW-003',
      itemName: '清税证明开具',
      acceptedOn: '2026-11-25',
      applicant: { name: '钱进', idType: 'citizen_id', idNumber: citizenId(300 + serial) },
      materials: [{ code: 'M01', name: '申请表', medium: 'paper', copies: 1, sha256: null, mediaType: null }],
    };
  }

  async function submitted() {
    const pkg = packageFor();
    const { departmentRef } = await adapter.submit(pkg);
    return {
      pkg,
      departmentRef,
      ref: { departmentRef, caseNumber: pkg.caseNumber, idempotencyKey: pkg.idempotencyKey },
    };
  }

  it('adds owed materials to the application under the caller key as Idempotency-Key; a repeat is answered as before and kept once', async () => {
    const { pkg, departmentRef, ref } = await submitted();
    const key = `${pkg.idempotencyKey}:supplement-1`;
    const before = simulator.calls()[ROUTE] ?? 0;
    calls.length = 0;
    await adapter.supplements!.supplyMaterials(ref, OWED, key);
    await adapter.supplements!.supplyMaterials(ref, OWED, key);
    expect((simulator.calls()[ROUTE] ?? 0) - before).toBe(2);
    // Created, then the first answer again.
    expect(calls.map((c) => [c.operation, c.path, c.status, c.caseNumber])).toEqual([
      ['material-supplement', `/v1/applications/${departmentRef}/materials`, 201, pkg.caseNumber],
      ['material-supplement', `/v1/applications/${departmentRef}/materials`, 200, pkg.caseNumber],
    ]);
    expect(simulator.applications().find((a) => a.applicationId === departmentRef)!.supplements).toEqual([
      {
        supplementId: expect.stringMatching(/^BJ\d{8}$/),
        applicationId: departmentRef,
        key,
        bodyHash: expect.any(String),
        materialCodes: ['M02', 'M03'],
        at: expect.any(String),
      },
    ]);
    expect(simulator.supplements().filter((s) => s.departmentRef === departmentRef)).toEqual([
      { departmentRef, idempotencyKey: key, materialCodes: ['M02', 'M03'] },
    ]);
  });

  it('answers its own refusals as permanent with the reason kept: a key reused for another application, invalid materials, another case, an unknown application', async () => {
    const first = await submitted();
    const second = await submitted();
    const key = `${first.pkg.idempotencyKey}:supplement-1`;
    await adapter.supplements!.supplyMaterials(first.ref, OWED, key);
    calls.length = 0;
    const reused = await failure(adapter.supplements!.supplyMaterials(second.ref, OWED, key));
    expect(reused).toMatchObject({ kind: 'permanent', status: 409, reason: '该幂等键已用于另一次材料补交' });
    const other = `${second.pkg.idempotencyKey}:supplement-1`;
    const invalid = await failure(
      adapter.supplements!.supplyMaterials(second.ref, [{ ...OWED[0]!, copies: 0 }, OWED[0]!], other),
    );
    expect(invalid).toMatchObject({
      kind: 'permanent',
      status: 422,
      reason: '补交材料不完整: materials[0].copies: 须为正整数; materials[1].code: 同一次补交中材料编码重复',
    });
    const wrongCase = await failure(
      adapter.supplements!.supplyMaterials(
        { ...second.ref, caseNumber: '410900-20261125-999999' },
        OWED,
        other,
      ),
    );
    expect(wrongCase).toMatchObject({ status: 422, reason: 'caseRef: 与该申请的受理编号不符' });
    const unknown = await failure(
      adapter.supplements!.supplyMaterials({ ...second.ref, departmentRef: 'SW99999999' }, OWED, other),
    );
    expect(unknown).toMatchObject({ kind: 'permanent', status: 404, reason: 'no such application' });
    expect(calls.map((c) => [c.operation, c.status, c.outcome, c.attempt])).toEqual([
      ['material-supplement', 409, 'permanent', 1],
      ['material-supplement', 422, 'permanent', 1],
      ['material-supplement', 422, 'permanent', 1],
      ['material-supplement', 404, 'permanent', 1],
    ]);
    expect(simulator.supplements().filter((s) => s.idempotencyKey === key)).toEqual([
      { departmentRef: first.departmentRef, idempotencyKey: key, materialCodes: ['M02', 'M03'] },
    ]);
    expect(simulator.supplements().some((s) => s.departmentRef === second.departmentRef)).toBe(false);
  });
});
