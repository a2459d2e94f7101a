import { checkIndustryCode } from '#common/industry.ts';
import type { IndustryCodeCheck } from '#common/industry.ts';
import { beijingToday, makePeriod, parsePeriod } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import { toHalfWidth } from '#common/quantity.ts';
import { textProblem } from '#common/text.ts';
import { validateUscc } from '#common/uscc.ts';
import type { UsccValidation } from '#common/uscc.ts';
import { SCALE_EXIT_REASON } from '#common/contracts/enterprises.ts';
import type { ScaleEntryReason } from '#common/contracts/enterprises.ts';

// The rules of an enterprise record, shared by the form and the import so both say the same
// thing in the same words. Pure functions: no database, no Fastify.

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** What a clerk wrote, quoted in a message: 「…」, shortened so the message stays readable. */
export function quote(text: string): string {
  const chars = [...text.trim()];
  return `「${chars.length > 30 ? `${chars.slice(0, 30).join('')}…` : chars.join('')}」`;
}

/** A USCC as typed or read from a cell. A number (Excel turned an all-digit code into one) has lost digits. */
export function checkUsccInput(raw: unknown): UsccValidation {
  if (typeof raw === 'number') {
    return {
      uscc: String(raw),
      errors: ['统一社会信用代码被 Excel 存成了数字，末几位可能已丢失：请把该列设为“文本”格式后重新输入完整的18位代码'],
      warnings: [],
    };
  }
  return validateUscc(typeof raw === 'string' ? raw : '');
}

/**
 * An industry code as typed or read. Excel drops the leading zero of mining codes (0610 → 610):
 * a number 600–999 is read back as 06xx–09xx; no manufacturing code is three digits.
 */
export function checkIndustryInput(raw: unknown): IndustryCodeCheck {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 600 && raw <= 999) return checkIndustryCode(`0${raw}`);
  if (typeof raw === 'number') return checkIndustryCode(Number.isInteger(raw) ? raw.toFixed(0) : String(raw));
  return checkIndustryCode(typeof raw === 'string' ? raw : '');
}

/** Free text to store, or why it cannot be. */
export function checkText(raw: string, label: string, max: number): Parsed<string> {
  const value = raw.trim();
  const problem = textProblem(value);
  if (problem) return { ok: false, message: `${label}${problem}` };
  if ([...value].length > max) return { ok: false, message: `${label}最多 ${max} 个字，当前 ${[...value].length} 个` };
  return { ok: true, value };
}

/** 是 / 否 as clerks write it. */
export function parseYesNo(raw: unknown, label: string): Parsed<boolean> {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  const text = typeof raw === 'number' ? String(raw) : toHalfWidth(String(raw ?? '')).replace(/\s+/g, '').toUpperCase();
  if (['是', 'Y', 'YES', 'TRUE', '1', '√', '规上'].includes(text)) return { ok: true, value: true };
  if (['否', 'N', 'NO', 'FALSE', '0', '×', '规下', '非规上'].includes(text)) return { ok: true, value: false };
  if (text === '') return { ok: false, message: `请填写${label}（是 / 否）` };
  return { ok: false, message: `${label}${quote(String(raw))}无法识别，请填“是”或“否”` };
}

/**
 * A 规上 period (规上起始年月, 退库年月). As for reports, 1–2月 is one period: an annual entry
 * dated January (2022-01, 2022年1月) is the 2022-02 period, not an error.
 */
export function parseScalePeriod(raw: unknown, label: string): Parsed<Period> {
  let input: string | number | Date;
  if (raw instanceof Date || typeof raw === 'number') input = raw;
  else input = String(raw ?? '').trim();
  if (input === '') return { ok: false, message: `请填写${label}（如 2022-02 或 2022年6月）` };
  const result = parsePeriod(input);
  if (result.ok) return { ok: true, value: result.period };
  const january = januaryOf(input);
  if (january) return { ok: true, value: january };
  return { ok: false, message: `${label}：${result.message}` };
}

function januaryOf(input: string | number | Date): Period | null {
  if (input instanceof Date) return input.getUTCMonth() === 0 ? makePeriod(input.getUTCFullYear(), 2) : null;
  const text = toHalfWidth(String(input)).replace(/\s+/g, '');
  const match = /^(\d{4})(?:[-./]0?1|01|年0?1月?份?)$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  return year >= 2000 && year <= 2099 ? makePeriod(year, 2) : null;
}

/** 年度入库 starts at 1–2月; an entry in any later month is a 月度入库. */
export function scaleEntryReason(period: Period): ScaleEntryReason {
  return period.endsWith('-02') ? '年度入库' : '月度入库';
}

/** The period a Beijing date falls in (January is part of 1–2月). */
export function periodOfDate(date: string): Period {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return makePeriod(year, Math.max(2, month));
}

/** The last period counted before `exit` (the first period not counted): 2023-02 → 2022-12, 2022-07 → 2022-06. */
export function lastPeriodBefore(exit: Period): Period {
  const year = Number(exit.slice(0, 4));
  const month = Number(exit.slice(5, 7));
  return month === 2 ? makePeriod(year - 1, 12) : makePeriod(year, month - 1);
}

