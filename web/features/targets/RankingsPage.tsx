import { useEffect, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { App, Button, Card, Drawer, Empty, Flex, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, FilePdfOutlined, FileWordOutlined, PlusOutlined } from '@ant-design/icons';
import { RANKING_METHOD_LABELS, RANKING_METHODS } from '#common/contracts/targets.ts';
import type { RankingIndicator, RankingMethod } from '#common/contracts/targets.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useCan } from '#web/features/auth/session.tsx';
import { usePlans } from '#web/features/plans/api.ts';
import { periodLabel } from '#web/features/plans/periods.ts';
import { PeriodSelect } from '#web/features/plans/PeriodSelect.tsx';
import {
  createRanking,
  downloadBulletin,
  generateBulletin,
  TARGETS_KEY,
  updateRanking,
  useBulletins,
  useMetricSources,
  useRankingResult,
  useRankings,
  useTargets,
  type Bulletin,
  type Ranking,
  type RankingBody,
  type RankingResult,
} from '#web/features/targets/api.ts';
import { TargetStatusTag } from '#web/features/targets/labels.tsx';
import { formatDateTime } from '#web/lib/format.ts';
import { ApiError } from '#web/lib/http.ts';

const errorText = (error: unknown, fallback: string) => (error instanceof ApiError ? error.message : fallback);

type IndicatorDraft = { kind: 'quota' | 'metric'; ref?: string; label: string; weight: number; higherIsBetter: boolean };

/** 排序方案: which indicators rank the towns, how they are scored, the completion cap. */
function RankingDrawer({ year, ranking, open, onClose }: { year: number; ranking: Ranking | null; open: boolean; onClose: (saved?: Ranking) => void }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const targets = useTargets({ year });
  const sources = useMetricSources();
  const [form] = Form.useForm<{ name: string; method: RankingMethod; capPct: number | null; indicators: IndicatorDraft[] }>();
  const quotaTargets = (targets.data?.items ?? []).filter((t) => t.hasQuotas).map((t) => ({ value: t.id, label: t.subject }));
  const townSources = (sources.data ?? []).filter((s) => s.byTown).map((s) => ({ value: s.id, label: `${s.label}（${s.unit}）` }));
  const save = useMutation({
    mutationFn: (values: { name: string; method: RankingMethod; capPct: number | null; indicators: IndicatorDraft[] }) => {
      const body: RankingBody = {
        year,
        name: values.name,
        method: values.method,
        capPct: values.capPct ?? null,
        indicators: values.indicators.map(
          (i, index): RankingIndicator => ({
            key: `i${index + 1}`,
            label: i.label,
            kind: i.kind,
            targetId: i.kind === 'quota' ? (i.ref ?? null) : null,
            sourceId: i.kind === 'metric' ? (i.ref ?? null) : null,
            weight: i.weight,
            higherIsBetter: i.higherIsBetter,
          }),
        ),
      };
      return ranking ? updateRanking(ranking.id, body) : createRanking(body);
    },
    onSuccess: async (saved) => {
      message.success('排序方案已保存');
      await queryClient.invalidateQueries({ queryKey: TARGETS_KEY });
      onClose(saved);
    },
    onError: (error) => message.error(errorText(error, '保存失败')),
  });
  return (
    <Drawer
      open={open}
      size={640}
      title={ranking ? '修改排序方案' : '新建排序方案'}
      onClose={() => onClose()}
      destroyOnHidden
      extra={
        <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
          保存
        </Button>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          ranking
            ? {
                name: ranking.name,
                method: ranking.method,
                capPct: ranking.capPct,
                indicators: ranking.indicators.map((i) => ({ kind: i.kind, ref: (i.kind === 'quota' ? i.targetId : i.sourceId) ?? undefined, label: i.label, weight: i.weight, higherIsBetter: i.higherIsBetter })),
              }
            : { name: `${year}年镇街主要目标任务排序`, method: 'weighted', capPct: 150, indicators: [{ kind: 'quota', label: '', weight: 50, higherIsBetter: true }] }
        }
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="method" label="计分方法" extra="按完成率：各项完成率加权平均；按加权得分：每项得分 = 权重 × 本镇完成率 ÷ 最高完成率">
            <Select style={{ width: 200 }} options={RANKING_METHODS.map((m) => ({ value: m, label: RANKING_METHOD_LABELS[m] }))} />
          </Form.Item>
          <Form.Item name="capPct" label="完成率封顶（%）">
            <InputNumber min={100} max={1000} placeholder="不封顶" />
          </Form.Item>
        </Flex>
        <Form.List name="indicators">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Card key={field.key} size="small" style={{ marginBottom: 8 }} extra={<Button size="small" type="link" danger onClick={() => remove(field.name)}>删除</Button>}>
                  <Flex gap={8} wrap>
                    <Form.Item name={[field.name, 'kind']} label="类型">
                      <Select style={{ width: 150 }} options={[{ value: 'quota', label: '分解目标完成率' }, { value: 'metric', label: '数据源（按镇街）' }]} />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() =>
                        form.getFieldValue(['indicators', field.name, 'kind']) === 'metric' ? (
                          <Form.Item name={[field.name, 'ref']} label="数据源" rules={[{ required: true, message: '请选择' }]}>
                            <Select style={{ width: 260 }} options={townSources} />
                          </Form.Item>
                        ) : (
                          <Form.Item name={[field.name, 'ref']} label="已分解的目标" rules={[{ required: true, message: '请选择' }]}>
                            <Select style={{ width: 260 }} options={quotaTargets} notFoundContent="先在目标详情中把目标分解到镇街" />
                          </Form.Item>
                        )
                      }
                    </Form.Item>
                    <Form.Item name={[field.name, 'label']} label="通报中的名称" rules={[{ required: true, whitespace: true, message: '请填写' }]}>
                      <Input style={{ width: 180 }} maxLength={60} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'weight']} label="权重" rules={[{ required: true }]}>
                      <InputNumber min={0} max={1000} style={{ width: 90 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'higherIsBetter']} label="越高越好" valuePropName="checked">
                      <Switch />
                    </Form.Item>
                  </Flex>
                </Card>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'quota', label: '', weight: 20, higherIsBetter: true })}>
                添加排序指标
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

