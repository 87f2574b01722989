import { z } from 'zod';
import { BAD_PORT_MESSAGE, fetchRefusesPort, fetchRefusesUrl } from './fetch-ports.js';
import { DEV_ONLY_AUDIT_LOG_KEY, DEV_ONLY_GATEWAY_PRIVATE_JWK, DEV_ONLY_JWT_PRIVATE_JWK, DEV_ONLY_SUBGRAPH_SCOPE_KEY } from './identity/dev-keys.js';
import { NotAKeyError, publicKeyThumbprint } from './identity/key-thumbprint.js';

/** The committed development keys by thumbprint: the same key in any encoding is recognised. */
const DEV_KEY_THUMBPRINTS = new Set([publicKeyThumbprint(DEV_ONLY_GATEWAY_PRIVATE_JWK), publicKeyThumbprint(DEV_ONLY_JWT_PRIVATE_JWK)]);

/** Above AWS ALB's default idle timeout of 60 s. */
export const DEFAULT_HTTP_KEEP_ALIVE_S = 65;
export const DEFAULT_GATEWAY_MAX_BODY_BYTES = 512 * 1024;
export const DEFAULT_GATEWAY_MAX_VARIABLES = 100;

/**
 * Where development's landing page (Apollo Sandbox, gateway/landing-page.ts) sends requests from: the embedded
 * Sandbox's frame, and Apollo Studio's Explorer for a developer who opens the local gateway there.
 */
export const DEVELOPMENT_CORS_ORIGINS: readonly string[] = ['https://sandbox.embed.apollographql.com', 'https://studio.apollographql.com'];

/** A list of origins (`scheme://host[:port]`, comma-separated), each exactly as a browser sends it in `Origin`. */
const origins = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
  )
  .superRefine((list, ctx) => {
    for (const o of list) {
      let origin: string | null = null;
      try {
        const url = new URL(o);
        // A hostname of letters, digits, dots and hyphens (or an IPv6 literal): a wildcard is not an origin.
        origin = /^https?:$/.test(url.protocol) && /^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(url.hostname) ? url.origin : null;
      } catch {
        /* not a URL */
      }
      if (origin !== o)
        ctx.addIssue({
          code: 'custom',
          message: `"${o}" is not an origin such as https://counter.example.jp (scheme, host and port only, no path, no wildcard)`,
        });
    }
  });

