import { Tag, Tooltip } from 'antd';
import { TARGET_STATUS_LABELS } from '#common/contracts/targets.ts';
import type { TargetStatus } from '#common/contracts/targets.ts';

const STATUS_COLORS: Record<TargetStatus, string> = { met: 'success', normal: 'processing', lagging: 'warning', warning: 'error', no_data: 'default' };

export function TargetStatusTag({ status, note }: { status: TargetStatus; note?: string | null }) {
  const tag = <Tag color={STATUS_COLORS[status]}>{TARGET_STATUS_LABELS[status]}</Tag>;
  return note ? <Tooltip title={note}>{tag}</Tooltip> : tag;
}