const DATE_FORMS = [/^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$/, /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/, /^(\d{4})(\d{2})(\d{2})$/];
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** A calendar date (成立日期) as 'YYYY-MM-DD': an Excel date, a serial number or the usual written forms. */
export function parseCalendarDate(raw: unknown, label: string, today: string = beijingToday()): Parsed<string> {
  let year: number;
  let month: number;
  let day: number;
  const shown = raw instanceof Date ? raw.toISOString().slice(0, 10) : quote(String(raw ?? '')).slice(1, -1);
  if (raw instanceof Date) {
    year = raw.getUTCFullYear();
    month = raw.getUTCMonth() + 1;
    day = raw.getUTCDate();
  } else if (typeof raw === 'number' && Number.isInteger(raw) && raw > 0 && raw < 80_000) {
    const date = new Date(EXCEL_EPOCH_MS + raw * 86_400_000);
    year = date.getUTCFullYear();
    month = date.getUTCMonth() + 1;
    day = date.getUTCDate();
  } else {
    const text = toHalfWidth(String(raw ?? '')).replace(/\s+/g, '');
    const match = DATE_FORMS.map((form) => form.exec(text)).find((m) => m !== null);
    if (!match) return { ok: false, message: `${label}「${shown}」无法识别为日期，请填写如 2015-06-30` };
    year = Number(match[1]);
    month = Number(match[2]);
    day = Number(match[3]);
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, message: `${label}「${shown}」不是有效的日期，请核对` };
  }
  const iso = date.toISOString().slice(0, 10);
  if (year < 1900) return { ok: false, message: `${label}「${shown}」早于 1900 年，请核对` };
  if (iso > today) return { ok: false, message: `${label}「${shown}」晚于今天，请核对` };
  return { ok: true, value: iso };
}

/** The chain names in one cell: 专汽及零部件、氢能及新能源汽车 (、 , ; ， ； and line breaks separate). */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[、,;，；\n\r]+/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

const normaliseName = (s: string) => toHalfWidth(s).replace(/\s+/g, '');

/** A chain by its name or one of its aliases (专汽 → 专汽及零部件). */
export function resolveChain<C extends { name: string; code: string; aliases: readonly string[] }>(chains: readonly C[], text: string): C | undefined {
  const wanted = normaliseName(text);
  return (
    chains.find((c) => normaliseName(c.name) === wanted || c.code === wanted) ?? chains.find((c) => c.aliases.some((a) => normaliseName(a) === wanted))
  );
}

// ---- 规上 spells -------------------------------------------------------------------------------

export type Spell = { id: string; fromPeriod: string; fromReason: string; toPeriod: string | null; toReason: string | null };

/** What a form or a row says about 规上 status; undefined means "not said, leave it". */
export type ScaleIntent = { aboveScale?: boolean | undefined; since?: Period | undefined; exit?: Period | undefined };

export type ScaleOp =
  | { kind: 'open'; fromPeriod: Period; fromReason: ScaleEntryReason }
  | { kind: 'move-start'; spellId: string; fromPeriod: Period; fromReason: ScaleEntryReason }
  | { kind: 'close'; spellId: string; toPeriod: Period; toReason: typeof SCALE_EXIT_REASON };

export type ScalePlan = { ops: ScaleOp[]; problems: { field: 'scaleSince' | 'scaleExit' | 'aboveScale'; message: string }[]; notes: string[] };

/**
 * How the spells on the 规上 roster change. Entering opens a spell at `since`; a later `since`
 * for a current spell corrects its start; leaving closes it with 退库, the exit period defaulting
 * to the current one. Spells never overlap.
 */
export function planScale(spells: readonly Spell[], intent: ScaleIntent, today: string): ScalePlan {
  const plan: ScalePlan = { ops: [], problems: [], notes: [] };
  const open = spells.find((s) => s.toPeriod === null);
  const closed = spells.filter((s) => s.toPeriod !== null && s !== open);
  const lastClosedTo = closed.reduce<string | null>((max, s) => (max === null || s.toPeriod! > max ? s.toPeriod : max), null);
  const wantsAbove = intent.aboveScale ?? (open ? true : undefined);

  if (wantsAbove === true) {
    if (!intent.since) {
      if (!open) plan.problems.push({ field: 'scaleSince', message: '是否规上为“是”时请填写规上起始年月（如 2022-02；年度入库填当年1-2月）' });
      return plan;
    }
    if (lastClosedTo !== null && intent.since <= lastClosedTo) {
      plan.problems.push({ field: 'scaleSince', message: `规上起始年月 ${intent.since} 不能早于上次退库前的最后规上月份 ${lastClosedTo}` });
      return plan;
    }
    if (intent.since > periodOfDate(today)) {
      plan.problems.push({ field: 'scaleSince', message: `规上起始年月 ${intent.since} 晚于本月，请核对` });
      return plan;
    }
    if (!open) plan.ops.push({ kind: 'open', fromPeriod: intent.since, fromReason: scaleEntryReason(intent.since) });
    else if (open.fromPeriod !== intent.since) plan.ops.push({ kind: 'move-start', spellId: open.id, fromPeriod: intent.since, fromReason: scaleEntryReason(intent.since) });
    return plan;
  }
  if (wantsAbove === false && open) {
    const exit = intent.exit ?? periodOfDate(today);
    if (!intent.exit) plan.notes.push(`未填退库年月，按本期（${exit}）退库处理`);
    const toPeriod = lastPeriodBefore(exit);
    if (toPeriod < open.fromPeriod) {
      plan.problems.push({ field: 'scaleExit', message: `退库年月 ${exit} 不能早于或等于规上起始年月 ${open.fromPeriod}` });
      return plan;
    }
    plan.ops.push({ kind: 'close', spellId: open.id, toPeriod, toReason: SCALE_EXIT_REASON });
  }
  return plan;
}
