/**
 * Splits a J-LIS file into lanes that can be sent concurrently without changing any outcome. The only order the
 * server depends on is along a certificate chain: a renewal moves a consent from `previousSerial` to `serial`, and a
 * later line about `serial` must see that. So every line of one chain goes to one lane, in file order, and lanes never
 * share a serial. A line that would join two chains already in different lanes (a serial renewed twice, or renewed
 * to a serial seen before) is a barrier: everything before it is sent first.
 */
export class JlisLanes {
  private readonly laneOf = new Map<string, number>();

  /** Past this many serials, the next barrier forgets them all, so a file of any length runs in bounded memory. */
  constructor(
    readonly count: number,
    private readonly maxRemembered = 1_000_000,
  ) {}

  /** The lane for the line, or 'barrier' when it may only be sent after everything before it. */
  assign(line: { previousSerial: string; serial?: string | null }): number | 'barrier' {
    // Serials are compared as the server stores them.
    const previous = line.previousSerial.toUpperCase();
    const next = line.serial?.toUpperCase();
    const from = this.laneOf.get(previous);
    const to = next ? this.laneOf.get(next) : undefined;
    if (from !== undefined && to !== undefined && from !== to) return 'barrier';
    if (this.laneOf.size >= this.maxRemembered) return 'barrier';
    const lane = from ?? to ?? hashLane(previous, this.count);
    this.laneOf.set(previous, lane);
    if (next) this.laneOf.set(next, lane);
    return lane;
  }

  /** After a barrier every lane is empty, so what was remembered no longer constrains anything. */
  reset(): void {
    this.laneOf.clear();
  }
}

/** FNV-1a: stable across runs, so a rerun of a file spreads its lines the same way. */
function hashLane(key: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % count;
}
