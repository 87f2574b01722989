import { describe, expect, it } from 'vitest';
import { JlisLanes } from '../workers/jlis-lanes.js';

describe('J-LIS lanes (R-ONE-7: concurrent batches change no outcome)', () => {
  it('keeps every line of a certificate chain in one lane, whatever the case of the serials', () => {
    const lanes = new JlisLanes(4);
    const first = lanes.assign({ previousSerial: 'a1', serial: 'B2' });
    expect(lanes.assign({ previousSerial: 'b2', serial: 'C3' })).toBe(first);
    expect(lanes.assign({ previousSerial: 'C3' })).toBe(first);
  });

  it('spreads unrelated chains over the lanes, the same way on every run', () => {
    const spread = (lanes: JlisLanes) => Array.from({ length: 200 }, (_, i) => lanes.assign({ previousSerial: `S${i}` }));
    const once = spread(new JlisLanes(2));
    expect(new Set(once)).toEqual(new Set([0, 1]));
    expect(spread(new JlisLanes(2))).toEqual(once);
  });

  it('asks for a barrier when a line joins two chains in different lanes, then places it after the reset', () => {
    const lanes = new JlisLanes(2);
    const serials = Array.from({ length: 50 }, (_, i) => `S${i}`);
    const laneOf = new Map(serials.map((s) => [s, lanes.assign({ previousSerial: s })]));
    const [x, y] = [serials.find((s) => laneOf.get(s) === 0)!, serials.find((s) => laneOf.get(s) === 1)!];
    expect(lanes.assign({ previousSerial: x, serial: y })).toBe('barrier');
    lanes.reset();
    expect(lanes.assign({ previousSerial: x, serial: y })).toEqual(expect.any(Number));
  });

  it('asks for a barrier once it remembers too many serials, so memory stays bounded', () => {
    const lanes = new JlisLanes(2, 10);
    const results = Array.from({ length: 6 }, (_, i) => lanes.assign({ previousSerial: `P${i}`, serial: `N${i}` }));
    expect(results.slice(0, 5).every((r) => typeof r === 'number')).toBe(true);
    expect(results[5]).toBe('barrier');
  });

  it('with one lane, everything is in file order in lane 0', () => {
    const lanes = new JlisLanes(1);
    expect([lanes.assign({ previousSerial: 'X' }), lanes.assign({ previousSerial: 'Y', serial: 'Z' })]).toEqual([0, 0]);
  });
});
