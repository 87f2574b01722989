import { signedConsent } from './certificates.js';
import type { SoakContext } from './context.js';
import { CHECKS, personOf, TERMS } from './population.js';
import type { Phase } from './record.js';
import { japanDate } from '../../lib/platform/japan-date.js';

/**
 * The mix, as shares of the arrivals: mostly the counter's reads (the HolderCard, a list of 50 holders), then the
 * procedures — M1 (a new card certificate, as after a card renewal), M2 again with it, consents given and revoked at
 * the centre or on Myna Portal, 本籍 codes from Myna Portal. The J-LIS feed comes on its own clock (jlis.ts).
 */
export const MIX = { card: 0.66, batch: 0.08, m1: 0.05, m2: 0.05, grant: 0.08, revoke: 0.06, honseki: 0.02 } as const;
export type Kind = keyof typeof MIX;
const KINDS = Object.keys(MIX) as Kind[];

export function pickKind(random: () => number): Kind {
  let r = random();
  for (const k of KINDS) {
    r -= MIX[k];
    if (r < 0) return k;
  }
  return 'card';
}

const BATCH = 50;
/** One 本籍 code in ten is one the registry never issued: the request must end FAILED with INVALID_CODE. */
const INVALID_CODE_SHARE = 0.1;

/**
 * Runs one request of `kind`. A procedure needs a holder in a state that allows it (M2 after a new M1, a revocation
 * of an active consent); when no idle holder is in one, a HolderCard is sent instead and counted in `fallbacks`,
 * so the arrival rate holds and the mix actually run is reported.
 */
export function mixRunner(ctx: SoakContext) {
  const fallbacks: Partial<Record<Kind, number>> = {};
  let codes = 0;
  let addresses = 0;
  const random = ctx.random;
  const cardHolderIds = () => [...ctx.bulkIds, ...ctx.holders.map((h) => h.id)];

  const ops: Record<Kind, (phase: Phase) => Promise<boolean>> = {
    card: async (phase) => {
      const ids = cardHolderIds();
      await ctx.send(phase, 'card', ctx.headers.read, ctx.bodies.card({ id: ids[Math.floor(random() * ids.length)] }), 'holder');
      return true;
    },
    batch: async (phase) => {
      const from = Math.floor(random() * (ctx.bulkIds.length - BATCH));
      await ctx.send(phase, 'batch', ctx.headers.read, ctx.bodies.holders({ ids: ctx.bulkIds.slice(from, from + BATCH) }), 'holders');
      return true;
    },
    m1: async (phase) => {
      const h = ctx.take(() => true);
      if (!h) return false;
      const cert = await ctx.issue(personOf(h), new Date(Date.now() - 86_400_000));
      const r = await ctx.send(
        phase,
        'm1',
        ctx.mutation(ctx.headers.clerk),
        ctx.bodies.m1({ input: { holderId: h.id, certificatePem: cert.certPem, checks: CHECKS } }),
        'submitSignatureCertificate',
      );
      if (r.v.cls === 'ok') Object.assign(h, { m1: cert, linked: false });
      ctx.release(h, r.v);
      return true;
    },
    m2: async (phase) => {
      const h = ctx.take((x) => !x.linked);
      if (!h) return false;
      const r = await ctx.send(
        phase,
        'm2',
        ctx.mutation(ctx.headers.portal),
        ctx.bodies.m2({ input: { certificatePem: h.m1.certPem, pseudonym: h.pseudonym } }),
        'linkMynaPortal',
      );
      if (r.v.cls === 'ok') h.linked = true;
      ctx.release(h, r.v);
      return true;
    },
    grant: async (phase) => {
      const h = ctx.take(() => true);
      if (!h) return false;
      const portal = random() < 0.5;
      // A third of Myna Portal's consents are signed with a certificate newer than the M1 one (R-ONE-6 ②): issued three
      // days ago with a new address, which the consent subgraph owes the driver record through its outbox.
      const newer = portal && random() < 1 / 3;
      const cert = newer ? await ctx.issue(personOf(h, `東京都港区芝公園${++addresses}`), new Date(Date.now() - 3 * 86_400_000)) : h.m1;
      const items = random() < 0.5 ? ['ADDRESS'] : ['ADDRESS', 'NAME'];
      const subject = portal ? { pseudonym: h.pseudonym } : { holderId: h.id };
      const signed = signedConsent(cert, { subject: portal ? h.pseudonym : h.id, items, termsVersion: TERMS });
      const r = await ctx.send(
        phase,
        'grant',
        ctx.mutation(portal ? ctx.headers.portal : ctx.headers.clerk),
        ctx.bodies.grant({ input: { ...subject, items, termsVersion: TERMS, signedConsent: signed } }),
        'grantAddressOneStopConsent',
      );
      if (r.v.cls === 'ok') {
        h.consent = { active: true, follows: cert.serial };
        if (newer) ctx.expected.outboxConsents.add(r.data.consent.id);
      }
      ctx.release(h, r.v);
      return true;
    },
    revoke: async (phase) => {
      const h = ctx.take((x) => !!x.consent?.active);
      if (!h) return false;
      const portal = random() < 0.5;
      const r = await ctx.send(
        phase,
        'revoke',
        ctx.mutation(portal ? ctx.headers.portal : ctx.headers.clerk),
        ctx.bodies.revoke({ input: portal ? { pseudonym: h.pseudonym } : { holderId: h.id } }),
        'revokeAddressOneStopConsent',
      );
      if (r.v.cls === 'ok') h.consent = { ...h.consent!, active: false };
      ctx.release(h, r.v);
      return true;
    },
    honseki: async (phase) => {
      const h = ctx.take(() => true);
      if (!h) return false;
      const code = `9${String(++codes).padStart(15, '0')}`;
      const valid = random() >= INVALID_CODE_SHARE;
      if (valid) {
        // The municipality issues the code first: the simulator learns it before Myna Portal sends it.
        const registered = await registerCode(ctx.simulatorUrl, {
          code,
          honseki: `東京都千代田区永田町${codes}番`,
          name: h.name,
          birthDate: h.birthDate,
          issuedOn: japanDate(new Date()),
        });
        if (registered) {
          ctx.expected.simulatorErrors.push(registered);
          h.busy = false;
          return true;
        }
      }
      const r = await ctx.send(
        phase,
        'honseki',
        ctx.mutation(ctx.headers.portal),
        ctx.bodies.honseki({ input: { pseudonym: h.pseudonym, identifierCode: code } }),
        'submitHonsekiIdentifierCode',
      );
      if (r.v.cls === 'ok') ctx.expected.honseki.set(r.data.request.id, valid ? 'APPLIED' : 'FAILED:INVALID_CODE');
      ctx.release(h, r.v);
      return true;
    },
  };

  return {
    fallbacks,
    async run(phase: Phase, kind: Kind): Promise<void> {
      if (await ops[kind](phase)) return;
      fallbacks[kind] = (fallbacks[kind] ?? 0) + 1;
      await ops.card(phase);
    },
  };
}

/** Registers a code with the simulator; the reason it failed, or null. */
async function registerCode(url: string, cert: Record<string, string>): Promise<string | null> {
  try {
    const res = await fetch(`${url}/dev/codes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cert) });
    return res.status === 201 ? null : `simulator answered ${res.status}`;
  } catch (e) {
    return (e as Error).message;
  }
}
