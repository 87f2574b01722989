import { randomUUID } from 'node:crypto';
import {
  GrantAddressOneStopConsentDocument,
  HolderCardDocument,
  HoldersDocument,
  LinkMynaPortalDocument,
  RegisterHolderDocument,
  RevokeAddressOneStopConsentDocument,
  SubmitHonsekiIdentifierCodeDocument,
  SubmitSignatureCertificateDocument,
} from '../../lib/domain/generated/operations.js';
import { HEADER } from '../../lib/platform/identity/request.js';
import { signDevToken } from '../../lib/platform/identity/tokens.js';
import { clientHeaders } from '../support/access.js';
import { operationBody, productionRun } from '../support/documents.js';
import type { Certificate, IssueCertificate } from './certificates.js';
import { judge, type soakClient, type Verdict } from './client.js';
import type { Phase, Recorder } from './record.js';

/** One holder the soak registered and walks through the procedures; its state as the soak's own answers left it. */
export interface SoakHolder {
  id: string;
  pseudonym: string;
  name: string;
  birthDate: string;
  /** The certificate on file from the holder's last M1. */
  m1: Certificate;
  /** M2 done with that certificate (a new M1, as after a card renewal, asks for M2 again). */
  linked: boolean;
  consent: { active: boolean; follows: string } | null;
  /** A request about this holder is in flight (one at a time, so the state above stays known). */
  busy: boolean;
  /** A request about it did not end as expected: its state is unknown, so it is used no more. */
  retired: boolean;
}

/** What the soak expects to find once everything has drained, filled in as the graph accepts each piece of work. */
export interface Expectations {
  /** 本籍 request id → the final state it must reach. */
  honseki: Map<string, 'APPLIED' | 'FAILED:INVALID_CODE'>;
  /** Consents given on Myna Portal with a newer certificate: each owes the driver record a change (the outbox). */
  outboxConsents: Set<string>;
  /** J-LIS notification id → the ledger outcome and, for a renewal, the state its record import must be in. */
  jlis: Map<string, { outcome: 'SCHEDULED' | 'NO_CHANGE'; importStatus: 'APPLIED' | 'PENDING' | null }>;
  /** Registering a code with the family-register simulator failed (the 本籍 request was then not sent). */
  simulatorErrors: string[];
}

export type SoakContext = Awaited<ReturnType<typeof soakContext>>;

/**
 * Who sends what: a supervisor at a Tokyo centre (the benchmarks' clerk) reads and runs the counter procedures, Myna
 * Portal runs M2, its consents and the 本籍 codes. Each caller's token is the run's identity provider's in production,
 * the dev key's otherwise. Every mutation carries a fresh Idempotency-Key, as a front-end that may retry sends it.
 */
export async function soakContext(opts: {
  client: ReturnType<typeof soakClient>;
  recorder: Recorder;
  issue: IssueCertificate;
  simulatorUrl: string;
  random: () => number;
  bulkIds: string[];
}) {
  const trusted = productionRun();
  const read = await clientHeaders();
  const portalToken = process.env.MYNA_PORTAL_TOKEN ?? (await signDevToken({ role: 'MYNA_PORTAL', subject: 'myna-portal' }));
  const clerk = { ...read, [HEADER.purpose]: 'COUNTER_PROCEDURE' };
  const portal = { [HEADER.authorization]: `Bearer ${portalToken}`, [HEADER.purpose]: 'COUNTER_PROCEDURE' };
  const bodies = {
    card: operationBody(HolderCardDocument, { trusted }),
    holders: operationBody(HoldersDocument, { trusted }),
    register: operationBody(RegisterHolderDocument, { trusted }),
    m1: operationBody(SubmitSignatureCertificateDocument, { trusted }),
    m2: operationBody(LinkMynaPortalDocument, { trusted }),
    grant: operationBody(GrantAddressOneStopConsentDocument, { trusted }),
    revoke: operationBody(RevokeAddressOneStopConsentDocument, { trusted }),
    honseki: operationBody(SubmitHonsekiIdentifierCodeDocument, { trusted }),
  };
  const expected: Expectations = { honseki: new Map(), outboxConsents: new Set(), jlis: new Map(), simulatorErrors: [] };
  const holders: SoakHolder[] = [];

  /** Sends one request, records its latency and verdict, and gives back the root field's value. */
  async function send(phase: Phase, kind: string, headers: Record<string, string>, body: string, field: string): Promise<{ v: Verdict; data: any }> {
    const sentAt = performance.now();
    const a = await opts.client.post(headers, body);
    const v = judge(a, field);
    opts.recorder.record(phase, kind, sentAt, a.ms, v);
    return { v, data: a.body?.data?.[field] };
  }
  const mutation = (who: Record<string, string>) => ({ ...who, [HEADER.idempotencyKey]: randomUUID() });

  /** An idle holder that `ok` accepts, taken (busy) until `release`; null when there is none now. */
  function take(ok: (h: SoakHolder) => boolean): SoakHolder | null {
    const candidates = holders.filter((h) => !h.busy && !h.retired && ok(h));
    if (candidates.length === 0) return null;
    const h = candidates[Math.floor(opts.random() * candidates.length)]!;
    h.busy = true;
    return h;
  }
  function release(h: SoakHolder, v: Verdict): void {
    h.busy = false;
    if (v.cls !== 'ok') h.retired = true;
  }

  return { ...opts, headers: { read, clerk, portal }, bodies, expected, holders, send, mutation, take, release };
}
