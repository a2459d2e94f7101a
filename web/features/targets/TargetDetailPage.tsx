import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  List,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { TOWN_KINDS } from '#common/contracts/org.ts';
import { TARGET_COMPARATORS, TARGET_KIND_LABELS, TARGET_KINDS } from '#common/contracts/plans.ts';
import { METRIC_ORIGIN_LABELS } from '#common/contracts/targets.ts';
import type { BindingKind, Evaluation, QuotaRow } from '#common/contracts/targets.ts';
import { Chart } from '#web/components/Chart.tsx';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { PageLoading } from '#web/components/PageLoading.tsx';
import { useCan, useMe } from '#web/features/auth/session.tsx';
import { useUnits } from '#web/features/org/api.ts';
import { periodLabel } from '#web/features/plans/periods.ts';
import { PeriodSelect } from '#web/features/plans/PeriodSelect.tsx';
import {
  addManualValue,
  bindTarget,
  setQuotas,
  TARGETS_KEY,
  updateTarget,
  useMetricSources,
  useTarget,
  type TargetDetail,
  type TargetUpdateBody,
} from '#web/features/targets/api.ts';
import { TargetStatusTag } from '#web/features/targets/labels.tsx';
import { COMPARATOR_LABELS, targetText, withUnit } from '#web/features/targets/targetText.ts';
import { formatDateTime } from '#web/lib/format.ts';
import { ApiError } from '#web/lib/http.ts';

const errorText = (error: unknown, fallback: string) => (error instanceof ApiError ? error.message : fallback);
const VALUE_ADDED = /增加值/;

/** 绑定数据来源: a registered metric source, manual reports, or nothing. */
function BindingCard({ target }: { target: TargetDetail }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const sources = useMetricSources();
  const [kind, setKind] = useState<BindingKind>(target.binding.kind);
  const [sourceId, setSourceId] = useState<string | null>(target.binding.sourceId);
  const save = useMutation({
    mutationFn: () => bindTarget(target.id, kind, kind === 'metric' ? sourceId : null),
    onSuccess: async () => {
      message.success('数据来源已保存');
      await queryClient.invalidateQueries({ queryKey: TARGETS_KEY });
    },
    onError: (error) => message.error(errorText(error, '绑定失败')),
  });
  const compatible = (sources.data ?? []).filter((s) => s.kind === target.kind);
  const groups = Object.entries(METRIC_ORIGIN_LABELS)
    .map(([origin, label]) => ({ label, options: compatible.filter((s) => s.origin === origin).map((s) => ({ value: s.id, label: `${s.label}（${s.unit}）${s.byTown ? '' : ' · 仅全区'}`, title: s.note })) }))
    .filter((g) => g.options.length > 0);
  const chosen = sources.data?.find((s) => s.id === sourceId);
  return (
    <Card title="数据来源" size="small">
      <Flex vertical gap={12}>
        {VALUE_ADDED.test(target.subject) ? (
          <Alert
            type="warning"
            showIcon
            title="增加值不能用产值增速代替"
            description="增加值增速是统计局公布的可比价实际增速，不能由工业总产值计算：请选择“统计局公布指标”中的增加值增速，或改为手工填报。"
          />
        ) : null}
        <Radio.Group
          value={kind}
          onChange={(e) => setKind(e.target.value as BindingKind)}
          options={[
            { value: 'metric', label: '数据源自动取数', disabled: target.kind === 'milestone' },
            { value: 'manual', label: '手工填报（附依据）' },
            { value: 'none', label: '暂不绑定' },
          ]}
        />
        {kind === 'metric' ? (
          <Select
            aria-label="数据源"
            showSearch
            optionFilterProp="label"
            placeholder={compatible.length ? '选择数据源' : `没有可用的${TARGET_KIND_LABELS[target.kind]}类数据源（监测、培育模块注册后出现在这里）`}
            value={sourceId ?? undefined}
            onChange={(v) => setSourceId(v)}
            options={groups}
            style={{ width: '100%' }}
          />
        ) : null}
        {kind === 'metric' && chosen?.note ? <Typography.Text type="secondary">{chosen.note}</Typography.Text> : null}
        {target.binding.kind === 'metric' && !target.binding.registered ? (
          <Alert type="warning" showIcon title={`绑定的数据源 ${target.binding.sourceId} 尚未在本系统注册，暂时取不到数`} />
        ) : null}
        <div>
          <Button type="primary" loading={save.isPending} disabled={kind === 'metric' && !sourceId} onClick={() => save.mutate()}>
            保存绑定
          </Button>
        </div>
      </Flex>
    </Card>
  );
}

