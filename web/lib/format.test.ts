import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { beijingHour, formatDate, formatDateTime, formatJson, toDateParam } from '#web/lib/format.ts';

describe('format', () => {
  it('shows instants in Beijing time whatever the zone of the browser', () => {
    expect(formatDateTime('2026-11-27T16:30:05.000Z')).toBe('2026-11-28 00:30:05');
    expect(formatDate('2026-11-27T16:30:05.000Z')).toBe('2026-11-28');
    expect(beijingHour(new Date('2026-11-27T16:30:05.000Z'))).toBe(0);
  });

  it('shows a dash for missing or broken values', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
    expect(formatJson(null)).toBe('—');
  });

  it('turns a picked date into the API date parameter', () => {
    expect(toDateParam(dayjs('2026-03-05'))).toBe('2026-03-05');
    expect(toDateParam(null)).toBeUndefined();
  });
});
