// How a work-plan notice is laid out: numbering markers at the start of a line, section labels
// (整体展望：, 主要目标：) and whether the lines are hard-wrapped (PDF) or one per paragraph (Word).
import { parseChineseNumeral, type PlanLine } from './plan.text.ts';

/** The numbering styles of items inside a group. */
export type ItemStyle = 'arabic-dot' | 'arabic-comma' | 'paren-han' | 'paren-arabic';

/** A numbering marker at the start of a line and the text after it. */
export interface Marker {
  readonly number: number;
  readonly label: string;
  readonly rest: string;
}

// `一、围绕目标任务抓运行调度` (also `一．`, and `一.` which normalisation turned into `一。`).
// Not `二、三产业融合`: a numeral right after the marker means an enumeration that happens to
// start a wrapped line.
const GROUP_MARKER = /^([一二三四五六七八九十]{1,3})\s*[、.．。]\s*(.*)$/u;
const ENUMERATION_AFTER = /^[一二三四五六七八九十](?:[、，]|产)/u;

// `5.抓好…` or `5．`, but not a decimal (`1.7%` when a line breaks before it).
const ARABIC_DOT = /^(\d{1,3})\s*[.．](?!\d)\s*(.*)$/u;
// `5、抓好…`
const ARABIC_COMMA = /^(\d{1,3})\s*、\s*(.*)$/u;
// `（一）抓好…`, half-width brackets too; an occasional `（一）、` is tolerated.
const PAREN_HAN = /^([（(]\s*([一二三四五六七八九十]{1,3})\s*[）)])\s*[、.．]?\s*(.*)$/u;
// `（1）抓好…`
const PAREN_ARABIC = /^([（(]\s*(\d{1,3})\s*[）)])\s*[、.．]?\s*(.*)$/u;

/** A group heading (`一、…`) at the start of a line, or null. */
export function matchGroupMarker(text: string): Marker | null {
  const match = GROUP_MARKER.exec(text);
  if (!match) return null;
  const [, label = '', rest = ''] = match;
  const number = parseChineseNumeral(label);
  if (number === null || ENUMERATION_AFTER.test(rest)) return null;
  return { number, label, rest };
}

/** An item marker of the given style at the start of a line, or null. */
export function matchItemMarker(text: string, style: ItemStyle): Marker | null {
  switch (style) {
    case 'arabic-dot':
    case 'arabic-comma': {
      const match = (style === 'arabic-dot' ? ARABIC_DOT : ARABIC_COMMA).exec(text);
      if (!match) return null;
      return { number: Number(match[1]), label: match[1] ?? '', rest: match[2] ?? '' };
    }
    case 'paren-han':
    case 'paren-arabic': {
      const match = (style === 'paren-han' ? PAREN_HAN : PAREN_ARABIC).exec(text);
      if (!match) return null;
      const number = style === 'paren-han' ? parseChineseNumeral(match[2] ?? '') : Number(match[2]);
      return number === null ? null : { number, label: (match[1] ?? '').replace(/\s+/g, ''), rest: match[3] ?? '' };
    }
  }
}

/** The item styles, most common first. */
export const ITEM_STYLES: readonly ItemStyle[] = ['arabic-dot', 'paren-han', 'arabic-comma', 'paren-arabic'];

// Section names of the opening paragraphs, as a label (`整体展望：…`), a heading line of their own
// (`主要目标`) or a group title (`一、总体要求`).
const OVERVIEW_NAMES = '总体要求|指导思想|整体展望|总体思路|工作思路|基本思路|总体考虑|总体形势|形势分析';
const MAIN_TARGET_NAMES = '主要目标|主要指标|主要预期目标|预期目标|目标任务|工作目标|发展目标|总体目标|年度目标|主要任务目标';
const LABEL = new RegExp(`^(${OVERVIEW_NAMES}|${MAIN_TARGET_NAMES})(?:是|为)?\\s*(?:[：:]\\s*(.*))?$`, 'u');
const OVERVIEW_NAME = new RegExp(`^(?:${OVERVIEW_NAMES})$`, 'u');

/** A section label at the start of a line: which section, and the text after the colon. */
export interface SectionLabel {
  readonly section: 'overview' | 'mainTargets';
  readonly rest: string;
}

/** `主要目标：通过…` → mainTargets + `通过…`; `整体展望：坚持…` → overview; a bare `主要目标` too. */
export function matchSectionLabel(text: string): SectionLabel | null {
  const match = LABEL.exec(text);
  if (!match) return null;
  return { section: OVERVIEW_NAME.test(match[1] ?? '') ? 'overview' : 'mainTargets', rest: match[2] ?? '' };
}

/** `主要目标是：` inside an overview paragraph: where the main targets begin, or -1. */
export function inlineMainTargetsAt(paragraph: string): { at: number; rest: number } {
  const match = new RegExp(`(?<=[。；，])(?:${MAIN_TARGET_NAMES})(?:是|为)?[：:]`, 'u').exec(paragraph);
  return match ? { at: match.index, rest: match.index + match[0].length } : { at: -1, rest: -1 };
}

/** Whether a line ends a sentence (。！？；： possibly followed by a closing quote or bracket). */
export function endsSentence(text: string): boolean {
  return /[。！？；：…][”’」』）)]*$/u.test(text);
}

/** Hard-wrapped (PDF) or one line per paragraph (Word), and the width of a full wrapped line. */
export interface Layout {
  readonly wrapped: boolean;
  readonly wrapWidth: number;
}

// A wrapped paragraph's last line is visibly shorter than a full line; full lines of one PDF
// differ by a character or two (punctuation compression, Latin digits).
const SHORT_LINE = 0.85;

/**
 * Detect the layout: in a hard-wrapped text many long lines stop mid-sentence; in a Word text
 * a paragraph is a line and ends with its punctuation (headings, the exception, are short).
 */
export function detectLayout(lines: readonly PlanLine[]): Layout {
  const widths = lines.map((line) => line.width).sort((a, b) => a - b);
  const wrapWidth = widths[Math.floor(widths.length * 0.9)] ?? 0;
  const long = lines.filter((line) => line.width >= 0.6 * wrapWidth && line.width >= 16);
  const open = long.filter((line) => !endsSentence(line.text)).length;
  return { wrapped: long.length > 0 && open / long.length >= 0.3, wrapWidth };
}

/** Whether a line is visibly shorter than a full line of a wrapped text. */
export function isShortLine(line: PlanLine, layout: Layout): boolean {
  return !layout.wrapped || line.width < SHORT_LINE * layout.wrapWidth;
}

/** Whether a paragraph ends after `previous`, before the next (non-marker) line. */
export function endsParagraph(previous: PlanLine, layout: Layout): boolean {
  return !layout.wrapped || (endsSentence(previous.text) && isShortLine(previous, layout));
}

/** A heading line: short and without a sentence end, so the next line starts a new paragraph. */
export function isHeadingLine(text: string, width: number, layout: Layout): boolean {
  return !/[。！？；]/u.test(text) && isShortLine({ text, width }, layout);
}
