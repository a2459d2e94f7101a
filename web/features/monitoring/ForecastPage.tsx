import { useEffect, useState } from 'react';
import { Alert, Card, InputNumber, Select, Space, Table, Tabs, Typography } from 'antd';
import { INDICATORS, indicatorOf, type IndicatorCode } from '#common/indicators.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { usePeriods, useForecast, type ForecastTable } from '#web/features/monitoring/api.ts';
import { formatGrowth, formatValue, growthColor, periodLabel } from '#web/features/monitoring/format.ts';

type Row = ForecastTable['district'];

/**
 * 全年预测: each indicator's year-end projection for the district, towns and chains by the same
 * enterprises' share of last year's year-end reached by month N, and the growth the remaining
 * months need to reach the target.
 */
export function MonitoringForecastPage() {
  const periods = usePeriods();
  const [period, setPeriod] = useState<string | null>(null);
  const [indicator, setIndicator] = useState<IndicatorCode>('output_value');
  const [target, setTarget] = useState<number | null>(null);
  useEffect(() => {
    if (!period && periods.data?.latest) setPeriod(periods.data.latest);
  }, [period, periods.data]);
  const forecast = useForecast(period ? { period, indicator, ...(target === null ? {} : { targetGrowthPct: target }) } : null);
  const unit = indicatorOf(indicator).unit;
  const columns = [
    { title: '名称', dataIndex: 'name', key: 'name' },
    { title: '本年累计', key: 'c', align: 'right' as const, render: (_: unknown, r: Row) => formatValue(r.current, unit) },
    { title: '累计增速', key: 'g', align: 'right' as const, render: (_: unknown, r: Row) => <span style={{ color: growthColor(r.growthPct) }}>{formatGrowth(r.growthPct)}</span> },
    { title: '进度比重', key: 's', align: 'right' as const, render: (_: unknown, r: Row) => (r.sharePct === null ? '—' : `${r.sharePct.toFixed(1)}%`) },
    { title: '预计全年', key: 'p', align: 'right' as const, render: (_: unknown, r: Row) => formatValue(r.projected, unit) },
    { title: '上年全年', key: 'l', align: 'right' as const, render: (_: unknown, r: Row) => formatValue(r.lastYearTotal, unit) },
    { title: '目标值', key: 't', align: 'right' as const, render: (_: unknown, r: Row) => formatValue(r.targetValue, unit) },
    { title: '尚需', key: 'gap', align: 'right' as const, render: (_: unknown, r: Row) => formatValue(r.gap, unit) },
    {
      title: '剩余月份需增长',
      key: 'req',
      align: 'right' as const,
      render: (_: unknown, r: Row) => <Typography.Text strong={r.requiredRemainingGrowthPct !== null && forecast.data !== undefined && r.requiredRemainingGrowthPct > forecast.data.targetGrowthPct}>{formatGrowth(r.requiredRemainingGrowthPct)}</Typography.Text>,
    },
    { title: '方法', key: 'm', render: (_: unknown, r: Row) => <Typography.Text type="secondary">{r.methodLabel}</Typography.Text> },
  ];
  const data = forecast.data;
  return (
    <>
      <PageHeader
        title="全年预测"
        description="按同口径企业上年1–N月占上年全年的比重推算全年，并给出完成目标剩余月份需要的增速。"
        extra={
          <Space wrap>
            <Select aria-label="报告期" style={{ width: 150 }} value={period} onChange={setPeriod} options={(periods.data?.periods ?? []).map((p) => ({ value: p.period, label: periodLabel(p.period) }))} />
            <Select aria-label="指标" style={{ width: 150 }} value={indicator} onChange={setIndicator} options={INDICATORS.map((i) => ({ value: i.code, label: i.name }))} />
            <InputNumber aria-label="目标增速" addonBefore="目标增速" addonAfter="%" value={target ?? data?.targetGrowthPct ?? null} onChange={(v) => setTarget(v)} step={0.5} />
          </Space>
        }
      />
      {data ? <Alert type="info" showIcon title="计算方法" description={data.method} style={{ marginBottom: 16 }} /> : null}
      <Card loading={forecast.isLoading}>
        {data ? (
          <Tabs
            items={[
              { key: 'district', label: '全区', children: <Table rowKey="key" size="small" pagination={false} columns={columns} dataSource={[data.district]} scroll={{ x: true }} /> },
              { key: 'town', label: '镇街', children: <Table rowKey="key" size="small" pagination={false} columns={columns} dataSource={data.byTown} scroll={{ x: true }} /> },
              { key: 'chain', label: '产业链', children: <Table rowKey="key" size="small" pagination={false} columns={columns} dataSource={data.byChain} scroll={{ x: true }} /> },
            ]}
          />
        ) : null}
      </Card>
    </>
  );
}
