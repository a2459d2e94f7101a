// The statistics reporting period as people read it (1–2月 combined, cumulative from January).

/** The reporting periods of a year as the statistics office names them: 1–2月, 1–3月 … 1–12月. */
export function periodOptions(year: number): { value: string; label: string }[] {
  return Array.from({ length: 11 }, (_, i) => {
    const month = i + 2;
    return { value: `${year}-${String(month).padStart(2, '0')}`, label: `${year}年1-${month}月` };
  });
}

/** `2022-06` → `2022年1-6月`. */
export function periodLabel(period: string): string {
  return `${period.slice(0, 4)}年1-${Number(period.slice(5, 7))}月`;
}
