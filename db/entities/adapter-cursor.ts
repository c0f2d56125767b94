import { defineEntity, p } from '@mikro-orm/core';

/** How far the hub has read a pull department's decisions. */
export const AdapterCursorSchema = defineEntity({
  name: 'AdapterCursor',
  tableName: 'adapter_cursor',
  properties: {
    adapter: p.string().primary(),
    cursor: p.string().nullable(),
    updatedAt: p.datetime(),
  },
});

export class AdapterCursor extends AdapterCursorSchema.class {}
AdapterCursorSchema.setClass(AdapterCursor);
