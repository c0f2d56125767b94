// Configuration for the MikroORM CLI (`npm run db -- migration:create` etc.).
import path from 'node:path';
import type { Options } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { baseOptions } from './orm.ts';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/onewindow_dev';

export default {
  ...baseOptions({ debug: false }),
  driver: PostgreSqlDriver,
  clientUrl: url,
  migrations: { ...baseOptions({}).migrations, path: path.join(import.meta.dirname, 'migrations') },
} satisfies Partial<Options>;
