import { addDays, daysInMonth, type IsoDate } from '../platform/japan-date.js';

/**
 * The last day of a period of months or years counted from the day `from` (a Japan date), as 民法 counts periods:
 * 第140条, the first day is not counted, so the period starts the next day; 第143条, a period in months or years
 * ends at the end of the day before the day corresponding to that start in the last month, and at the end of the
 * last month when it has no such day. Used for the consent's 10 years (R-ONE-2) and the identifier code's 3 months
 * (R-HON-2): the one rule for both.
 */
export function periodLastDay(from: IsoDate, length: { months?: number; years?: number }): IsoDate {
  const months = (length.months ?? 0) + 12 * (length.years ?? 0);
  if (!Number.isInteger(months) || months <= 0) throw new RangeError('a period is a positive whole number of months or years');
  const start = addDays(from, 1);
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const index = m - 1 + months;
  const year = y + Math.floor(index / 12);
  const month = (index % 12) + 1;
  const mm = String(month).padStart(2, '0');
  const last = daysInMonth(year, month);
  if (d > last) return `${year}-${mm}-${String(last).padStart(2, '0')}`;
  return addDays(`${year}-${mm}-${String(d).padStart(2, '0')}`, -1);
}

/** Whether `today` is past the period's last day: the period covers its last day whole, in Japan time. */
export function periodOver(from: IsoDate, length: { months?: number; years?: number }, today: IsoDate): boolean {
  return today > periodLastDay(from, length);
}
