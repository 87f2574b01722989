/**
 * `npm run audit:verify`: checks the hash chain of the access log and reports the first record that was edited,
 * removed or inserted out of order. Exit code 0 when the chain holds, 1 when it is broken.
 */
import { config } from '../lib/config.js';
import { verifyAccessLog } from '../lib/audit/verify.js';
import { openConfiguredSqlClient } from '../lib/db/database.js';

const cfg = config();
const client = await openConfiguredSqlClient(cfg);
try {
  const { checked, chains, broken } = await verifyAccessLog(client.drizzle());
  if (broken) {
    console.log(`audit:verify BROKEN at record ${broken.seq}: ${broken.problem} (${checked} records before it hold)`);
    process.exitCode = 1;
  } else {
    console.log(`audit:verify ok: ${checked} records in ${chains} chains, every chain intact`);
  }
} finally {
  await client.close();
}
