/**
 * Benchmark helper process: the three subgraphs with demo data, on the embedded database in a temporary directory
 * (or DATABASE_URL). Prints one JSON line with the subgraph URLs when ready.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../lib/clock.js';
import { parseConfig } from '../lib/config.js';
import { openSqlClient } from '../lib/db/database.js';
import { migrateAll, seedDemo, startStack } from '../lib/stack.js';

const databaseUrl = process.env.DATABASE_URL;
const client = await openSqlClient({ databaseUrl, dataDir: databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'renkei-bench-')) });
await migrateAll(client);
await seedDemo(client);
const stack = await startStack({ client, clock: systemClock, config: parseConfig({ NODE_ENV: 'test' }), withGateway: false });
process.stdout.write(`${JSON.stringify({ ready: true, urls: stack.subgraphUrls, database: client.kind })}\n`);
process.on('SIGTERM', () => void stack.stop().then(() => client.close()).then(() => process.exit(0)));
