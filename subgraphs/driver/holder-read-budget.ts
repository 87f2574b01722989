/**
 * Bulk-harvesting guard: how many distinct holders one identity may read in a window (OWASP API6). Re-reading a
 * holder already read in the window is free, so a clerk's normal work never meets it. Kept per process, in memory:
 * with N driver processes behind a balancer an identity gets at most N times the budget (docs/security.md).
 */
export class HolderReadBudget {
  private readonly windows = new Map<string, { start: number; seen: Set<string> }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** True when `subject` may read `holderId` now; records the read. */
  admit(subject: string, holderId: string, now: Date): boolean {
    const t = now.getTime();
    let w = this.windows.get(subject);
    if (!w || t - w.start >= this.windowMs) {
      w = { start: t, seen: new Set() };
      this.windows.set(subject, w);
      if (this.windows.size > 10_000) this.evictExpired(t);
    }
    if (w.seen.has(holderId)) return true;
    if (w.seen.size >= this.limit) return false;
    w.seen.add(holderId);
    return true;
  }

  private evictExpired(t: number): void {
    for (const [subject, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(subject);
  }
}
