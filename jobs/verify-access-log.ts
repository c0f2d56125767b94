// `npm run access-log:verify`: recomputes the hash chain of the certificate access log and names the
// first entry that was changed, removed or reordered. Exit 0 = intact, 1 = tampering found.
import { connectDatabase, forkEm } from '../db/orm.ts';
import { verifyAccessLog } from '../db/sharing/access-log.ts';
import { loadWorkerConfig } from './config.ts';

const config = loadWorkerConfig(process.env);
const orm = await connectDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  const report = await verifyAccessLog(forkEm(orm));
  console.log(`checked ${report.entriesChecked} access log entr${report.entriesChecked === 1 ? 'y' : 'ies'}`);
  if (report.intact) {
    console.log(`access log intact; head ${report.headSeq ?? 0} ${report.headHash ?? '(empty)'}`);
  } else {
    console.log(`TAMPERED entry ${report.firstBadSeq}: ${report.problem}`);
  }
  process.exitCode = report.intact ? 0 : 1;
} finally {
  await orm.close();
}
