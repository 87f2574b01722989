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
