import type { Resolvers } from '../__generated__/resolvers-types.ts';
import {
  Applicant,
  Case,
  CaseDepartmentTask,
  CaseDocument,
  CaseEvent,
  CaseMaterial,
  MaterialCheckEntry,
} from './resolvers/Case.ts';
import { CaseWarning } from './resolvers/CaseWarning.ts';
import {
  CaseCertificateFields,
  Certificate,
  CertificateType,
  certificateEnums,
} from './resolvers/certificates.ts';
import { DeadLetter } from './resolvers/DeadLetter.ts';
import { Department } from './resolvers/Department.ts';
import { DepartmentTask } from './resolvers/DepartmentTask.ts';
import {
  CaseDelivery,
  CaseDeliveryFields,
  CaseNotification,
  CaseTaskHandoverFields,
  DepartmentTaskRefusalFields,
  deliveryEnums,
} from './resolvers/delivery.ts';
import { ExpressPackage } from './resolvers/ExpressPackage.ts';
import { HolidaySchedule } from './resolvers/HolidaySchedule.ts';
import { chooseDelivery } from './resolvers/Mutation/choose-delivery.ts';
import { decideAcceptance } from './resolvers/Mutation/decide-acceptance.ts';
import { decideDepartmentTask } from './resolvers/Mutation/decide-department-task.ts';
import { decideImmediate } from './resolvers/Mutation/decide-immediate.ts';
import { endSharingGrant } from './resolvers/Mutation/end-sharing-grant.ts';
import { grantCertificateSharing } from './resolvers/Mutation/grant-certificate-sharing.ts';
import { handOverResult } from './resolvers/Mutation/hand-over-result.ts';
import { preAccept } from './resolvers/Mutation/pre-accept.ts';
import { presentMaterials } from './resolvers/Mutation/present-materials.ts';
import { publishHolidaySchedule } from './resolvers/Mutation/publish-holiday-schedule.ts';
import { registerCase } from './resolvers/Mutation/register-case.ts';
import { registerSharingConsumer } from './resolvers/Mutation/register-sharing-consumer.ts';
import { reinstateCertificate } from './resolvers/Mutation/reinstate-certificate.ts';
import { retryDeadLetter } from './resolvers/Mutation/retry-dead-letter.ts';
import { revokeCertificate } from './resolvers/Mutation/revoke-certificate.ts';
import { signForExpressPackage } from './resolvers/Mutation/sign-for-express-package.ts';
import { signPaperHandover } from './resolvers/Mutation/sign-paper-handover.ts';
import { suspendCertificate } from './resolvers/Mutation/suspend-certificate.ts';
import { addWorkingDays } from './resolvers/Query/add-working-days.ts';
import { caseById } from './resolvers/Query/case.ts';
import { caseByNumber } from './resolvers/Query/case-by-number.ts';
import { cases } from './resolvers/Query/cases.ts';
import { certificate } from './resolvers/Query/certificate.ts';
import { certificateAccessLog } from './resolvers/Query/certificate-access-log.ts';
import { certificateTypes } from './resolvers/Query/certificate-types.ts';
import { checkCertificateIdentifier } from './resolvers/Query/check-certificate-identifier.ts';
import { deadLetters } from './resolvers/Query/dead-letters.ts';
import { department } from './resolvers/Query/department.ts';
import { departmentTasks } from './resolvers/Query/department-tasks.ts';
import { departments } from './resolvers/Query/departments.ts';
import { expressPackages } from './resolvers/Query/express-packages.ts';
import { holidaySchedules } from './resolvers/Query/holiday-schedules.ts';
import { me } from './resolvers/Query/me.ts';
import { myCertificates } from './resolvers/Query/my-certificates.ts';
import { serviceItem } from './resolvers/Query/service-item.ts';
import { serviceItems } from './resolvers/Query/service-items.ts';
import { sharedCertificates } from './resolvers/Query/shared-certificates.ts';
import { sharingConsumers } from './resolvers/Query/sharing-consumers.ts';
import { verifyCertificate } from './resolvers/Query/verify-certificate.ts';
import { verifyCertificateAccessLog } from './resolvers/Query/verify-certificate-access-log.ts';
import { warnings } from './resolvers/Query/warnings.ts';
import { windowCoverage } from './resolvers/Query/window-coverage.ts';
import { zone } from './resolvers/Query/zone.ts';
import { zones } from './resolvers/Query/zones.ts';
import { ServiceItem } from './resolvers/ServiceItem.ts';
import {
  CaseMaterialOnFile,
  CertificateAccessEntry,
  MaterialCheckEntryOnFile,
  SharingConsumer,
  SharingGrant,
  sharingEnums,
} from './resolvers/sharing.ts';
import { CaseDepartmentTaskStage, CaseWarningStage } from './resolvers/stages.ts';
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
  Channel: { WINDOW: 'window', ONLINE: 'online', EXPRESS_MAIL: 'express_mail' },
  CaseStatus: {
    REGISTERED: 'registered',
    ONLINE_SUBMITTED: 'online_submitted',
    PRE_ACCEPTED: 'pre_accepted',
    CORRECTION_REQUIRED: 'correction_required',
    ACCEPTED: 'accepted',
    ACCEPTED_WITH_DEFICIENCY: 'accepted_with_deficiency',
    REFUSED: 'refused',
    APPROVED: 'approved',
    DENIED: 'denied',
    RETURNED: 'returned',
  },
  ApplicantType: { PERSON: 'person', ORGANISATION: 'organisation' },
  MaterialMedium: { PAPER: 'paper', ELECTRONIC: 'electronic' },
  MaterialState: {
    CONFORMING: 'conforming',
    MISSING: 'missing',
    DEFECTIVE: 'defective',
    NOT_PRESENTED: 'not_presented',
  },
  PackageStatus: { SIGNED_FOR: 'signed_for', REGISTERED: 'registered' },
  TaskStatus: { PENDING: 'pending', APPROVED: 'approved', REJECTED: 'rejected' },
  WarningLevel: { YELLOW: 'yellow', RED: 'red' },
  DocumentKind: {
    ACCEPTANCE_NOTICE: 'acceptance_notice',
    CORRECTION_NOTICE: 'correction_notice',
    REFUSAL_DECISION: 'refusal_decision',
    DEFICIENCY_ACCEPTANCE_NOTICE: 'deficiency_acceptance_notice',
    PRE_ACCEPTANCE_RESULT: 'pre_acceptance_result',
    IMMEDIATE_DECISION: 'immediate_decision',
    RETURN_NOTICE: 'return_notice',
  },
} satisfies Resolvers;

