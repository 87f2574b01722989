import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../lib/platform/identity/tokens.js';
import { buildSchema } from 'graphql';
import {
  DOCUMENT_HASHES,
  HolderCardDocument,
  LinkMynaPortalDocument,
  persistedRequestBody,
  RenkeiClient,
  SubmitSignatureCertificateDocument,
} from '../packages/client/src/index.js';
import { certFor } from './support/certificates.js';
import { demoId } from '../seeds/demo-holders.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

/**
 * Issue 17.2: the integrator kit is one entry point (packages/client) with the schema, the typed documents and their
 * hashes; its types catch an integrator's mistakes; the example client written against it runs against a production
 * gateway, which runs documents by hash only.
 */
const root = new URL('..', import.meta.url).pathname;
const run = promisify(execFile);
const tsc = join(root, 'node_modules/typescript/bin/tsc');

let graph: TestGraph;
let production: string;
beforeAll(async () => {
  graph = await startTestGraph();
  production = await graph.addGateway('hive', { production: true });
});
afterAll(async () => {
  await graph?.close();
});

describe('issue 17.2: the integrator kit', () => {
  it('carries the API schema, every trusted document and its hash', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'schema/trusted-documents.json'), 'utf8')) as Record<string, string>;
    expect(Object.values(DOCUMENT_HASHES).sort()).toEqual(Object.keys(manifest).sort());
    expect(readFileSync(join(root, 'packages/client/schema.graphql'), 'utf8')).toBe(readFileSync(join(root, 'schema/api.graphql'), 'utf8'));
    const body = JSON.parse(persistedRequestBody(HolderCardDocument, { id: demoId(1) })) as { extensions: { persistedQuery: { sha256Hash: string } } };
    expect(manifest[body.extensions.persistedQuery.sha256Hash]).toMatch(/^query HolderCard/);
  });

  it('covers every query and mutation of the API, so that production can run each (M1 and M2 were missing)', () => {
    const api = buildSchema(readFileSync(join(root, 'schema/api.graphql'), 'utf8'));
    const documents = Object.values(JSON.parse(readFileSync(join(root, 'schema/trusted-documents.json'), 'utf8')) as Record<string, string>).join('\n');
    const missing = ['Query', 'Mutation'].flatMap((type) =>
      Object.keys((type === 'Query' ? api.getQueryType() : api.getMutationType())!.getFields())
        .filter((field) => !new RegExp(`\\b${field}\\s*[({]`).test(documents))
        .map((f) => `${type}.${f}`),
    );
    expect(missing).toEqual([]);
  });

  it('M1 at a centre and M2 on Myna Portal run against a production gateway, by hash', async () => {
    const holder = { name: '伊藤 健', birthDate: '2001-08-15' };
    const cert = await certFor(graph.ca, holder);
    const centre = new RenkeiClient({ url: production, token: await signDevToken({ role: 'SUPERVISOR', prefecture: '13' }), purpose: 'COUNTER_PROCEDURE' });
    const m1 = await centre.request(SubmitSignatureCertificateDocument, {
      input: { holderId: demoId(6), certificatePem: cert.certPem, checks: { faceMatched: true, cardValid: true, addressMatched: true } },
    });
    expect(m1.data.submitSignatureCertificate.userErrors).toEqual([]);
    expect(m1.data.submitSignatureCertificate.signatureCertificate?.serialNumber).toBe(cert.serial);
    const portal = new RenkeiClient({ url: production, token: await signDevToken({ role: 'MYNA_PORTAL' }), purpose: 'COUNTER_PROCEDURE' });
    const m2 = await portal.request(LinkMynaPortalDocument, { input: { certificatePem: cert.certPem, pseudonym: 'kit-pseudonym-0006' } });
    expect(m2.data.linkMynaPortal.userErrors).toEqual([]);
    expect(m2.data.linkMynaPortal.portalLink?.pseudonym).toBe('kit-pseudonym-0006');
  });

  it('builds to JavaScript with declarations, and its types refuse a wrong variable', async () => {
    const work = mkdtempSync(join(tmpdir(), 'renkei-kit-'));
    try {
      await run(process.execPath, [tsc, '-p', join(root, 'packages/client/tsconfig.json'), '--outDir', join(work, 'dist')], { cwd: root });
      expect(existsSync(join(work, 'dist/index.js'))).toBe(true);
      expect(readFileSync(join(work, 'dist/index.d.ts'), 'utf8')).toContain('RenkeiClient');
      // An integrator's mistake: a variable the operation does not have.
      writeFileSync(
        join(work, 'mistake.ts'),
        `import { HolderCardDocument, RenkeiClient } from '${join(root, 'packages/client/src/index.js')}';
const c = new RenkeiClient({ url: 'http://x', token: 't', purpose: 'HOLDER_INQUIRY' });
void c.request(HolderCardDocument, { holderId: 'x' });
`,
      );
      const checked = await run(
        process.execPath,
        [
          tsc,
          '--noEmit',
          '--strict',
          '--module',
          'NodeNext',
          '--moduleResolution',
          'NodeNext',
          '--target',
          'ES2022',
          '--skipLibCheck',
          join(work, 'mistake.ts'),
        ],
        { cwd: root },
      ).then(
        () => '',
        (e: { stdout: string }) => e.stdout,
      );
      expect(checked).toMatch(/holderId/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);

  it('the example client runs against a production gateway, documents by hash', async () => {
    const token = await signDevToken({ role: 'SUPERVISOR', prefecture: '13' });
    const { stdout } = await run(join(root, 'node_modules/.bin/tsx'), ['examples/integrator-client.ts', demoId(1)], {
      cwd: root,
      env: { ...process.env, GQL: production, TOKEN: token },
    });
    expect(stdout).toContain('山田 太郎: MYNA_LICENSE_ONLY');
    expect(stdout).toContain('住所変更ワンストップサービス等: ADDRESS, NAME');
    expect(stdout).toMatch(/failed imports: [1-9]/);
    // The same gateway refuses a document sent as text.
    const text = await fetch(production, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-access-purpose': 'HOLDER_INQUIRY',
        'x-identity-verification': 'MYNA_CARD_FACE',
      },
      body: JSON.stringify({ query: '{ holder(id: "x") { name } }' }),
    });
    expect(((await text.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('PERSISTED_QUERY_ONLY');
  }, 60_000);

  it('the example client says what refused it', async () => {
    const { code, stderr } = await run(join(root, 'node_modules/.bin/tsx'), ['examples/integrator-client.ts', demoId(1)], {
      cwd: root,
      env: { ...process.env, GQL: production, TOKEN: 'not-a-token' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(code).toBe(1);
    expect(stderr).toContain('refused: UNAUTHENTICATED (HTTP 401)');
  }, 60_000);
});
