import { CatalogueReader } from '../db/catalogue/catalogue-queries.ts';
import type { CertificateServices } from '../db/certificates/certificate-services.ts';
import { forkEm, type HubEntityManager, type HubOrm } from '../db/orm.ts';
import type { HubContext } from '../schema/context.ts';

/** What a request makes only when a resolver first asks for it, shared by every copy of its context. */
interface Lazily {
  orm: HubOrm;
  em?: HubEntityManager;
  catalogue?: CatalogueReader;
}

/**
 * One GraphQL request's context. Its entity manager (and the catalogue reader on it) is forked when a
 * resolver first asks for one, so a query that only reaches departments never forks. The two are
 * getters of the class, not of the object: Apollo Server copies the context object's own properties
 * before executing (`Object.assign` onto an object of the same prototype), which would read a getter
 * of the object itself and fork for every request. The copy shares `lazily`, so the original and the
 * copy make one entity manager between them.
 */
export class RequestContext implements HubContext {
  readonly actor: HubContext['actor'];
  readonly requestId: string;
  readonly certificates: CertificateServices;
  readonly requeue: HubContext['requeue'];
  readonly lazily: Lazily;

  constructor(orm: HubOrm, fields: Pick<HubContext, 'actor' | 'requestId' | 'certificates' | 'requeue'>) {
    this.actor = fields.actor;
    this.requestId = fields.requestId;
    this.certificates = fields.certificates;
    this.requeue = fields.requeue;
    this.lazily = { orm };
  }

  get em(): HubEntityManager {
    this.lazily.em ??= forkEm(this.lazily.orm);
    return this.lazily.em;
  }

  get catalogue(): CatalogueReader {
    this.lazily.catalogue ??= new CatalogueReader(this.em);
    return this.lazily.catalogue;
  }
}
