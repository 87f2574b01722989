import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, type HttpService } from '../lib/platform/http-server.js';

/**
 * Issue 15.3 (edge): one client holding the connection limit with idle keep-alive connections (a request each, then
 * silence) must not keep another caller out: near the limit the idle ones are closed.
 */
let service: HttpService | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await service?.close();
  service = null;
});

async function idleConnection(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => {});
  await new Promise<void>((resolve) => {
    socket.once('connect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
    // The answer arrives and the connection stays open, idle, as keep-alive allows; or the server closes it.
    socket.once('data', () => resolve());
    socket.once('close', () => resolve());
  });
  return socket;
}

describe('security: idle connections do not fill the connection limit', () => {
  it('a caller gets an answer while another holds more idle keep-alive connections than the limit', async () => {
    const http = { keepAliveTimeoutMs: 60_000, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 32, metricsToken: undefined };
    service = await listen(
      async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      },
      { port: 0, host: '127.0.0.1', service: 'test', http },
    );
    const port = Number(new URL(service.url).port);
    for (let i = 0; i < 48; i++) await idleConnection(port);
    const started = Date.now();
    const answer = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) });
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
