import { manualClock } from '../../lib/platform/clock.js';
import { parseConfig } from '../../lib/platform/config.js';
import type { Role } from '../../lib/platform/identity/roles.js';
import { signDevToken } from '../../lib/platform/identity/tokens.js';
import { createGatewayTokenSigner } from '../../lib/platform/identity/gateway-token.js';
import { createTokenVerifier } from '../../lib/platform/identity/tokens.js';
import type { Config } from '../../lib/platform/config.js';
import type { SubgraphUrls } from '../../gateway/supergraph.js';
import { subgraphHeaders } from '../../lib/platform/identity/request.js';
import { createSubgraphScope } from '../../lib/platform/identity/subgraph-scope.js';
import type { RequestAccess } from '../../lib/platform/identity/roles.js';
import { migrateAll, seedDemo, startStack, type Stack } from '../../devkit/stack.js';
import { createDevCa, type DevCa } from '../../lib/domain/certificates/dev-ca.js';
import { trustStoreFromPem } from '../../lib/domain/certificates/verify.js';
import { freshDatabase } from './database.js';
import { testJlisFeedKey } from './jlis.js';

let sharedCa: Promise<DevCa> | undefined;
/** One CA per test file: key generation is the slow part of making certificates. */
export const testCa = () => (sharedCa ??= createDevCa());

export const TEST_NOW = '2026-04-01T09:00:00+09:00';

export interface TestGraph extends Stack {
  /** The test's own stand-in for the J-LIS CA: the only trust anchor of this graph. */
  ca: DevCa;
  clock: ReturnType<typeof manualClock>;
  /** @apollo/gateway over the same subgraphs: the oracle every answer of the serving engine is compared with. */
  oracleUrl: string;
  close(): Promise<void>;
}

/** The whole graph on a fresh database with the demo holders, as `npm start` runs it, on free ports. */
export async function startTestGraph(opts: { seed?: boolean; env?: Record<string, string> } = {}): Promise<TestGraph> {
  const db = await freshDatabase();
  await migrateAll(db.client);
  if (opts.seed !== false) await seedDemo(db.client);
  const clock = manualClock(TEST_NOW);
  const config = parseConfig({ NODE_ENV: 'test', ...opts.env });
  const ca = await testCa();
  const stack = await startStack({ client: db.client, clock, config, trust: trustStoreFromPem(ca.certPem), jlisFeedKeys: [testJlisFeedKey().publicKey] });
  const oracleUrl = await stack.addGateway('apollo');
  return {
    ...stack,
    ca,
    clock,
    oracleUrl,
    close: async () => {
      await stack.stop();
      await db.drop();
    },
  };
}

export interface Caller {
  role: Role;
  prefecture?: string | null;
  subject?: string;
  purpose?: string | null;
  verification?: string | null;
}

export async function headersFor(caller: Caller | null): Promise<Record<string, string>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!caller) return headers;
  headers.authorization = `Bearer ${await signDevToken({ role: caller.role, prefecture: caller.prefecture, subject: caller.subject })}`;
  const purpose = caller.purpose === undefined ? (caller.role === 'COUNTER_STAFF' ? 'HOLDER_INQUIRY' : 'COUNTER_PROCEDURE') : caller.purpose;
  if (purpose) headers['x-access-purpose'] = purpose;
  const verification = caller.verification === undefined ? 'MYNA_CARD_FACE' : caller.verification;
  if (verification) headers['x-identity-verification'] = verification;
  return headers;
}

export interface GqlResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export async function gql<T = any>(
  url: string,
  caller: Caller | null,
  query: string,
  variables: Record<string, unknown> = {},
  extraHeaders: Record<string, string> = {},
): Promise<GqlResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...(await headersFor(caller)), ...extraHeaders },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GqlResponse<T>, 'status'>;
  return { status: res.status, ...body };
}

/**
 * Errors normalised for comparison between engines: order and the engines' own bookkeeping aside. When a whole
 * subgraph request failed (data null), Hive attaches the root field's path and Apollo none; that path is not compared.
 */
export function comparable(r: GqlResponse) {
  const errors = (r.errors ?? [])
    .map((e) => ({ message: e.message, path: r.data ? (e.path ?? null) : null, code: e.extensions?.code ?? null }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { data: r.data ?? null, errors };
}

/** Sends the operation through the serving gateway and the oracle and returns the serving answer once both agree. */
export async function gqlBoth<T = any>(
  graph: TestGraph,
  caller: Caller | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ served: GqlResponse<T>; oracle: GqlResponse<T> }> {
  const [served, oracle] = await Promise.all([gql<T>(graph.gatewayUrl, caller, query, variables), gql<T>(graph.oracleUrl, caller, query, variables)]);
  return { served, oracle };
}

/** The request id of `gatewayHeadersFor`'s calls, which `vouchedHolder` binds its representations to. */
export const DIRECT_REQUEST_ID = 'direct-test';

/**
 * Headers as the gateway would send them to `subgraph` on a mutation's call for this caller (direct subgraph tests);
 * `holderScope` is what the gateway would sign for a Myna Portal request.
 */
export async function gatewayHeadersFor(caller: Caller, subgraph: string, holderScope?: string[]): Promise<Record<string, string>> {
  const client = await headersFor(caller);
  const sign = await createGatewayTokenSigner(parseConfig({ NODE_ENV: 'test' }));
  const access: RequestAccess = {
    identity: { subject: caller.subject ?? 'test', role: caller.role, prefecture: caller.prefecture ?? null },
    purpose: (client['x-access-purpose'] ?? null) as RequestAccess['purpose'],
    identityVerification: client['x-identity-verification'] ?? null,
    requestId: DIRECT_REQUEST_ID,
    ...(holderScope ? { holderScope } : {}),
  };
  return {
    'content-type': 'application/json',
    ...subgraphHeaders(await sign(subgraph, access), DIRECT_REQUEST_ID, { authorization: client.authorization ?? null, idempotencyKey: null }),
  };
}

/** A Holder representation as the gateway builds it from the driver's answer: the prefecture vouched for by the driver. */
export function vouchedHolder(id: string, prefecture: string, requestId = DIRECT_REQUEST_ID) {
  const scope = createSubgraphScope(parseConfig({ NODE_ENV: 'test' }));
  return { __typename: 'Holder', id, accessScope: scope.vouchForHolder(id, prefecture, requestId) };
}

/**
 * The options of a gateway a test starts beside its graph: the configuration's verifier, signer and limits, development
 * mode, a free port. The test adds what it varies (a subgraph timeout, body limits, HTTP settings).
 */
export async function testGatewayOptions(urls: SubgraphUrls, cfg: Config = parseConfig({ NODE_ENV: 'test' })) {
  return { urls, verify: createTokenVerifier(cfg), sign: await createGatewayTokenSigner(cfg), limits: cfg, port: 0, production: false };
}
