import { describe, expect, it } from 'vitest';
import { CERTIFICATE_MESSAGES } from '../lib/domain/certificates/verify.js';
import { PSEUDONYM_RULE } from '../lib/platform/graphql/input.js';
import { FORBIDDEN_TEXT_MESSAGE } from '../lib/platform/graphql/text-arguments.js';
import { REASONS, type ReasonCode } from '../subgraphs/driver/rules/eligibility.js';
import { HONSEKI_REFUSAL_MESSAGES } from '../subgraphs/portal-link/rules/honseki.js';

/** Kana or kanji: a message a clerk reads is written in them, however many codes or digits it also names. */
const JAPANESE = /[\u3041-\u30ff\u4e00-\u9fff]/;
/** The notice writes of a person as 者; 方 (honorific) and English words do not belong in a clerk's message. */
const NOT_NOTICE_TERMS = /(する|有する|保有する|の)方|[A-Za-z]{4,}(?<!JIS)/;

describe('R-CHAR-2: what a clerk reads is Japanese in the notice’s terms', () => {
  it('R-CHAR-2: every eligibility reason names what the holder must do next, in the notice’s words', () => {
    for (const [code, { message }] of Object.entries(REASONS) as [ReasonCode, { message: string }][]) {
      expect(message, code).toMatch(JAPANESE);
      expect(message.replace('JIS X 0208', ''), code).not.toMatch(NOT_NOTICE_TERMS);
    }
    // The certificate by its full name; after revocation a new certificate and the 住所地公安委員会 meanwhile.
    expect(REASONS.SIGNATURE_CERTIFICATE_NOT_SUBMITTED.message).toContain('個人番号カード用署名用電子証明書');
    expect(REASONS.SIGNATURE_CERTIFICATE_REVOKED_AWAITING_NEW.message).toMatch(/新たな署名用電子証明書の発行.*住所地公安委員会/);
    expect(REASONS.SIGNATURE_CERTIFICATE_EXPIRED.message).toMatch(/免許センター等又はマイナポータル/);
    expect(REASONS.CONSENT_EXPIRED.message).toContain('住所変更ワンストップサービス等');
    expect(REASONS.HISTORY_CERTIFICATE_NOT_COVERED.message).toContain('者');
  });

  it('R-CHAR-2: refusals shared by the procedures are Japanese', () => {
    for (const m of [...Object.values(CERTIFICATE_MESSAGES), ...Object.values(HONSEKI_REFUSAL_MESSAGES), PSEUDONYM_RULE, FORBIDDEN_TEXT_MESSAGE]) {
      expect(m).toMatch(JAPANESE);
      expect(m).not.toMatch(NOT_NOTICE_TERMS);
    }
  });
});
