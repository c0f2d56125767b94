import { defineEntity, p } from '@mikro-orm/core';

/** One data field a certificate of a type carries (e.g. 注册资本), as the type's catalogue defines it. */
export interface CertificateField {
  name: string;
  label: string;
  required: boolean;
}

/**
 * A kind of electronic certificate (电子证照类型) in the one model across departments: its type code
 * (the part of the identifier after `1.2.156.3005.2.`), name, issuing department, the data fields its
 * certificates carry, the items whose approval issues it, and the checklist materials it can stand for
 * at the window (免提交).
 */
export const CertificateTypeSchema = defineEntity({
  name: 'CertificateType',
  tableName: 'certificate_type',
  properties: {
    code: p.string().primary(),
    name: p.string(),
    departmentCode: p.string(),
    fields: p.json<CertificateField[]>(),
    /** Catalogue items whose approval issues a certificate of this type. */
    itemCodes: p.json<string[]>(),
    /** Checklist material names a valid certificate of this type stands for (exact names). */
    standsFor: p.json<string[]>(),
    /** Years a certificate stays valid; null = no expiry. */
    validityYears: p.integer().nullable(),
  },
});

export class CertificateType extends CertificateTypeSchema.class {}
CertificateTypeSchema.setClass(CertificateType);
