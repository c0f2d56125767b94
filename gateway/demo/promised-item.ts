// Story 1 — a promised item (承诺件) of one department that has no system of its own: the window
// accepts complete paper materials, the department's receiver signs for the paper, its reviewer
// approves in the hub's back office, and the applicant collects the result at the window.
import type { CaseView } from './case-report.ts';
import { printCase } from './case-report.ts';
import {
  accept,
  applicant,
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
} from './hall.ts';
import { DemoFailure, reviewerOf } from './hub-client.ts';

const ITEM = 'SBMS-001';

export async function promisedItemStory(hall: Hall): Promise<CaseView> {
  const item = await loadItem(hall, ITEM);
  const department = item.departments[0];
  if (item.kind !== 'PROMISED' || !department || item.departments.length !== 1)
    throw new DemoFailure(`${ITEM} is no longer a promised item of one department (${item.kind})`);
  const person = applicant('刘洋', '1990-06-15', 101, '13800138001');
  const receiver = reviewerOf(department.code, '孙丽', 'receiver-hrss-sunli');
  const reviewer = reviewerOf(department.code, '赵刚', 'reviewer-hrss-zhaogang');
  tell(
    `1. Promised item (承诺件): ${item.code} ${item.name} — ${department.name}, decided in the hub's back office`,
    'Complete paper materials → accepted → the department signs for the paper and approves → the result',
    'waits at the window → collected against the applicant’s ID card and a signature → the department is told.',
  );

  let c = await register(hall, item, person);
  c = await accept(hall, c, { type: 'ACCEPT' });
  c = await waitForHandovers(hall, c, item);
  await signForAllPaper(hall, c, { [department.code]: receiver });
  await decideInBackOffice(hall, c, reviewer, {
    number: `人社卡字〔2026〕第${c.number.slice(-4)}号`,
    name: item.resultName,
  });
  c = await waitForConclusion(hall, c);
  c = await waitForDelivery(hall, c, 'READY');
  step('window', `the result is checked against the acceptance data and waits at the window for pickup`);
  // Someone else's card (a valid number, but not the applicant's) is refused, and the refusal is on the timeline.
  const stranger = applicant('刘洋', '1988-02-03', 377, '');
  c = await collectAtWindow(hall, c, person, { firstWithWrongCard: stranger.idNumber });
  c = await waitForDeliveryReports(hall, c);
  c = await waitForMessages(hall, c, ['accepted', 'decided', 'ready_for_pickup']);
  await printCase(hall, c);
  return c;
}
