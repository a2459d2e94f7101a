import { Alert, Descriptions, Drawer, Empty, Flex, Table, Tabs, Typography } from 'antd';
import { Link } from 'react-router';
import { indicatorOf } from '#common/indicators.ts';
import { DIMENSION_LABELS } from '#common/contracts/monitoring.ts';
import { ExportButton } from '#web/components/ExportButton.tsx';
import { exportDrilldown, useDrilldown, type Drilldown, type FigureRef } from '#web/features/monitoring/api.ts';
import { formatGrowth, formatPoints, formatValue, growthColor, periodLabel } from '#web/features/monitoring/format.ts';

type Row = Drilldown['rows'][number];

/**
 * The enterprise rows behind any figure: the group's aggregate (which every user may see) and the
 * rows within the user's own scope; rows outside it are counted, never shown.
 */
export function DrilldownDrawer({ target, onClose }: { target: FigureRef | null; onClose: () => void }) {
  const result = useDrilldown(target);
  const d = result.data;
  const unit = target ? indicatorOf(target.indicator).unit : '千元';
  const name = target ? indicatorOf(target.indicator).name : '';
  return (
    <Drawer
      open={!!target}
      onClose={onClose}
      size="large"
      title={d ? `${d.group.name} · ${name} · ${periodLabel(d.period)}` : '企业明细'}
      extra={target ? <ExportButton onExport={() => exportDrilldown(target)} label="导出明细" /> : null}
      loading={result.isLoading}
    >
      {result.error ? <Alert type="error" showIcon title={result.error.message} /> : null}
      {d ? (
        <Flex vertical gap={16}>
          <Descriptions size="small" bordered column={2}>
            <Descriptions.Item label={`${DIMENSION_LABELS[d.group.dimension]}`}>{d.group.name}</Descriptions.Item>
            <Descriptions.Item label="报送企业">
              {d.figure.enterprises} 家{d.figure.missing ? `，未报 ${d.figure.missing} 家` : ''}
            </Descriptions.Item>
            <Descriptions.Item label="本年累计">{formatValue(d.figure.current, unit)}</Descriptions.Item>
            <Descriptions.Item label="上年同期">{formatValue(d.figure.previous, unit)}</Descriptions.Item>
            <Descriptions.Item label="同比增长">
              <span style={{ color: growthColor(d.figure.growthPct) }}>{formatGrowth(d.figure.growthPct, d.figure.state)}</span>
            </Descriptions.Item>
            <Descriptions.Item label="拉动全区">{formatPoints(d.figure.contributionPts)}</Descriptions.Item>
          </Descriptions>
          {d.hiddenRows + d.hiddenMissing > 0 ? (
            <Alert
              type="info"
              showIcon
              title={`汇总数含全部企业；其中 ${d.hiddenRows + d.hiddenMissing} 家不在您的管辖范围内，明细不显示`}
            />
          ) : null}
          <Tabs
            items={[
              {
                key: 'rows',
                label: `报送企业（${d.rows.length}）`,
                children: d.rows.length ? (
                  <Table<Row>
                    rowKey={(r) => r.enterprise.id}
                    size="small"
                    dataSource={d.rows}
                    pagination={{ pageSize: 20, showSizeChanger: false }}
                    scroll={{ x: true }}
                    columns={[
                      { title: '企业', key: 'name', render: (_, r) => <Link to={`/enterprises/${r.enterprise.id}`}>{r.enterprise.name}</Link> },
                      { title: '镇街', key: 'town', render: (_, r) => r.enterprise.town.name },
                      { title: '本年累计', key: 'current', align: 'right', render: (_, r) => formatValue(r.current, unit), sorter: (a, b) => Number(a.current) - Number(b.current) },
                      { title: '上年同期', key: 'previous', align: 'right', render: (_, r) => formatValue(r.previous, unit) },
                      {
                        title: '同比',
                        key: 'growth',
                        align: 'right',
                        render: (_, r) => <span style={{ color: growthColor(r.growthPct) }}>{formatGrowth(r.growthPct, r.state)}</span>,
                        sorter: (a, b) => (a.growthPct ?? -Infinity) - (b.growthPct ?? -Infinity),
                      },
                      { title: '拉动', key: 'pts', align: 'right', render: (_, r) => formatPoints(r.contributionPts), sorter: (a, b) => (a.contributionPts ?? 0) - (b.contributionPts ?? 0) },
                      { title: '当月', key: 'monthly', align: 'right', render: (_, r) => (r.monthly ? formatValue(r.monthly.current, unit) : '—') },
                    ]}
                  />
                ) : (
                  <Empty description="没有您管辖范围内的报送企业" />
                ),
              },
              {
                key: 'missing',
                label: `未报企业（${d.missing.length}）`,
                children: d.missing.length ? (
                  <Table
                    rowKey="id"
                    size="small"
                    dataSource={d.missing}
                    pagination={{ pageSize: 20, showSizeChanger: false }}
                    columns={[
                      { title: '企业', key: 'name', render: (_, e) => <Link to={`/enterprises/${e.id}`}>{e.name}</Link> },
                      { title: '统一社会信用代码', dataIndex: 'uscc' },
                      { title: '镇街', key: 'town', render: (_, e) => e.town.name },
                    ]}
                  />
                ) : (
                  <Typography.Text type="secondary">没有您管辖范围内的未报企业。</Typography.Text>
                ),
              },
            ]}
          />
        </Flex>
      ) : null}
    </Drawer>
  );
}
