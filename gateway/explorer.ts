import type { IncomingMessage, ServerResponse } from 'node:http';
import { sandboxHtml, sandboxInitialState } from './landing-page.js';

/**
 * The development explorer at `/graphql`: GraphiQL from the project's own dependencies with every script, style,
 * font and worker inline, so that it works where no request may leave the host (a prefectural network, LGWAN, the
 * machines here). It opens on the HolderCard with its variables, the purpose and identity-verification headers and,
 * when the gateway trusts the development key, a development token. Apollo Sandbox, which loads from Apollo's CDN,
 * stays one click away (`/graphql?explorer=sandbox`) for those online. Never served in production.
 */
export interface ExplorerOptions {
  /** A development token for the Authorization header; absent when the gateway trusts an identity provider instead. */
  devToken?: () => Promise<string>;
}

/** Where a development token goes in the page; a JWT's characters need no escaping in the JSON the page carries. */
const TOKEN_SLOT = 'RENKEI_EXPLORER_TOKEN_SLOT';
const NO_TOKEN = '<paste the output of: npm run --silent token -- --role SUPERVISOR --prefecture 13>';

/**
 * The browser may reach this host only: a page that tried to load anything from elsewhere would be stopped by the
 * browser itself. GraphiQL's editor compiles its workers from inline blobs and evaluates code, hence blob: and eval.
 */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const SANDBOX_LINK =
  '<a id="renkei-sandbox-link" href="?explorer=sandbox" style="position:fixed;right:12px;bottom:8px;z-index:10;font:12px sans-serif;color:#888">' +
  'Apollo Sandbox（オンライン）</a>';

/** `localhost` or an IP literal: a name other sites cannot make resolve to this host for a page of theirs. */
export function addressedDirectly(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || /^\[[0-9a-f:.]+\]$/.test(name);
}

/** Some 9 MB of inline assets: rendered once per process, the token put in per request. */
let template: Promise<string> | null = null;

async function renderTemplate(): Promise<string> {
  // Loaded on the first page only: production never serves the explorer and never loads its assets.
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const state = sandboxInitialState();
  const headers = JSON.stringify({ ...state.headers, Authorization: `Bearer ${TOKEN_SLOT}` }, null, 2);
  const variables = JSON.stringify(state.variables, null, 2);
  const html = renderGraphiQL({
    title: 'Renkei GraphiQL',
    endpoint: '/graphql',
    defaultQuery: state.document,
    defaultHeaders: headers,
    // The page's own initial editors (Yoga's GraphiQL reads them beside its typed options).
    ...({ query: state.document, variables, headers } as object),
    // A token in the browser's storage would outlive the page; each visit gets a fresh one instead.
    shouldPersistHeaders: false,
    credentials: 'omit',
    method: 'POST',
  });
  return html.replace(/(<body[^>]*>)/, `$1${SANDBOX_LINK}`);
}

/**
 * Answers a browser's GET of the endpoint in development with the explorer (or, asked for, Apollo Sandbox); false
 * when the request is not a browser's page load, for the engine to serve as GraphQL.
 */
export async function serveExplorer(req: IncomingMessage, res: ServerResponse, opts: ExplorerOptions): Promise<boolean> {
  if (req.method !== 'GET' || !req.headers.accept?.includes('text/html')) return false;
  if (!addressedDirectly(req.headers.host)) {
    // A page of another site whose name was made to resolve here (DNS rebinding) would read the development token.
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('The explorer is served at localhost or an IP address only.\n');
    return true;
  }
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  if (query.get('explorer') === 'sandbox') {
    // Rendered per request: the page carries a fresh CSP nonce each time.
    const html = await sandboxHtml();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
    return true;
  }
  template ??= renderTemplate();
  const token = opts.devToken ? await opts.devToken() : NO_TOKEN;
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': EXPLORER_CSP,
    // The page holds a token: never kept by a cache or shown inside another site's frame.
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
  res.end((await template).replaceAll(TOKEN_SLOT, token));
  return true;
}
