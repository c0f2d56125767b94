/**
 * A process that does what the gateway does at the window — commits accepted cases, each with its
 * outbox events — and then nothing more: no relay runs in it. It prints the cases it committed and
 * waits to be killed, as a hub dying between the commit and any enqueue.
 *
 *   DATABASE_URL=postgres://… CASES=5 SERIAL=100 node test/kit/commit-cases-process.ts
 */
import { loadHolidayCalendar } from '../../db/calendar/calendar-store.ts';
import { connectDatabase, forkEm } from '../../db/orm.ts';
import { acceptCase } from './accepted-cases.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const count = Number(process.env.CASES ?? '1');
const serial = Number(process.env.SERIAL ?? '0');

const orm = await connectDatabase({ url, dataDir: '.data' });
await loadHolidayCalendar(forkEm(orm)); // acceptance dates count working days
const cases: { id: string; number: string }[] = [];
for (let i = 0; i < count; i++) cases.push(await acceptCase(orm, serial + i));
console.log(`committed ${JSON.stringify(cases)}`);
// Keeps the process (and its database connections) alive until the test kills it.
setInterval(() => {}, 60_000);
