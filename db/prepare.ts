import { forkEm, type HubOrm, migrateDatabase } from './orm.ts';
import { catalogue } from './seed/catalogue/index.ts';
import { type SeedSummary, seedCatalogue } from './seed/seed-catalogue.ts';

export interface PreparedDatabase {
  migrationsApplied: string[];
  catalogue: SeedSummary;
}

/** Brings a database up to date: pending migrations, then the catalogue seed (idempotent). */
export async function prepareDatabase(orm: HubOrm): Promise<PreparedDatabase> {
  const migrationsApplied = await migrateDatabase(orm);
  const summary = await seedCatalogue(forkEm(orm), catalogue);
  return { migrationsApplied, catalogue: summary };
}

/** Names of migrations not yet applied; a worker refuses to start while any are pending. */
export async function pendingMigrations(orm: HubOrm): Promise<string[]> {
  return (await orm.migrator.getPending()).map((m) => m.name);
}