/** 修改目标: the reading of the plan (comparator, value, unit, kind), tolerance, base, owner. */
function EditCard({ target }: { target: TargetDetail }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const units = useUnits();
  const save = useMutation({
    mutationFn: (body: TargetUpdateBody) => updateTarget(target.id, body),
    onSuccess: async () => {
      message.success('目标已修改');
      await queryClient.invalidateQueries({ queryKey: TARGETS_KEY });
    },
    onError: (error) => message.error(errorText(error, '修改失败')),
  });
  const sections = (units.data ?? []).filter((u) => u.active && !TOWN_KINDS.includes(u.kind)).map((u) => ({ value: u.id, label: u.name }));
  return (
    <Card title="目标设置" size="small">
      <Form<TargetUpdateBody>
        layout="vertical"
        initialValues={{ subject: target.subject, comparator: target.comparator, value: target.value, unit: target.unit, kind: target.kind, stock: target.stock, tolerance: target.tolerance, base: target.base, ownerUnitId: target.ownerUnit?.id ?? null }}
        onFinish={(v) => save.mutate({ ...v, value: v.value === '' ? null : v.value, base: v.base === '' ? null : v.base, unit: v.unit === '' ? null : v.unit })}
      >
        <Form.Item name="subject" label="指标" rules={[{ required: true, whitespace: true }]}>
          <Input />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="comparator" label="比较">
            <Select style={{ width: 190 }} options={TARGET_COMPARATORS.map((c) => ({ value: c, label: COMPARATOR_LABELS[c] }))} />
          </Form.Item>
          <Form.Item name="value" label="目标值" rules={[{ pattern: /^-?\d+(\.\d+)?$/, message: '数字' }]}>
            <Input style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="unit" label="单位">
            <Input style={{ width: 80 }} />
          </Form.Item>
          <Form.Item name="kind" label="类型">
            <Select style={{ width: 100 }} options={TARGET_KINDS.map((k) => ({ value: k, label: TARGET_KIND_LABELS[k] }))} />
          </Form.Item>
        </Flex>
        <Flex gap={8} wrap>
          <Form.Item name="tolerance" label="“左右”容差" rules={[{ pattern: /^\d+(\.\d+)?$/, message: '数字' }]}>
            <Input style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="base" label="基数（上年值，增速分解校验用）" rules={[{ pattern: /^-?\d+(\.\d+)?$/, message: '数字' }]}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="ownerUnitId" label="责任股室">
            <Select allowClear style={{ width: 160 }} options={sections} />
          </Form.Item>
        </Flex>
        <Form.Item name="stock" label="时点量" valuePropName="checked" extra="如“全区高新技术企业突破 60 家”（有效总数）：不按时间进度折算，直接与全年目标比较">
          <Switch />
        </Form.Item>
        <Button htmlType="submit" loading={save.isPending}>
          保存设置
        </Button>
      </Form>
    </Card>
  );
}

/** 手工填报: a figure with its evidence; a town reports against its own quota. */
function ManualCard({ target, period }: { target: TargetDetail; period: string }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const can = useCan();
  const me = useMe();
  const towns = target.quotas.rows.map((r) => r.town);
  const district = can('targets.manage');
  const [form] = Form.useForm<{ period: string; townId?: string; value: string; evidence: string }>();
  const add = useMutation({
    mutationFn: (v: { period: string; townId?: string; value: string; evidence: string }) => addManualValue(target.id, { ...v, townId: v.townId ?? null }),
    onSuccess: async () => {
      message.success('已填报');
      form.resetFields(['value', 'evidence']);
      await queryClient.invalidateQueries({ queryKey: TARGETS_KEY });
    },
    onError: (error) => message.error(errorText(error, '填报失败')),
  });
  const canTown = me.permissions.includes('plans.report') && towns.length > 0;
  return (
    <Card title="手工填报与历史" size="small">
      {district || canTown ? (
        <Form form={form} layout="vertical" initialValues={{ period, townId: district ? undefined : towns[0]?.id }} onFinish={(v) => add.mutate(v)}>
          <Flex gap={8} wrap>
            <Form.Item name="period" label="报告期" rules={[{ required: true }]}>
              <PeriodSelect year={target.year} label="填报报告期" />
            </Form.Item>
            {towns.length ? (
              <Form.Item name="townId" label="镇街（不选为全区）">
                <Select aria-label="填报镇街" allowClear={district} style={{ width: 170 }} options={towns.map((t) => ({ value: t.id, label: t.name }))} />
              </Form.Item>
            ) : null}
            <Form.Item name="value" label={target.kind === 'milestone' ? '完成（1 是 / 0 否）' : `累计值（${target.unit ?? ''}）`} rules={[{ required: true, pattern: /^-?\d+(\.\d+)?$/, message: '请填写数字' }]}>
              <Input aria-label="填报数值" style={{ width: 130 }} />
            </Form.Item>
          </Flex>
          <Form.Item name="evidence" label="依据" rules={[{ required: true, whitespace: true, message: '请说明数据依据' }]}>
            <Input aria-label="填报依据" placeholder="文件、批复、名单等" maxLength={2000} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending}>
            填报
          </Button>
        </Form>
      ) : null}
      <Table
        style={{ marginTop: 12 }}
        size="small"
        rowKey="id"
        pagination={{ pageSize: 8, hideOnSinglePage: true }}
        dataSource={target.manualValues}
        locale={{ emptyText: '暂无填报记录' }}
        columns={[
          { title: '报告期', dataIndex: 'period', render: (p: string) => periodLabel(p) },
          { title: '范围', dataIndex: 'town', render: (t: { name: string } | null) => t?.name ?? '全区' },
          { title: '数值', dataIndex: 'value', render: (v: string) => withUnit(v, target.unit) },
          { title: '依据', dataIndex: 'evidence' },
          { title: '填报', dataIndex: 'enteredAt', render: (v: string, r) => `${r.enteredBy} ${formatDateTime(v)}` },
        ]}
      />
    </Card>
  );
}