function BulletinsCard({ ranking, period, result }: { ranking: Ranking; period: string; result: RankingResult | undefined }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const can = useCan();
  const bulletins = useBulletins(ranking.id);
  const [number, setNumber] = useState('');
  const [town, setTown] = useState<string | undefined>();
  const generate = useMutation({
    mutationFn: () => generateBulletin({ rankingId: ranking.id, period, ...(number.trim() ? { number: number.trim() } : {}) }),
    onSuccess: async (b) => {
      message.success(`已生成 ${periodLabel(b.period)}通报${b.version > 1 ? `（第 ${b.version} 版）` : ''}`);
      await queryClient.invalidateQueries({ queryKey: TARGETS_KEY });
    },
    onError: (error) => message.error(errorText(error, '生成失败')),
  });
  const download = (b: Bulletin, format: 'docx' | 'pdf', townId?: string) =>
    void downloadBulletin(b.id, format, townId).catch((error: unknown) => message.error(errorText(error, '下载失败')));
  const columns: TableColumnsType<Bulletin> = [
    { title: '报告期', dataIndex: 'period', width: 120, render: (p: string) => periodLabel(p) },
    { title: '版本', dataIndex: 'version', width: 70, render: (v: number) => <Tag>第 {v} 版</Tag> },
    { title: '文号', dataIndex: 'number', width: 180 },
    { title: '标题', dataIndex: 'title' },
    { title: '生成', dataIndex: 'generatedAt', width: 200, render: (v: string, b) => `${b.generatedBy} ${formatDateTime(v)}` },
    {
      title: '下载',
      width: 230,
      render: (_, b) => (
        <Space size={4}>
          <Button size="small" icon={<FileWordOutlined />} onClick={() => download(b, 'docx', town)}>
            Word
          </Button>
          <Button size="small" icon={<FilePdfOutlined />} onClick={() => download(b, 'pdf', town)}>
            PDF
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <Card
      title="排序通报"
      size="small"
      extra={
        <Space wrap>
          <Select
            aria-label="通报版本"
            allowClear
            placeholder="全区版本"
            style={{ width: 200 }}
            value={town}
            onChange={setTown}
            options={(result?.rows ?? []).map((r) => ({ value: r.town.id, label: `${r.town.name}版本` }))}
          />
          {can('targets.manage') ? (
            <>
              <Input aria-label="文号" placeholder="文号（可空，自动编号）" style={{ width: 200 }} value={number} onChange={(e) => setNumber(e.target.value)} />
              <Button type="primary" icon={<DownloadOutlined />} loading={generate.isPending} onClick={() => generate.mutate()}>
                生成{periodLabel(period)}通报
              </Button>
            </>
          ) : null}
        </Space>
      }
    >
      <Table rowKey="id" size="small" columns={columns} dataSource={bulletins.data ?? []} loading={bulletins.isPending} pagination={{ pageSize: 10, hideOnSinglePage: true }} locale={{ emptyText: '还没有生成通报' }} />
    </Card>
  );
}

/** 排序通报: the monthly ranking of towns and the bulletins generated from it. */
export function RankingsPage() {
  const can = useCan();
  const navigate = useNavigate();
  const plans = usePlans();
  const year = plans.data?.[0]?.year ?? new Date().getFullYear();
  const rankings = useRankings(year);
  const [rankingId, setRankingId] = useState<string | undefined>();
  const [period, setPeriod] = useState<string | undefined>();
  const [drawer, setDrawer] = useState<{ open: boolean; ranking: Ranking | null }>({ open: false, ranking: null });
  useEffect(() => {
    if (!rankingId && rankings.data?.[0]) setRankingId(rankings.data[0].id);
  }, [rankingId, rankings.data]);
  const ranking = rankings.data?.find((r) => r.id === rankingId);
  const result = useRankingResult(rankingId, period);
  const shown = period ?? result.data?.period;

  const indicatorColumns: TableColumnsType<RankingResult['rows'][number]> = (result.data?.indicators ?? []).map((indicator) => ({
    title: `${indicator.label}${indicator.kind === 'quota' ? '完成率' : `（${indicator.unit}）`}${result.data?.method === 'weighted' ? ` · ${indicator.weight}分` : ''}`,
    render: (_: unknown, row: RankingResult['rows'][number]) => {
      const cell = row.cells.find((c) => c.key === indicator.key);
      if (!cell || cell.rate === null) return <Typography.Text type="secondary">—</Typography.Text>;
      return (
        <Space size={4}>
          {indicator.kind === 'quota' ? `${cell.rate}%` : cell.actual}
          {indicator.kind === 'quota' ? <TargetStatusTag status={cell.status} /> : null}
          {cell.points !== null && result.data?.method === 'weighted' ? <Typography.Text type="secondary">{cell.points}分</Typography.Text> : null}
        </Space>
      );
    },
  }));
  const columns: TableColumnsType<RankingResult['rows'][number]> = [
    { title: '名次', dataIndex: 'rank', width: 70, render: (rank: number) => <Typography.Text strong>{rank}</Typography.Text> },
    { title: '镇（街道、开发区）', render: (_, row) => row.town.name },
    ...indicatorColumns,
    { title: result.data?.method === 'weighted' ? '综合得分' : '平均完成率', dataIndex: 'score', width: 110, render: (s: number | null) => (s === null ? '—' : s.toFixed(2)) },
  ];

  return (
    <>
      <PageHeader
        title="排序通报"
        description="按月对各镇街的目标完成情况排序（并列同名次，其后名次顺延），生成公文格式的通报"
        extra={
          <>
            <Select aria-label="排序方案" style={{ width: 260 }} value={rankingId} onChange={setRankingId} options={(rankings.data ?? []).map((r) => ({ value: r.id, label: r.name }))} placeholder="选择排序方案" />
            <PeriodSelect year={ranking?.year ?? year} value={shown} onChange={setPeriod} />
            {can('targets.manage') ? (
              <>
                {ranking ? <Button onClick={() => setDrawer({ open: true, ranking })}>修改方案</Button> : null}
                <Button icon={<PlusOutlined />} onClick={() => setDrawer({ open: true, ranking: null })}>
                  新建方案
                </Button>
              </>
            ) : null}
            <Button onClick={() => void navigate('/targets')}>目标任务</Button>
          </>
        }
      />
      {!ranking && !rankings.isPending ? (
        <Card>
          <Empty description="还没有排序方案：先把目标分解到镇街，再新建排序方案" />
        </Card>
      ) : null}
      {ranking ? (
        <Flex vertical gap={16}>
          <Card size="small" title={`${ranking.name} · ${shown ? periodLabel(shown) : ''} · ${RANKING_METHOD_LABELS[ranking.method]}`}>
            <Table rowKey={(row) => row.town.id} size="middle" loading={result.isPending} columns={columns} dataSource={result.data?.rows ?? []} pagination={false} />
          </Card>
          {shown ? <BulletinsCard ranking={ranking} period={shown} result={result.data} /> : null}
        </Flex>
      ) : null}
      <RankingDrawer
        year={ranking?.year ?? year}
        ranking={drawer.ranking}
        open={drawer.open}
        onClose={(saved) => {
          setDrawer({ open: false, ranking: null });
          if (saved) setRankingId(saved.id);
        }}
      />
    </>
  );
}
