import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';

export interface RecordedCall {
  subgraph: string;
  /** What the call carried: the gateway's token and ids (the replay signs its own). */
  headers: IncomingHttpHeaders;
  body: string;
  start: number;
  end: number;
}

/**
 * Stands a recording proxy in front of each subgraph, so the exact subgraph requests a gateway plans for one
 * operation (bodies, order, what runs in parallel) can be replayed without the gateway, and what each carried seen.
 */
export async function recordingProxies(urls: Record<string, string>): Promise<{ urls: Record<string, string>; calls: RecordedCall[]; close(): void }> {
  const calls: RecordedCall[] = [];
  const servers: Server[] = [];
  const proxied: Record<string, string> = {};
  for (const [name, target] of Object.entries(urls)) {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const call: RecordedCall = { subgraph: name, headers: { ...req.headers }, body: body.toString('utf8'), start: performance.now(), end: 0 };
        calls.push(call);
        const up = httpRequest(target, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
          upRes.on('end', () => (call.end = performance.now()));
        });
        up.on('error', () => res.writeHead(502).end());
        up.end(body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    proxied[name] = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  }
  return {
    urls: proxied,
    calls,
    close: () => {
      for (const s of servers) s.close();
    },
  };
}

/** Groups recorded calls into stages: a call that started before every call of the stage ended ran beside them. */
export function stages(calls: readonly RecordedCall[]): RecordedCall[][] {
  const out: RecordedCall[][] = [];
  for (const c of [...calls].sort((a, b) => a.start - b.start)) {
    const current = out.at(-1);
    if (current && c.start < Math.min(...current.map((x) => x.end))) current.push(c);
    else out.push([c]);
  }
  return out;
}

/**
 * One replay of the planned calls, stage after stage, the calls of a stage in parallel, straight to the subgraphs;
 * `bodyOf` makes a recorded body fit to send again (what the subgraphs vouched for to each other, bench/support/access.ts).
 */
export function replay(
  plan: RecordedCall[][],
  urls: Record<string, string>,
  headersFor: (subgraph: string) => Record<string, string>,
  bodyOf: (body: string) => string = (b) => b,
): () => Promise<void> {
  return async () => {
    for (const stage of plan) {
      await Promise.all(
        stage.map(async (c) => {
          const res = await fetch(urls[c.subgraph]!, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headersFor(c.subgraph) },
            body: bodyOf(c.body),
          });
          const text = await res.text();
          if (res.status !== 200 || text.includes('"errors"')) throw new Error(`${c.subgraph} answered ${res.status}: ${text.slice(0, 200)}`);
        }),
      );
    }
  };
}
