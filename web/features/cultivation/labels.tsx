import { Tag, Tooltip } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, QuestionCircleFilled } from '@ant-design/icons';
import type { Criterion, Outcome, QualificationStatus } from '#common/contracts/cultivation.ts';
import { OUTCOME_LABELS, QUALIFICATION_STATUS_LABELS } from '#common/contracts/cultivation.ts';

const OUTCOME_COLORS: Record<Outcome, string> = { eligible: 'green', needs_review: 'blue', insufficient_data: 'gold', not_eligible: 'default', no_rule_set: 'purple' };

export function OutcomeTag({ outcome }: { outcome: Outcome }) {
  return <Tag color={OUTCOME_COLORS[outcome]}>{OUTCOME_LABELS[outcome]}</Tag>;
}

const STATUS_COLORS: Record<QualificationStatus, string> = { valid: 'green', expiring: 'orange', expired: 'default', revoked: 'red' };

export function StatusTag({ status }: { status: QualificationStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{QUALIFICATION_STATUS_LABELS[status]}</Tag>;
}

/** Met / not met / 需评审 / 缺数据 / 默认满足, as an icon with the reason on hover. */
export function MetIcon({ criterion }: { criterion: Criterion }) {
  if (criterion.basis === 'default') {
    return (
      <Tooltip title={criterion.note}>
        <Tag color="green">默认满足</Tag>
      </Tooltip>
    );
  }
  if (criterion.met === true) return <CheckCircleFilled style={{ color: '#52c41a' }} aria-label="满足" />;
  if (criterion.met === false) return <CloseCircleFilled style={{ color: '#ff4d4f' }} aria-label="未满足" />;
  if (criterion.basis === 'review') {
    return (
      <Tooltip title={criterion.note}>
        <Tag icon={<QuestionCircleFilled />} color="blue">
          需评审
        </Tag>
      </Tooltip>
    );
  }
  return (
    <Tooltip title={criterion.note ?? '缺少数据，补全后可判断'}>
      <Tag icon={<ExclamationCircleFilled />} color="gold">
        缺数据
      </Tag>
    </Tooltip>
  );
}

