import { describe, expect, it } from 'vitest';
import { eligibility, type EligibilityFacts } from '../subgraphs/driver/rules/eligibility.js';
import { holdingForm } from '../subgraphs/driver/rules/holding-form.js';

const base: EligibilityFacts = {
  cards: ['MYNA_LICENSE'],
  signatureCertificate: { status: 'VALID' },
  portalLink: { linkedAt: '2025-04-02T11:15:00Z' },
  consent: { items: ['ADDRESS', 'NAME', 'BIRTH_DATE'], status: 'ACTIVE', followedCertificate: { status: 'VALID' } },
  portalLinkKnown: true,
  consentKnown: true,
};
const codes = (rs: { code: string }[]) => rs.map((r) => r.code);
const auto = (facts: EligibilityFacts) => eligibility(facts).addressOneStop.items.map((i) => [i.item, i.autoUpdate]);

describe('holding form', () => {
  it.each([
    [['MYNA_LICENSE'], 'MYNA_LICENSE_ONLY'],
    [['MYNA_LICENSE', 'LICENSE_CARD'], 'BOTH'],
    [['LICENSE_CARD'], 'LICENSE_CARD_ONLY'],
    [['MYNA_HISTORY'], 'MYNA_HISTORY_ONLY'],
    [['HISTORY_CARD'], 'OTHER'],
    [['MYNA_HISTORY', 'HISTORY_CARD'], 'OTHER'],
    [[], 'OTHER'],
  ])('cards %j are %s', (cards, form) => expect(holdingForm(cards)).toBe(form));
});

describe('R-ELIG-1: only Myna-only forms are covered', () => {
  it('R-ELIG-1: MYNA_LICENSE_ONLY may use both services', () => {
    const e = eligibility(base);
    expect(e.honsekiOnlineChange.eligible).toBe(true);
    expect(e.addressOneStop.eligible).toBe(true);
  });
  it('R-ELIG-1: BOTH must notify in person: HOLDS_LICENSE_CARD for both services, nothing deleted', () => {
    const e = eligibility({ ...base, cards: ['MYNA_LICENSE', 'LICENSE_CARD'] });
    expect(codes(e.honsekiOnlineChange.reasons)).toEqual(['HOLDS_LICENSE_CARD']);
    expect(codes(e.addressOneStop.reasons)).toEqual(['HOLDS_LICENSE_CARD']);
    expect(e.addressOneStop.items.every((i) => !i.autoUpdate)).toBe(true);
  });
  it('R-ELIG-1: LICENSE_CARD_ONLY holds a card and no Myna card', () => {
    const e = eligibility({ ...base, cards: ['LICENSE_CARD'] });
    expect(codes(e.honsekiOnlineChange.reasons)).toEqual(['HOLDS_LICENSE_CARD', 'NOT_MYNA_CARD_HOLDER']);
  });
  it('R-ELIG-1: MYNA_HISTORY_ONLY may use address one-stop but not 本籍 online change', () => {
    const e = eligibility({ ...base, cards: ['MYNA_HISTORY'] });
    expect(e.addressOneStop.eligible).toBe(true);
    expect(e.honsekiOnlineChange.eligible).toBe(false);
    expect(codes(e.honsekiOnlineChange.reasons)).toContain('HISTORY_CERTIFICATE_NOT_COVERED');
  });
  it('R-ELIG-1: OTHER (history card only) is not a Myna card holder', () => {
    const e = eligibility({ ...base, cards: ['HISTORY_CARD'] });
    expect(codes(e.addressOneStop.reasons)).toEqual(['HOLDS_LICENSE_CARD', 'NOT_MYNA_CARD_HOLDER']);
  });
});

describe('R-ELIG-2: 本籍 online change needs M1 and M2', () => {
  it('R-ELIG-2: without M1 the reason is SIGNATURE_CERTIFICATE_NOT_SUBMITTED', () => {
    const e = eligibility({ ...base, signatureCertificate: null, portalLink: null });
    expect(codes(e.honsekiOnlineChange.reasons)).toEqual(['SIGNATURE_CERTIFICATE_NOT_SUBMITTED', 'PORTAL_NOT_LINKED']);
  });
  it('R-ELIG-2: with M1 but no M2 the reason is PORTAL_NOT_LINKED', () => {
    const e = eligibility({ ...base, portalLink: null });
    expect(codes(e.honsekiOnlineChange.reasons)).toEqual(['PORTAL_NOT_LINKED']);
  });
  it('R-ELIG-2: an M1 certificate that has expired since does not stop 本籍 online change', () => {
    expect(eligibility({ ...base, signatureCertificate: { status: 'EXPIRED' } }).honsekiOnlineChange.eligible).toBe(true);
  });
});

