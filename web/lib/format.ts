import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

/** The bureau works in Beijing time whatever the browser's zone: instants are shown at UTC+8. */
const BEIJING_OFFSET_MINUTES = 8 * 60;

function beijing(iso: string | null | undefined): Dayjs | null {
  if (!iso) return null;
  const value = dayjs.utc(iso);
  return value.isValid() ? value.utcOffset(BEIJING_OFFSET_MINUTES) : null;
}

/** An instant (UTC ISO string) as `2026-11-27 14:05:09`, Beijing time; `—` when empty. */
export function formatDateTime(iso: string | null | undefined): string {
  return beijing(iso)?.format('YYYY-MM-DD HH:mm:ss') ?? '—';
}

/** An instant as its Beijing calendar date, `2026-11-27`. */
export function formatDate(iso: string | null | undefined): string {
  return beijing(iso)?.format('YYYY-MM-DD') ?? '—';
}

/** The hour of the day in Beijing now (for a greeting), whatever the browser's zone. */
export function beijingHour(now: Date = new Date()): number {
  return dayjs.utc(now).utcOffset(BEIJING_OFFSET_MINUTES).hour();
}

/** A date picked in a filter, as the `YYYY-MM-DD` Beijing date the API takes. */
export function toDateParam(value: Dayjs | null | undefined): string | undefined {
  return value ? value.format('YYYY-MM-DD') : undefined;
}

/** JSON for people: indented, with Chinese left readable; `—` for nothing. */
export function formatJson(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return JSON.stringify(value, null, 2);
}