/** 任务分解: a quota per town; counts and amounts must add up, growth quotas are checked on bases. */
function QuotasCard({ target }: { target: TargetDetail }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const can = useCan();
  const units = useUnits();
  const towns = (units.data ?? []).filter((u) => u.active && TOWN_KINDS.includes(u.kind));
  const manage = can('targets.manage') && target.kind !== 'milestone';
  const byTown = new Map(target.quotas.rows.map((r) => [r.town.id, r]));
  const [draft, setDraft] = useState<Record<string, { value: string; base: string }>>({});
  const valueOf = (townId: string) => draft[townId]?.value ?? byTown.get(townId)?.value ?? '';
  const baseOf = (townId: string) => draft[townId]?.base ?? byTown.get(townId)?.base ?? '';
  const save = useMutation({
    mutationFn: () =>
      setQuotas(
        target.id,
        towns.filter((t) => valueOf(t.id).trim() !== '').map((t) => ({ townId: t.id, value: valueOf(t.id).trim(), base: baseOf(t.id).trim() || null })),
      ),
    onSuccess: async (view) => {
      if (view.check.ok) message.success('任务分解已保存');
      else message.warning(`已保存，但${view.check.messages.join('；')}`);
      setDraft({});
      await queryClient.invalidateQueries({ queryKey: TARGETS_KEY });
    },
    onError: (error) => message.error(errorText(error, '保存失败')),
  });
  const check = target.quotas.check;
  const rows: (QuotaRow | { id: string; town: { id: string; name: string } })[] = manage ? towns.map((t) => byTown.get(t.id) ?? { id: t.id, town: { id: t.id, name: t.name } }) : target.quotas.rows;
  return (
    <Card title="任务分解到镇街" size="small" extra={manage ? <Button type="primary" size="small" loading={save.isPending} onClick={() => save.mutate()}>保存分解</Button> : null}>
      {check.messages.length ? <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={check.messages.join('；')} /> : check.sum !== null ? <Alert type="success" showIcon style={{ marginBottom: 8 }} title="分解与全区目标一致" /> : null}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: '未分解（或没有分配给本镇街的任务）' }}
        columns={[
          { title: '镇街', render: (_, r) => r.town.name },
          {
            title: `任务（${target.unit ?? ''}）`,
            render: (_, r) =>
              manage ? (
                <Input aria-label={`${r.town.name}任务`} style={{ width: 100 }} value={valueOf(r.town.id)} onChange={(e) => setDraft({ ...draft, [r.town.id]: { value: e.target.value, base: baseOf(r.town.id) } })} />
              ) : (
                withUnit('value' in r ? r.value : null, target.unit)
              ),
          },
          ...(target.kind === 'growth'
            ? [
                {
                  title: '基数（上年值）',
                  render: (_: unknown, r: (typeof rows)[number]) =>
                    manage ? (
                      <Input aria-label={`${r.town.name}基数`} style={{ width: 110 }} value={baseOf(r.town.id)} onChange={(e) => setDraft({ ...draft, [r.town.id]: { value: valueOf(r.town.id), base: e.target.value } })} />
                    ) : 'base' in r ? (
                      (r.base ?? '—')
                    ) : (
                      '—'
                    ),
                },
              ]
            : []),
          { title: '完成', render: (_, r) => ('actual' in r ? withUnit(r.actual, target.unit) : '—') },
          { title: '完成率', render: (_, r) => ('completionPct' in r && r.completionPct !== null ? `${r.completionPct}%` : '—') },
          { title: '状态', render: (_, r) => ('status' in r ? <TargetStatusTag status={r.status} /> : null) },
        ]}
        summary={() =>
          check.sum !== null && target.kind !== 'growth' ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
              <Table.Summary.Cell index={1}>
                {check.sum} / 全区 {check.target}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}

