import { describe, expect, it } from 'vitest';
import type { Case } from '../entities/case.ts';
import { acceptanceDate } from './case-decisions.ts';

describe('acceptance date', () => {
  const received = { receivedOn: '2026-09-28' } as Case;
  it('is today while a correction could still be notified', () => {
    // 5 working days after Mon 2026-09-28: Sep 29, 30, then Oct 1–7 off, Oct 8, 9, 10 (adjusted Saturday) → Oct 10.
    expect(acceptanceDate(received, '2026-09-30')).toBe('2026-09-30');
    expect(acceptanceDate(received, '2026-10-10')).toBe('2026-10-10');
  });
  it('goes back to the day of receipt once the 5 working days have passed (行政许可法 §32)', () => {
    expect(acceptanceDate(received, '2026-10-12')).toBe('2026-09-28');
  });
});
