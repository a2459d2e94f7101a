import { Select } from 'antd';
import { periodOptions } from '#web/features/plans/periods.ts';

/** A period picker for one year (value `YYYY-MM`, January folded into 1–2月). */
export function PeriodSelect({ year, value, onChange, label = '报告期' }: { year: number; value?: string | undefined; onChange?: (period: string) => void; label?: string }) {
  return <Select aria-label={label} style={{ width: 150 }} value={value} onChange={onChange} options={periodOptions(year)} placeholder="选择报告期" />;
}
