import express, { Router } from 'express';
import type { DepartmentAdapter } from '../adapters/kit/adapter-contract.ts';
import { DepartmentError } from '../adapters/kit/department-error.ts';
import type { Logger } from '../adapters/kit/logger.ts';
import { verifyWebhook } from '../adapters/kit/webhook-signature.ts';
import { forkEm, type HubOrm } from '../db/orm.ts';

/**
 * POST /callbacks/<adapter>: where push departments deliver decisions and tracking events. The
 * signature and timestamp are verified over the raw body; a forged, replayed or unreadable delivery is
 * refused (401/400) and kept as an audit record, changing nothing; an accepted one is stored once per
 * webhook id (a repeat is acknowledged and ignored) for the jobs to apply.
 */
export function callbacksRouter(deps: {
  orm: HubOrm;
  adapters: readonly DepartmentAdapter[];
  logger: Logger;
}): Router {
  const router = Router();
  const byName = new Map(deps.adapters.filter((a) => a.callbacks).map((a) => [a.name, a]));
  router.post(
    '/callbacks/:adapter',
    express.raw({ type: () => true, limit: '1mb' }),
    async (req, res, next) => {
      const adapter = byName.get(String(req.params.adapter));
      if (!adapter?.callbacks) {
        res.status(404).json({ message: `no department delivers callbacks as "${req.params.adapter}"` });
        return;
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const webhookId = req.get('webhook-id') ?? null;
      const em = forkEm(deps.orm);
      const reject = async (status: number, reason: string) => {
        await em.execute(
          `insert into callback_receipt (adapter, webhook_id, verdict, reason, events, remote_address, received_at)
         values (?, null, 'rejected', ?, '[]', ?, now())`,
          [
            adapter.name,
            `${reason}${webhookId ? ` (webhook-id ${webhookId.slice(0, 100)})` : ''}`,
            req.socket.remoteAddress ?? null,
          ],
        );
        deps.logger.warn({ adapter: adapter.name, reason }, 'callback refused');
        res.status(status).json({ message: reason });
      };
      try {
        const verdict = verifyWebhook(
          adapter.callbacks.secret,
          {
            id: webhookId ?? undefined,
            timestamp: req.get('webhook-timestamp'),
            signature: req.get('webhook-signature'),
          },
          body,
        );
        if (!verdict.ok) return await reject(401, verdict.reason);
        let events: ReturnType<typeof adapter.callbacks.parse>;
        try {
          events = adapter.callbacks.parse(body);
        } catch (error) {
          if (error instanceof DepartmentError)
            return await reject(400, `unreadable callback: ${error.reason}`);
          throw error;
        }
        const inserted = await em.execute<{ id: number }[]>(
          `insert into callback_receipt (adapter, webhook_id, verdict, reason, events, remote_address, received_at)
         values (?, ?, 'accepted', null, ?, ?, now())
         on conflict (adapter, webhook_id) do nothing returning id`,
          [adapter.name, webhookId, JSON.stringify(events), req.socket.remoteAddress ?? null],
        );
        res.status(200).json({ accepted: events.length, duplicate: inserted.length === 0 });
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}