/**
 * Every setting the processes read, parsed once at start. A bad value stops the process with a message naming
 * the variable, never a silent default.
 */
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: port(4000),
    DRIVER_PORT: port(4001),
    CONSENT_PORT: port(4002),
    PORTAL_LINK_PORT: port(4003),
    HOST: z.string().default('127.0.0.1'),
    /** The runtime connection: every serving process and worker. */
    DATABASE_URL: z.string().url().optional(),
    /**
     * The migration (owner) connection for `npm run db:migrate` and `npm start`'s migration step; DATABASE_URL when
     * unset. Kept apart so that the role serving requests owns nothing: on the access log it may only INSERT and
     * SELECT (docs/operations.md, Database roles).
     */
    DATABASE_OWNER_URL: z.string().url().optional(),
    /**
     * The role the migration grants the runtime rights to (lib/platform/audit/migrations 0004). Defaults to DATABASE_URL's
     * user when DATABASE_OWNER_URL names another one; without either no grants are made (one role, as PGlite has).
     */
    DATABASE_RUNTIME_ROLE: z
      .string()
      .regex(/^[a-z_][a-z0-9_$]{0,62}$/, 'must be a lower-case Postgres role name')
      .optional(),
    /**
     * Statements prepared once per connection (lib/platform/db/prepared-statements.ts). `false` behind a pooler that hands
     * a session's statements to other sessions (PgBouncer in transaction mode before 1.21).
     */
    DATABASE_PREPARED_STATEMENTS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    DATA_DIR: z.string().default('.data'),
    APP_NOW: z.iso.datetime({ offset: true }).optional(),
    JWT_ISSUER: z.string().default('renkei-dev'),
    JWT_AUDIENCE: z.string().default('renkei'),
    /** The longest a caller's token may still run when it arrives: a token for years is a key that was never meant to be one. */
    JWT_MAX_LIFETIME_S: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .default(86_400),
    /** The identity provider's JWKS; https in production (a key set fetched in the clear could be replaced). */
    JWT_JWKS_URL: z.string().url().optional(),
    GATEWAY_ENGINE: z.enum(['hive', 'apollo']).default('hive'),
    /** Gateway processes (`gateway/main.ts`) sharing one port, one per core at most. */
    GATEWAY_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    /** What the driver record can hold of an item, in characters (R-IMP-1; DOMAIN-NOTES.md, Imports). */
    MAX_ADDRESS_LENGTH: z.coerce.number().int().positive().max(1000).default(60),
    MAX_NAME_LENGTH: z.coerce.number().int().positive().max(1000).default(50),
    MAX_HONSEKI_LENGTH: z.coerce.number().int().positive().max(1000).default(60),
    /**
     * The HMAC-SHA256 key the access log's chain heads and checkpoints are signed with. The database never sees it,
     * so a rewrite by the database's owner is found by `npm run audit:verify`, which needs it too.
     */
    AUDIT_LOG_KEY: z
      .string()
      .regex(/^[\x21-\x7e]{32,256}$/, 'must be 32–256 visible ASCII characters')
      .default(DEV_ONLY_AUDIT_LOG_KEY),
    /** How often each writing process signs a checkpoint of its chain's head into the access log. */
    AUDIT_CHECKPOINT_INTERVAL_S: z.coerce.number().int().min(1).max(3600).default(60),
    /** PEM bundle of the J-LIS certification authorities; development trusts its own dev CA under DATA_DIR. */
    JLIS_TRUST_ANCHORS_FILE: z.string().optional(),
    /**
     * PEM file of the J-LIS feed's public keys (one or more PUBLIC KEY blocks, RSA 2048–4096 or Ed25519) whose signature a J-LIS notification must
     * carry; development also trusts its dev key under DATA_DIR (`npm run dev:jlis-sign`).
     */
    JLIS_FEED_PUBLIC_KEYS_FILE: z.string().optional(),
    /** Where subgraphs and workers reach the gateway; defaults to this machine's gateway port. */
    GATEWAY_URL: z.string().url().optional(),
    /** The gateway's private JWK (JSON) for its per-subgraph tokens; subgraphs get the public one. */
    GATEWAY_SIGNING_JWK: z.string().optional(),
    GATEWAY_VERIFY_JWK: z.string().optional(),
    /** The private JWK (JSON) Renkei's workers sign their service tokens with; the verifier trusts its public part. */
    SERVICE_SIGNING_JWK: z.string().optional(),
    /**
     * The key the subgraphs share to vouch to each other, within one request, for what they own: the driver for a
     * holder's residence prefecture, the consent subgraph for whose a consent is (lib/platform/identity/subgraph-scope.ts).
     */
    SUBGRAPH_SCOPE_KEY: z
      .string()
      .regex(/^[\x21-\x7e]{32,256}$/, 'must be 32–256 visible ASCII characters')
      .optional(),
    /** Gateway request limits (graphql-armor); not revealed in errors. */
    LIMIT_MAX_DEPTH: z.coerce.number().int().positive().default(10),
    LIMIT_MAX_ALIASES: z.coerce.number().int().positive().default(15),
    LIMIT_MAX_TOKENS: z.coerce.number().int().positive().default(2000),
    LIMIT_MAX_COST: z.coerce.number().int().positive().default(5000),
    /** Distinct holders one identity may read per window before RATE_LIMITED (bulk harvesting). */
    HOLDER_READ_LIMIT: z.coerce.number().int().positive().default(2000),
    HOLDER_READ_WINDOW_S: z.coerce.number().int().positive().default(3600),
    /**
     * How long every process keeps an idle keep-alive connection: above the idle timeout of the load balancer in
     * front (AWS ALB 60 s; Google's 600 s needs 620), so that the balancer closes first (lib/platform/http-server.ts).
     */
    HTTP_KEEP_ALIVE_TIMEOUT_S: z.coerce.number().int().min(1).max(3600).default(DEFAULT_HTTP_KEEP_ALIVE_S),
    /**
     * How long every process waits for a request's headers, and for the whole request (headers and body), from its
     * first byte: a client that trickles them is cut off (408) instead of holding a socket for minutes. An idle
     * keep-alive connection is not timed by them (lib/platform/http-server.ts).
     */
    HTTP_HEADERS_TIMEOUT_S: z.coerce.number().int().min(1).max(600).default(10),
    HTTP_REQUEST_TIMEOUT_S: z.coerce.number().int().min(1).max(3600).default(30),
    /** Open connections one process keeps at most; a connection past it is closed at once. */
    HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(4096),
    /**
     * The largest request body the gateway reads; a larger one is refused with 413 before any of it is parsed. Well
     * under the subgraphs' own 1 MB, so that no request the gateway takes makes a subgraph call it would refuse. A
     * J-LIS batch of 1000 notifications is some 400 KB (jlis:import keeps its batches under 256 KiB).
     */
    GATEWAY_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(DEFAULT_GATEWAY_MAX_BODY_BYTES),
    /** Entries of a request's `variables` the gateway takes at most (the operations of schema/operations use a few). */
    GATEWAY_MAX_VARIABLES: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_GATEWAY_MAX_VARIABLES),
    /**
     * Browser origins allowed to call the gateway (CORS), comma-separated. None by default in production; development
     * allows the landing page's (DEVELOPMENT_CORS_ORIGINS). Never credentials: the API takes bearer tokens, not cookies.
     */
    CORS_ALLOWED_ORIGINS: origins.optional(),
    /**
     * The bearer token Prometheus presents to read `/metrics`. Production requires one: the gateway's `/metrics` is
     * on the port callers reach. Without it (development, tests) `/metrics` is open.
     */
    METRICS_TOKEN: z
      .string()
      .regex(/^[\x21-\x7e]{32,256}$/, 'must be 32–256 visible ASCII characters')
      .optional(),
    /** OTLP/HTTP collector base URL (…/v1/traces is appended); traces are off without it. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
    FAMILY_REGISTER_URL: z.string().url().default('http://127.0.0.1:4010'),
    FAMILY_REGISTER_PORT: port(4010),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && c.APP_NOW) {
      ctx.addIssue({ code: 'custom', path: ['APP_NOW'], message: 'APP_NOW fixes the clock and is refused in production' });
    }
    if (c.NODE_ENV === 'production' && !c.JWT_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['JWT_JWKS_URL'], message: 'production needs a JWKS URL; the dev key is refused' });
    }
    if (c.NODE_ENV === 'production' && c.JWT_JWKS_URL && new URL(c.JWT_JWKS_URL).protocol !== 'https:') {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_JWKS_URL'],
        message: 'must be an https URL in production: keys fetched in the clear could be replaced on the way',
      });
    }
    // Production's protections (trusted documents only, no introspection, no explorer, the service role only with
    // the service key) follow NODE_ENV alone: an identity provider of real callers without it would switch them off.
    if (c.NODE_ENV !== 'production' && c.JWT_JWKS_URL && new URL(c.JWT_JWKS_URL).protocol === 'https:') {
      ctx.addIssue({
        code: 'custom',
        path: ['NODE_ENV'],
        message: "must be production when JWT_JWKS_URL names an https identity provider: its callers are real, and production's protections are off otherwise",
      });
    }
    // With an identity provider the development key is no longer trusted, so the workers' service token needs its own.
    if (c.NODE_ENV !== 'production' && c.JWT_JWKS_URL && !c.SERVICE_SIGNING_JWK) {
      ctx.addIssue({
        code: 'custom',
        path: ['SERVICE_SIGNING_JWK'],
        message: 'is needed with JWT_JWKS_URL: the workers sign their service token with it, and the development key is not trusted then',
      });
    }
    if (c.HTTP_HEADERS_TIMEOUT_S > c.HTTP_REQUEST_TIMEOUT_S) {
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_S'],
        message: 'must not be longer than HTTP_REQUEST_TIMEOUT_S, which covers the headers too',
      });
    }
    // Every URL a process fetches, and the ports the URLs it derives for itself take.
    for (const name of ['GATEWAY_URL', 'FAMILY_REGISTER_URL', 'JWT_JWKS_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT'] as const) {
      const url = c[name];
      if (url && fetchRefusesUrl(url)) ctx.addIssue({ code: 'custom', path: [name], message: BAD_PORT_MESSAGE });
    }
    // Without GATEWAY_URL the subgraphs and workers reach the gateway at PORT; `npm start`'s gateway reaches each
    // subgraph at its port, and its workers the family-register simulator at FAMILY_REGISTER_PORT.
    const fetchedPorts = [...(c.GATEWAY_URL ? [] : (['PORT'] as const)), 'DRIVER_PORT', 'CONSENT_PORT', 'PORTAL_LINK_PORT', 'FAMILY_REGISTER_PORT'] as const;
    for (const name of fetchedPorts) {
      if (fetchRefusesPort(c[name])) ctx.addIssue({ code: 'custom', path: [name], message: BAD_PORT_MESSAGE });
    }
    if (c.NODE_ENV === 'production' && (!c.GATEWAY_SIGNING_JWK || !c.GATEWAY_VERIFY_JWK)) {
      ctx.addIssue({ code: 'custom', path: ['GATEWAY_SIGNING_JWK'], message: 'production needs the gateway key pair; the dev key is refused' });
    }
    if (c.NODE_ENV === 'production' && !c.SERVICE_SIGNING_JWK) {
      ctx.addIssue({ code: 'custom', path: ['SERVICE_SIGNING_JWK'], message: 'production needs the service key; the dev key is refused' });
    }
    for (const name of ['GATEWAY_SIGNING_JWK', 'GATEWAY_VERIFY_JWK', 'SERVICE_SIGNING_JWK'] as const) {
      const raw = c[name];
      if (!raw) continue;
      const thumbprint = thumbprintOf(raw);
      if (thumbprint === null) ctx.addIssue({ code: 'custom', path: [name], message: 'is not a JWK of an asymmetric key (JSON with kty, crv, x, …)' });
      else if (c.NODE_ENV === 'production' && DEV_KEY_THUMBPRINTS.has(thumbprint)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is a development key, which production refuses' });
      }
    }
    if (c.NODE_ENV === 'production' && !c.SUBGRAPH_SCOPE_KEY) {
      ctx.addIssue({ code: 'custom', path: ['SUBGRAPH_SCOPE_KEY'], message: 'production needs the key the subgraphs share; the dev key is refused' });
    }
    if (c.NODE_ENV === 'production' && c.SUBGRAPH_SCOPE_KEY === DEV_ONLY_SUBGRAPH_SCOPE_KEY) {
      ctx.addIssue({ code: 'custom', path: ['SUBGRAPH_SCOPE_KEY'], message: 'is the development key, which production refuses' });
    }
    if (c.NODE_ENV === 'production' && c.GATEWAY_ENGINE !== 'hive') {
      ctx.addIssue({ code: 'custom', path: ['GATEWAY_ENGINE'], message: 'production serves trusted documents, which the hive engine enforces' });
    }
    if (c.NODE_ENV === 'production' && !c.JLIS_TRUST_ANCHORS_FILE) {
      ctx.addIssue({ code: 'custom', path: ['JLIS_TRUST_ANCHORS_FILE'], message: 'production needs the J-LIS trust anchors; the dev CA is refused' });
    }
    if (c.NODE_ENV === 'production' && !c.JLIS_FEED_PUBLIC_KEYS_FILE) {
      ctx.addIssue({ code: 'custom', path: ['JLIS_FEED_PUBLIC_KEYS_FILE'], message: "production needs the J-LIS feed's public keys; the dev key is refused" });
    }
    if (c.NODE_ENV === 'production' && !c.METRICS_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_TOKEN'],
        message: 'production needs a scrape token for /metrics, which is served on the same port as the API',
      });
    }
    if (c.NODE_ENV === 'production' && c.AUDIT_LOG_KEY === DEV_ONLY_AUDIT_LOG_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUDIT_LOG_KEY'],
        message: 'production needs a key of its own for the access log; the development key is refused',
      });
    }
    if (c.NODE_ENV === 'production' && !c.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'production needs a Postgres server, not the embedded database' });
    }
  })
  .transform((c) => ({ ...c, CORS_ALLOWED_ORIGINS: c.CORS_ALLOWED_ORIGINS ?? (c.NODE_ENV === 'production' ? [] : DEVELOPMENT_CORS_ORIGINS) }));

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

/** The RFC 7638 thumbprint of a configured JWK's public key; null when it is not a key at all. */
function thumbprintOf(raw: string): string | null {
  try {
    return publicKeyThumbprint(JSON.parse(raw));
  } catch (e) {
    if (e instanceof NotAKeyError || e instanceof SyntaxError) return null;
    throw e;
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable (`DATABASE_URL=`) means "not set", as shells and env files write it.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ConfigSchema.safeParse(set);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}

let loaded: Config | undefined;

/** The process configuration, parsed from the environment on first use. */
export function config(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
