// Text hygiene for work-plan notices: what survives from a PDF or Word file is broken lines,
// page numbers, stray spaces and a mix of full- and half-width characters. Everything here is
// pure and knows nothing of the plan's structure.

/** One non-empty line of the notice, normalised, with its display width (CJK counts 2). */
export interface PlanLine {
  readonly text: string;
  readonly width: number;
}

const HAN = String.raw`\p{Script=Han}`;
// CJK punctuation, full-width forms and the curly quotes Chinese text uses: spaces next to them
// are layout, never content.
const CJK_PUNCT = String.raw`\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026\u00b7`;
const CJK = `[${HAN}${CJK_PUNCT}]`;
const WIDE = new RegExp(`[${HAN}${CJK_PUNCT}]`, 'u');

/** Display width in half-width cells: Chinese characters and full-width punctuation count 2. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}

// Full-width digits and Latin letters (typed by Chinese input methods) → half-width. Unlike
// toHalfWidth in common/quantity.ts this leaves full-width punctuation alone: `，` must stay `，`.
function halfWidthAlnum(text: string): string {
  return text
    .replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/％/g, '%')
    .replace(/(?<=\d)[．](?=\d)/g, '.');
}

// Half-width punctuation inside Chinese text (`股室,区科技`) → full-width, so the parser's
// sentence and clause rules see one form. Only next to a Chinese character, so `1,000` and
// `10:30` keep theirs. A `.` after a Chinese character (or after `%` or a closing quote, before
// Chinese or the end) ends a sentence (`开局.按照` → `开局。按照`, `达到 100%.` → `达到 100%。`);
// after a digit it is a decimal point or an item number and stays.
const HALF_TO_FULL: Record<string, string> = { ',': '，', ';': '；', ':': '：', '?': '？', '!': '！', '.': '。' };
const HALF_PUNCT_NEAR_HAN = new RegExp(`(?<=${HAN}\\s*)[,;:?!.]|(?<=[%‰”’）]\\s*)\\.(?=\\s|$|${HAN})|[,;:?!](?=\\s*${HAN})`, 'gu');

// Half-width brackets in Chinese text (`(能开则开…)`, `(一)`) → full-width, a pair at a time so a
// bracket is never left half converted.
const HALF_BRACKETS_NEAR_HAN = new RegExp(`(?<=(${HAN})?)\\(([^()]*)\\)(?=(${HAN})?)`, 'gu');
const HAS_HAN = new RegExp(HAN, 'u');

function fullWidthPunctuation(text: string): string {
  // Innermost pairs first, repeated until stable, so nested brackets convert in one call.
  let converted = text;
  for (let previous = ''; previous !== converted; ) {
    previous = converted;
    converted = converted.replace(HALF_BRACKETS_NEAR_HAN, (pair: string, before?: string, inside = '', after?: string) =>
      before || after || HAS_HAN.test(inside) ? `（${inside}）` : pair,
    );
  }
  return converted.replace(HALF_PUNCT_NEAR_HAN, (c) => HALF_TO_FULL[c] ?? c);
}

const SPACE_BETWEEN_CJK = new RegExp(`(?<=${CJK}) +(?=${CJK})`, 'gu');
const SPACE_AFTER_CJK_PUNCT = new RegExp(`(?<=[${CJK_PUNCT}]) +`, 'gu');
const SPACE_BEFORE_CJK_PUNCT = new RegExp(` +(?=[${CJK_PUNCT}])`, 'gu');
const HAN_THEN_ALNUM = new RegExp(`(?<=${HAN})(?=[A-Za-z0-9])`, 'gu');
const ALNUM_THEN_HAN = new RegExp(`(?<=[A-Za-z0-9])(?=${HAN})`, 'gu');
const PERCENT_THEN_SPACE_HAN = new RegExp(`(?<=[%‰]) +(?=${HAN})`, 'gu');

/**
 * The one spacing rule of parsed plans, applied to every title, paragraph and target:
 * exactly one space between a Chinese character and a Latin letter or digit
 * (`曾都区 2022 年度`, `增长 12%以上`, `占 GDP 比重`), no space anywhere else next to Chinese
 * text or punctuation, none inside a number and its `%` (`12 %` → `12%`), runs of spaces
 * collapsed. PDF extraction and Word's automatic CJK–Latin spacing write these spaces
 * inconsistently (`超过13%` and `超过 13%` in the same notice); one rule makes titles comparable.
 * Idempotent.
 */
export function normaliseSpacing(raw: string): string {
  let text = raw
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g, ' ');
  text = fullWidthPunctuation(halfWidthAlnum(text));
  return text
    .replace(/ {2,}/g, ' ')
    .replace(SPACE_BETWEEN_CJK, '')
    .replace(SPACE_AFTER_CJK_PUNCT, '')
    .replace(SPACE_BEFORE_CJK_PUNCT, '')
    .replace(/(?<=\d) +(?=[%‰])/g, '')
    .replace(/(?<=\d) *\. *(?=\d)/g, '.')
    .replace(PERCENT_THEN_SPACE_HAN, '')
    .replace(HAN_THEN_ALNUM, ' ')
    .replace(ALNUM_THEN_HAN, ' ')
    .trim();
}

