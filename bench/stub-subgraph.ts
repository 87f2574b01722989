/**
 * Benchmark helper process: `node dist/bench/stub-subgraph.js NAME TARGET_URL` stands in for one subgraph in the
 * gateway-alone benchmark (bench/gateway-alone.ts), so that what is measured is the gateway and nothing behind it.
 *
 * Each engine is pointed at its own path, `/<engine>/`, because engines plan differently and what one sends, another
 * never does. The stub starts recording: it passes every request on to the real subgraph at TARGET_URL and keeps
 * `request body → answer` per engine, the body exactly as sent. `POST /__stub/replay` turns it into the stub proper:
 * from then on it answers from memory alone, the recorded answer for the exact body, and anything it has not seen
 * gets a 500 and is counted as a miss (a benchmark with misses measured errors, not the engine).
 * `GET /__stub/stats` reports what was recorded, answered and missed. Prints `{ready, name, url}` when listening.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { subgraphHeaderSource } from './support/access.js';

const [name, target] = process.argv.slice(2) as [string, string];
if (!name || !target) {
  console.error('usage: stub-subgraph NAME TARGET_URL');
  process.exit(2);
}

interface Answer {
  contentType: string;
  body: Buffer;
}

/** engine → request body → answer. */
const answers = new Map<string, Map<string, Answer>>();
const answered = new Map<string, number>();
const misses = new Map<string, number>();
let replaying = false;
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
// Grafbase sends no subgraph token of its own (the peers and our gateway do); while recording, the stub adds the one
// our subgraphs require, as the peers' hook does. The stub itself checks none: it stands where the subgraph was.
const headersFor = await subgraphHeaderSource();
const targetUrl = new URL(target);
const MISS = Buffer.from(JSON.stringify({ errors: [{ message: `stub ${name}: no recorded answer for this request body` }] }));

function record(engine: string, req: IncomingMessage, body: Buffer, res: ServerResponse) {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    // The answer is kept uncompressed, so it is asked for uncompressed; the length is that of the body sent.
    if (v !== undefined && k !== 'host' && k !== 'accept-encoding' && k !== 'content-length' && k !== 'connection') headers[k] = v;
  }
  if (!headers.authorization) Object.assign(headers, headersFor(name));
  headers['content-length'] = String(body.length);
  const up = httpRequest(targetUrl, { method: 'POST', headers }, (upRes) => {
    const chunks: Buffer[] = [];
    upRes.on('data', (c: Buffer) => chunks.push(c));
    upRes.on('end', () => {
      const answer = { contentType: String(upRes.headers['content-type'] ?? 'application/json'), body: Buffer.concat(chunks) };
      if (upRes.statusCode === 200) {
        let byBody = answers.get(engine);
        if (!byBody) answers.set(engine, (byBody = new Map()));
        byBody.set(body.toString('utf8'), answer);
      }
      res.writeHead(upRes.statusCode ?? 502, { 'content-type': answer.contentType, 'content-length': answer.body.length }).end(answer.body);
    });
  });
  up.on('error', () => res.writeHead(502).end());
  up.end(body);
}

function stats() {
  return {
    name,
    replaying,
    recorded: Object.fromEntries([...answers].map(([engine, m]) => [engine, m.size])),
    answered: Object.fromEntries(answered),
    misses: Object.fromEntries(misses),
  };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = req.url ?? '/';
    if (path.startsWith('/__stub/')) {
      if (path === '/__stub/replay' && req.method === 'POST') replaying = true;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats()));
      return;
    }
    const engine = path.split('/')[1] ?? '';
    const body = Buffer.concat(chunks);
    if (!replaying) return record(engine, req, body, res);
    const answer = req.method === 'POST' ? answers.get(engine)?.get(body.toString('utf8')) : undefined;
    if (!answer) {
      bump(misses, engine);
      res.writeHead(500, { 'content-type': 'application/json', 'content-length': MISS.length }).end(MISS);
      return;
    }
    bump(answered, engine);
    res.writeHead(200, { 'content-type': answer.contentType, 'content-length': answer.body.length }).end(answer.body);
  });
});
// Engines keep their connections to a subgraph open between requests; a shorter idle timeout than theirs would
// make them reconnect mid-load.
server.keepAliveTimeout = 60_000;
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
process.stdout.write(`${JSON.stringify({ ready: true, name, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })}\n`);
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
