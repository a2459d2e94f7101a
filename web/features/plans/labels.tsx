import { Badge, Progress, Tag } from 'antd';
import { PLAN_ITEM_STATUS_LABELS, PLAN_LIGHT_LABELS, REPORT_STATUS_LABELS } from '#common/contracts/plans.ts';
import type { PlanItemStatus, PlanLight, ReportStatus } from '#common/contracts/plans.ts';

const LIGHT_COLORS: Record<PlanLight, string> = { green: '#52c41a', yellow: '#faad14', red: '#f5222d', grey: '#bfbfbf' };

/** The traffic light of a work point, with its meaning in words for screen readers and tooltips. */
export function Light({ light, withText = false }: { light: PlanLight; withText?: boolean }) {
  return <Badge color={LIGHT_COLORS[light]} text={withText ? PLAN_LIGHT_LABELS[light] : undefined} title={PLAN_LIGHT_LABELS[light]} aria-label={`状态灯：${PLAN_LIGHT_LABELS[light]}`} />;
}

export function ProgressBar({ value, light }: { value: number; light: PlanLight }) {
  return <Progress percent={value} size="small" strokeColor={LIGHT_COLORS[light]} format={(p) => `${p ?? 0}%`} style={{ minWidth: 120 }} />;
}

const STATUS_COLORS: Record<PlanItemStatus, string> = { not_started: 'default', in_progress: 'processing', done: 'success', suspended: 'warning' };
export function ItemStatusTag({ status }: { status: PlanItemStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{PLAN_ITEM_STATUS_LABELS[status]}</Tag>;
}

const REPORT_COLORS: Record<ReportStatus, string> = { submitted: 'processing', approved: 'success', returned: 'error' };
export function ReportStatusTag({ status }: { status: ReportStatus | null }) {
  if (status === null) return <Tag color="error">未报送</Tag>;
  return <Tag color={REPORT_COLORS[status]}>{REPORT_STATUS_LABELS[status]}</Tag>;
}