export const hubResolvers: Resolvers = {
  ...enumValues,
  ...deliveryEnums,
  ...sharingEnums,
  ...certificateEnums,
  Query: {
    me,
    zones,
    zone,
    departments,
    department,
    serviceItems,
    serviceItem,
    windowCoverage,
    case: caseById,
    caseByNumber,
    cases,
    expressPackages,
    holidaySchedules,
    addWorkingDays,
    departmentTasks,
    deadLetters,
    warnings,
    verifyCertificate,
    checkCertificateIdentifier,
    certificate,
    certificateTypes,
    sharedCertificates,
    myCertificates,
    sharingConsumers,
    certificateAccessLog,
    verifyCertificateAccessLog,
  },
  Mutation: {
    registerCase,
    presentMaterials,
    decideAcceptance,
    preAccept,
    decideImmediate,
    signForExpressPackage,
    publishHolidaySchedule,
    decideDepartmentTask,
    retryDeadLetter,
    chooseDelivery,
    handOverResult,
    signPaperHandover,
    revokeCertificate,
    suspendCertificate,
    reinstateCertificate,
    registerSharingConsumer,
    grantCertificateSharing,
    endSharingGrant,
  },
  Zone,
  Department,
  ServiceItem,
  Case: { ...Case, ...CaseDeliveryFields, ...CaseCertificateFields },
  Applicant,
  CaseMaterial: { ...CaseMaterial, ...CaseMaterialOnFile },
  CaseDocument,
  CaseEvent,
  MaterialCheckEntry: { ...MaterialCheckEntry, ...MaterialCheckEntryOnFile },
  ExpressPackage,
  HolidaySchedule,
  DepartmentTask: { ...DepartmentTask, ...DepartmentTaskRefusalFields },
  CaseDepartmentTask: { ...CaseDepartmentTask, ...CaseTaskHandoverFields, ...CaseDepartmentTaskStage },
  DeadLetter,
  CaseWarning: { ...CaseWarning, ...CaseWarningStage },
  CaseDelivery,
  CaseNotification,
  SharingConsumer,
  SharingGrant,
  CertificateAccessEntry,
  Certificate,
  CertificateType,
};
