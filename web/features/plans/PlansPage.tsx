import { Link, useNavigate } from 'react-router';
import { Button, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { ImportOutlined } from '@ant-design/icons';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useCan } from '#web/features/auth/session.tsx';
import { usePlans, type PlanSummary } from '#web/features/plans/api.ts';
import { Light, ProgressBar } from '#web/features/plans/labels.tsx';
import { formatDateTime } from '#web/lib/format.ts';

/** 工作要点: the saved plans with their overall progress; import a new notice. */
export function PlansPage() {
  const can = useCan();
  const navigate = useNavigate();
  const plans = usePlans();
  const columns: TableColumnsType<PlanSummary> = [
    { title: '年度', dataIndex: 'year', width: 80 },
    {
      title: '工作要点',
      dataIndex: 'title',
      render: (title: string, row) => (
        <Link to={`/plans/${row.id}`}>
          {title}
        </Link>
      ),
    },
    { title: '发文单位', dataIndex: 'issuer', render: (v: string | null) => v ?? '—' },
    { title: '发文日期', dataIndex: 'date', width: 120, render: (v: string | null) => v ?? '—' },
    { title: '工作要点数', dataIndex: 'itemCount', width: 100 },
    { title: '目标数', dataIndex: 'targetCount', width: 90 },
    { title: '总体进度', dataIndex: 'progress', width: 200, render: (v: number, row) => <ProgressBar value={v} light={row.light} /> },
    { title: '状态', dataIndex: 'light', width: 70, render: (light: PlanSummary['light']) => <Light light={light} /> },
    { title: '导入时间', dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
  ];
  return (
    <>
      <PageHeader
        title="工作要点"
        description="年度工作要点及其目标：按工作要点督查督办，按目标取数、分解、排序通报"
        extra={
          <>
            <Button onClick={() => void navigate('/plans/mine')}>我的工作要点</Button>
            {can('plans.write') ? (
              <Button type="primary" icon={<ImportOutlined />} onClick={() => void navigate('/plans/import')}>
                导入工作要点
              </Button>
            ) : null}
          </>
        }
      />
      <Table rowKey="id" loading={plans.isPending} columns={columns} dataSource={plans.data ?? []} pagination={false} locale={{ emptyText: '还没有工作要点，请导入年度工作要点通知' }} />
    </>
  );
}
