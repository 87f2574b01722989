import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../lib/platform/clock.js';
import { isValidIsoDate, japanDate } from '../lib/platform/japan-date.js';
import { periodOver } from '../lib/domain/legal-period.js';

/**
 * DEVELOPMENT AND TESTS ONLY: a stand-in for the family register system (戸籍情報連携システム). It turns a 16-digit
 * identifier code into a 戸籍電子証明書 as the real one would: an unknown code and a code issued over three months
 * ago are refused, and faults can be injected (`POST /dev/faults`) to exercise the worker's retries.
 */
interface Issued {
  honseki: string;
  name: string;
  birthDate: string;
  issuedOn: string;
}

export interface RunningSimulator {
  url: string;
  /** Registers a code as if a municipality had issued it. */
  issue(code: string, cert: Issued): void;
  /** The next `count` certificate requests fail: 503, or no answer at all ('hang'). */
  fail(count: number, mode?: '503' | 'hang'): void;
  requests(): number;
  stop(): Promise<void>;
}

/**
 * A code is valid for three months from its issue, counted as 民法第140条・第143条 count periods (the issue day not
 * counted; issued 2026-01-15: through 2026-04-15; issued 2025-11-30: through 2026-02-28).
 */
export function codeExpired(issuedOn: string, today: string): boolean {
  return periodOver(issuedOn, { months: 3 }, today);
}

async function body(req: IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 10_000) throw new Error('too large');
  }
  return JSON.parse(raw);
}

function send(res: ServerResponse, status: number, payload: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}

export async function startFamilyRegisterSimulator(opts: { port: number; host?: string; clock: Clock }): Promise<RunningSimulator> {
  const codes = new Map<string, Issued>();
  let faults: { count: number; mode: '503' | 'hang' } = { count: 0, mode: '503' };
  let served = 0;
  const hanging = new Set<ServerResponse>();

  const server = createServer(async (req, res) => {
    try {
      if (req.method === 'POST' && req.url === '/dev/codes') {
        const b = (await body(req)) as Record<string, unknown>;
        const ok =
          typeof b.code === 'string' &&
          /^[0-9]{16}$/.test(b.code) &&
          typeof b.honseki === 'string' &&
          b.honseki.length > 0 &&
          typeof b.name === 'string' &&
          b.name.length > 0 &&
          typeof b.birthDate === 'string' &&
          isValidIsoDate(b.birthDate) &&
          typeof b.issuedOn === 'string' &&
          isValidIsoDate(b.issuedOn);
        if (!ok) return send(res, 400, { error: 'BAD_REQUEST', message: 'code (16 digits), honseki, name, birthDate and issuedOn (YYYY-MM-DD) are required' });
        codes.set(b.code as string, { honseki: b.honseki as string, name: b.name as string, birthDate: b.birthDate as string, issuedOn: b.issuedOn as string });
        return send(res, 201, { registered: true });
      }
      if (req.method === 'POST' && req.url === '/dev/faults') {
        const b = (await body(req)) as { count?: number; mode?: '503' | 'hang' };
        faults = { count: Number(b.count ?? 0), mode: b.mode === 'hang' ? 'hang' : '503' };
        return send(res, 200, faults);
      }
      if (req.method === 'POST' && req.url === '/v1/koseki-certificates') {
        served++;
        if (faults.count > 0) {
          faults.count--;
          if (faults.mode === 'hang') {
            hanging.add(res);
            return;
          }
          return send(res, 503, { error: 'UNAVAILABLE' });
        }
        const b = (await body(req)) as { identifierCode?: unknown };
        if (typeof b.identifierCode !== 'string' || !/^[0-9]{16}$/.test(b.identifierCode)) return send(res, 400, { error: 'BAD_REQUEST' });
        const cert = codes.get(b.identifierCode);
        if (!cert) return send(res, 404, { error: 'UNKNOWN_CODE' });
        if (codeExpired(cert.issuedOn, japanDate(opts.clock.now()))) return send(res, 410, { error: 'CODE_EXPIRED' });
        return send(res, 200, cert);
      }
      send(res, 404, { error: 'NOT_FOUND' });
    } catch {
      send(res, 400, { error: 'BAD_REQUEST' });
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    issue: (code, cert) => void codes.set(code, cert),
    fail: (count, mode = '503') => void (faults = { count, mode }),
    requests: () => served,
    stop: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
