import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../lib/platform/identity/roles.js';
import { demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, type TestGraph } from './support/graph.js';

/** Every entry point of API.md against every role: exactly the roles API.md names get an answer (OWASP API5). */
const ENTRY_POINTS: [string, string, Role[]][] = [
  ['holder', `{holder(id:"${demoId(1)}"){id}}`, ['COUNTER_STAFF', 'SUPERVISOR', 'NPA_ADMIN', 'AUDITOR']],
  ['holders', `{holders(ids:["${demoId(1)}"]){id}}`, ['COUNTER_STAFF', 'SUPERVISOR', 'NPA_ADMIN', 'AUDITOR']],
  ['holderByPseudonym', '{holderByPseudonym(pseudonym:"demo-pseudonym-0001"){id}}', ['MYNA_PORTAL', 'NPA_ADMIN']],
  ['recordImports', '{recordImports(filter:{}){edges{cursor}}}', ['COUNTER_STAFF', 'SUPERVISOR', 'NPA_ADMIN', 'AUDITOR']],
  ['consentsExpiring', '{consentsExpiring(before:"2035-12-31"){edges{cursor}}}', ['NPA_ADMIN', 'MYNA_PORTAL']],
  ['accessLog', `{accessLog(holderId:"${demoId(1)}"){edges{cursor}}}`, ['AUDITOR', 'SUPERVISOR']],
  ['myAccessLog', '{myAccessLog(pseudonym:"demo-pseudonym-0001"){edges{cursor}}}', ['MYNA_PORTAL']],
  [
    'registerHolder',
    'mutation{registerHolder(input:{name:"a",birthDate:"1990-01-01",address:"a",honseki:"a",residencePrefecture:"13",cards:[]}){userErrors{code}}}',
    ['SUPERVISOR', 'NPA_ADMIN'],
  ],
  ['ingestJlisNotifications', 'mutation{ingestJlisNotifications(input:[]){userErrors{code}}}', ['JLIS_FEED']],
  ['submitHonsekiIdentifierCode', 'mutation{submitHonsekiIdentifierCode(input:{pseudonym:"x",identifierCode:"1"}){userErrors{code}}}', ['MYNA_PORTAL']],
];
const ROLES: Role[] = ['COUNTER_STAFF', 'SUPERVISOR', 'NPA_ADMIN', 'AUDITOR', 'MYNA_PORTAL', 'JLIS_FEED'];

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

describe('authorization of every entry point, role by role', () => {
  it.each(ENTRY_POINTS)('%s answers exactly its roles', async (_name, query, allowed) => {
    for (const role of ROLES) {
      const prefecture = role === 'COUNTER_STAFF' || role === 'SUPERVISOR' ? '13' : null;
      // Each role with a purpose it may name (lib/platform/identity/roles.ts): the role decides here, not the purpose.
      const purpose = ['AUDITOR', 'SUPERVISOR', 'NPA_ADMIN'].includes(role) ? 'AUDIT' : role === 'COUNTER_STAFF' ? 'COUNTER_PROCEDURE' : 'SYSTEM';
      const r = await gql(graph.gatewayUrl, { role, prefecture, subject: `roles-${role}`, purpose }, query);
      const forbidden = (r.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN');
      expect(forbidden, `${role}`).toBe(!allowed.includes(role));
    }
  });
});

describe('R-INQ-1: a purpose is one the role may name', () => {
  it('security: a clerk naming SYSTEM or AUDIT (to read without the identity verification) is FORBIDDEN, reading nothing', async () => {
    for (const purpose of ['SYSTEM', 'AUDIT']) {
      const r = await gql(
        graph.gatewayUrl,
        { role: 'COUNTER_STAFF', prefecture: '13', purpose },
        `{ holder(id: "11111111-1111-4111-8111-000000000001") { honseki } }`,
      );
      expect(r.data?.holder ?? null, purpose).toBeNull();
      expect(r.errors?.[0]?.extensions?.code, purpose).toBe('FORBIDDEN');
    }
    const mp = await gql(graph.gatewayUrl, { role: 'MYNA_PORTAL', purpose: 'AUDIT' }, `{ holderByPseudonym(pseudonym: "demo-pseudonym-0001") { id } }`);
    expect(mp.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
