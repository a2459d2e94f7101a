import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Empty, Flex, Modal, Popconfirm, Result, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, BellOutlined, FileTextOutlined } from '@ant-design/icons';
import type { PlanNode } from '#common/contracts/plans.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { PageLoading } from '#web/components/PageLoading.tsx';
import { useCan } from '#web/features/auth/session.tsx';
import { deletePlan, PLANS_KEY, remindUnreported, usePlan, usePlanSource, useUnreported } from '#web/features/plans/api.ts';
import { ItemStatusTag, Light, ProgressBar } from '#web/features/plans/labels.tsx';
import { periodLabel } from '#web/features/plans/periods.ts';
import { PeriodSelect } from '#web/features/plans/PeriodSelect.tsx';
import { targetText } from '#web/features/targets/targetText.ts';
import { ApiError } from '#web/lib/http.ts';

type TreeRow = PlanNode & { children?: TreeRow[] };

/** The flat, depth-first node list nested by parent. */
function nest(nodes: readonly PlanNode[]): TreeRow[] {
  const byId = new Map<string, TreeRow>(nodes.map((n) => [n.id, { ...n }]));
  const roots: TreeRow[] = [];
  for (const node of nodes) {
    const row = byId.get(node.id)!;
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    if (parent) (parent.children ??= []).push(row);
    else roots.push(row);
  }
  return roots;
}

