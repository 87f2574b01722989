import { describe, expect, it } from 'vitest';
import { ExpiringCache } from '../lib/platform/expiring-cache.js';

describe('ExpiringCache (verified and signed tokens)', () => {
  it('gives a value until its moment and not from then on', () => {
    const c = new ExpiringCache<string>(10);
    c.set('a', 'A', 1_000);
    expect(c.get('a', 999)).toBe('A');
    expect(c.get('a', 1_000)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('holds at most its bound, letting the oldest go; a renewed key counts as new', () => {
    const c = new ExpiringCache<number>(3);
    for (const k of ['a', 'b', 'c']) c.set(k, 1, 10_000);
    c.set('a', 2, 10_000);
    c.set('d', 1, 10_000);
    expect(c.size).toBe(3);
    expect(c.get('b', 0)).toBeUndefined();
    expect(c.get('a', 0)).toBe(2);
    expect(c.get('c', 0)).toBe(1);
    expect(c.get('d', 0)).toBe(1);
  });
});
