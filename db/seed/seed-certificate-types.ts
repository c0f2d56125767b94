import { CertificateType } from '../entities/certificate-type.ts';
import type { HubEntityManager } from '../orm.ts';
import { type CertificateTypeSeed, certificateTypes } from './catalogue/certificate-types.ts';
import type { CatalogueSeed } from './seed-catalogue.ts';

/**
 * Checks the certificate types against the service catalogue and lists every problem: each item
 * exists and has the type's department among its departments, each `standsFor` name is a checklist
 * material of some item, codes have the national form and appear once.
 */
export function validateCertificateTypes(
  types: readonly CertificateTypeSeed[],
  catalogue: CatalogueSeed,
): string[] {
  const problems: string[] = [];
  const items = new Map(catalogue.items.map((i) => [i.code, i]));
  const materials = new Set(catalogue.items.flatMap((i) => i.materials.map((m) => m.name)));
  const codes = new Set<string>();
  const issuing = new Map<string, string>();
  for (const type of types) {
    const at = `certificate type ${type.code} (${type.name})`;
    if (!/^[0-9A-Z]{18}\d{3}$/.test(type.code))
      problems.push(`${at}: a type code is an 18-character authority code and a 3-digit serial`);
    if (codes.has(type.code)) problems.push(`${at}: code listed twice`);
    codes.add(type.code);
    const names = type.fields.map((f) => f.name);
    if (new Set(names).size !== names.length) problems.push(`${at}: field names repeat`);
    if (type.itemCodes.length + type.reissueItemCodes.length === 0) problems.push(`${at}: no item issues it`);
    for (const code of [...type.itemCodes, ...type.reissueItemCodes]) {
      const item = items.get(code);
      if (!item) {
        problems.push(`${at}: unknown item ${code}`);
        continue;
      }
      if (!item.departmentCodes.includes(type.departmentCode))
        problems.push(`${at}: item ${code} is not handled by ${type.departmentCode}`);
      // One item and department issue one kind of certificate, or the job could not tell which.
      const key = `${code}:${type.departmentCode}`;
      if (issuing.has(key)) problems.push(`${at}: ${key} already issues ${issuing.get(key)}`);
      issuing.set(key, type.code);
    }
    for (const name of type.standsFor)
      if (!materials.has(name)) problems.push(`${at}: stands for "${name}", which no checklist names`);
    if (type.validityYears !== null && (!Number.isInteger(type.validityYears) || type.validityYears < 1))
      problems.push(`${at}: validity is a whole number of years ≥ 1, or null`);
  }
  return problems;
}

/**
 * Writes the certificate types idempotently (insert or update by code; running it twice changes
 * nothing). Types that left the list stay: certificates refer to them.
 */
export async function seedCertificateTypes(
  em: HubEntityManager,
  catalogue: CatalogueSeed,
  types: readonly CertificateTypeSeed[] = certificateTypes,
): Promise<{ created: number; updated: number }> {
  const problems = validateCertificateTypes(types, catalogue);
  if (problems.length > 0)
    throw new Error(`the certificate types have ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('onewindow:seed-certificate-types'))`);
    const existing = new Map((await tx.findAll(CertificateType)).map((t) => [t.code, t]));
    let created = 0;
    let updated = 0;
    for (const type of types) {
      const fields = {
        name: type.name,
        departmentCode: type.departmentCode,
        fields: type.fields.map((f) => ({ name: f.name, label: f.label, required: f.required })),
        itemCodes: [...type.itemCodes, ...type.reissueItemCodes],
        standsFor: [...type.standsFor],
        validityYears: type.validityYears,
      };
      const row = existing.get(type.code);
      if (!row) {
        tx.create(CertificateType, { code: type.code, ...fields });
        created++;
      } else if (JSON.stringify(pick(row)) !== JSON.stringify(fields)) {
        tx.assign(row, fields);
        updated++;
      }
    }
    await tx.flush();
    return { created, updated };
  });
}

function pick(row: CertificateType) {
  return {
    name: row.name,
    departmentCode: row.departmentCode,
    fields: row.fields,
    itemCodes: row.itemCodes,
    standsFor: row.standsFor,
    validityYears: row.validityYears ?? null,
  };
}