/** Text without any whitespace, for comparing titles written with different spacing. */
export function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

// Page furniture a PDF leaves on its own line: `- 3 -`, `— 3 —`, `3`, `第 3 页 共 8 页`, `3/8`.
const PAGE_NUMBER_LINE =
  /^(?:[-—–－~]\s*\d{1,4}\s*[-—–－~]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*[/／]\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$/i;

/**
 * Split raw text into normalised non-empty lines. Form feeds (PDF page breaks) and Unicode line
 * separators are line breaks; blank lines are dropped because extracted text puts them inside
 * sentences (the seed has one after every line); page-number lines are dropped.
 */
export function toPlanLines(raw: string): PlanLine[] {
  const lines: PlanLine[] = [];
  for (const rawLine of raw.split(/\r\n|[\r\n\f\v\u2028\u2029\u0085]/)) {
    const text = normaliseSpacing(rawLine);
    if (text === '' || PAGE_NUMBER_LINE.test(text)) continue;
    lines.push({ text, width: displayWidth(text) });
  }
  return lines;
}

/**
 * Join lines of one paragraph: Chinese needs no space at a line break; two Latin words do.
 * The result is normalised, so `平台 3` + `家以上` → `平台 3 家以上`.
 */
export function joinLines(lines: readonly string[]): string {
  let joined = '';
  for (const line of lines) {
    joined += /[A-Za-z]$/.test(joined) && /^[A-Za-z]/.test(line) ? ` ${line}` : line;
  }
  return normaliseSpacing(joined);
}

const CHINESE_DIGITS: Record<string, number> = {
  〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/**
 * A Chinese numeral as used in numbering and dates: 一 → 1, 十一 → 11, 二十三 → 23, 一百 → 100,
 * and the digit-by-digit form of years 二〇二二 → 2022. Null when the text is not one.
 */
export function parseChineseNumeral(text: string): number | null {
  if (!/^[〇零一二两三四五六七八九十百]+$/.test(text)) return null;
  if (!/[十百]/.test(text)) {
    let value = 0;
    for (const char of text) value = value * 10 + (CHINESE_DIGITS[char] ?? 0);
    return value;
  }
  let total = 0;
  let current = 0;
  for (const char of text) {
    if (char === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else if (char === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else {
      current = CHINESE_DIGITS[char] ?? 0;
    }
  }
  return total + current;
}

// A line that is only a date, as under a signature: `2022 年 2 月 11 日`, `（2022年2月11日）`,
// `二〇二二年二月十一日`, `2022-02-11`, `2022.2.11`.
const DATE_LINE =
  /^[（(]?\s*([0-9〇零一二三四五六七八九]{4})\s*年\s*([0-9一二三四五六七八九十]{1,3})\s*月\s*([0-9一二三四五六七八九十]{1,3})\s*日\s*[）)]?$/;
const NUMERIC_DATE_LINE = /^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})$/;

function numeral(text: string): number | null {
  return /^\d+$/.test(text) ? Number(text) : parseChineseNumeral(text);
}

/** The ISO date (`2022-02-11`) of a line that holds nothing but a date; null otherwise. */
export function parseDateLine(line: string): string | null {
  const match = DATE_LINE.exec(line) ?? NUMERIC_DATE_LINE.exec(line);
  if (!match) return null;
  const [year, month, day] = [numeral(match[1] ?? ''), numeral(match[2] ?? ''), numeral(match[3] ?? '')];
  if (year === null || month === null || day === null) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

const OPENERS = '“‘「『（(【［《〈';
const CLOSERS = '”’」』）)】］》〉';
const SENTENCE_END = '。！？；';

/**
 * Split a paragraph into sentences at 。！？； (and line breaks). A sentence keeps its end mark
 * and any closing quote or bracket after it (`进入“数字时代。”`); a piece with no letter or
 * digit (a stray `”`) joins the sentence before it.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  const push = (piece: string): void => {
    const trimmed = piece.trim();
    if (trimmed === '') return;
    const last = sentences.length - 1;
    if (!/[\p{L}\p{N}]/u.test(trimmed) && last >= 0) sentences[last] += trimmed;
    else sentences.push(trimmed);
  };
  let current = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] ?? '';
    if (char === '\n') {
      push(current);
      current = '';
      continue;
    }
    current += char;
    if (!SENTENCE_END.includes(char)) continue;
    while (i + 1 < chars.length && (SENTENCE_END + CLOSERS).includes(chars[i + 1] ?? '')) current += chars[++i];
    push(current);
    current = '';
  }
  push(current);
  return sentences;
}

/**
 * Split text at the given separator characters, but not inside brackets or quotes:
 * `通过创新型县（市、区）验收评审，力争…` splits at the `，` only. Unbalanced marks (a quote
 * lost in extraction) only stop splitting until the end of the text. Separators are dropped.
 */
export function splitOutsideBrackets(text: string, separators: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (OPENERS.includes(char)) depth++;
    else if (CLOSERS.includes(char)) depth = Math.max(0, depth - 1);
    else if (char === '"') depth = depth > 0 ? depth - 1 : depth + 1;
    if (depth === 0 && separators.includes(char)) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}
