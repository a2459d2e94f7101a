// 统一社会信用代码 (GB 32100-2015), the enterprise identifier on every business licence.
// Rules and test vectors: shared/reference/criteria.md §1.
import { toHalfWidth } from './quantity.ts';

// The 31 characters of GB 32100; a character's value is its index. I, O, S, V, Z are left out
// because they are easily confused with 1, 0, 5, U and 2.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// W_i = 3^(i−1) mod 31 for positions 1–17.
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
// GB 11714 uses the full alphabet (A = 10 … Z = 35), not the USCC table (§1.5).
const ORG_CODE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * The 18th character (mod-31 check) of a USCC, from its first 17 characters.
 * Throws RangeError unless given exactly 17 characters of the USCC alphabet.
 */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError('usccCheckCharacter: expected 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = USCC_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`usccCheckCharacter: '${first17.charAt(i)}' is not a USCC character`);
    sum += value * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * The check character (9th) of a 组织机构代码 (GB 11714) from its 8-character body; inside a USCC
 * the body is positions 9–16 and the check is position 17. Result is 0–9 or 'X'.
 * Throws RangeError unless given exactly 8 digits or upper-case letters.
 */
export function orgCodeCheckCharacter(body8: string): string {
  if (body8.length !== 8) throw new RangeError('orgCodeCheckCharacter: expected 8 characters');
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    const value = ORG_CODE_ALPHABET.indexOf(body8.charAt(i));
    if (value < 0) throw new RangeError(`orgCodeCheckCharacter: '${body8.charAt(i)}' is not 0-9 or A-Z`);
    sum += value * (ORG_CODE_WEIGHTS[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** 18 characters of the GB 32100 set, positions 3–8 digits: a code in which validateUscc finds no error. */
const WELL_FORMED_USCC = /^[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$/;

/**
 * Whether a code as given (already normalised: no spaces, upper case, half-width) has none of
 * validateUscc's errors. Its check-character warnings are not looked at: an import that only
 * needs to know whether a code can be right skips building them for 20,000 rows.
 */
export function isWellFormedUscc(code: string): boolean {
  return WELL_FORMED_USCC.test(code);
}

/** Outcome of checking a USCC: the normalised code, blocking errors and advisory warnings. */
export interface UsccValidation {
  /** Trimmed, upper-cased, full-width characters made half-width: the form to store. */
  uscc: string;
  /** The code cannot be right (length, characters); it must be corrected before saving. */
  errors: string[];
  /** A check character does not match; some legally issued codes do this, so it is saved after a look. */
  warnings: string[];
}

function describeBadCharacter(character: string, position: number): string {
  const hint: Record<string, string> = { O: '，是否应为数字 0', I: '，是否应为数字 1', Z: '，是否应为数字 2', S: '，是否应为数字 5', V: '，是否应为字母 U' };
  return `第${position}位「${character}」${hint[character] ?? ''}`;
}

/**
 * Check a 统一社会信用代码 as typed by a clerk. Wrong length, or characters outside the GB 32100
 * set, are errors. A failed mod-31 check (position 18) or a failed embedded 组织机构代码 check
 * (position 17) is only a warning: early pilot codes that fail are still legally valid (§1.7).
 */
export function validateUscc(input: string): UsccValidation {
  const uscc = toHalfWidth(input).trim().toUpperCase();
  const errors: string[] = [];
  const warnings: string[] = [];
  if (uscc === '') return { uscc, errors: ['请填写统一社会信用代码（18位，见营业执照）'], warnings };

  const characters = Array.from(uscc);
  if (characters.length !== 18) {
    errors.push(`统一社会信用代码应为18位，当前为${characters.length}位，请对照营业执照核对`);
  }
  const badCharacters = characters.flatMap((character, index) =>
    USCC_ALPHABET.includes(character) ? [] : [describeBadCharacter(character === ' ' ? '空格' : character, index + 1)],
  );
  if (badCharacters.length > 0) {
    errors.push(`统一社会信用代码含不允许的字符：${badCharacters.join('、')}；代码只用数字和除 I、O、S、V、Z 以外的大写字母`);
  }
  // Positions 3–8 are the registering authority's GB/T 2260 county code, always digits.
  const regionBad = characters.slice(2, 8).some((character) => USCC_ALPHABET.includes(character) && !/\d/.test(character));
  if (regionBad) errors.push('统一社会信用代码第3–8位是登记机关行政区划码，应全为数字，请核对');
  if (errors.length > 0) return { uscc, errors, warnings };

  const expectedOrgCheck = orgCodeCheckCharacter(uscc.slice(8, 16));
  if (uscc.charAt(16) !== expectedOrgCheck) {
    warnings.push(
      `统一社会信用代码第9–17位（组织机构代码）校验不符：按第9–16位计算，第17位应为「${expectedOrgCheck}」，实为「${uscc.charAt(16)}」。请对照营业执照核对；若与执照一致可照常保存`,
    );
  }
  const expectedCheck = usccCheckCharacter(uscc.slice(0, 17));
  if (uscc.charAt(17) !== expectedCheck) {
    warnings.push(
      `统一社会信用代码校验位不符：按前17位计算，第18位应为「${expectedCheck}」，实为「${uscc.charAt(17)}」。请对照营业执照逐位核对；少数早期试点地区的代码属合法例外，若与执照一致可照常保存`,
    );
  }
  return { uscc, errors, warnings };
}