function HistoryCard({ target }: { target: TargetDetail }) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' as const },
      legend: { data: ['实际', '进度要求'] },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category' as const, data: target.history.map((h) => `1-${Number(h.period.slice(5, 7))}月`) },
      yAxis: { type: 'value' as const, name: target.unit ?? '' },
      series: [
        { name: '实际', type: 'line' as const, data: target.history.map((h) => (h.actual === null ? null : Number(h.actual))) },
        { name: '进度要求', type: 'line' as const, lineStyle: { type: 'dashed' as const }, data: target.history.map((h) => (h.expected === null ? null : Number(h.expected))) },
      ],
    }),
    [target],
  );
  return (
    <Card title="逐月情况" size="small">
      {target.kind !== 'milestone' ? <Chart option={option} height={240} ariaLabel={`${target.subject}逐月实际与进度要求`} /> : null}
      <Table<Evaluation>
        size="small"
        rowKey="period"
        pagination={false}
        dataSource={target.history}
        columns={[
          { title: '报告期', dataIndex: 'period', render: (p: string) => periodLabel(p) },
          { title: '实际', dataIndex: 'actual', render: (v: string | null) => withUnit(v, target.unit) },
          { title: '进度要求', dataIndex: 'expected', render: (v: string | null) => withUnit(v, target.unit) },
          { title: '完成率', dataIndex: 'completionPct', render: (v: number | null) => (v === null ? '—' : `${v}%`) },
          { title: '状态', dataIndex: 'status', render: (s: Evaluation['status'], r) => <TargetStatusTag status={s} note={r.note} /> },
        ]}
      />
    </Card>
  );
}

/** 目标详情: standing, binding, settings, manual figures, decomposition and history of one target. */
export function TargetDetailPage() {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const can = useCan();
  const [period, setPeriod] = useState<string | undefined>(search.get('period') ?? undefined);
  const query = useTarget(id, period);
  if (query.isPending) return <PageLoading />;
  if (query.isError) return <Result status="error" title="无法加载目标" subTitle={query.error.message} extra={<Button onClick={() => void navigate('/targets')}>返回目标列表</Button>} />;
  const t = query.data;
  const e = t.evaluation;
  return (
    <>
      <PageHeader
        title={
          <Flex align="center" gap={8} wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回目标列表" onClick={() => void navigate(`/targets?year=${t.year}`)} />
            {t.subject}
            <Typography.Text type="secondary">{targetText(t)}</Typography.Text>
            <TargetStatusTag status={e.status} note={e.note} />
          </Flex>
        }
        description={t.text || undefined}
        extra={<PeriodSelect year={t.year} value={period ?? e.period} onChange={setPeriod} />}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex gap={40} wrap>
          <Statistic title="当前实际" value={withUnit(e.actual, t.unit)} />
          <Statistic title={`进度要求（时间进度 ${e.timeProgressPct}%）`} value={withUnit(e.expected, t.unit)} />
          <Statistic title="完成率" value={e.completionPct === null ? '—' : `${e.completionPct}%`} />
          <Statistic title={`年底预测${e.forecastMethod ? `（${e.forecastMethod}）` : ''}`} value={withUnit(e.forecast, t.unit)} />
        </Flex>
        {e.note ? <Typography.Text type="secondary">{e.note}</Typography.Text> : null}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <HistoryCard target={t} />
            {t.hasQuotas || can('targets.manage') ? <QuotasCard target={t} /> : null}
            {t.binding.kind === 'manual' ? <ManualCard target={t} period={e.period} /> : null}
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            {can('targets.manage') ? (
              <BindingCard target={t} />
            ) : (
              <Card size="small" title="数据来源">
                <Descriptions size="small" column={1} items={[{ key: 'b', label: '来源', children: t.binding.sourceLabel ?? (t.binding.kind === 'manual' ? '手工填报' : '未绑定') }]} />
              </Card>
            )}
            {can('targets.manage') ? <EditCard target={t} /> : null}
            {t.related.length ? (
              <Card size="small" title="衡量同一事项的目标">
                <List
                  size="small"
                  dataSource={t.related}
                  renderItem={(r) => (
                    <List.Item>
                      <Link to={`/targets/${r.id}`}>{r.subject}</Link>
                      <Space>
                        <Typography.Text>{targetText(r)}</Typography.Text>
                        <Tag>{r.itemLabel ? `第 ${r.itemLabel} 项` : '主要目标'}</Tag>
                      </Space>
                    </List.Item>
                  )}
                />
              </Card>
            ) : null}
          </Space>
        </Col>
      </Row>
    </>
  );
}

