import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isWellFormedUscc, orgCodeCheckCharacter, usccCheckCharacter, validateUscc } from './uscc.ts';

// criteria.md §1.6: public test vectors and synthetic 曾都区 codes; both checks pass.
const VALID_CODES = [
  '91350100M000100Y43',
  '91310230MA1K314J7C',
  '91310230MA1K314K57',
  '91421303MA48YD010M',
  '91421303MA49PK7K1T',
  '9142130370694X3L39',
];
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Replace the character at a 1-based position with the next one in the USCC alphabet. */
function mutate(code: string, position: number): string {
  const current = code.charAt(position - 1);
  const pool = position >= 3 && position <= 8 ? '0123456789' : ALPHABET;
  const next = pool.charAt((pool.indexOf(current) + 1) % pool.length);
  return code.slice(0, position - 1) + next + code.slice(position);
}

describe('validateUscc: valid codes', () => {
  it.each(VALID_CODES)('%s passes with no errors and no warnings', (code) => {
    expect(validateUscc(code)).toEqual({ uscc: code, errors: [], warnings: [] });
  });

  it('normalises spaces, lower case and full-width characters', () => {
    expect(validateUscc('  91421303ma48yd010m \n')).toEqual({ uscc: '91421303MA48YD010M', errors: [], warnings: [] });
    expect(validateUscc('９１４２１３０３ＭＡ４８ＹＤ０１０Ｍ\u3000').uscc).toBe('91421303MA48YD010M');
    expect(validateUscc('９１４２１３０３ＭＡ４８ＹＤ０１０Ｍ').warnings).toEqual([]);
  });

  it('computes the check characters of the examples', () => {
    expect(usccCheckCharacter('91310230MA1K314J7')).toBe('C');
    expect(orgCodeCheckCharacter('MA1K314J')).toBe('7');
    expect(orgCodeCheckCharacter('70694X3L')).toBe('3');
  });

  it('maps an org-code check of 10 to X and of 11 to 0', () => {
    // Weights 3 7 9 10 5 8 4 2: the sums below are 0, 2, 4, 10 and 12 (≡ 1 mod 11).
    expect(orgCodeCheckCharacter('00000000')).toBe('0'); // 11 − 0 = 11 → '0'
    expect(orgCodeCheckCharacter('00000001')).toBe('9');
    expect(orgCodeCheckCharacter('00000010')).toBe('7');
    expect(orgCodeCheckCharacter('00000005')).toBe('1');
    expect(orgCodeCheckCharacter('00000006')).toBe('X'); // 11 − 1 = 10 → 'X'
  });
});

describe('validateUscc: check characters are warnings', () => {
  it('keeps the legally valid Fujian pilot codes, warning that the mod-31 check fails', () => {
    for (const [code, expected] of [
      ['91350100M0001TGQXM', '1'],
      ['91350211M0000XUF46', 'R'],
      ['91350203M0001FUE2P', 'J'],
    ] as const) {
      const result = validateUscc(code);
      expect(result.errors).toEqual([]);
      expect(result.warnings.some((w) => w.includes('第18位应为') && w.includes(`「${expected}」`))).toBe(true);
    }
  });

  it('flags a changed 18th character with only the mod-31 warning', () => {
    const result = validateUscc('91421303MA48YD010N');
    expect(result.errors).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('第18位应为「M」，实为「N」');
  });

  it('flags a changed 17th character with both warnings', () => {
    const result = validateUscc('91310230MA1K314J8C');
    expect(result.errors).toEqual([]);
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toContain('第17位应为「7」，实为「8」');
    expect(result.warnings[1]).toContain('第18位');
  });

  it('detects every single-character substitution in every example', () => {
    for (const code of VALID_CODES) {
      for (let position = 1; position <= 18; position += 1) {
        const result = validateUscc(mutate(code, position));
        expect(result.errors, `${code} @${position}`).toEqual([]);
        expect(result.warnings.some((w) => w.includes('第18位')), `${code} @${position}`).toBe(true);
        const orgWarned = result.warnings.some((w) => w.includes('组织机构代码'));
        // Positions 9–16 feed the org check; a change there may or may not collide (mod 11), so only 17 is certain.
        if (position === 17) expect(orgWarned).toBe(true);
        if (position <= 8 || position === 18) expect(orgWarned).toBe(false);
      }
    }
  });
});

