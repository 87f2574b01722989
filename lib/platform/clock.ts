/**
 * "Now" is injected everywhere so tests and demos can move time (APP_NOW); all calendar arithmetic happens in
 * Japan time because the notice's periods and effective days are Japanese calendar days.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new RangeError('fixedClock needs a valid instant');
  return { now: () => new Date(instant) };
}

/** A clock that can be moved by tests. */
export function manualClock(at: Date | string): Clock & { set(at: Date | string): void; advanceDays(days: number): void } {
  let instant = new Date(at);
  return {
    now: () => new Date(instant),
    set(next) {
      instant = new Date(next);
    },
    advanceDays(days) {
      instant = new Date(instant.getTime() + days * 86_400_000);
    },
  };
}

export function clockFromConfig(appNow: string | undefined): Clock {
  return appNow ? fixedClock(appNow) : systemClock;
}
