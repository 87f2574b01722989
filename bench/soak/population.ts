import { signedConsent } from './certificates.js';
import type { SoakContext, SoakHolder } from './context.js';

const BIRTH_DATE = '1985-06-15';
export const CHECKS = { faceMatched: true, cardValid: true, addressMatched: true };
export const TERMS = 'soak-1';

/** The 基本4情報 a certificate of this holder carries: the record's name and birth date, with the address given. */
export const personOf = (h: Pick<SoakHolder, 'name' | 'birthDate'>, address = '東京都千代田区丸の内1-1') => ({
  name: h.name,
  birthDate: h.birthDate,
  address,
});

/**
 * The soak's own holders, each brought through the start procedure through the gateway before anything is timed:
 * registered by the supervisor, M1 at the centre, M2 on Myna Portal, then a consent at the centre signed with the
 * M1 certificate. The mix then walks them on from there; the J-LIS feed addresses them by the certificate their
 * consent follows, which only the soak knows. Bulk holders are left to the reads: their certificates have no keys.
 */
export async function populate(ctx: SoakContext, count: number, concurrency = 8): Promise<void> {
  let next = 0;
  const one = async (n: number) => {
    const step = async (kind: string, headers: Record<string, string>, body: string, field: string) => {
      const r = await ctx.send('setup', kind, headers, body, field);
      if (r.v.cls !== 'ok') throw new Error(`populating holder ${n}: ${kind} answered ${r.v.cls} ${r.v.detail}`);
      return r.data;
    };
    const name = `耐久 ${n}`;
    const registered = await step(
      'register',
      ctx.mutation(ctx.headers.clerk),
      ctx.bodies.register({
        input: {
          licenseNumber: String(700000000000 + n),
          name,
          birthDate: BIRTH_DATE,
          address: '東京都千代田区丸の内1-1',
          honseki: '東京都千代田区丸の内一丁目1番',
          residencePrefecture: '13',
          cards: ['MYNA_LICENSE'],
        },
      }),
      'registerHolder',
    );
    const id = registered.holder.id as string;
    const pseudonym = `soak-pseudonym-${String(n).padStart(6, '0')}`;
    const m1 = await ctx.issue(personOf({ name, birthDate: BIRTH_DATE }), new Date(Date.now() - 86_400_000));
    await step(
      'm1',
      ctx.mutation(ctx.headers.clerk),
      ctx.bodies.m1({ input: { holderId: id, certificatePem: m1.certPem, checks: CHECKS } }),
      'submitSignatureCertificate',
    );
    await step('m2', ctx.mutation(ctx.headers.portal), ctx.bodies.m2({ input: { certificatePem: m1.certPem, pseudonym } }), 'linkMynaPortal');
    const items = ['ADDRESS'];
    await step(
      'grant',
      ctx.mutation(ctx.headers.clerk),
      ctx.bodies.grant({ input: { holderId: id, items, termsVersion: TERMS, signedConsent: signedConsent(m1, { subject: id, items, termsVersion: TERMS }) } }),
      'grantAddressOneStopConsent',
    );
    ctx.holders.push({
      id,
      pseudonym,
      name,
      birthDate: BIRTH_DATE,
      m1,
      linked: true,
      consent: { active: true, follows: m1.serial },
      busy: false,
      retired: false,
    });
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await one(next++);
    }),
  );
}
