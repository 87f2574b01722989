import { describe, expect, it } from 'vitest';
import { decide, type FollowingConsent, type JlisNotification } from '../subgraphs/consent/rules/jlis-decision.js';
import { dueImportEnd, importEndMessage, type DueImport, type DueImportFacts } from '../subgraphs/driver/rules/pending-import.js';

const imp = (over: Partial<DueImport> = {}): DueImport => ({
  item: 'ADDRESS',
  source: 'ADDRESS_ONE_STOP',
  filedOn: '2026-04-01',
  createdAt: new Date('2026-04-01T09:00:00+09:00'),
  ...over,
});
const facts = (over: Partial<DueImportFacts> = {}): DueImportFacts => ({ cards: ['MYNA_LICENSE'], lastHandChangeOn: null, consentRevokedAt: null, ...over });

describe('R-IMP-3: whether a pending import still applies on its effective day', () => {
  it('R-IMP-3: an eligible holder with the consent not revoked since the filing: applied', () => {
    expect(dueImportEnd(imp(), facts())).toBeNull();
    expect(dueImportEnd(imp(), facts({ cards: ['MYNA_HISTORY'] }))).toBeNull();
  });

  it('R-IMP-3: a hand change on or after the filing day supersedes; one before it does not (R-IMP-2)', () => {
    expect(dueImportEnd(imp(), facts({ lastHandChangeOn: '2026-04-01' }))).toEqual({ status: 'SUPERSEDED', reason: 'SUPERSEDED_BY_MANUAL_CHANGE' });
    expect(dueImportEnd(imp(), facts({ lastHandChangeOn: '2026-04-02' }))?.status).toBe('SUPERSEDED');
    expect(dueImportEnd(imp(), facts({ lastHandChangeOn: '2026-03-31' }))).toBeNull();
    // No filing day: the day the system learnt of it.
    expect(dueImportEnd(imp({ filedOn: null }), facts({ lastHandChangeOn: '2026-03-31' }))).toBeNull();
    expect(dueImportEnd(imp({ filedOn: null }), facts({ lastHandChangeOn: '2026-04-01' }))?.status).toBe('SUPERSEDED');
  });

  it('R-IMP-3: a plastic card gained (BOTH) or only a card left: NOT_ELIGIBLE (R-ELIG-1, R-CARD-2)', () => {
    expect(dueImportEnd(imp(), facts({ cards: ['LICENSE_CARD', 'MYNA_LICENSE'] }))).toEqual({ status: 'CANCELLED', reason: 'NOT_ELIGIBLE' });
    expect(dueImportEnd(imp(), facts({ cards: ['LICENSE_CARD'] }))?.reason).toBe('NOT_ELIGIBLE');
    // 本籍 online change is for a マイナ免許証 alone.
    expect(dueImportEnd(imp({ source: 'HONSEKI_ONLINE', item: 'HONSEKI' }), facts({ cards: ['MYNA_HISTORY'] }))?.reason).toBe('NOT_ELIGIBLE');
  });

  it('R-IMP-3: a consent revoked on or after the filing day stops it; a revocation before the filing (a consent given again since) does not', () => {
    expect(dueImportEnd(imp(), facts({ consentRevokedAt: new Date('2026-04-02T10:00:00+09:00') }))).toEqual({ status: 'CANCELLED', reason: 'CONSENT_REVOKED' });
    expect(dueImportEnd(imp(), facts({ consentRevokedAt: new Date('2026-04-01T00:00:00+09:00') }))?.reason).toBe('CONSENT_REVOKED');
    expect(dueImportEnd(imp(), facts({ consentRevokedAt: new Date('2026-03-31T23:59:59+09:00') }))).toBeNull();
    // A 本籍 import does not depend on the address one-stop consent.
    expect(dueImportEnd(imp({ source: 'HONSEKI_ONLINE', item: 'HONSEKI' }), facts({ consentRevokedAt: new Date('2026-04-02T10:00:00+09:00') }))).toBeNull();
  });

  it('R-IMP-3: the hand change is looked at first', () => {
    expect(dueImportEnd(imp(), facts({ lastHandChangeOn: '2026-04-02', cards: ['LICENSE_CARD', 'MYNA_LICENSE'] }))?.status).toBe('SUPERSEDED');
  });

  it('R-CHAR-2: each end reason reads in Japanese, naming the item, never the value', () => {
    for (const r of ['SUPERSEDED_BY_MANUAL_CHANGE', 'NOT_ELIGIBLE', 'CONSENT_REVOKED'] as const) {
      const m = importEndMessage(r, 'NAME');
      expect(m).toMatch(/氏名/);
      expect(m).not.toMatch(/[A-Za-z]{3,}/);
    }
  });
});

describe('R-ONE-5: a J-LIS notification is judged on its filing day', () => {
  const consent: FollowingConsent = {
    id: 'c',
    holderId: 'h',
    items: ['ADDRESS'],
    revokedAt: null,
    expiresOn: '2026-04-01',
    certificateNotAfter: new Date('2026-03-31T23:59:59+09:00'),
  };
  const n = (filedOn: string): JlisNotification => ({
    notificationId: 'J-1',
    kind: 'CERTIFICATE_RENEWED',
    previousSerial: 'AA',
    serial: 'BB',
    notBefore: new Date('2026-03-31T00:00:00+09:00'),
    notAfter: new Date('2031-03-31T00:00:00+09:00'),
    address: '東京都',
    filedOn,
  });

  it("R-ONE-5: filed on the consent's last valid day: scheduled, two days after the filing; filed the day after: CONSENT_EXPIRED", () => {
    const valid = { ...consent, certificateNotAfter: new Date('2027-01-01T00:00:00+09:00') };
    expect(decide(n('2026-04-01'), valid)).toMatchObject({ action: 'RENEW', effectiveOn: '2026-04-03' });
    expect(decide(n('2026-04-02'), valid)).toEqual({ action: 'SKIP', reason: 'CONSENT_EXPIRED' });
  });

  it('R-ONE-6: the followed certificate is judged on the filing day too: current through its last instant, expired the day after', () => {
    expect(decide(n('2026-03-31'), consent)).toMatchObject({ action: 'RENEW' });
    expect(decide(n('2026-04-01'), consent)).toEqual({ action: 'SKIP', reason: 'CERTIFICATE_EXPIRED_RESTART_NEEDED' });
  });

  it('R-IMP-3: a revoked consent stops a notification whenever it was revoked', () => {
    expect(decide(n('2026-03-31'), { ...consent, revokedAt: new Date('2026-04-05T00:00:00+09:00') })).toEqual({ action: 'SKIP', reason: 'CONSENT_REVOKED' });
  });
});
