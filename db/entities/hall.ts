import { defineEntity, p } from '@mikro-orm/core';

/** A service hall (政务服务中心) of a city or county, identified by its administrative division code. */
export const HallSchema = defineEntity({
  name: 'Hall',
  tableName: 'hall',
  properties: {
    /** 6-digit administrative division code, e.g. 410900 (濮阳市). */
    code: p.string().length(6).primary(),
    name: p.string(),
    /** Short form used in document numbers, e.g. 濮政服. */
    documentPrefix: p.string(),
  },
});

export class Hall extends HallSchema.class {}
HallSchema.setClass(Hall);
