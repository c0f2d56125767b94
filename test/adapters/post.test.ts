import { randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DepartmentCallRecord } from '../../adapters/kit/adapter-contract.ts';
import { DepartmentError } from '../../adapters/kit/department-error.ts';
import { verifyWebhook } from '../../adapters/kit/webhook-signature.ts';
import { postAdapter } from '../../adapters/post/index.ts';
import { createPostAdapter, type PostAdapter } from '../../adapters/post/post.adapter.ts';
import { postConfigSchema } from '../../adapters/post/post.config.ts';
import type { PostCasePackage } from '../../adapters/post/post.mapping.ts';
import {
  type RunningPostSimulator,
  s10CheckDigit,
  startPostSimulator,
} from '../../adapters/post/post.simulator.ts';
import { eventually } from '../kit/eventually.ts';

/** The post (EMS) adapter against its simulator, with a small receiver standing in for the hub. */

interface ReceivedCallback {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Buffer;
}

const PHONE = '13903930000';
const ADDRESS = '河南省濮阳市华龙区胜利路 100 号 3 单元 502 室';
let serial = randomInt(100_000, 900_000);

function packageFor(overrides: Partial<PostCasePackage> = {}): PostCasePackage {
  const caseNumber = `410900-20261125-${String(serial++).padStart(6, '0')}`;
  return {
    caseNumber,
    departmentCode: 'tax',
    idempotencyKey: `task-${caseNumber}-post`,
    itemCode: 'QYKB-001',
    itemName: '企业设立登记',
    acceptedOn: '2026-11-25',
    applicant: { name: '张伟', idType: 'citizen_id', idNumber: '41090219900101123X' },
    materials: [{ code: 'M01', name: '申请书', medium: 'paper', copies: 1, sha256: null, mediaType: null }],
    delivery: { phone: PHONE, address: ADDRESS, postcode: '457000' },
    ...overrides,
  };
}

