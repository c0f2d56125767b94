// `npm run audit:verify [-- <case id>]`: checks every case's hash-chained audit trail and lists any
// case whose events were changed, removed or reordered. Exit 0 = intact, 1 = tampering found.
import { verifyAuditTrail } from '../db/cases/verify-audit.ts';
import { connectDatabase, forkEm } from '../db/orm.ts';
import { loadWorkerConfig } from './config.ts';

const config = loadWorkerConfig(process.env);
const orm = await connectDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  const caseId = process.argv[2];
  const report = await verifyAuditTrail(forkEm(orm), caseId ? { caseId } : {});
  console.log(`checked ${report.casesChecked} case(s), ${report.eventsChecked} event(s)`);
  for (const broken of report.broken) {
    for (const b of broken.breaks) console.log(`TAMPERED ${broken.caseNumber} event ${b.seq}: ${b.problem}`);
  }
  console.log(
    report.broken.length === 0 ? 'audit trail intact' : `${report.broken.length} case(s) tampered with`,
  );
  process.exitCode = report.broken.length === 0 ? 0 : 1;
} finally {
  await orm.close();
}
