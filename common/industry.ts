// 国民经济行业分类 GB/T 4754-2017 for the industrial enterprises the bureau tracks (sections B, C, D).
// The table is shipped in industry-codes.ts; the dataset misses a few classes, so a well-formed
// code not found there is kept with a warning rather than refused (criteria.md, data file note).
import { INDUSTRY_CLASSES, INDUSTRY_DIVISIONS, INDUSTRY_GROUPS, INDUSTRY_SECTIONS } from './industry-codes.ts';
import { toHalfWidth } from './quantity.ts';

/** A 门类 of 规上工业: B 采矿业, C 制造业, D 电力、热力、燃气及水生产和供应业. */
export type IndustrySection = 'B' | 'C' | 'D';

/** A 大类 (2-digit division), as offered in industry filters. */
export interface IndustryDivision {
  code: string;
  name: string;
  section: IndustrySection;
}

/** An enterprise's 行业代码 checked against GB/T 4754-2017, with the names of its levels. */
export interface IndustryCodeCheck {
  /** The code as it will be stored: trimmed, half-width digits. */
  code: string;
  division: string | null;
  divisionName: string | null;
  group: string | null;
  groupName: string | null;
  className: string | null;
  section: IndustrySection | null;
  /** Not a four-digit code: must be corrected. */
  errors: string[];
  /** Well-formed but not a known class of B/C/D: kept, to be checked by a person. */
  warnings: string[];
}

const divisionsByCode = new Map<string, IndustryDivision>(
  INDUSTRY_DIVISIONS.map(([code, name, section]) => [code, { code, name, section }]),
);
const groupNames = new Map<string, string>(INDUSTRY_GROUPS);
const classNames = new Map<string, string>(INDUSTRY_CLASSES);
const sectionNames = new Map<string, string>(INDUSTRY_SECTIONS);

/** The section (门类) a code belongs to, from its first two digits; null outside B, C and D. */
export function industrySection(code: string): IndustrySection | null {
  return divisionsByCode.get(code.slice(0, 2))?.section ?? null;
}

/** The name of a section, e.g. 'C' → 制造业. */
export function industrySectionName(section: IndustrySection): string {
  return sectionNames.get(section) ?? section;
}

/** The divisions (大类) for filters, in code order; optionally those of one section only. */
export function listIndustryDivisions(section?: IndustrySection): IndustryDivision[] {
  return [...divisionsByCode.values()].filter((division) => section === undefined || division.section === section);
}

function malformedCodeMessage(code: string): string {
  if (code === '') return '请填写国民经济行业代码（4位数字，如 3630）';
  // Clerks often stop at the division or group; say so rather than just "wrong".
  if (/^\d{2}$/.test(code) && divisionsByCode.has(code)) return `「${code}」是行业大类代码，请填到4位小类，如 3630`;
  if (/^\d{3}$/.test(code) && groupNames.has(code)) return `「${code}」是行业中类代码，请填到4位小类，如 3630`;
  return '国民经济行业代码应为4位数字，如 3630';
}

/**
 * Check a 国民经济行业代码 (4-digit 小类) as typed: `3630` → 汽车制造业 / 改装汽车制造 / 改装汽车制造.
 * Anything but four digits is an error; a well-formed code outside the known classes of B/C/D is
 * kept with a warning, with whatever levels could still be named.
 */
export function checkIndustryCode(input: string): IndustryCodeCheck {
  const code = toHalfWidth(input).replace(/\s+/g, '');
  if (!/^\d{4}$/.test(code)) {
    return {
      code,
      division: null,
      divisionName: null,
      group: null,
      groupName: null,
      className: null,
      section: null,
      errors: [malformedCodeMessage(code)],
      warnings: [],
    };
  }
  const division = divisionsByCode.get(code.slice(0, 2));
  const groupName = groupNames.get(code.slice(0, 3)) ?? null;
  const className = classNames.get(code) ?? null;
  return {
    code,
    division: division?.code ?? null,
    divisionName: division?.name ?? null,
    group: groupName === null ? null : code.slice(0, 3),
    groupName,
    className,
    section: division?.section ?? null,
    errors: [],
    warnings:
      className === null
        ? [`行业代码「${code}」不在 GB/T 4754-2017 采矿业、制造业、电力热力燃气及水生产和供应业的小类中，请核对`]
        : [],
  };
}
