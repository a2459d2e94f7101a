import { checkIndustryCode } from '#common/industry.ts';
import { validateUscc } from '#common/uscc.ts';
import type { EnterpriseCreateBody, EnterpriseDetail } from '#common/contracts/enterprises.ts';

// Pure helpers of the enterprise pages: the same checks the server makes (common/), so the
// clerk sees the Chinese message while typing; the server decides anyway.

/** A USCC as typed: an error blocks saving, a warning (check digit) is shown and kept. */
export function checkUsccField(value: string | undefined): { error: string | null; warning: string | null } {
  if (!value || value.trim() === '') return { error: '请填写统一社会信用代码（18位，见营业执照）', warning: null };
  const result = validateUscc(value);
  return { error: result.errors[0] ?? null, warning: result.warnings[0] ?? null };
}

/** What an industry code means, for the hint under the field: 汽车制造业 › 改装汽车制造. */
export function describeIndustry(code: string | undefined): { text: string | null; error: string | null; warning: string | null } {
  if (!code || code.trim() === '') return { text: null, error: null, warning: null };
  const check = checkIndustryCode(code);
  const names = [check.divisionName, check.className].filter((n): n is string => !!n);
  return { text: names.length ? names.join(' › ') : null, error: check.errors[0] ?? null, warning: check.warnings[0] ?? null };
}

/** A period as the statistics tables write it: 2022-06 → 2022年6月, 2022-02 → 2022年1-2月. */
export function formatScalePeriod(period: string | null | undefined): string {
  if (!period) return '—';
  const year = period.slice(0, 4);
  const month = Number(period.slice(5, 7));
  return month === 2 ? `${year}年1-2月` : `${year}年${month}月`;
}

/** The fields of the form. */
export interface EnterpriseFormValues {
  uscc: string;
  name: string;
  townId: string;
  industryCode: string;
  chainIds: string[];
  aboveScale: boolean;
  scaleSince?: string;
  scaleExit?: string;
  registrationDate?: string;
  address?: string;
  contactName?: string;
  contactPhone?: string;
  groupName?: string;
  tags: string[];
}

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : v.trim());

/** The body the API takes; empty optional fields are sent as null (cleared). */
export function toEnterpriseBody(values: EnterpriseFormValues): EnterpriseCreateBody {
  return {
    uscc: values.uscc.trim(),
    name: values.name.trim(),
    townId: values.townId,
    industryCode: values.industryCode.trim(),
    chainIds: values.chainIds ?? [],
    aboveScale: values.aboveScale,
    scaleSince: values.aboveScale ? blank(values.scaleSince) : null,
    scaleExit: values.aboveScale ? null : blank(values.scaleExit),
    registrationDate: blank(values.registrationDate),
    address: blank(values.address),
    contactName: blank(values.contactName),
    contactPhone: blank(values.contactPhone),
    groupName: blank(values.groupName),
    tags: (values.tags ?? []).map((t) => t.trim()).filter((t) => t !== ''),
  };
}

/** The form filled from a record being edited. */
export function toFormValues(e: EnterpriseDetail): EnterpriseFormValues {
  return {
    uscc: e.uscc,
    name: e.name,
    townId: e.town.id,
    industryCode: e.industryCode,
    chainIds: e.chains.map((c) => c.id),
    aboveScale: e.aboveScale,
    scaleSince: e.scaleSince ?? '',
    scaleExit: '',
    registrationDate: e.registrationDate ?? '',
    address: e.address ?? '',
    contactName: e.contactName ?? '',
    contactPhone: e.contactPhone ?? '',
    groupName: e.group?.name ?? '',
    tags: e.tags,
  };
}
