import { AdapterCursor } from './adapter-cursor.ts';
import { Applicant } from './applicant.ts';
import { Blob } from './blob.ts';
import { CallbackReceipt } from './callback-receipt.ts';
import { Case } from './case.ts';
import { CaseDelivery } from './case-delivery.ts';
import { CaseDepartmentTask } from './case-department-task.ts';
import { CaseDocument } from './case-document.ts';
import { CaseEvent } from './case-event.ts';
import { CaseMaterial } from './case-material.ts';
import { CaseSuspension } from './case-suspension.ts';
import { CaseWarning } from './case-warning.ts';
import { Certificate } from './certificate.ts';
import { CertificateType } from './certificate-type.ts';
import { ChecklistMaterial } from './checklist-material.ts';
import { DeadLetter } from './dead-letter.ts';
import { Department } from './department.ts';
import { DepartmentCall } from './department-call.ts';
import { DepartmentTask } from './department-task.ts';
import { ExpressPackage } from './express-package.ts';
import { Hall } from './hall.ts';
import { HolidaySchedule } from './holiday-schedule.ts';
import { HubInstallation } from './hub-installation.ts';
import { Notification } from './notification.ts';
import { OutboxEvent } from './outbox-event.ts';
import { PersonalDataAccess } from './personal-data-access.ts';
import { SequenceCounter } from './sequence-counter.ts';
import { ServiceItem } from './service-item.ts';
import { ServiceItemVersion } from './service-item-version.ts';
import { CertificateAccess, CertificateNotice, SharingConsumer, SharingGrant } from './sharing.ts';
import { Zone } from './zone.ts';

export {
  AdapterCursor,
  Applicant,
  Blob,
  CallbackReceipt,
  Case,
  CaseDelivery,
  CaseDepartmentTask,
  CaseDocument,
  CaseEvent,
  CaseMaterial,
  CaseSuspension,
  CaseWarning,
  Certificate,
  CertificateAccess,
  CertificateNotice,
  CertificateType,
  ChecklistMaterial,
  DeadLetter,
  Department,
  DepartmentCall,
  DepartmentTask,
  ExpressPackage,
  Hall,
  HolidaySchedule,
  HubInstallation,
  Notification,
  OutboxEvent,
  PersonalDataAccess,
  SequenceCounter,
  ServiceItem,
  ServiceItemVersion,
  SharingConsumer,
  SharingGrant,
  Zone,
};

/** Every entity of the hub; the ORM is configured with exactly this list. */
export const entities = [
  Zone,
  Department,
  ServiceItem,
  ServiceItemVersion,
  ChecklistMaterial,
  Hall,
  Applicant,
  Blob,
  SequenceCounter,
  Case,
  CaseMaterial,
  CaseDocument,
  CaseEvent,
  CaseSuspension,
  ExpressPackage,
  HolidaySchedule,
  OutboxEvent,
  PersonalDataAccess,
  DepartmentCall,
  CallbackReceipt,
  DepartmentTask,
  CaseDepartmentTask,
  AdapterCursor,
  DeadLetter,
  CaseWarning,
  HubInstallation,
  CaseDelivery,
  Notification,
  CertificateType,
  Certificate,
  SharingConsumer,
  SharingGrant,
  CertificateAccess,
  CertificateNotice,
];
