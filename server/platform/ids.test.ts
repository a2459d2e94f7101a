import { describe, expect, it } from 'vitest';
import { newId } from '#server/platform/ids.ts';

describe('newId', () => {
  it('gives distinct version-7 UUIDs across many pool refills', () => {
    const ids = Array.from({ length: 5_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts by the time it was made', () => {
    const earlier = newId(Date.parse('2022-01-01T00:00:00Z'));
    const later = newId(Date.parse('2022-01-01T00:00:00.001Z'));
    expect(earlier < later).toBe(true);
    // The first 48 bits are the Unix time in milliseconds (0x017e12ef9c00 = 2022-01-01T00:00:00Z).
    expect(earlier.slice(0, 13)).toBe('017e12ef-9c00');
  });
});
