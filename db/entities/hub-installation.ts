import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

/**
 * One row naming this hub's database. Its id scopes the hub's queue keys, so two hubs (or a reset
 * database) sharing one Redis never mistake each other's jobs for their own.
 */
export const HubInstallationSchema = defineEntity({
  name: 'HubInstallation',
  tableName: 'hub_installation',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class HubInstallation extends HubInstallationSchema.class {}
HubInstallationSchema.setClass(HubInstallation);
