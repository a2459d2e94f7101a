import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asciiJson } from '#server/platform/ascii-json.ts';

describe('asciiJson', () => {
  it('writes Chinese names as escapes that parse back to the same names', () => {
    const value = { unit: { name: '西城街道' }, chain: '专汽及零部件', growthPct: 3.7775637922033716, state: null };
    const text = asciiJson(value);
    expect(text).toContain('\\u897f\\u57ce');
    expect(text).not.toMatch(/[^\x20-\x7e]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('keeps characters outside the BMP as two escapes (a surrogate pair)', () => {
    const text = asciiJson({ name: '𠀀企业😀' });
    expect(text).toBe('{"name":"\\ud840\\udc00\\u4f01\\u4e1a\\ud83d\\ude00"}');
    expect(JSON.parse(text)).toEqual({ name: '𠀀企业😀' });
  });

  it('parses to exactly what JSON.stringify would give, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        const text = asciiJson(value);
        expect([...text].every((ch) => ch.charCodeAt(0) < 0x80)).toBe(true);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
