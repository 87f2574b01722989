import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeJlisFile } from '../devkit/jlis-file.js';
import { prepareBenchData } from '../devkit/data.js';
import { freePort } from '../devkit/processes.js';
import { productionSettings } from '../devkit/production.js';
import { ExpiryNoticesDocument, HolderByPseudonymDocument, HolderCardDocument, HoldersDocument } from '../lib/domain/generated/operations.js';
import { demoId } from '../seeds/demo-holders.js';
import { createGraphClient } from '../lib/platform/graph-client.js';
import { HEADER } from '../lib/platform/identity/request.js';
import { bulkId } from '../seeds/bulk-holders.js';
import { freshDatabase, testDbKind } from './support/database.js';
import { startScript } from '../devkit/processes.js';

const run = promisify(execFile);
const HOLDERS = 20;

/**
 * The graph as deployed: NODE_ENV=production in every process (keys of its own, an identity provider's JWKS, trusted
 * documents only at the gateway), each subgraph and the gateway a process of its own on Postgres — which production
 * requires, so this runs in the Postgres project only.
 */
describe.skipIf(testDbKind !== 'postgres')('as deployed, NODE_ENV=production', () => {
  let dir: string;
  let settings: Awaited<ReturnType<typeof productionSettings>>;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let gatewayUrl: string;
  const stops: (() => Promise<void>)[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'renkei-production-'));
    settings = await productionSettings(dir);
    db = await freshDatabase();
    await prepareBenchData(db.client, HOLDERS);
    gatewayUrl = `http://127.0.0.1:${await freePort()}/graphql`;
    env = { ...settings.env, DATABASE_URL: db.url!, GATEWAY_URL: gatewayUrl };
    const urls: Record<string, string> = {};
    for (const name of ['driver', 'consent', 'portal-link']) {
      const s = await startScript('subgraphs/main.ts', ['--name', name], env);
      stops.push(s.stop);
      urls[name] = s.ready.url as string;
    }
    const gateway = await startScript('gateway/main.ts', ['--engine', 'hive', '--port', new URL(gatewayUrl).port, JSON.stringify(urls)], env);
    stops.push(gateway.stop);
  }, 120_000);
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await db?.drop();
    settings?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('R-ONE-5: a J-LIS file reaches the driver record through the nested step, every document sent by its id', async () => {
    const file = join(dir, 'feed.jsonl');
    await writeJlisFile(file, HOLDERS, 30, settings.env.BENCH_JLIS_FEED_KEY_FILE);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/jlis-import.ts', file], {
      env: { ...process.env, ...env, LOG_LEVEL: 'error' },
    });
    const summary = JSON.parse(stdout.split('\n').find((l) => l.startsWith('{"summary"'))!).summary as { sent: number; outcomes: Record<string, number> };
    expect(summary.sent).toBe(28);
    // Each renewal carries a new address: the consent subgraph schedules it in the driver record through the gateway.
    expect(summary.outcomes.SCHEDULED).toBeGreaterThan(0);
    const [row] = (await db.client
      .drizzle()
      .execute(sql`select count(*)::int as n from driver.record_imports where source = 'ADDRESS_ONE_STOP'`)) as unknown as { n: number }[];
    expect(row!.n).toBeGreaterThanOrEqual(summary.outcomes.SCHEDULED!);

    // A front-end reads by document id with its identity provider's token; the same document as text is refused.
    const headers = {
      [HEADER.authorization]: `Bearer ${settings.env.BENCH_CLIENT_TOKEN}`,
      [HEADER.purpose]: 'HOLDER_INQUIRY',
      [HEADER.identityVerification]: 'MYNA_CARD_FACE',
    };
    const byId = await createGraphClient(() => gatewayUrl, { trustedDocuments: true }).request(HoldersDocument, { ids: [bulkId(0), bulkId(1)] }, headers);
    expect(byId.errors).toBeUndefined();
    expect(byId.data?.holders).toHaveLength(2);
    const byText = await createGraphClient(() => gatewayUrl).request(HoldersDocument, { ids: [bulkId(0)] }, headers);
    expect(byText.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_ONLY']);
  }, 120_000);

  it('security (issue 15.1): the attack as deployed — its text is refused, and the trusted documents give Myna Portal its holder and its notices, nobody else', async () => {
    const headers = { [HEADER.authorization]: `Bearer ${settings.env.MYNA_PORTAL_TOKEN}`, [HEADER.purpose]: 'SYSTEM' };
    const attack = `{ consentsExpiring(before: "2099-01-01", first: 20) { edges { node { holder { name birthDate address honseki
portalLink { pseudonym } } } } } }`;
    const res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query: attack }),
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text).errors.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(text).not.toContain('山田');

    const trusted = createGraphClient(() => gatewayUrl, { trustedDocuments: true });
    const notices = await trusted.request(ExpiryNoticesDocument, { before: '2099-01-01', first: 100 }, headers);
    expect(notices.errors).toBeUndefined();
    const nodes = notices.data!.consentsExpiring.edges.map((e) => e.node);
    expect(nodes).toContainEqual(expect.objectContaining({ pseudonym: 'demo-pseudonym-0001', expiresOn: '2035-04-01' }));
    expect(JSON.stringify(notices)).not.toContain('山田');
    const inquiry = { ...headers, [HEADER.purpose]: 'HOLDER_INQUIRY', [HEADER.identityVerification]: 'MYNA_PORTAL_LOGIN' };
    const own = await trusted.request(HolderByPseudonymDocument, { pseudonym: 'demo-pseudonym-0012' }, inquiry);
    expect(own.errors).toBeUndefined();
    expect(own.data!.holderByPseudonym).toMatchObject({ id: demoId(12), name: '吉田 拓也', portalLink: { pseudonym: 'demo-pseudonym-0012' } });
    // A staff document naming a holder by id reaches nobody for Myna Portal.
    const card = await trusted.request(HolderCardDocument, { id: demoId(1) }, inquiry);
    expect(card.data?.holder ?? null).toBeNull();
    expect(card.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  }, 60_000);

  it('the workers run their steps through the production gateway: none is refused', async () => {
    // Every step of each loop runs within the first second or so; a step the gateway refused is logged as a warning.
    const worker = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts', '--honseki-every', '100'], {
      env: { ...process.env, ...env, LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    worker.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    const steps = () => new Set(log.split('\n').flatMap((l) => /"msg":"([\w-]+) step"/.exec(l)?.[1] ?? []));
    for (let i = 0; i < 100 && steps().size < 3; i++) await new Promise((r) => setTimeout(r, 100));
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    expect(log).not.toContain('step failed');
    expect([...steps()].sort()).toEqual(['due-imports', 'honseki', 'record-change-outbox']);
  }, 60_000);
});
