import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import { apiError } from '../lib/platform/errors.js';
import { ExpiringCache } from '../lib/platform/expiring-cache.js';
import { PSEUDONYM_RE } from '../lib/platform/graphql/input.js';
import { GATEWAY_OWN_ACCESS, MAX_SCOPED_HOLDERS, type GatewayTokenSigner } from '../lib/platform/identity/gateway-token.js';
import { subgraphHeaders } from '../lib/platform/identity/request.js';
import type { RequestAccess } from '../lib/platform/identity/roles.js';

/**
 * Myna Portal acts for the holder a pseudonym identifies, and reaches that holder only: for each MYNA_PORTAL request
 * the gateway finds every pseudonym the request names, asks portal-link (as itself) which holders they are linked
 * to, and signs those holder ids into every subgraph token of the request (`RequestAccess.holderScope`). Every
 * subgraph then answers a MYNA_PORTAL caller about these holders and no others, whichever path leads to them.
 * Other roles' requests skip all of this.
 */

/**
 * The pseudonyms a request names: the value of every argument or input-object field called `pseudonym`, written in
 * the document or passed in a variable (a variable's default included), at any depth of input objects and lists.
 */
export function pseudonymsNamed(document: DocumentNode, variables: Readonly<Record<string, unknown>> | null | undefined): string[] {
  const found = new Set<string>();
  const defaults = new Map<string, ValueNode>();
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const v of d.variableDefinitions ?? []) if (v.defaultValue) defaults.set(v.variable.name.value, v.defaultValue);
  }
  const fromJson = (name: string, value: unknown): void => {
    if (typeof value === 'string') {
      if (name === 'pseudonym') found.add(value);
    } else if (Array.isArray(value)) {
      for (const v of value) fromJson(name, v);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) fromJson(k, v);
    }
  };
  const fromAst = (name: string, node: ValueNode): void => {
    switch (node.kind) {
      case Kind.STRING:
        if (name === 'pseudonym') found.add(node.value);
        return;
      case Kind.VARIABLE: {
        const given = variables?.[node.name.value];
        if (given !== undefined) fromJson(name, given);
        else if (defaults.has(node.name.value)) fromAst(name, defaults.get(node.name.value)!);
        return;
      }
      case Kind.LIST:
        for (const v of node.values) fromAst(name, v);
        return;
      case Kind.OBJECT:
        for (const f of node.fields) fromAst(f.name.value, f.value);
        return;
      default:
        return;
    }
  };
  visit(document, {
    Argument(node) {
      fromAst(node.name.value, node.value);
      return false;
    },
    VariableDefinition: () => false,
  });
  return [...found];
}

/** Which holders these pseudonyms are linked to (unlinked ones are left out). */
export type PseudonymResolver = (pseudonyms: readonly string[], requestId: string) => Promise<string[]>;

const LINKED_PSEUDONYMS = 'query LinkedPseudonyms($p: [String!]!) { linkedPseudonyms(pseudonyms: $p) { pseudonym holderId } }';
/** A link never changes once made (R-LINK-1), so a holder found is kept a minute; a pseudonym not linked is asked again. */
const KEEP_MS = 60_000;
const KEPT = 10_000;

/** Asks portal-link, the owner of the links, as the gateway's own identity; positive answers are kept a minute. */
export function pseudonymResolver(opts: { url: string; sign: GatewayTokenSigner; timeoutMs: number }): PseudonymResolver {
  const holderOf = new ExpiringCache<string>(KEPT);
  return async (pseudonyms, requestId) => {
    const now = Date.now();
    const holders: string[] = [];
    const ask: string[] = [];
    for (const p of pseudonyms) {
      const known = holderOf.get(p, now);
      if (known) holders.push(known);
      else ask.push(p);
    }
    if (ask.length === 0) return holders;
    const headers = { 'content-type': 'application/json', ...subgraphHeaders(await opts.sign('portal-link', GATEWAY_OWN_ACCESS), requestId, null) };
    let body: { data?: { linkedPseudonyms?: { pseudonym: string; holderId: string }[] } | null; errors?: unknown[] };
    try {
      const res = await fetch(opts.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: LINKED_PSEUDONYMS, variables: { p: ask } }),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      body = (await res.json()) as typeof body;
    } catch {
      throw scopeUnavailable();
    }
    const linked = body.data?.linkedPseudonyms;
    if (!linked || body.errors?.length) throw scopeUnavailable();
    for (const l of linked) {
      holderOf.set(l.pseudonym, l.holderId, Date.now() + KEEP_MS);
      holders.push(l.holderId);
    }
    return holders;
  };
}

/** A refusal before execution, answered with status 200 as the serving engine answers every refused request. */
const ANSWERED = { http: { status: 200 } };
const scopeUnavailable = () => apiError('SERVICE_UNAVAILABLE', 'the holders this request names could not be looked up just now; try again', ANSWERED);

/**
 * The access a request's subgraph calls carry: for MYNA_PORTAL, with the holders its pseudonyms name; for every
 * other role as it is, at no cost. A request naming more pseudonyms than a token may carry is refused.
 */
export async function accessWithHolderScope(
  access: RequestAccess,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  resolve: PseudonymResolver,
): Promise<RequestAccess> {
  if (access.identity.role !== 'MYNA_PORTAL') return access;
  const named = pseudonymsNamed(document, variables).filter((p) => PSEUDONYM_RE.test(p));
  if (named.length > MAX_SCOPED_HOLDERS) {
    throw apiError('INVALID_INPUT', `a request names at most ${MAX_SCOPED_HOLDERS} pseudonyms`, ANSWERED);
  }
  return { ...access, holderScope: named.length > 0 ? await resolve(named, access.requestId) : [] };
}