describe('post (EMS) adapter', () => {
  let simulator: RunningPostSimulator;
  let receiver: Server;
  const received: ReceivedCallback[] = [];
  const calls: DepartmentCallRecord[] = [];
  const adapters: PostAdapter[] = [];

  const makeAdapter = (env: Record<string, string> = {}) => {
    const config = postConfigSchema.parse({ POST_TIMEOUT_MS: '400', POST_MAX_ATTEMPTS: '3', ...env });
    const adapter = createPostAdapter(
      { ...config, POST_BASE_URL: simulator.url },
      { recorder: { record: (c) => calls.push(c) }, identities: { resolve: async () => new Map() } },
    );
    adapters.push(adapter);
    return adapter;
  };
  /** Callbacks that concern one waybill, in arrival order. */
  const callbacksFor = (waybillNo: string) =>
    received.filter((r) => r.body.toString('utf8').includes(`"waybillNo":"${waybillNo}"`));

  beforeAll(async () => {
    simulator = await startPostSimulator({ mode: { stepMs: 30 } });
    const hub = express();
    hub.post('/callbacks/post', express.raw({ type: '*/*' }), (req, res) => {
      received.push({
        id: req.get('webhook-id'),
        timestamp: req.get('webhook-timestamp'),
        signature: req.get('webhook-signature'),
        body: req.body as Buffer,
      });
      res.status(204).end();
    });
    receiver = await new Promise((resolve) => {
      const s = hub.listen(0, '127.0.0.1', () => resolve(s));
    });
    simulator.setCallbackUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callbacks/post`);
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.client.http.close()));
    await simulator?.close();
    receiver?.closeAllConnections();
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  });
  beforeEach(() => {
    simulator.setMode({
      latencyMs: 0,
      down: false,
      hang: false,
      malformed: false,
      rejectSubmissions: false,
      duplicateCallbacks: false,
      outOfOrder: false,
      requireDelivery: false,
    });
    calls.length = 0;
  });

  it('is registered as the post, with no catalogue departments and a callback secret', () => {
    const config = postAdapter.config.parse({});
    const adapter = postAdapter.create(config, simulator.url, {
      recorder: { record: () => {} },
      identities: { resolve: async () => new Map() },
    });
    expect(adapter).toMatchObject({ name: 'post', departmentCodes: [] });
    expect(adapter.pullDecisions).toBeUndefined();
    expect(adapter.callbacks?.secret).toBe(config.POST_CALLBACK_SECRET);
    expect(postAdapter.baseUrlVariable).toBe('POST_BASE_URL');
    adapters.push(adapter as PostAdapter);
  });

  it('creates one shipment per key, with an S10 waybill, however often it is sent', async () => {
    const adapter = makeAdapter();
    const pkg = packageFor();
    const first = await adapter.submit(pkg);
    const second = await adapter.submit(pkg);
    expect(first.status).toBe('received');
    expect(second).toEqual({ departmentRef: first.departmentRef, status: 'duplicate' });
    expect(first.departmentRef).toMatch(/^EA\d{9}CN$/);
    expect(Number(first.departmentRef[10])).toBe(s10CheckDigit(first.departmentRef.slice(2, 10)));
    expect(simulator.submissions().filter((s) => s.idempotencyKey === pkg.idempotencyKey)).toEqual([
      { idempotencyKey: pkg.idempotencyKey, departmentRef: first.departmentRef, caseNumber: pkg.caseNumber },
    ]);
    // The courier gets the real phone and address; the hub's call records keep none of it.
    const shipment = simulator.shipments().find((s) => s.key === pkg.idempotencyKey)!;
    expect(shipment.recipient).toEqual({ name: '张伟', phone: PHONE, address: ADDRESS, postcode: '457000' });
    expect(JSON.stringify(calls)).not.toContain(PHONE);
    expect(calls.filter((c) => c.operation === 'submit').every((c) => c.caseNumber === pkg.caseNumber)).toBe(
      true,
    );
  });

  it('sends no identity number to the post', async () => {
    const adapter = makeAdapter();
    const pkg = packageFor();
    await adapter.submit(pkg);
    const shipment = simulator.shipments().find((s) => s.key === pkg.idempotencyKey)!;
    expect(JSON.stringify(shipment)).not.toContain(pkg.applicant.idNumber);
  });

  it('treats a refused shipment (masked phone) as permanent, keeping the reason, without retry', async () => {
    const adapter = makeAdapter();
    const pkg = packageFor({ delivery: { phone: '139****0000', address: ADDRESS } });
    const error = await adapter.submit(pkg).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DepartmentError);
    expect(error).toMatchObject({ kind: 'permanent', status: 422, department: 'post' });
    expect((error as DepartmentError).reason).toMatch(/不接受打码的号码/);
    expect(calls.filter((c) => c.operation === 'submit')).toHaveLength(1);
    expect(simulator.submissions().some((s) => s.caseNumber === pkg.caseNumber)).toBe(false);
  });

  it('treats rejectSubmissions as permanent with the post’s reason', async () => {
    const adapter = makeAdapter();
    simulator.setFaults({ rejectSubmissions: true });
    const error = await adapter.submit(packageFor()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', status: 422, reason: '收件地址不在投递范围内' });
    expect(calls).toHaveLength(1);
  });

  it('refuses a shipment without phone and address when the post requires them', async () => {
    const adapter = makeAdapter();
    simulator.setMode({ requireDelivery: true });
    const { delivery: _omitted, ...pkg } = packageFor();
    const error = await adapter.submit(pkg).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', reason: '收件人电话和收件地址不能为空' });
  });

  it('retries a post that is down, then reports it as transient, creating nothing', async () => {
    const adapter = makeAdapter();
    simulator.setFaults({ down: true });
    const pkg = packageFor();
    const error = await adapter.submit(pkg).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', status: 503 });
    expect(calls.map((c) => [c.attempt, c.outcome])).toEqual([
      [1, 'transient'],
      [2, 'transient'],
      [3, 'transient'],
    ]);
    expect(simulator.submissions().some((s) => s.caseNumber === pkg.caseNumber)).toBe(false);
  });

  it('reports an unreadable answer as malformed', async () => {
    const adapter = makeAdapter();
    simulator.setFaults({ malformed: true });
    const before = simulator.submissions().length;
    const error = await adapter.submit(packageFor()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'malformed', department: 'post' });
    expect(simulator.submissions()).toHaveLength(before);
  });

  it('treats a wrong API key as permanent', async () => {
    const adapter = makeAdapter({ POST_API_KEY: 'not-the-key' });
    const error = await adapter.submit(packageFor()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', status: 401 });
    expect(calls).toHaveLength(1);
    expect((await adapter.health()).state).toBe('down');
  });

  it('reports health: up when it answers, down when it does not', async () => {
    const adapter = makeAdapter();
    expect(await adapter.health()).toMatchObject({ department: 'post', state: 'up' });
    simulator.setFaults({ hang: true });
    const started = Date.now();
    expect((await adapter.health()).state).toBe('down');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('pushes signed tracking callbacks that parse into events with increasing sequence', async () => {
    const adapter = makeAdapter();
    const pkg = packageFor();
    const { departmentRef } = await adapter.submit(pkg);
    const callbacks = await eventually(() => {
      const got = callbacksFor(departmentRef);
      return got.length >= 4 && got;
    });
    expect(callbacks).toHaveLength(4);
    for (const callback of callbacks) {
      expect(verifyWebhook(adapter.callbacks.secret, callback, callback.body)).toEqual({ ok: true });
    }
    const events = callbacks.flatMap((c) => adapter.callbacks.parse(c.body));
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    expect(events.map((e) => e.data.status)).toEqual([
      'collected',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
    for (const event of events) {
      expect(event).toMatchObject({ type: 'tracking', departmentRef, caseNumber: pkg.caseNumber });
      expect(typeof event.data.location).toBe('string');
      expect(Date.parse(event.occurredAt)).not.toBeNaN();
    }
    expect(new Set(callbacks.map((c) => c.id)).size).toBe(4);
  });

  it('delivers each callback twice in duplicate mode, with the same webhook-id', async () => {
    const adapter = makeAdapter();
    simulator.setMode({ duplicateCallbacks: true });
    const { departmentRef } = await adapter.submit(packageFor());
    const callbacks = await eventually(() => {
      const got = callbacksFor(departmentRef);
      return got.length >= 8 && got;
    });
    const byId = Map.groupBy(callbacks, (c) => c.id);
    expect(byId.size).toBe(4);
    for (const copies of byId.values()) {
      expect(copies).toHaveLength(2);
      expect(copies[0]!.body.equals(copies[1]!.body)).toBe(true);
    }
    // Keeping the first delivery per webhook-id leaves each event once.
    const firsts = [...byId.values()].map((copies) => copies[0]!);
    expect(firsts.flatMap((c) => adapter.callbacks.parse(c.body)).map((e) => e.sequence)).toEqual([
      1, 2, 3, 4,
    ]);
  });

  it('may deliver events out of order; the sequence tells the newer one', async () => {
    const adapter = makeAdapter();
    simulator.setMode({ outOfOrder: true });
    const { departmentRef } = await adapter.submit(packageFor());
    const callbacks = await eventually(() => {
      const got = callbacksFor(departmentRef);
      return got.length >= 4 && got;
    });
    const sequences = callbacks.flatMap((c) => adapter.callbacks.parse(c.body)).map((e) => e.sequence);
    expect(sequences).toEqual([2, 1, 4, 3]);
    expect(Math.max(...sequences)).toBe(4);
  });

  it('fails verification of a tampered body; parses what the simulator signs', () => {
    const adapter = makeAdapter();
    const { headers, body } = simulator.signedCallback([
      { departmentRef: 'EA000000015CN', caseNumber: '410900-20261125-000001', type: 'tracking', sequence: 2 },
    ]);
    const signature = {
      id: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      signature: headers['webhook-signature'],
    };
    expect(verifyWebhook(adapter.callbacks.secret, signature, Buffer.from(body))).toEqual({ ok: true });
    const tampered = Buffer.from(body.replace('"sequence":2', '"sequence":9'));
    expect(verifyWebhook(adapter.callbacks.secret, signature, tampered)).toMatchObject({ ok: false });
    expect(verifyWebhook('another-secret-of-sixteen', signature, Buffer.from(body))).toMatchObject({
      ok: false,
    });
    expect(adapter.callbacks.parse(Buffer.from(body))).toEqual([
      expect.objectContaining({
        type: 'tracking',
        departmentRef: 'EA000000015CN',
        caseNumber: '410900-20261125-000001',
        sequence: 2,
        data: { status: 'in_transit', location: expect.any(String) },
      }),
    ]);
  });

  it('reports a callback body it cannot read as malformed', () => {
    const adapter = makeAdapter();
    for (const body of ['not json', '{"events":[]}', '{"events":[{"type":"tracking","waybillNo":"EA1"}]}']) {
      const error = (() => {
        try {
          adapter.callbacks.parse(Buffer.from(body));
        } catch (e) {
          return e;
        }
      })();
      expect(error).toMatchObject({ kind: 'malformed', department: 'post' });
    }
  });
});
