// Free text as people type or paste it. Most characters are kept verbatim (HTML, SQL fragments,
// RTL marks, emoji: they are data); two kinds cannot be: NUL and other C0 control characters
// (PostgreSQL refuses NUL, and they are invisible in every UI), and lone UTF-16 surrogates
// (not a character at all; they cannot be encoded as UTF-8).

// Tab, line feed and carriage return are ordinary in addresses pasted from elsewhere.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cannot be stored, in Chinese, or null when it can. */
export function textProblem(value: string): string | null {
  if (CONTROL.test(value)) return '含有不可见的控制字符，请删除后重新填写';
  if (LONE_SURROGATE.test(value)) return '含有无法识别的字符（不完整的 Unicode 编码），请重新输入';
  return null;
}

/** Whether a text can be stored as is. */
export function isStorableText(value: string): boolean {
  return textProblem(value) === null;
}
