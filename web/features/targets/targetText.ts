import type { TargetComparator, TargetKind } from '#common/contracts/plans.ts';

// How targets read in the web app: the comparator in officials' words, the target as the plan
// words it, figures with their unit.

export const COMPARATOR_LABELS: Record<TargetComparator, string> = { '>=': '≥（以上）', '>': '>（突破、超过）', '≈': '≈（左右）', '=': '=（力争、新增，按下限）', '<=': '≤（以内）' };

/** A target as the plan words it: 增长超过 13%、3个以上、增长 10%左右、突破 100亿元、完成. */
export function targetText(t: { comparator: TargetComparator; value: string | number | null; unit: string | null; kind: TargetKind }): string {
  if (t.value === null || t.kind === 'milestone') return '完成';
  const figure = `${t.value}${t.unit ?? ''}`;
  const growth = t.kind === 'growth';
  const words: Record<TargetComparator, string> = {
    '>': `${growth ? '增长超过' : '突破'} ${figure}`,
    '>=': `${growth ? '增长 ' : ''}${figure}以上`,
    '≈': `${growth ? '增长 ' : ''}${figure}左右`,
    '<=': `${growth ? '增长 ' : ''}${figure}以内`,
    '=': `${growth ? '增长 ' : ''}${figure}`,
  };
  return words[t.comparator];
}

/** A figure with its unit; long decimals (computed growth) are shown to two places. */
export function withUnit(value: string | null, unit: string | null): string {
  if (value === null) return '—';
  const shown = /\.\d{3,}$/.test(value) ? Number(value).toFixed(2) : value;
  return `${shown}${unit ?? ''}`;
}
