import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { App, Button, Card, Flex, Form, Input, InputNumber, Popover, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SettingOutlined, WarningOutlined } from '@ant-design/icons';
import { BINDING_KIND_LABELS } from '#common/contracts/targets.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useCan } from '#web/features/auth/session.tsx';
import { usePlans } from '#web/features/plans/api.ts';
import { PeriodSelect } from '#web/features/plans/PeriodSelect.tsx';
import { saveTargetSettings, TARGETS_KEY, useTargets, useTargetSettings, type Target, type TargetSettings } from '#web/features/targets/api.ts';
import { TargetStatusTag } from '#web/features/targets/labels.tsx';
import { targetText, withUnit } from '#web/features/targets/targetText.ts';
import { ApiError } from '#web/lib/http.ts';

/** 状态阈值: pace from which a target is 正常 / 滞后 (below: 预警), and the 左右 tolerance. */
function SettingsForm() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const settings = useTargetSettings();
  const save = useMutation({
    mutationFn: (values: TargetSettings) => saveTargetSettings(values),
    onSuccess: async () => {
      message.success('阈值已保存');
      await queryClient.invalidateQueries({ queryKey: TARGETS_KEY });
    },
    onError: (error) => message.error(error instanceof ApiError ? error.message : '保存失败'),
  });
  if (!settings.data) return null;
  return (
    <Form<TargetSettings> layout="vertical" initialValues={settings.data} onFinish={(v) => save.mutate(v)} style={{ width: 320 }}>
      <Typography.Paragraph type="secondary">完成进度与时间进度之比：不低于“正常”为正常，不低于“滞后”为滞后，再低为预警；已完成全年目标为达标。</Typography.Paragraph>
      <Form.Item name="normalPct" label="正常（%）" rules={[{ required: true }]}>
        <InputNumber min={0} max={200} />
      </Form.Item>
      <Form.Item name="laggingPct" label="滞后（%）" rules={[{ required: true }]}>
        <InputNumber min={0} max={200} />
      </Form.Item>
      <Form.Item name="approxTolerance" label="“左右”的容差（百分点）" rules={[{ required: true, pattern: /^\d+(\.\d+)?$/, message: '请填写数字' }]}>
        <Input style={{ width: 120 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        保存
      </Button>
    </Form>
  );
}

/** 目标任务: every target of a year with actual, expected by time progress, forecast and status. */
export function TargetsPage() {
  const can = useCan();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const plans = usePlans();
  const planId = search.get('planId') ?? undefined;
  const years = [...new Set([...(plans.data ?? []).map((p) => p.year), new Date().getFullYear()])].sort((a, b) => b - a);
  const year = Number(search.get('year') ?? '') || (plans.data?.[0]?.year ?? new Date().getFullYear());
  const [period, setPeriod] = useState<string | undefined>();
  const targets = useTargets({ year: planId ? undefined : year, planId, period });
  const shown = period ?? targets.data?.period;

  const columns: TableColumnsType<Target> = [
    {
      title: '指标',
      dataIndex: 'subject',
      render: (subject: string, row) => (
        <Flex vertical gap={2}>
          <Link to={`/targets/${row.id}${shown ? `?period=${shown}` : ''}`}>{subject}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.origin === 'main' ? '主要目标' : row.itemLabel ? `第 ${row.itemLabel} 项` : '单列目标'}
            {row.relatedKey ? <Tag style={{ marginLeft: 6 }}>同一事项：{row.relatedKey}</Tag> : null}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: '全年目标', width: 140, render: (_, row) => targetText(row) },
    { title: '当前实际', width: 110, render: (_, row) => withUnit(row.evaluation.actual, row.unit) },
    { title: '进度要求', width: 100, render: (_, row) => withUnit(row.evaluation.expected, row.unit) },
    {
      title: '年底预测',
      width: 110,
      render: (_, row) => (row.evaluation.forecast === null ? '—' : <Tooltip title={row.evaluation.forecastMethod}>{withUnit(row.evaluation.forecast, row.unit)}</Tooltip>),
    },
    { title: '完成率', width: 90, render: (_, row) => (row.evaluation.completionPct === null ? '—' : `${row.evaluation.completionPct}%`) },
    { title: '状态', width: 80, render: (_, row) => <TargetStatusTag status={row.evaluation.status} note={row.evaluation.note} /> },
    {
      title: '数据来源',
      width: 220,
      render: (_, row) =>
        row.binding.kind === 'metric' ? (
          <Typography.Text>
            {row.binding.sourceLabel ?? row.binding.sourceId}
            {!row.binding.registered ? (
              <Tag icon={<WarningOutlined />} color="warning" style={{ marginLeft: 4 }}>
                数据源未注册
              </Tag>
            ) : null}
          </Typography.Text>
        ) : (
          <Tag color={row.binding.kind === 'manual' ? 'blue' : 'default'}>{BINDING_KIND_LABELS[row.binding.kind]}</Tag>
        ),
    },
    { title: '分解', width: 60, render: (_, row) => (row.hasQuotas ? <Tag color="purple">已分解</Tag> : null) },
  ];

  return (
    <>
      <PageHeader
        title="目标任务"
        description="目标与数据绑定：实际值、时序进度要求、年底预测和状态；分解到镇街的目标参加排序通报"
        extra={
          <>
            {planId ? (
              <Button onClick={() => setSearch({ year: String(year) })}>显示全年全部目标</Button>
            ) : (
              <Select aria-label="年度" value={year} style={{ width: 110 }} options={years.map((y) => ({ value: y, label: `${y} 年` }))} onChange={(y) => setSearch({ year: String(y) })} />
            )}
            <PeriodSelect year={year} value={shown} onChange={setPeriod} />
            <Button onClick={() => void navigate('/targets/rankings')}>排序通报</Button>
            {can('targets.manage') ? (
              <Popover trigger="click" title="状态阈值" content={<SettingsForm />} placement="bottomRight">
                <Button icon={<SettingOutlined />}>状态阈值</Button>
              </Popover>
            ) : null}
          </>
        }
      />
      <Card size="small">
        <Table rowKey="id" size="middle" loading={targets.isPending} columns={columns} dataSource={targets.data?.items ?? []} pagination={false} locale={{ emptyText: '该年度还没有目标：导入工作要点后，其中的目标会出现在这里' }} />
      </Card>
    </>
  );
}
