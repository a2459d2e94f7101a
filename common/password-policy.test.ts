import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, DEFAULT_PASSWORD_POLICY, describePasswordPolicy } from '#common/password-policy.ts';

describe('password policy (等保 2.0 level 2)', () => {
  it('accepts eight characters of three classes that are not the username', () => {
    expect(checkPasswordPolicy('Hedian2026', 'hedian', DEFAULT_PASSWORD_POLICY)).toEqual([]);
    expect(checkPasswordPolicy('hedian-2026', 'hedian', DEFAULT_PASSWORD_POLICY)).toEqual([]);
  });

  it('names every problem in Chinese', () => {
    expect(checkPasswordPolicy('Ab1!', 'x', DEFAULT_PASSWORD_POLICY)).toEqual(['密码长度至少 8 位']);
    expect(checkPasswordPolicy('abcdefgh1', 'x', DEFAULT_PASSWORD_POLICY)).toEqual(['密码须包含大写字母、小写字母、数字、符号中的至少 3 类']);
    expect(checkPasswordPolicy('Admin-2026', 'admin-2026', DEFAULT_PASSWORD_POLICY)).toEqual(['密码不能与用户名相同']);
  });

  it('follows a configured policy', () => {
    const strict = { minLength: 12, minClasses: 4 };
    expect(checkPasswordPolicy('Hedian-2026', 'x', strict)).toEqual(['密码长度至少 12 位']);
    expect(describePasswordPolicy(strict)).toContain('至少 12 位');
  });
});
