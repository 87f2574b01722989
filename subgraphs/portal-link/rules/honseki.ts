/** R-HON-1: a 戸籍電子証明書提供用識別符号 is 16 digits. */
export const isIdentifierCode = (code: string) => /^[0-9]{16}$/.test(code);

/** R-HON-1 / R-ELIG-2: who may submit a code, as the refusal code for those who may not (null: may). */
export function honsekiRefusal(holder: { holdingForm: string; signatureCertificate: unknown; portalLink: unknown }): string | null {
  if (holder.holdingForm === 'MYNA_HISTORY_ONLY') return 'HISTORY_CERTIFICATE_NOT_COVERED';
  if (holder.holdingForm === 'BOTH' || holder.holdingForm === 'LICENSE_CARD_ONLY') return 'HOLDS_LICENSE_CARD';
  if (holder.holdingForm !== 'MYNA_LICENSE_ONLY') return 'NOT_MYNA_CARD_HOLDER';
  if (!holder.signatureCertificate) return 'SIGNATURE_CERTIFICATE_NOT_SUBMITTED';
  if (!holder.portalLink) return 'PORTAL_NOT_LINKED';
  return null;
}

/**
 * When to try the registry again after it could not be reached: 30 s doubling to a 4-minute ceiling, so a
 * request submitted during a short outage is still applied well inside the notice's 20 minutes (R-HON-2).
 */
export function retryDelayMs(attempts: number): number {
  return Math.min(240_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}
