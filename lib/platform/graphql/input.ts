import { invalidArgument } from '../errors.js';
import { isPrefectureCode } from '../identity/roles.js';

/** Myna Portal pseudonyms are opaque tokens; this bounds their shape so junk never reaches a query. */
export const PSEUDONYM_RE = /^[A-Za-z0-9_-]{8,128}$/;
export const PSEUDONYM_RULE = 'マイナポータルの仮名は、英数字、「_」又は「-」の8～128文字です';
/** A certificate serial number (発行番号) as J-LIS and the certificates write it. */
export const SERIAL_RE = /^[0-9A-Fa-f]{1,40}$/;
/** Identifiers given by other systems (J-LIS notification ids, terms versions): 1–64 visible ASCII characters. */
export const EXTERNAL_ID_RE = /^[\x21-\x7e]{1,64}$/;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const LICENSE_NUMBER_RE = /^[0-9]{12}$/;

/** Argument parsers for query fields: a malformed value is a top-level INVALID_INPUT naming the argument. */
export const isUuid = (value: string) => UUID_RE.test(value);
export const isLicenseNumber = (value: string) => LICENSE_NUMBER_RE.test(value);

export function parseId(value: string, argument: string): string {
  if (!isUuid(value)) throw invalidArgument(argument, 'must be a holder id (a UUID)');
  return value.toLowerCase();
}

export function parseLicenseNumber(value: string, argument: string): string {
  if (!isLicenseNumber(value)) throw invalidArgument(argument, 'must be a licence number of 12 digits');
  return value;
}

export function parsePrefecture(value: string, argument: string): string {
  if (!isPrefectureCode(value)) throw invalidArgument(argument, 'must be a prefecture code "01"–"47"');
  return value;
}
