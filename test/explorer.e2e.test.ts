import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../lib/platform/identity/tokens.js';
import { parseConfig } from '../lib/platform/config.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

/**
 * Issue 17.1: the development explorer works on a closed network. Its page loads nothing from elsewhere (the browser
 * is told so by the page's CSP, and the test's browser refuses every request off this host), opens on the
 * HolderCard with a development token, and runs it.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserMissing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install chromium); the browser test cannot run`;
if (browserMissing) console.warn(`explorer.e2e: ${browserMissing}`);

let graph: TestGraph;
let oracle: string;
beforeAll(async () => {
  graph = await startTestGraph();
  oracle = graph.oracleUrl;
});
afterAll(async () => {
  await graph?.close();
});

const page = (url: string, path = '') => fetch(`${url}${path}`, { headers: { accept: 'text/html' } });

describe('issue 17.1: an explorer that works offline', () => {
  it('serves GraphiQL with every asset inline, a CSP that keeps the browser on this host, on both engines', async () => {
    for (const url of [graph.gatewayUrl, oracle]) {
      const r = await page(url);
      expect(r.status).toBe(200);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("default-src 'self'");
      expect(r.headers.get('cache-control')).toBe('no-store');
      const html = await r.text();
      // Nothing fetched by the markup itself: no external script, style or font.
      expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)="(https?:)?\/\//);
      expect(html).toContain('query HolderCard');
      expect(html).toContain('x-access-purpose');
      expect(html).toContain('?explorer=sandbox');
    }
  });

  it('opens with a development token the gateway accepts, as a SUPERVISOR of Tokyo', async () => {
    const html = await (await page(graph.gatewayUrl)).text();
    const token = /Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(html)?.[1];
    expect(token).toBeTruthy();
    const identity = await createTokenVerifier(parseConfig({ NODE_ENV: 'test' }))(token!);
    expect(identity).toMatchObject({ role: 'SUPERVISOR', prefecture: '13' });
  });

  it('keeps Apollo Sandbox one click away, and answers a GraphQL GET as GraphQL', async () => {
    const sandbox = await (await page(graph.gatewayUrl, '?explorer=sandbox')).text();
    expect(sandbox).toContain('embeddable-sandbox');
    const gql = await fetch(`${graph.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json' } });
    expect(gql.headers.get('content-type')).toMatch(/json/);
  });

  it('security: is served to localhost and IP addresses only, not to a name another site could rebind to this host', async () => {
    const port = new URL(graph.gatewayUrl).port;
    const { request } = await import('node:http');
    const statusFor = (host: string) =>
      new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/graphql', headers: { host, accept: 'text/html' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    expect(await statusFor(`attacker.example:${port}`)).toBe(403);
    expect(await statusFor(`localhost:${port}`)).toBe(200);
    expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
    expect(await statusFor(`[::1]:${port}`)).toBe(200);
  });

  it('is not served in production', async () => {
    const production = await graph.addGateway('hive', { production: true });
    const r = await page(production);
    expect(r.headers.get('content-type') ?? '').not.toMatch(/html/);
    expect(await r.text()).not.toContain('GraphiQL');
  });

  it.skipIf(browserMissing !== null)(
    'runs the HolderCard in a real browser with no network beyond this host',
    async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--no-proxy-server',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-domain-reliability',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      const offHost: string[] = [];
      try {
        const context = await browser.newContext();
        // The closed network: anything not on this host is refused, and noted.
        await context.route('**/*', (route) => {
          const u = new URL(route.request().url());
          if (u.protocol === 'data:' || u.protocol === 'blob:' || u.hostname === '127.0.0.1' || u.hostname === 'localhost') return route.continue();
          offHost.push(u.origin);
          return route.abort();
        });
        const tab = await context.newPage();
        await tab.goto(graph.gatewayUrl, { waitUntil: 'load' });
        // The card the page asks for when ▶ is pressed, as the gateway answers it to the browser.
        const answered = tab.waitForResponse(
          (r) => r.url().startsWith(graph.gatewayUrl) && r.request().method() === 'POST' && (r.request().postData() ?? '').includes('HolderCard'),
          { timeout: 60_000 },
        );
        await tab.locator('.graphiql-execute-button').click({ timeout: 60_000 });
        const card = (await (await answered).json()) as { data: { holder: { name: string; portalLink: { pseudonym: string } } } };
        expect(card.data.holder).toMatchObject({ name: '山田 太郎', portalLink: { pseudonym: 'demo-pseudonym-0001' } });
        // And the page shows it (the editor writes spaces as no-break spaces, and renders the lines in view only).
        const response = tab.locator('.graphiql-response');
        await expect.poll(async () => (await response.innerText()).replace(/\u00a0/g, ' '), { timeout: 60_000 }).toContain('"name": "山田 太郎"');
        expect(offHost).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