/** One plan as a tree with traffic lights, the main targets, and who has not reported this month. */
export function PlanTreePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [period, setPeriod] = useState<string | undefined>();
  const [sourceOpen, setSourceOpen] = useState(false);
  const plan = usePlan(id, period);
  const shownPeriod = period ?? plan.data?.period;
  const unreported = useUnreported(id, shownPeriod);
  const source = usePlanSource(id, sourceOpen);
  const tree = useMemo(() => nest(plan.data?.nodes ?? []), [plan.data]);

  const remind = useMutation({
    mutationFn: () => remindUnreported(id, shownPeriod!),
    onSuccess: async (result) => {
      message.success(result.created ? `已向 ${result.created} 个未报送单位发出催报` : '未报送的单位都已催报过');
      await queryClient.invalidateQueries({ queryKey: PLANS_KEY });
    },
    onError: (error) => message.error(error instanceof ApiError ? error.message : '催报失败'),
  });
  const remove = useMutation({
    mutationFn: () => deletePlan(id),
    onSuccess: async () => {
      message.success('已删除');
      await queryClient.invalidateQueries({ queryKey: PLANS_KEY });
      void navigate('/plans');
    },
    onError: (error) => message.error(error instanceof ApiError ? error.message : '删除失败'),
  });

  if (plan.isPending) return <PageLoading />;
  if (plan.isError) {
    return <Result status={plan.error instanceof ApiError && plan.error.status === 404 ? '404' : 'error'} title="无法打开工作要点" subTitle={plan.error.message} extra={<Button onClick={() => void navigate('/plans')}>返回列表</Button>} />;
  }
  const detail = plan.data;

  const columns: TableColumnsType<TreeRow> = [
    {
      title: '工作要点',
      dataIndex: 'title',
      render: (title: string, row) =>
        row.kind === 'group' ? (
          <Typography.Text strong>
            {row.label ? `${row.label}、` : ''}
            {title}
          </Typography.Text>
        ) : (
          <Link to={`/plans/items/${row.id}${period ? `?period=${period}` : ''}`}>
            {row.label ? `${row.label}. ` : ''}
            {title}
          </Link>
        ),
    },
    { title: '灯', dataIndex: 'light', width: 48, render: (light: TreeRow['light']) => <Light light={light} /> },
    { title: '进度', dataIndex: 'progress', width: 180, render: (v: number, row) => <ProgressBar value={v} light={row.light} /> },
    { title: '牵头单位', dataIndex: 'leadUnit', width: 130, render: (u: TreeRow['leadUnit'], row) => (row.kind === 'group' ? '' : (u?.name ?? <Tag>未分配</Tag>)) },
    {
      title: '配合单位',
      dataIndex: 'cooperatingUnits',
      render: (units: TreeRow['cooperatingUnits']) => (units.length > 3 ? `${units.slice(0, 3).map((u) => u.name).join('、')} 等 ${units.length} 个` : units.map((u) => u.name).join('、')),
    },
    { title: '状态', dataIndex: 'status', width: 90, render: (s: TreeRow['status'], row) => (row.kind === 'group' ? null : <ItemStatusTag status={s} />) },
    {
      title: '本期未报送',
      dataIndex: 'missingUnits',
      render: (units: TreeRow['missingUnits']) => units.map((u) => <Tag key={u.id} color="error">{u.name}</Tag>),
    },
    { title: '逾期节点', dataIndex: 'overdueMilestones', width: 90, render: (n: number) => (n ? <Tag color="error">{n}</Tag> : null) },
    { title: '目标', dataIndex: 'targetCount', width: 60, render: (n: number) => (n ? n : null) },
  ];

  return (
    <>
      <PageHeader
        title={
          <Flex align="center" gap={8} wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回工作要点列表" onClick={() => void navigate('/plans')} />
            {detail.plan.title}
            <Light light={detail.plan.light} withText />
          </Flex>
        }
        description={`${detail.plan.issuer ?? ''} ${detail.plan.date ?? ''} · 总体进度 ${detail.plan.progress}% · ${periodLabel(detail.period)}时间进度 ${detail.timeProgress}%`}
        extra={
          <>
            <PeriodSelect year={detail.plan.year} value={shownPeriod} onChange={setPeriod} />
            <Button icon={<FileTextOutlined />} onClick={() => setSourceOpen(true)}>
              通知原文
            </Button>
            <Button onClick={() => void navigate(`/targets?planId=${detail.plan.id}&year=${detail.plan.year}`)}>目标</Button>
            {can('plans.write') ? (
              <Popconfirm title="删除这份工作要点及其全部事项、进展和目标？" okText="删除" okButtonProps={{ danger: true }} onConfirm={() => remove.mutate()}>
                <Button danger>删除</Button>
              </Popconfirm>
            ) : null}
          </>
        }
      />
      <Tabs
        items={[
          {
            key: 'tree',
            label: '工作要点',
            children: (
              <Table
                rowKey="id"
                size="middle"
                columns={columns}
                dataSource={tree}
                pagination={false}
                expandable={{ defaultExpandAllRows: true }}
                locale={{ emptyText: <Empty description="没有分配给本单位的工作要点" /> }}
              />
            ),
          },
          {
            key: 'targets',
            label: `主要目标（${detail.mainTargets.length}）`,
            children: (
              <Card>
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {detail.mainTargets.map((t) => (
                    <Flex key={t.id} gap={8} align="baseline">
                      <Link to={`/targets/${t.id}`}>{t.subject}</Link>
                      <Typography.Text>{targetText(t)}</Typography.Text>
                      <Typography.Text type="secondary">{t.text}</Typography.Text>
                    </Flex>
                  ))}
                </Space>
              </Card>
            ),
          },
          {
            key: 'unreported',
            label: `未报送（${unreported.data?.missing.length ?? 0}）`,
            children: (
              <Card
                title={`${periodLabel(detail.period)}未报送进展的单位`}
                extra={
                  can('plans.write') ? (
                    <Button icon={<BellOutlined />} loading={remind.isPending} disabled={!unreported.data?.missing.length} onClick={() => remind.mutate()}>
                      一键催报
                    </Button>
                  ) : null
                }
              >
                {unreported.data?.overdueMilestones.length ? (
                  <Alert
                    type="error"
                    showIcon
                    style={{ marginBottom: 12 }}
                    title={`逾期未完成的节点 ${unreported.data.overdueMilestones.length} 个`}
                    description={unreported.data.overdueMilestones.map((m) => `第 ${m.item.label} 项 ${m.milestone.title}（应于 ${m.milestone.dueDate}）`).join('；')}
                  />
                ) : null}
                <Table
                  rowKey={(row) => `${row.item.id}|${row.unit.id}`}
                  size="small"
                  pagination={false}
                  dataSource={unreported.data?.missing ?? []}
                  locale={{ emptyText: '本期都已报送' }}
                  columns={[
                    { title: '单位', render: (_, row) => row.unit.name },
                    { title: '工作要点', render: (_, row) => <Link to={`/plans/items/${row.item.id}`}>{`${row.item.label}. ${row.item.title}`}</Link> },
                    { title: '催报', width: 90, render: (_, row) => (row.reminded ? <Tag color="warning">已催报</Tag> : null) },
                  ]}
                />
                {unreported.data?.byUnit.length ? (
                  <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
                    各单位未报送数（计入排序的报送及时率）：
                    {unreported.data.byUnit
                      .filter((u) => u.missing > 0)
                      .map((u) => `${u.unit.name} ${u.missing}/${u.assigned}`)
                      .join('，') || '无'}
                  </Typography.Paragraph>
                ) : null}
              </Card>
            ),
          },
        ]}
      />
      <Modal open={sourceOpen} title="通知原文" width={820} footer={null} onCancel={() => setSourceOpen(false)}>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', maxHeight: '70vh', overflow: 'auto' }}>{source.data?.text ?? '加载中…'}</Typography.Paragraph>
      </Modal>
    </>
  );
}
