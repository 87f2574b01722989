import { readFileSync } from 'node:fs';
import type { Config } from '../../platform/config.js';
import { ensureDevCa } from './dev-ca.js';
import { trustStoreFromPem, type TrustStore } from './verify.js';

/** The configured J-LIS anchors; outside production, the dev CA under DATA_DIR (created on first use) as well. */
export async function loadTrustStore(cfg: Pick<Config, 'NODE_ENV' | 'JLIS_TRUST_ANCHORS_FILE' | 'DATA_DIR'>): Promise<TrustStore> {
  let bundle = cfg.JLIS_TRUST_ANCHORS_FILE ? readFileSync(cfg.JLIS_TRUST_ANCHORS_FILE, 'utf8') : '';
  if (cfg.NODE_ENV !== 'production') bundle += (await ensureDevCa(cfg.DATA_DIR)).certPem;
  const trust = trustStoreFromPem(bundle);
  if (trust.anchors.length === 0) throw new Error('no J-LIS trust anchor is configured (JLIS_TRUST_ANCHORS_FILE)');
  return trust;
}
