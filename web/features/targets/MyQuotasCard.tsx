import { Link } from 'react-router';
import { Card, Table } from 'antd';
import { useMyQuotas, type MyQuotas } from '#web/features/targets/api.ts';
import { TargetStatusTag } from '#web/features/targets/labels.tsx';
import { withUnit } from '#web/features/targets/targetText.ts';

/** A town's own quotas: the decomposed targets it answers for and how far it has come. */
export function MyQuotasCard({ period }: { period: string }) {
  const query = useMyQuotas(period, Number(period.slice(0, 4)));
  const items = query.data?.items ?? [];
  if (!query.isPending && items.length === 0) return null;
  return (
    <Card title="本单位的分解任务" size="small" style={{ marginTop: 16 }}>
      <Table<MyQuotas['items'][number]>
        rowKey={(row) => row.quota.id}
        size="small"
        loading={query.isPending}
        pagination={false}
        dataSource={items}
        columns={[
          { title: '目标', render: (_, row) => <Link to={`/targets/${row.targetId}`}>{row.subject}</Link> },
          { title: '镇街', render: (_, row) => row.quota.town.name },
          { title: '全区目标', render: (_, row) => withUnit(row.districtValue, row.unit) },
          { title: '本镇街任务', render: (_, row) => withUnit(row.quota.value, row.unit) },
          { title: '完成', render: (_, row) => withUnit(row.quota.actual, row.unit) },
          { title: '完成率', render: (_, row) => (row.quota.completionPct === null ? '—' : `${row.quota.completionPct}%`) },
          { title: '状态', render: (_, row) => <TargetStatusTag status={row.quota.status} /> },
        ]}
      />
    </Card>
  );
}
