// Story 2 — a joint item (联办件) of the tax bureau and the real-estate registry, which decide in
// their own (simulated) systems while a back-office department decides in the hub; the applicant
// chose post, so the result goes to EMS and is tracked until delivered; every department is told.
import { type CaseView, hallTime, printCase } from './case-report.ts';
import {
  accept,
  applicant,
  chooseDelivery,
  decideInBackOffice,
  type Hall,
  type ItemView,
  loadItem,
  readCase,
  register,
  signForAllPaper,
  step,
  tell,
  waitForConclusion,
  waitForDelivery,
  waitForDeliveryReports,
  waitForHandovers,
  waitForMessages,
} from './hall.ts';
import { CLERK, type DemoActor, DemoFailure, reviewerOf } from './hub-client.ts';

/** The departments that decide in systems of their own; this story is about them working together. */
const OWN_SYSTEMS = ['tax', 'land_resources'];

/** Who signs for the paper at each department, and who decides at a back-office one. */
const RECEIVERS: Record<string, DemoActor> = {
  tax: reviewerOf('tax', '马骏', 'receiver-tax-majun'),
  land_resources: reviewerOf('land_resources', '郑凯', 'receiver-land-zhengkai'),
  real_estate_management_centre: reviewerOf('real_estate_management_centre', '何静', 'receiver-remc-hejing'),
};
const REVIEWERS: Record<string, DemoActor> = {
  real_estate_management_centre: reviewerOf('real_estate_management_centre', '林涛', 'reviewer-remc-lintao'),
};

async function jointItem(hall: Hall): Promise<ItemView> {
  const { serviceItems } = await hall.hub.gql<{
    serviceItems: { edges: { node: { code: string; departments: { code: string }[] } }[] };
  }>(
    '{ serviceItems(filter: { kind: JOINT }, first: 100) { edges { node { code departments { code } } } } }',
    {},
    CLERK,
  );
  const found = serviceItems.edges.find(({ node }) =>
    OWN_SYSTEMS.every((code) => node.departments.some((d) => d.code === code)),
  );
  if (!found) throw new DemoFailure(`the catalogue has no joint item of ${OWN_SYSTEMS.join(' and ')}`);
  return loadItem(hall, found.node.code);
}

type Registration = {
  id: string;
  type: string;
  status: string;
  certificateKind: string | null;
  certificateNumber: string | null;
  property: { location: string; unitNumber: string; seized: boolean; mortgaged: boolean } | null;
} | null;

/** The registry's own view of the case, merged into the one schema from its system. */
async function registration(hall: Hall, c: CaseView): Promise<string[]> {
  const { data, errors } = await hall.hub.attempt<{ case: { realEstateRegistration: Registration } }>(
    `query($id: ID!) { case(id: $id) { realEstateRegistration { id type status certificateKind certificateNumber
       property { location unitNumber seized mortgaged } } } }`,
    { id: c.id },
    CLERK,
  );
  const r = data?.case.realEstateRegistration;
  if (!r)
    return [
      `Real-estate registration  none${errors.length > 0 ? `: ${errors.map((e) => `${e.message} [${e.extensions?.code}]`).join('; ')}` : ''}`,
    ];
  return [
    `Real-estate registration  ${r.id} ${r.type} ${r.status}: ${r.certificateKind} ${r.certificateNumber}`,
    `  property ${r.property?.unitNumber} ${r.property?.location}${r.property?.mortgaged ? ' (mortgaged)' : ''}${r.property?.seized ? ' (seized)' : ''}`,
  ];
}

export async function jointItemStory(hall: Hall): Promise<CaseView> {
  const item = await jointItem(hall);
  const person = applicant('黄磊', '1985-09-21', 233, '13800138002');
  tell(
    `2. Joint item (联办件): ${item.code} ${item.name} — ${item.departments.map((d) => d.name).join(' + ')}`,
    'One acceptance, one package to each department at once; the tax bureau and the real-estate registry',
    'decide in their own systems, a back-office department in the hub → result by post (EMS), tracked',
    'until delivered → every department is told.',
  );

  let c = await register(hall, item, person);
  c = await accept(hall, c, { type: 'ACCEPT' });
  c = await chooseDelivery(hall, c, {
    method: 'POST',
    address: '河南省濮阳市华龙区人民路100号3幢2单元501室',
    phone: person.phone,
    postcode: '457000',
  });
  c = await waitForHandovers(hall, c, item);
  await signForAllPaper(hall, c, RECEIVERS);
  for (const task of c.departmentTasks.filter((t) => t.adapter === 'back_office')) {
    const reviewer = REVIEWERS[task.departmentCode];
    if (!reviewer) throw new DemoFailure(`the demo has no reviewer at ${task.departmentCode}`);
    await decideInBackOffice(hall, c, reviewer, {
      number: `濮房交字〔2026〕第${c.number.slice(-4)}号`,
      name: '存量房交易合同备案证明',
    });
  }
  step(
    'department',
    `waiting for ${OWN_SYSTEMS.join(' and ')} to decide in their own systems (the hub polls them)`,
  );
  c = await waitForConclusion(hall, c);
  c = await waitForDelivery(hall, c, 'SHIPPED');
  step('post', `handed to EMS at ${hallTime(c.delivery.shippedAt)}: waybill ${c.delivery.waybillNo}`);
  let seen: string | null = null;
  c = await hall.hub.waitFor(
    `delivery of ${c.number} by post (tracking events from the post)`,
    async () => {
      const now = await readCase(hall, c.id);
      if (now.delivery.trackingStatus && now.delivery.trackingStatus !== seen) {
        seen = now.delivery.trackingStatus;
        step('tracking', `${seen} at ${now.delivery.trackingLocation}`);
      }
      return now.delivery.status === 'DELIVERED' ? now : null;
    },
    90,
  );
  step('post', `delivered to ${c.delivery.receivedBy} at ${hallTime(c.delivery.deliveredAt)}`);
  c = await waitForDeliveryReports(hall, c);
  c = await waitForMessages(hall, c, ['accepted', 'decided', 'shipped']);
  await printCase(hall, c, await registration(hall, c));
  return c;
}
