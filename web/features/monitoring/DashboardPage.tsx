import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Dropdown, Empty, Flex, List, Row, Segmented, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, UploadOutlined, WarningOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { INDICATORS, indicatorOf, type IndicatorCode } from '#common/indicators.ts';
import { WARNING_LEVEL_LABELS, type FigureDimension, type FigureRow } from '#common/contracts/monitoring.ts';
import type { ChartOption } from '#web/components/Chart.tsx';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useCan } from '#web/features/auth/session.tsx';
import { ApiError } from '#web/lib/http.ts';
import {
  downloadAnalysisReport,
  exportDrilldown,
  exportFigures,
  exportTrend,
  useDrilldown,
  useFigures,
  usePeriods,
  useReported,
  useTrend,
  useWarnings,
  type FigureRef,
} from '#web/features/monitoring/api.ts';
import { ChartCard } from '#web/features/monitoring/ChartCard.tsx';
import { DrilldownDrawer } from '#web/features/monitoring/DrilldownDrawer.tsx';
import { formatGrowth, formatPoints, formatValue, growthColor, periodLabel, valueIn, type AmountUnit } from '#web/features/monitoring/format.ts';

const LEVEL_COLORS = { red: 'red', orange: 'orange', yellow: 'gold' } as const;

/** A number that opens the enterprise rows behind it. */
function Drill({ onClick, children, color }: { onClick: () => void; children: React.ReactNode; color?: string | undefined }) {
  return (
    <Typography.Link onClick={onClick} style={color ? { color } : undefined}>
      {children}
    </Typography.Link>
  );
}

function groupColumns(unit: string, display: AmountUnit, drill: (key: string) => void, label: string) {
  return [
    { title: label, dataIndex: 'name', key: 'name', fixed: 'left' as const },
    { title: '本年累计', key: 'current', align: 'right' as const, render: (_: unknown, r: FigureRow) => <Drill onClick={() => drill(r.key)}>{formatValue(r.current, unit, display)}</Drill> },
    { title: '上年同期', key: 'previous', align: 'right' as const, render: (_: unknown, r: FigureRow) => <Drill onClick={() => drill(r.key)}>{formatValue(r.previous, unit, display)}</Drill> },
    {
      title: '同比',
      key: 'growth',
      align: 'right' as const,
      render: (_: unknown, r: FigureRow) => (
        <Drill onClick={() => drill(r.key)} color={growthColor(r.growthPct)}>
          {formatGrowth(r.growthPct, r.state)}
        </Drill>
      ),
    },
    { title: '拉动', key: 'pts', align: 'right' as const, render: (_: unknown, r: FigureRow) => <Drill onClick={() => drill(r.key)}>{formatPoints(r.contributionPts)}</Drill> },
    { title: '报送/未报', key: 'n', align: 'right' as const, render: (_: unknown, r: FigureRow) => <Drill onClick={() => drill(r.key)}>{`${r.enterprises} / ${r.missing}`}</Drill> },
    { title: '增/降', key: 'dir', align: 'right' as const, render: (_: unknown, r: FigureRow) => `${r.growing} / ${r.falling}` },
  ];
}

function groupOption(rows: FigureRow[], title: string): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['同比增长（%）', '拉动（百分点）'] },
    grid: { left: 48, right: 48, bottom: 100, top: 56 },
    xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { rotate: 35, interval: 0 } },
    yAxis: [
      { type: 'value', name: '%' },
      { type: 'value', name: '百分点' },
    ],
    series: [
      { name: '同比增长（%）', type: 'bar', data: rows.map((r) => (r.growthPct === null ? null : Number(r.growthPct.toFixed(2)))) },
      { name: '拉动（百分点）', type: 'line', yAxisIndex: 1, data: rows.map((r) => (r.contributionPts === null ? null : Number(r.contributionPts.toFixed(2)))) },
    ],
    title: { show: false, text: title },
  } as ChartOption;
}

/**
 * 工业经济运行监测: the month's headline figures, growth by month this year against last, towns
 * and chains with growth and 拉动, the top contributors and decliners, and the open warnings.
 * Every number opens the enterprise rows behind it (within the user's scope).
 */
