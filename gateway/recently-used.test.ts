import { describe, expect, it } from 'vitest';
import { RecentlyUsed } from './recently-used.ts';

describe('RecentlyUsed', () => {
  it('drops the entry used least recently once full; a get counts as a use', () => {
    const m = new RecentlyUsed<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1);
    m.set('c', 3);
    expect([...m.keys()]).toEqual(['a', 'c']);
    expect(m.get('b')).toBeUndefined();
    m.set('a', 10);
    expect(m.size).toBe(2);
    expect([...m.keys()]).toEqual(['c', 'a']);
    m.delete('c');
    expect([...m.keys()]).toEqual(['a']);
    m.clear();
    expect(m.size).toBe(0);
  });

  it('refuses a capacity below one', () => {
    expect(() => new RecentlyUsed(0)).toThrow(/at least 1/);
  });
});