describe('validateUscc: errors', () => {
  it('refuses an empty input', () => {
    expect(validateUscc('   ').errors).toEqual(['请填写统一社会信用代码（18位，见营业执照）']);
  });

  it('refuses a wrong length, saying how long it is', () => {
    const short = validateUscc('91421303MA48YD010');
    expect(short.errors).toEqual(['统一社会信用代码应为18位，当前为17位，请对照营业执照核对']);
    expect(short.warnings).toEqual([]);
    expect(validateUscc('91421303MA48YD010MM').errors[0]).toContain('当前为19位');
  });

  it.each([
    ['91421303MA48YDO10M', '第15位「O」，是否应为数字 0'],
    ['91421303MA48YD01IM', '第17位「I」，是否应为数字 1'],
    ['91421303MA48ZD010M', '第13位「Z」'],
    ['91421303MA48SD010M', '第13位「S」'],
    ['91421303MA48VD010M', '第13位「V」'],
    ['91421303MA48-D010M', '第13位「-」'],
    ['91421303MA48 D010M', '第13位「空格」'],
  ])('refuses %s for a character outside the set', (code, fragment) => {
    const result = validateUscc(code);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(fragment);
    expect(result.warnings).toEqual([]);
  });

  it('refuses letters in the administrative-division part (positions 3–8)', () => {
    expect(validateUscc('9142A303MA48YD010M').errors).toEqual(['统一社会信用代码第3–8位是登记机关行政区划码，应全为数字，请核对']);
  });

  it('reports length and characters together', () => {
    expect(validateUscc('9142O303').errors).toHaveLength(2);
  });
});

describe('validateUscc: properties', () => {
  const usccCharacter = fc.constantFrom(...ALPHABET);
  const digit = fc.constantFrom(...'0123456789');
  const first17 = fc
    .tuple(fc.array(usccCharacter, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 6, maxLength: 6 }), fc.array(usccCharacter, { minLength: 9, maxLength: 9 }))
    .map(([a, b, c]) => [...a, ...b, ...c].join(''));

  it('accepts any 17 valid characters with the computed check character, without a mod-31 warning', () => {
    fc.assert(
      fc.property(first17, (head) => {
        const result = validateUscc(head + usccCheckCharacter(head));
        expect(result.errors).toEqual([]);
        expect(result.warnings.filter((w) => w.includes('第18位'))).toEqual([]);
      }),
    );
  });

  it('has no warning at all when both check characters are computed', () => {
    fc.assert(
      fc.property(first17, (head) => {
        const orgCheck = orgCodeCheckCharacter(head.slice(8, 16));
        const withOrg = head.slice(0, 16) + orgCheck;
        expect(validateUscc(withOrg + usccCheckCharacter(withOrg))).toMatchObject({ errors: [], warnings: [] });
      }),
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (input) => {
        const result = validateUscc(input);
        expect(Array.isArray(result.errors)).toBe(true);
      }),
    );
    fc.assert(fc.property(fc.string({ minLength: 18, maxLength: 18 }), (input) => void validateUscc(input)));
  });
});

describe('isWellFormedUscc', () => {
  it('agrees with validateUscc on every normalised code: well formed exactly when it finds no error', () => {
    // Valid codes with a few characters replaced (any letter or digit, a dash) and maybe cut or lengthened.
    const characters = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-'];
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID_CODES),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 17 }), fc.constantFrom(...characters)), { maxLength: 3 }),
        fc.constantFrom('', 'cut', 'longer'),
        (valid, changes, length) => {
          const chars = [...valid];
          for (const [at, character] of changes) chars[at] = character;
          const code = length === 'cut' ? chars.slice(0, 17).join('') : length === 'longer' ? `${chars.join('')}1` : chars.join('');
          const checked = validateUscc(code);
          if (checked.uscc !== code) return; // not normalised: the caller normalises first
          expect(isWellFormedUscc(code)).toBe(checked.errors.length === 0);
        },
      ),
      { numRuns: 3000 },
    );
    for (const code of VALID_CODES) expect(isWellFormedUscc(code)).toBe(true);
    // A failed check character is a warning, not an error.
    expect(isWellFormedUscc(mutate(VALID_CODES[0]!, 18))).toBe(true);
    expect(isWellFormedUscc('91421303MA48YD01OM')).toBe(false);
  });
});
