import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useMyItems, type MyItems } from '#web/features/plans/api.ts';
import { Light, ProgressBar, ReportStatusTag } from '#web/features/plans/labels.tsx';
import { periodLabel } from '#web/features/plans/periods.ts';
import { PeriodSelect } from '#web/features/plans/PeriodSelect.tsx';
import { MyQuotasCard } from '#web/features/targets/MyQuotasCard.tsx';

type Row = MyItems['items'][number];

/** 我的工作要点: what the user's unit leads or cooperates on, and whether this month is reported. */
export function MyItemsPage() {
  const navigate = useNavigate();
  const [period, setPeriod] = useState<string | undefined>();
  const query = useMyItems(period);
  const data = query.data;
  const open = (row: Row) => void navigate(`/plans/items/${row.node.id}?period=${data?.period ?? ''}`);
  const missing = data?.items.filter((i) => i.report === null && i.node.status !== 'done' && !i.node.hasChildren).length ?? 0;
  const columns: TableColumnsType<Row> = [
    {
      title: '工作要点',
      render: (_, row) => (
        <Link to={`/plans/items/${row.node.id}?period=${data?.period ?? ''}`}>
          {row.node.label ? `${row.node.label}. ` : ''}
          {row.node.title}
        </Link>
      ),
    },
    { title: '工作要点文件', dataIndex: 'planTitle', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
    { title: '本单位', dataIndex: 'role', width: 80, render: (role: Row['role']) => (role === 'lead' ? <Tag color="blue">牵头</Tag> : <Tag>配合</Tag>) },
    { title: '灯', width: 48, render: (_, row) => <Light light={row.node.light} /> },
    { title: '进度', width: 180, render: (_, row) => <ProgressBar value={row.node.progress} light={row.node.light} /> },
    { title: '本期报送', width: 100, render: (_, row) => <ReportStatusTag status={row.report?.status ?? null} /> },
    {
      title: '',
      width: 110,
      render: (_, row) => (
        <Button size="small" type={row.report ? 'default' : 'primary'} onClick={() => open(row)}>
          {row.report ? '查看' : '报送进展'}
        </Button>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title="我的工作要点"
        description={data ? `${data.unit.name}牵头或配合的工作要点，${periodLabel(data.period)}` : '本单位牵头或配合的工作要点'}
        extra={data ? <PeriodSelect year={Number(data.period.slice(0, 4))} value={period ?? data.period} onChange={setPeriod} /> : null}
      />
      {missing ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={`本期还有 ${missing} 项工作要点未报送进展`} /> : null}
      <Table rowKey={(row) => row.node.id} loading={query.isPending} columns={columns} dataSource={data?.items ?? []} pagination={false} locale={{ emptyText: '本单位没有承担的工作要点' }} />
      {data ? <MyQuotasCard period={data.period} /> : null}
    </>
  );
}
