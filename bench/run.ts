/**
 * `npm run bench`: the HolderCard operation of API.md through @apollo/gateway and through Hive Gateway with the Rust
 * planner, each in its own process, over the same subgraph process, under the same load, in one run. Prints a table
 * and one JSON line per benchmark so runs can be compared.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { signDevToken } from '../lib/identity/tokens.js';
import { demoId } from '../seeds/demo-holders.js';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const children: ChildProcess[] = [];
// autocannon adds one abort listener per connection to a shared signal.
setMaxListeners(CONNECTIONS * 4);

function startProcess(script: string, args: string[] = []): Promise<Record<string, any>> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const msg = JSON.parse(line);
        if (msg.ready) resolve(msg);
      } catch {
        /* not the ready line */
      }
    });
  });
}

async function load(url: string, headers: Record<string, string>, body: string, duration: number) {
  const result = await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function main() {
  const subgraphs = await startProcess('bench/serve-subgraphs.ts');
  const [apollo, hive] = await Promise.all([
    startProcess('gateway/main.ts', ['--engine', 'apollo', JSON.stringify(subgraphs.urls)]),
    startProcess('gateway/main.ts', ['--engine', 'hive', JSON.stringify(subgraphs.urls)]),
  ]);
  const token = await signDevToken({ role: 'SUPERVISOR', prefecture: '13' });
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'x-access-purpose': 'HOLDER_INQUIRY',
    'x-identity-verification': 'MYNA_CARD_FACE',
  };
  const query = readFileSync('schema/operations/HolderCard.graphql', 'utf8');
  const body = JSON.stringify({ query, variables: { id: demoId(1) } });

  // The answer must be the full card from both engines before anything is timed.
  for (const g of [apollo, hive]) {
    const r = (await (await fetch(g.url, { method: 'POST', headers, body })).json()) as { data?: { holder?: { portalLink?: unknown } }; errors?: unknown };
    if (r.errors || !r.data?.holder?.portalLink) throw new Error(`${g.engine} did not answer the HolderCard: ${JSON.stringify(r)}`);
  }
  // Warm both (JIT, plan caches), then measure them alternately so drift hits both alike.
  for (const g of [apollo, hive]) await load(g.url, headers, body, 3);
  const rounds = { apollo: [] as Awaited<ReturnType<typeof load>>[], hive: [] as Awaited<ReturnType<typeof load>>[] };
  for (let i = 0; i < 2; i++) {
    rounds.apollo.push(await load(apollo.url, headers, body, DURATION_S / 2));
    rounds.hive.push(await load(hive.url, headers, body, DURATION_S / 2));
  }
  const mean = (xs: { rps: number; p50: number; p99: number }[]) => ({
    rps: xs.reduce((a, x) => a + x.rps, 0) / xs.length,
    p50: xs.reduce((a, x) => a + x.p50, 0) / xs.length,
    p99: xs.reduce((a, x) => a + x.p99, 0) / xs.length,
  });
  const a = mean(rounds.apollo);
  const h = mean(rounds.hive);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, database ${subgraphs.database}`;
  console.log(`\nHolderCard through the gateway — ${CONNECTIONS} connections, ${DURATION_S}s per engine, ${machine}\n`);
  console.log('| engine | req/s | p50 ms | p99 ms |');
  console.log('|---|---:|---:|---:|');
  console.log(`| @apollo/gateway on @apollo/server | ${a.rps.toFixed(0)} | ${a.p50.toFixed(1)} | ${a.p99.toFixed(1)} |`);
  console.log(`| Hive Gateway runtime, Rust planner | ${h.rps.toFixed(0)} | ${h.p50.toFixed(1)} | ${h.p99.toFixed(1)} |`);
  console.log(`\nHive / Apollo throughput ratio: ${(h.rps / a.rps).toFixed(2)}\n`);
  console.log(
    JSON.stringify({
      bench: 'gateway-engines',
      database: subgraphs.database,
      apolloRps: Math.round(a.rps),
      hiveRps: Math.round(h.rps),
      hiveVsApollo: Number((h.rps / a.rps).toFixed(2)),
    }),
  );
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of children) c.kill('SIGTERM');
  });
