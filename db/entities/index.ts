import { ChecklistMaterial } from './checklist-material.ts';
import { Department } from './department.ts';
import { ServiceItem } from './service-item.ts';
import { ServiceItemVersion } from './service-item-version.ts';
import { Zone } from './zone.ts';

export { ChecklistMaterial, Department, ServiceItem, ServiceItemVersion, Zone };

/** Every entity of the hub; the ORM is configured with exactly this list. */
export const entities = [Zone, Department, ServiceItem, ServiceItemVersion, ChecklistMaterial];
