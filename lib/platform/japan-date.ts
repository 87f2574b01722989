/**
 * Calendar dates as the notice counts them: Japan local dates ("YYYY-MM-DD"), independent of the server's zone.
 * Japan has no daylight saving time, so a fixed +09:00 offset is exact.
 */
const JST_OFFSET_MS = 9 * 3_600_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type IsoDate = string;

export function isValidIsoDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

/**
 * The dates the graph takes at all (DOMAIN-NOTES.md, Input): nobody in the record was born before 1900, and no period
 * here reaches past 2199 (a consent's 10 years, a certificate's 5). Outside it a date is a typing error or a probe,
 * and year 0000, which Postgres has no day for, never reaches the database.
 */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2199-12-31';

/** A valid calendar date inside the range the graph takes. */
export function isDateInRange(value: string): boolean {
  return isValidIsoDate(value) && value >= EARLIEST_DATE && value <= LATEST_DATE;
}

/** An instant inside the same range of Japan calendar days. */
export function isInstantInRange(instant: Date): boolean {
  const t = instant.getTime();
  return t >= startOfJapanDay(EARLIEST_DATE).getTime() && t < startOfJapanDay(addDays(LATEST_DATE, 1)).getTime();
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The Japan calendar date of an instant. */
export function japanDate(instant: Date): IsoDate {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The instant a Japan calendar day starts. */
export function startOfJapanDay(date: IsoDate): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - JST_OFFSET_MS);
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
