import type {
  AdapterDeps,
  AdapterHealth,
  CallbackSpec,
  Courier,
  DepartmentAdapter,
  SubmitResult,
} from '../kit/adapter-contract.ts';
import { PostClient, parseTrackingCallback } from './post.client.ts';
import type { PostConfig } from './post.config.ts';
import { fromTrackingEvent, type PostCasePackage, toShipment } from './post.mapping.ts';

/** The post adapter: takes the delivery address beside the package, and always has callbacks. */
export type PostAdapter = Omit<DepartmentAdapter, 'submit' | 'callbacks' | 'courier'> & {
  client: PostClient;
  submit(pkg: PostCasePackage): Promise<SubmitResult>;
  callbacks: CallbackSpec;
  courier: Courier;
};

/**
 * The post (EMS, 邮政): carries results to applicants (R-D4). Not a catalogue department, so it
 * carries no department tasks' decisions; it creates shipments and pushes tracking events by callback.
 */
export function createPostAdapter(
  config: PostConfig & { POST_BASE_URL: string },
  deps: AdapterDeps,
): PostAdapter {
  const client = new PostClient({
    baseUrl: config.POST_BASE_URL,
    apiKey: config.POST_API_KEY,
    recorder: deps.recorder,
    resilience: {
      headersTimeoutMs: config.POST_TIMEOUT_MS,
      bodyTimeoutMs: config.POST_TIMEOUT_MS,
      maxAttempts: config.POST_MAX_ATTEMPTS,
      concurrency: config.POST_CONCURRENCY,
    },
  });

  return {
    name: 'post',
    departmentCodes: [],
    client,
    async submit(pkg) {
      const answer = await client.createShipment(toShipment(pkg), pkg.idempotencyKey);
      return { departmentRef: answer.waybillNo, status: answer.replayed ? 'duplicate' : 'received' };
    },
    courier: {
      async ship(shipment) {
        const answer = await client.createShipment(
          {
            caseRef: shipment.caseNumber,
            contents: shipment.contents,
            recipient: {
              name: shipment.recipient.name,
              phone: shipment.recipient.phone,
              address: shipment.recipient.address,
              ...(shipment.recipient.postcode ? { postcode: shipment.recipient.postcode } : {}),
            },
          },
          shipment.idempotencyKey,
        );
        return { waybillNo: answer.waybillNo, status: answer.replayed ? 'duplicate' : 'received' };
      },
    },
    callbacks: {
      secret: config.POST_CALLBACK_SECRET,
      parse(body) {
        return parseTrackingCallback(body).map(fromTrackingEvent);
      },
    },
    async health(): Promise<AdapterHealth> {
      const checkedAt = new Date().toISOString();
      if (client.http.circuit === 'open')
        return { department: 'post', state: 'down', detail: 'circuit open after failures', checkedAt };
      try {
        await client.ping();
        return {
          department: 'post',
          state: client.http.circuit === 'closed' ? 'up' : 'degraded',
          detail: 'answers',
          checkedAt,
        };
      } catch (error) {
        return { department: 'post', state: 'down', detail: (error as Error).message, checkedAt };
      }
    },
  };
}
