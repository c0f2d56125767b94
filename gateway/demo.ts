// `npm run demo` (against a running hub, started with `npm start` and the same DATA_DIR and PORT):
// four applications through the one window, each from acceptance through the departments' decisions
// and the window's check to the applicant holding the result, and the departments told of it —
//   1. a promised item decided in the hub's back office, collected at the window;
//   2. a joint item of the tax bureau and the real-estate registry (their own systems), sent by post;
//   3. a deficiency-tolerant acceptance whose owed material arrives in time, delivered electronically;
//   4. an immediate item decided on the spot by the department's chief representative;
// and it ends with one of their electronic certificates shared with a data-sharing consumer, verified
// offline, revoked by a supervisor and seen as revoked, and the access log checked (story 5).
// Each case's timeline, handovers, delivery, department tasks and text messages are printed; the
// PDFs of its documents are saved under DATA_DIR/demo/. Exit code 0 when every story ran to its end.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config.ts';
import { type CaseView, hallTime } from './demo/case-report.ts';
import { certificateSharingStory } from './demo/certificate-sharing.ts';
import { deficiencyTolerantStory } from './demo/deficiency-tolerant-item.ts';
import type { Hall } from './demo/hall.ts';
import { CLERK, connectToHub, DemoFailure, HubUnreachable } from './demo/hub-client.ts';
import { immediateItemStory } from './demo/immediate-item.ts';
import { jointItemStory } from './demo/joint-item.ts';
import { promisedItemStory } from './demo/promised-item.ts';

const config = loadConfig(process.env);
const base = process.env.HUB_URL ?? `http://127.0.0.1:${config.PORT}`;
const outDir = path.resolve(config.DATA_DIR, 'demo');

try {
  mkdirSync(outDir, { recursive: true });
  const hub = await connectToHub(config, base);
  const { departments } = await hub.gql<{ departments: { code: string; name: string }[] }>(
    '{ departments { code name } }',
    {},
    CLERK,
  );
  const names = new Map(departments.map((d) => [d.code, d.name]));
  const hall: Hall = { hub, outDir, departmentName: (code) => names.get(code) ?? code };
  console.log(
    `OneWindow Hub demo on ${base} — four applications through one window (一窗受理、集成服务).\n` +
      `Each line is one step: who acted, and what the hub recorded. Times are Beijing time.`,
  );
  const started = Date.now();
  const cases: CaseView[] = [];
  for (const story of [promisedItemStory, jointItemStory, deficiencyTolerantStory, immediateItemStory])
    cases.push(await story(hall));
  const shared = await certificateSharingStory(hall, cases);

  const untold = cases.flatMap((c) =>
    c.departmentTasks.filter((t) => !t.deliveryReportedAt).map((t) => ({ c, t })),
  );
  console.log(
    `\n━━━ Four cases, one window: every result delivered${untold.length === 0 ? ' and every department told' : ''}`,
  );
  for (const c of cases) {
    const told = c.departmentTasks.filter((t) => t.deliveryReportedAt).length;
    const departments =
      c.departmentTasks.length === 0
        ? 'decided at the window'
        : `departments told ${told}/${c.departmentTasks.length}`;
    console.log(
      `    ${c.number}  ${c.item.code.padEnd(8)} ${c.item.kind.padEnd(9)} ${c.status}  ` +
        `${`${c.delivery.method} ${c.delivery.status}${c.delivery.waybillNo ? ` ${c.delivery.waybillNo}` : ''}`.padEnd(34)} ${departments}`,
    );
  }
  // Not a failure of the stories (each applicant has the result), but something the hall must see.
  for (const { c, t } of untold)
    console.log(
      `    warning: ${hall.departmentName(t.departmentCode)} (via ${t.adapter}, handed over ${hallTime(t.transferredAt)}, ` +
        `task ${t.status}) has not been told how the result of ${c.number} (${c.item.kind.toLowerCase()}) was delivered`,
    );
  console.log(
    `    ${shared.typeName} ${shared.identifier} of ${shared.caseNumber}: offline ${shared.before}, ` +
      `revoked → offline ${shared.after}, online ${shared.online}; ${shared.accessLog}`,
  );
  console.log(`    in ${Math.round((Date.now() - started) / 1000)} s; documents saved under ${outDir}`);
} catch (error) {
  if (!(error instanceof DemoFailure)) throw error;
  console.error(`\ndemo failed: ${error.message}`);
  process.exitCode = error instanceof HubUnreachable ? 2 : 1;
}
