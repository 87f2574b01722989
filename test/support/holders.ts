import { readFileSync } from 'node:fs';
import { certFor } from './certificates.js';
import { gql, type Caller, type TestGraph } from './graph.js';

const REGISTER = readFileSync(new URL('../../schema/operations/RegisterHolder.graphql', import.meta.url), 'utf8');
const M1 = `mutation($input: SubmitSignatureCertificateInput!) { submitSignatureCertificate(input: $input) { userErrors { code } } }`;
const M2 = `mutation($input: LinkMynaPortalInput!) { linkMynaPortal(input: $input) { userErrors { code } } }`;

let n = 0;
/** A マイナ免許証 holder of prefecture 13, registered by a supervisor through the gateway as the record holds them. */
export async function registerHolder(graph: TestGraph, person: { name: string; birthDate: string; honseki?: string; address?: string }): Promise<string> {
  const licenseNumber = `31${String(process.pid % 1e4).padStart(4, '0')}${String(++n).padStart(6, '0')}`;
  const r = await gql(graph.gatewayUrl, { role: 'SUPERVISOR', prefecture: '13' }, REGISTER, {
    input: {
      licenseNumber,
      name: person.name,
      birthDate: person.birthDate,
      address: person.address ?? '東京都千代田区丸の内1-1',
      honseki: person.honseki ?? '東京都千代田区丸の内一丁目1番',
      residencePrefecture: '13',
      cards: ['MYNA_LICENSE'],
    },
  });
  if (r.data?.registerHolder.userErrors.length !== 0) throw new Error(`registerHolder: ${JSON.stringify(r.data?.registerHolder.userErrors ?? r.errors)}`);
  return r.data.registerHolder.holder.id;
}

/**
 * A holder who did M1 at a centre and M2 on Myna Portal with a certificate that carries `certificateName` (the
 * record's name when not given), ready for 本籍 online change.
 */
export async function linkedHolder(
  graph: TestGraph,
  person: { name: string; birthDate: string; honseki?: string },
  opts: { certificateName?: string; pseudonym: string },
): Promise<{ id: string; pseudonym: string }> {
  const id = await registerHolder(graph, person);
  const cert = await certFor(graph.ca, { name: opts.certificateName ?? person.name, birthDate: person.birthDate });
  const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'COUNTER_PROCEDURE' };
  const checks = { faceMatched: true, cardValid: true, addressMatched: true };
  const m1 = await gql(graph.gatewayUrl, clerk, M1, { input: { holderId: id, certificatePem: cert.certPem, checks } });
  if (m1.data?.submitSignatureCertificate.userErrors.length !== 0)
    throw new Error(`M1: ${JSON.stringify(m1.data?.submitSignatureCertificate.userErrors ?? m1.errors)}`);
  const m2 = await gql(graph.gatewayUrl, { role: 'MYNA_PORTAL', purpose: 'COUNTER_PROCEDURE' }, M2, {
    input: { certificatePem: cert.certPem, pseudonym: opts.pseudonym },
  });
  if (m2.data?.linkMynaPortal.userErrors.length !== 0) throw new Error(`M2: ${JSON.stringify(m2.data?.linkMynaPortal.userErrors ?? m2.errors)}`);
  return { id, pseudonym: opts.pseudonym };
}
