import { loadHolidayCalendar, seedHolidaySchedules } from './calendar/calendar-store.ts';
import { forkEm, type HubOrm, migrateDatabase } from './orm.ts';
import { catalogue } from './seed/catalogue/index.ts';
import { type SeedSummary, seedCatalogue } from './seed/seed-catalogue.ts';
import { seedCertificateTypes } from './seed/seed-certificate-types.ts';
import { seedHalls } from './seed/seed-halls.ts';

export interface PreparedDatabase {
  migrationsApplied: string[];
  catalogue: SeedSummary;
  hallsChanged: number;
  holidayYearsAdded: number;
}

/** Brings a database up to date: pending migrations, then the catalogue seed (idempotent). */
export async function prepareDatabase(orm: HubOrm): Promise<PreparedDatabase> {
  const migrationsApplied = await migrateDatabase(orm);
  const summary = await seedCatalogue(forkEm(orm), catalogue);
  await seedCertificateTypes(forkEm(orm), catalogue);
  const hallsChanged = await seedHalls(forkEm(orm));
  const holidayYearsAdded = await seedHolidaySchedules(forkEm(orm));
  await loadHolidayCalendar(forkEm(orm));
  return { migrationsApplied, catalogue: summary, hallsChanged, holidayYearsAdded };
}

/** Names of migrations not yet applied; a worker refuses to start while any are pending. */
export async function pendingMigrations(orm: HubOrm): Promise<string[]> {
  return (await orm.migrator.getPending()).map((m) => m.name);
}

/**
 * The id of this hub's database, made on first use; the queue prefix carries it (see
 * `queuePrefixFor`) so that hubs sharing a Redis keep their jobs apart.
 */
export async function installationId(orm: HubOrm): Promise<string> {
  const em = forkEm(orm);
  await em.execute(
    `insert into hub_installation (id, created_at) select gen_random_uuid(), now()
      where not exists (select 1 from hub_installation)`,
  );
  const [row] = await em.execute<{ id: string }[]>(
    'select id from hub_installation order by created_at limit 1',
  );
  return row!.id;
}

/** `owh` + the first 8 hex digits of the installation: the prefix of every queue key of this hub. */
export function queuePrefixFor(base: string, installation: string): string {
  return `${base}-${installation.replaceAll('-', '').slice(0, 8)}`;
}