describe('R-ELIG-3: address one-stop is per item', () => {
  it('R-ELIG-3: only consented items update automatically (ITEM_NOT_CONSENTED for the rest)', () => {
    const e = eligibility({ ...base, consent: { ...base.consent!, items: ['ADDRESS'] } });
    expect(auto({ ...base, consent: { ...base.consent!, items: ['ADDRESS'] } })).toEqual([
      ['ADDRESS', true],
      ['NAME', false],
      ['BIRTH_DATE', false],
    ]);
    expect(codes(e.addressOneStop.items[1]!.reasons)).toEqual(['ITEM_NOT_CONSENTED']);
    expect(e.addressOneStop.eligible).toBe(true);
  });
  it.each([
    ['NO_CONSENT', { consent: null }],
    ['CONSENT_REVOKED', { consent: { ...base.consent!, status: 'REVOKED' as const } }],
    ['CONSENT_EXPIRED', { consent: { ...base.consent!, status: 'EXPIRED' as const } }],
    ['SIGNATURE_CERTIFICATE_REVOKED_AWAITING_NEW', { consent: { ...base.consent!, followedCertificate: { status: 'REVOKED' as const } } }],
    ['SIGNATURE_CERTIFICATE_EXPIRED', { consent: { ...base.consent!, followedCertificate: { status: 'EXPIRED' as const } } }],
  ])('R-ELIG-3: %s stops every item', (code, over) => {
    const e = eligibility({ ...base, ...over });
    expect(e.addressOneStop.eligible).toBe(false);
    expect(codes(e.addressOneStop.reasons)).toEqual([code]);
    for (const item of e.addressOneStop.items) expect(codes(item.reasons)).toContain(code);
  });
  it('R-ELIG-3: the items are always ADDRESS, NAME, BIRTH_DATE in that order', () => {
    expect(eligibility({ ...base, consent: null }).addressOneStop.items.map((i) => i.item)).toEqual(['ADDRESS', 'NAME', 'BIRTH_DATE']);
  });
});

describe('R-ELIG-4 and R-ELIG-5', () => {
  it('R-ELIG-4: a holder who took no measure gets an answer with reasons, not an error', () => {
    const e = eligibility({ cards: ['MYNA_LICENSE'], signatureCertificate: null, portalLink: null, consent: null, portalLinkKnown: true, consentKnown: true });
    expect(e.honsekiOnlineChange.eligible).toBe(false);
    expect(e.addressOneStop.eligible).toBe(false);
  });
  it('R-ELIG-1: an uncovered form is decisive: no M1/M2/consent reasons are added to it', () => {
    const e = eligibility({ cards: ['LICENSE_CARD'], signatureCertificate: null, portalLink: null, consent: null, portalLinkKnown: true, consentKnown: true });
    expect(codes(e.honsekiOnlineChange.reasons)).toEqual(['HOLDS_LICENSE_CARD', 'NOT_MYNA_CARD_HOLDER']);
    expect(codes(e.addressOneStop.reasons)).toEqual(['HOLDS_LICENSE_CARD', 'NOT_MYNA_CARD_HOLDER']);
  });
  it('R-ELIG-4: state that could not be read is STATE_UNAVAILABLE, never taken for "not done"', () => {
    const e = eligibility({ ...base, consent: null, consentKnown: false, portalLink: null, portalLinkKnown: false });
    expect(codes(e.honsekiOnlineChange.reasons)).toEqual(['STATE_UNAVAILABLE']);
    expect(codes(e.addressOneStop.reasons)).toEqual(['STATE_UNAVAILABLE']);
    expect(e.addressOneStop.items.every((i) => !i.autoUpdate && codes(i.reasons).join() === 'STATE_UNAVAILABLE')).toBe(true);
  });
  it('R-ELIG-5: every reason carries a Japanese message and its legal basis', () => {
    const all = [
      eligibility({ ...base, cards: ['LICENSE_CARD'], signatureCertificate: null, portalLink: null, consent: null }),
      eligibility({ ...base, signatureCertificate: null, portalLink: null, consent: null }),
      eligibility({ ...base, cards: ['MYNA_HISTORY'], consent: { ...base.consent!, items: ['NAME'], status: 'REVOKED' } }),
    ];
    const reasons = all.flatMap((e) => [...e.honsekiOnlineChange.reasons, ...e.addressOneStop.reasons, ...e.addressOneStop.items.flatMap((i) => i.reasons)]);
    expect(reasons.length).toBeGreaterThan(5);
    for (const r of reasons) {
      expect(r.message).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(r.legalBasis).toMatch(/第/);
    }
  });
});
