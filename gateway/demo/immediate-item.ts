// Story 4 — an immediate item (即办件): the chief representative of the owning department decides it
// at the hall on the spot, and the applicant takes the result away at once against ID and signature.
import { type CaseView, hallTime, printCase } from './case-report.ts';
import {
  accept,
  applicant,
  collectAtWindow,
  decideOnTheSpot,
  type Hall,
  loadItem,
  register,
  step,
  tell,
  waitForDelivery,
  waitForMessages,
} from './hall.ts';
import { chiefRepresentativeOf, DemoFailure } from './hub-client.ts';

const ITEM = 'BDC-004';

export async function immediateItemStory(hall: Hall): Promise<CaseView> {
  const item = await loadItem(hall, ITEM);
  const department = item.departments[0];
  if (item.kind !== 'IMMEDIATE' || !department)
    throw new DemoFailure(`${ITEM} is no longer an immediate item (${item.kind})`);
  const person = applicant('吴刚', '1979-12-02', 615, '13800138004');
  const chief = chiefRepresentativeOf(department.code, '郭伟', 'chief-land-guowei');
  tell(
    `4. Immediate item (即办件): ${item.code} ${item.name} — ${department.name}`,
    'Accepted → decided on the spot by the department’s chief representative at the hall → collected at once.',
  );

  let c = await register(hall, item, person);
  c = await accept(hall, c, { type: 'ACCEPT' });
  c = await decideOnTheSpot(hall, c, chief);
  c = await waitForDelivery(hall, c, 'READY');
  c = await collectAtWindow(hall, c, person);
  c = await waitForMessages(hall, c, ['accepted', 'decided', 'ready_for_pickup']);
  // Decided on the spot, the case needs no department; a handover shows here if the hub made one anyway.
  for (const t of c.departmentTasks)
    step(
      'warning',
      `the package also went to ${hall.departmentName(t.departmentCode)} via ${t.adapter} at ${hallTime(t.transferredAt)} (task ${t.status})`,
    );
  await printCase(hall, c);
  return c;
}
