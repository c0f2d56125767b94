// Story 3 — deficiency-tolerant acceptance (容缺受理): a tolerable material is missing, the window
// accepts against the applicant's commitment (the clock stops), the material arrives in time, the
// department decides, and the result is delivered electronically when the item offers it.
import { CASE_FIELDS, type CaseView, printCase } from './case-report.ts';
import {
  accept,
  applicant,
  changeCase,
  chooseDelivery,
  collectAtWindow,
  decideInBackOffice,
  type Hall,
  loadItem,
  register,
  signForAllPaper,
  step,
  tell,
  waitForConclusion,
  waitForDelivery,
  waitForDeliveryReports,
  waitForHandovers,
  waitForMessages,
  workingDaysFromToday,
} from './hall.ts';
import { DemoFailure, reviewerOf } from './hub-client.ts';

const ITEM = 'KJWW-002';

export async function deficiencyTolerantStory(hall: Hall): Promise<CaseView> {
  const item = await loadItem(hall, ITEM);
  const department = item.departments[0];
  const owed = item.checklist.find((m) => m.required && m.tolerable);
  if (!item.deficiencyTolerant || !owed || !department)
    throw new DemoFailure(`${ITEM} no longer allows a required material to be owed`);
  const electronic = item.deliveryOptions.includes('ELECTRONIC');
  const person = applicant('周婷', '1993-03-08', 482, '13800138003');
  const receiver = reviewerOf(department.code, '高燕', 'receiver-health-gaoyan');
  const reviewer = reviewerOf(department.code, '罗斌', 'reviewer-health-luobin');
  tell(
    `3. Deficiency-tolerant acceptance (容缺受理): ${item.code} ${item.name} — ${department.name}`,
    `${owed.name} (${owed.code}) is owed on a commitment: accepted, clock stopped → supplied in time, clock runs`,
    `→ the department decides → ${electronic ? 'the result is delivered electronically' : 'the result is collected at the window'} → the department is told.`,
  );

  let c = await register(hall, item, person, [owed.code]);
  const supplyBy = await workingDaysFromToday(hall, 3);
  c = await accept(hall, c, {
    type: 'ACCEPT_WITH_DEFICIENCY',
    commitment: { materialCodes: [owed.code], supplyBy },
  });
  step('applicant', `commits to bring ${owed.name} by ${supplyBy}; the clock stands still meanwhile`);
  if (electronic) c = await chooseDelivery(hall, c, { method: 'ELECTRONIC' });
  c = await waitForHandovers(hall, c, item);
  await signForAllPaper(hall, c, { [department.code]: receiver });

  const { presentMaterials } = await changeCase<{ presentMaterials: CaseView }>(
    hall,
    c.id,
    `mutation($id: ID!, $v: Int!, $m: [PresentedMaterialInput!]!) { presentMaterials(caseId: $id, expectedVersion: $v, materials: $m) { ${CASE_FIELDS} } }`,
    { m: [{ checklistCode: owed.code, medium: 'PAPER', copies: owed.copies }] },
  );
  c = presentMaterials;
  if (c.status !== 'ACCEPTED')
    throw new DemoFailure(`${c.number} is ${c.status} after ${owed.code} arrived; expected ACCEPTED`);
  step(
    'window',
    `${person.name} brings ${owed.name} before ${supplyBy}: nothing owed, case ${c.status}, the clock runs again`,
  );

  await decideInBackOffice(hall, c, reviewer, {
    number: `豫卫医执〔2026〕第${c.number.slice(-4)}号`,
    name: item.resultName,
  });
  c = await waitForConclusion(hall, c);
  if (electronic) {
    c = await waitForDelivery(hall, c, 'DELIVERED');
    step('window', `the result is available to the applicant online: delivered electronically`);
  } else {
    c = await waitForDelivery(hall, c, 'READY');
    c = await collectAtWindow(hall, c, person);
  }
  c = await waitForDeliveryReports(hall, c);
  c = await waitForMessages(
    hall,
    c,
    electronic ? ['accepted', 'decided'] : ['accepted', 'decided', 'ready_for_pickup'],
  );
  await printCase(hall, c);
  return c;
}
