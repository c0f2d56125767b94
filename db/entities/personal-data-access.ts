import { defineEntity, p } from '@mikro-orm/core';

/** Every look-up of an applicant's identity for a department query: who, why, allowed or not. */
export const PersonalDataAccessSchema = defineEntity({
  name: 'PersonalDataAccess',
  tableName: 'personal_data_access',
  indexes: [{ properties: ['applicantId', 'at'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    at: p.datetime(),
    actorId: p.string(),
    actorRole: p.string(),
    applicantId: p.uuid(),
    purpose: p.string(),
    granted: p.boolean(),
  },
});

export class PersonalDataAccess extends PersonalDataAccessSchema.class {}
PersonalDataAccessSchema.setClass(PersonalDataAccess);
