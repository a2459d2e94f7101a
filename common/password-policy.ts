/**
 * The password policy GB/T 22239 (等保 2.0) level 2 expects: a minimum length, several character
 * classes, not the username. Configured on the server; the web app receives the same
 * numbers (GET /api/auth/me) and checks with this same function, the server having the last word.
 */
export type PasswordPolicy = { minLength: number; minClasses: number };

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 8, minClasses: 3 };

/** Problems of a password in Chinese; empty when it passes. */
export function checkPasswordPolicy(password: string, username: string, policy: PasswordPolicy): string[] {
  const problems: string[] = [];
  if ([...password].length < policy.minLength) problems.push(`密码长度至少 ${policy.minLength} 位`);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < policy.minClasses) problems.push(`密码须包含大写字母、小写字母、数字、符号中的至少 ${policy.minClasses} 类`);
  if (username && password.toLowerCase() === username.toLowerCase()) problems.push('密码不能与用户名相同');
  return problems;
}

/** The policy as a one-line hint for forms. */
export function describePasswordPolicy(policy: PasswordPolicy): string {
  return `至少 ${policy.minLength} 位，含大写字母、小写字母、数字、符号中的至少 ${policy.minClasses} 类，不能与用户名相同`;
}
