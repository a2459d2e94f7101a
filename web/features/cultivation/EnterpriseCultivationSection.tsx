import { Link } from 'react-router';
import { Button, Flex, Table, Tag, Typography } from 'antd';
import { QUALIFICATION_KIND_LABELS, QUALIFICATION_LEVEL_LABELS, RECOGNITION_LABELS } from '#common/contracts/cultivation.ts';
import type { EnterpriseDetail } from '#common/contracts/enterprises.ts';
import { useEligibility, useQualifications } from '#web/features/cultivation/api.ts';
import type { Qualification } from '#web/features/cultivation/api.ts';
import { OutcomeTag, StatusTag } from '#web/features/cultivation/labels.tsx';
import { AdverseRecordsCard, EvidenceFiles } from '#web/features/cultivation/EvidenceAndAdverse.tsx';
import { useCan } from '#web/features/auth/session.tsx';

/** The 资质与培育 tab of an enterprise's file: its qualifications history and where it stands on each rule. */
export function EnterpriseCultivationSection({ enterprise }: { enterprise: EnterpriseDetail }) {
  const qualifications = useQualifications({ enterpriseId: enterprise.id, page: 1, pageSize: 100 });
  const eligibility = useEligibility(enterprise.id, undefined);
  const writable = useCan()('cultivation.write');
  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center">
        <Typography.Text strong>资格评估：</Typography.Text>
        {(eligibility.data ?? []).map((e) => (
          <Tag key={e.rule} bordered={false}>
            {e.ruleLabel} <OutcomeTag outcome={e.outcome} />
          </Tag>
        ))}
        <Link to={`/cultivation/enterprises/${enterprise.id}`}>
          <Button size="small" type="link">
            查看逐条评估与差距
          </Button>
        </Link>
      </Flex>
      <Table<Qualification>
        size="small"
        rowKey="id"
        loading={qualifications.isPending}
        pagination={false}
        dataSource={qualifications.data?.items ?? []}
        locale={{ emptyText: '尚无资质记录' }}
        expandable={{ expandedRowRender: (q) => <EvidenceFiles qualificationId={q.id} writable={writable} /> }}
        columns={[
          { title: '资质', render: (_, q) => `${QUALIFICATION_KIND_LABELS[q.kind]}${q.recognition ? `（${RECOGNITION_LABELS[q.recognition]}）` : ''}` },
          { title: '级别', render: (_, q) => (q.level ? QUALIFICATION_LEVEL_LABELS[q.level] : '—') },
          { title: '编号', dataIndex: 'number' },
          { title: '认定日期', dataIndex: 'grantedOn' },
          { title: '有效期至', render: (_, q) => q.expiresOn ?? '—' },
          { title: '状态', render: (_, q) => <StatusTag status={q.status} /> },
        ]}
      />
      <AdverseRecordsCard enterpriseId={enterprise.id} writable={writable} />
    </Flex>
  );
}