export function MonitoringDashboardPage() {
  const can = useCan();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const periods = usePeriods();
  const [period, setPeriod] = useState<string | null>(null);
  const [indicator, setIndicator] = useState<IndicatorCode>('output_value');
  const [display, setDisplay] = useState<AmountUnit>('亿元');
  const [dimension, setDimension] = useState<FigureDimension>('division');
  const [drill, setDrill] = useState<FigureRef | null>(null);

  useEffect(() => {
    if (!period && periods.data?.latest) setPeriod(periods.data.latest);
  }, [period, periods.data]);

  const year = period ? Number(period.slice(0, 4)) : null;
  const unit = indicatorOf(indicator).unit;
  const district = useFigures(period ? { period, indicator, dimension: 'district' } : null);
  const towns = useFigures(period ? { period, indicator, dimension: 'town' } : null);
  const chains = useFigures(period ? { period, indicator, dimension: 'chain' } : null);
  const other = useFigures(period ? { period, indicator, dimension } : null);
  const trend = useTrend(year ? { year, indicator } : null);
  const rows = useDrilldown(period ? { period, indicator, dimension: 'district' } : null);
  const reported = useReported(year ?? new Date().getFullYear());
  const warnings = useWarnings({ period: period ?? undefined, status: 'open', pageSize: 8 });

  const open = (dim: FigureDimension, key?: string) => period && setDrill({ period, indicator, dimension: dim, key });
  const d = district.data?.district;
  const va = reported.data?.items.find((r) => r.code === 'industrial_va_growth' && r.period === period);

  const trendOption = useMemo((): ChartOption => {
    const points = trend.data?.points ?? [];
    const labels = points.map((p) => `1-${Number(p.period.slice(5))}月`);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [`${year}年累计增速`, `${(year ?? 0) - 1}年累计增速`, '当月值'] },
      grid: { left: 56, right: 56, bottom: 32, top: 56 },
      xAxis: { type: 'category', data: labels },
      yAxis: [
        { type: 'value', name: '%' },
        { type: 'value', name: unit === '千元' ? display : unit },
      ],
      series: [
        { name: `${year}年累计增速`, type: 'line', data: points.map((p) => (p.cumulative?.growthPct === undefined || p.cumulative.growthPct === null ? null : Number(p.cumulative.growthPct.toFixed(2)))) },
        { name: `${(year ?? 0) - 1}年累计增速`, type: 'line', lineStyle: { type: 'dashed' }, data: points.map((p) => (p.lastYear?.growthPct === undefined || p.lastYear.growthPct === null ? null : Number(p.lastYear.growthPct.toFixed(2)))) },
        { name: '当月值', type: 'bar', yAxisIndex: 1, data: points.map((p) => (p.monthly ? valueIn(p.monthly.current, unit, display) : null)) },
      ],
    } as ChartOption;
  }, [trend.data, year, unit, display]);

  const contributors = rows.data?.rows ?? [];
  const top = [...contributors].sort((a, b) => (b.contributionPts ?? 0) - (a.contributionPts ?? 0)).slice(0, 10);
  const bottom = [...contributors].sort((a, b) => (a.contributionPts ?? 0) - (b.contributionPts ?? 0)).slice(0, 10);

  const report = (format: 'docx' | 'pdf') => {
    if (!period) return;
    void downloadAnalysisReport(period, format).catch((e: unknown) => message.error(e instanceof ApiError ? e.message : '下载失败，请稍后重试'));
  };

  if (periods.data && !periods.data.latest) {
    return (
      <>
        <PageHeader title="工业经济运行监测" />
        <Card>
          <Empty description="还没有企业月报。">
            {can('monitoring.import') ? (
              <Button type="primary" onClick={() => void navigate('/monitoring/import')}>
                导入月度报表
              </Button>
            ) : null}
          </Empty>
        </Card>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="工业经济运行监测"
        description="规上工业企业月报，同口径计算：报送企业本年1–N月累计之和 ÷ 上年同期之和 − 1。点击任一数字查看背后的企业明细。"
        extra={
          <>
            <Select
              aria-label="报告期"
              style={{ width: 150 }}
              value={period}
              onChange={setPeriod}
              loading={periods.isLoading}
              options={(periods.data?.periods ?? []).map((p) => ({ value: p.period, label: periodLabel(p.period) }))}
            />
            <Select aria-label="指标" style={{ width: 150 }} value={indicator} onChange={setIndicator} options={INDICATORS.map((i) => ({ value: i.code, label: i.name }))} />
            {unit === '千元' ? (
              <Segmented
                value={display}
                onChange={(v) => setDisplay(v as AmountUnit)}
                options={[
                  { label: '万元', value: '万元' },
                  { label: '亿元', value: '亿元' },
                ]}
              />
            ) : null}
            <Dropdown
              menu={{
                items: [
                  { key: 'docx', label: 'Word（.docx）' },
                  { key: 'pdf', label: 'PDF' },
                ],
                onClick: ({ key }) => report(key as 'docx' | 'pdf'),
              }}
            >
              <Button icon={<DownloadOutlined />}>月度分析报告</Button>
            </Dropdown>
            {can('monitoring.import') ? (
              <Button icon={<UploadOutlined />} onClick={() => void navigate('/monitoring/import')}>
                导入月报
              </Button>
            ) : null}
          </>
        }
      />

      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} xl={6}>
          <Card>
            <Statistic
              title={`${indicatorOf(indicator).name}（${period ? periodLabel(period) : ''}）`}
              value={d ? formatValue(d.current, unit, display) : '—'}
              loading={district.isLoading}
            />
            <Drill onClick={() => open('district')}>上年同期 {d ? formatValue(d.previous, unit, display) : '—'} · 查看明细</Drill>
          </Card>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Card>
            <Statistic title="同口径增速" value={d ? formatGrowth(d.growthPct, d.state) : '—'} styles={{ content: { color: growthColor(d?.growthPct) } }} loading={district.isLoading} />
            <Typography.Text type="secondary">
              当月 {d?.monthly ? formatGrowth(d.monthly.growthPct) : '—'}
              {va ? ` · 规上工业增加值增速 ${va.value}%（统计局）` : ''}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Card>
            <Statistic title="报送企业" value={d ? `${d.enterprises} 家` : '—'} loading={district.isLoading} />
            <Drill onClick={() => open('district')}>
              未报 {d?.missing ?? '—'} 家 · 增长 {d?.growing ?? '—'} 家 · 下降 {d?.falling ?? '—'} 家
            </Drill>
          </Card>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Card>
            <Statistic
              title="行业增长面"
              value={district.data?.divisionsGrowing.sharePct === null || !district.data ? '—' : `${district.data.divisionsGrowing.sharePct.toFixed(1)}%`}
              loading={district.isLoading}
            />
            <Typography.Text type="secondary">
              {district.data ? `${district.data.divisionsGrowing.divisions} 个行业大类中 ${district.data.divisionsGrowing.growing} 个增长` : ''}
            </Typography.Text>
          </Card>
        </Col>

        <Col xs={24} xl={16}>
          <ChartCard
            title="逐月累计增速（本年与上年）"
            option={trendOption}
            ariaLabel={`${year}年与上年逐月累计增速`}
            loading={trend.isLoading}
            rowKey="period"
            rows={trend.data?.points ?? []}
            onExport={() => (year ? exportTrend({ year, indicator }) : Promise.resolve())}
            columns={[
              { title: '报告期', key: 'p', render: (_, p) => periodLabel(p.period) },
              { title: '本年累计', key: 'c', align: 'right', render: (_, p) => formatValue(p.cumulative?.current, unit, display) },
              { title: '累计增速', key: 'g', align: 'right', render: (_, p) => formatGrowth(p.cumulative?.growthPct) },
              { title: '上年累计增速', key: 'l', align: 'right', render: (_, p) => formatGrowth(p.lastYear?.growthPct) },
              { title: '当月', key: 'm', align: 'right', render: (_, p) => formatValue(p.monthly?.current, unit, display) },
              { title: '当月增速', key: 'mg', align: 'right', render: (_, p) => formatGrowth(p.monthly?.growthPct) },
            ]}
            onItemClick={(item) => {
              const p = trend.data?.points[item.dataIndex];
              if (p?.cumulative) setDrill({ period: p.period, indicator, dimension: 'district' });
            }}
          />
        </Col>
        <Col xs={24} xl={8}>
          <Card
            title={
              <Space>
                <WarningOutlined />
                本期预警
              </Space>
            }
            extra={<Link to="/monitoring/warnings">全部预警</Link>}
          >
            <Flex gap={8} style={{ marginBottom: 8 }}>
              {(['red', 'orange', 'yellow'] as const).map((level) => (
                <Tag key={level} color={LEVEL_COLORS[level]}>
                  {WARNING_LEVEL_LABELS[level]} {warnings.data?.counts[level] ?? 0}
                </Tag>
              ))}
            </Flex>
            <List
              size="small"
              loading={warnings.isLoading}
              dataSource={warnings.data?.items ?? []}
              locale={{ emptyText: '本期没有待处理的预警' }}
              renderItem={(w) => (
                <List.Item>
                  <Typography.Text>
                    <Tag color={LEVEL_COLORS[w.level]}>{WARNING_LEVEL_LABELS[w.level]}</Tag>
                    {w.reason}
                  </Typography.Text>
                </List.Item>
              )}
            />
          </Card>
        </Col>

        <Col xs={24} xl={12}>
          <ChartCard
            title="各镇街增速与拉动"
            option={groupOption(towns.data?.groups ?? [], '镇街')}
            ariaLabel="各镇街同比增速与拉动百分点"
            loading={towns.isLoading}
            rowKey="key"
            rows={towns.data?.groups ?? []}
            columns={groupColumns(unit, display, (key) => open('town', key), '镇街')}
            onExport={() => (period ? exportFigures({ period, indicator, dimension: 'town' }) : Promise.resolve())}
            onItemClick={(item) => {
              const g = towns.data?.groups[item.dataIndex];
              if (g) open('town', g.key);
            }}
          />
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard
            title="各产业链增速与拉动"
            extra={<Typography.Text type="secondary">产业链有交叉，拉动不可相加</Typography.Text>}
            option={groupOption(chains.data?.groups ?? [], '产业链')}
            ariaLabel="各产业链同比增速与拉动百分点"
            loading={chains.isLoading}
            rowKey="key"
            rows={chains.data?.groups ?? []}
            columns={groupColumns(unit, display, (key) => open('chain', key), '产业链')}
            onExport={() => (period ? exportFigures({ period, indicator, dimension: 'chain' }) : Promise.resolve())}
            onItemClick={(item) => {
              const g = chains.data?.groups[item.dataIndex];
              if (g) open('chain', g.key);
            }}
          />
        </Col>

        <Col xs={24} xl={12}>
          <ChartCard
            title="分组结构"
            extra={
              <Select
                size="small"
                style={{ width: 110 }}
                value={dimension}
                onChange={setDimension}
                options={[
                  { value: 'division', label: '行业大类' },
                  { value: 'scale', label: '规模档' },
                  { value: 'entrant', label: '新入库' },
                  { value: 'group', label: '企业集团' },
                ]}
              />
            }
            option={groupOption(other.data?.groups ?? [], '分组')}
            ariaLabel="按分组的同比增速与拉动"
            loading={other.isLoading}
            rowKey="key"
            rows={other.data?.groups ?? []}
            columns={groupColumns(unit, display, (key) => open(dimension, key), '分组')}
            onExport={() => (period ? exportFigures({ period, indicator, dimension }) : Promise.resolve())}
            onItemClick={(item) => {
              const g = other.data?.groups[item.dataIndex];
              if (g) open(dimension, g.key);
            }}
          />
        </Col>
        <Col xs={24} xl={12}>
          <Card
            title="拉动最多与下拉最多的企业"
            extra={period ? <Button size="small" icon={<DownloadOutlined />} onClick={() => void exportDrilldown({ period, indicator, dimension: 'district' })}>导出</Button> : null}
          >
            {rows.data && rows.data.hiddenRows > 0 ? <Alert type="info" showIcon style={{ marginBottom: 8 }} title={`仅列出您管辖范围内的企业（另有 ${rows.data.hiddenRows} 家不显示）`} /> : null}
            <Row gutter={16}>
              {[
                { title: '拉动最多', list: top },
                { title: '下拉最多', list: bottom },
              ].map((part) => (
                <Col xs={24} md={12} key={part.title}>
                  <Typography.Text strong>{part.title}</Typography.Text>
                  <Table
                    size="small"
                    rowKey={(r) => r.enterprise.id}
                    pagination={false}
                    loading={rows.isLoading}
                    dataSource={part.list}
                    columns={[
                      { title: '企业', key: 'n', render: (_, r) => <Link to={`/enterprises/${r.enterprise.id}`}>{r.enterprise.name}</Link> },
                      { title: '同比', key: 'g', align: 'right', render: (_, r) => <span style={{ color: growthColor(r.growthPct) }}>{formatGrowth(r.growthPct, r.state)}</span> },
                      { title: '拉动', key: 'p', align: 'right', render: (_, r) => (r.contributionPts === null ? '—' : r.contributionPts.toFixed(2)) },
                    ]}
                  />
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      </Row>
      <DrilldownDrawer target={drill} onClose={() => setDrill(null)} />
    </>
  );
}
