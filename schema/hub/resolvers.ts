import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Department } from './resolvers/Department.ts';
import { department } from './resolvers/Query/department.ts';
import { departments } from './resolvers/Query/departments.ts';
import { me } from './resolvers/Query/me.ts';
import { serviceItem } from './resolvers/Query/service-item.ts';
import { serviceItems } from './resolvers/Query/service-items.ts';
import { windowCoverage } from './resolvers/Query/window-coverage.ts';
import { zone } from './resolvers/Query/zone.ts';
import { zones } from './resolvers/Query/zones.ts';
import { ServiceItem } from './resolvers/ServiceItem.ts';
import { Zone } from './resolvers/Zone.ts';

/** Enum values as the database stores them (lower snake case). */
const enumValues = {
  ZoneCode: {
    INVESTMENT: 'investment',
    BUSINESS_STARTUP: 'business_startup',
    REAL_ESTATE: 'real_estate',
    SCIENCE_EDUCATION_CULTURE_HEALTH: 'science_education_culture_health',
    PUBLIC_SECURITY_JUSTICE: 'public_security_justice',
    SOCIAL_SECURITY_LIVELIHOOD: 'social_security_livelihood',
  },
  Role: {
    CLERK: 'clerk',
    CHIEF_REPRESENTATIVE: 'chief_representative',
    DEPARTMENT_REVIEWER: 'department_reviewer',
    SUPERVISOR: 'supervisor',
    APPLICANT: 'applicant',
    CONSUMER: 'consumer',
  },
  DepartmentKind: { GOVERNMENT: 'government', ENTERPRISE: 'enterprise' },
  ItemKind: { IMMEDIATE: 'immediate', PROMISED: 'promised', JOINT: 'joint', MAJOR_PROJECT: 'major_project' },
  DeliveryOption: { PICKUP: 'pickup', POST: 'post', ELECTRONIC: 'electronic' },
  MaterialForm: { ORIGINAL: 'original', COPY: 'copy', ORIGINAL_AND_COPY: 'original_and_copy' },
} satisfies Resolvers;

export const hubResolvers: Resolvers = {
  ...enumValues,
  Query: { me, zones, zone, departments, department, serviceItems, serviceItem, windowCoverage },
  Zone,
  Department,
  ServiceItem,
};
