import { Flex, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { indicatorOf } from '#common/indicators.ts';
import type { ImportProblem } from '#common/contracts/monitoring.ts';
import { WorkbookImport } from '#web/components/WorkbookImport.tsx';
import { downloadAnnotated, downloadTemplate, importMonthly, MONITORING_KEY, type ImportPreview } from '#web/features/monitoring/api.ts';
import { periodLabel } from '#web/features/monitoring/format.ts';

function where(p: ImportProblem): string {
  const place = [p.sheet ? `「${p.sheet}」` : '', p.row ? `第 ${p.row} 行` : '表头', p.column ? ` ${p.column} 列` : ''].join('');
  return p.header ? `${place}（${p.header}）` : place;
}

function isPreview(details: unknown): details is ImportPreview {
  return typeof details === 'object' && details !== null && 'problems' in details && 'columns' in details;
}

const changeCount = (p: ImportPreview) => p.changes.inserted + p.changes.replaced + p.changes.removed;

/**
 * 导入月度报表: choose a workbook → it is checked (nothing written) → the preview shows how each
 * column was read (indicator, 本年累计/上年同期, unit) and every error and warning by row and
 * column, with the marked workbook to download → commit, all rows or none; warnings are
 * re-evaluated and the dashboard follows at once. The steps and progress are WorkbookImport's.
 */
export function MonitoringImportPage() {
  return (
    <WorkbookImport<ImportPreview>
      title="导入月度报表"
      description="规上工业企业月报（1–N月累计与上年同期）。先检查、后导入：有任何错误时一条也不写入；同一报告期重复导入只替换文件中出现的指标。"
      back={{ label: '返回监测首页', to: '/monitoring' }}
      downloadTemplate={downloadTemplate}
      uploadText="点击或把月报 Excel 文件拖到这里"
      uploadHint=".xlsx，不超过 20 MB。表头如「工业总产值本年累计（万元）」「营业收入上年同期」，单位按表头换算；报告期可写 2022-06、2022年1-6月；产品产量放在「产品产量」工作表。"
      send={(file, dryRun, options) => importMonthly(file, dryRun, options.onProgress, options.headers)}
      downloadAnnotated={downloadAnnotated}
      previewOf={(details) => (isPreview(details) ? details : null)}
      invalidate={MONITORING_KEY}
      renderPreview={(p) => <MonthlyPreview preview={p} />}
      commit={(p) =>
        changeCount(p) === 0 && p.productRows === 0
          ? { label: '没有需要写入的变化', disabled: true }
          : { label: `确认导入（新增 ${p.changes.inserted}，更新 ${p.changes.replaced}）`, disabled: false }
      }
      done={(p) => ({
        subTitle: `${p.enterprises} 家企业，报告期 ${p.periods.map(periodLabel).join('、')}：新增 ${p.changes.inserted} 项，更新 ${p.changes.replaced} 项，清除 ${p.changes.removed} 项，${p.changes.unchanged} 项无变化。`,
        actions: [
          { key: 'dash', label: '查看监测首页', to: '/monitoring', primary: true },
          { key: 'warn', label: '查看预警', to: '/monitoring/warnings' },
        ],
      })}
    />
  );
}

function MonthlyPreview({ preview: p }: { preview: ImportPreview }) {
  const hasErrors = p.errorCount > 0;
  const errors = p.problems.filter((x) => x.level === 'error');
  const warnings = p.problems.filter((x) => x.level === 'warning');
  const problemColumns = [
    { title: '位置', key: 'where', width: 280, render: (_: unknown, x: ImportProblem) => where(x) },
    { title: '说明', dataIndex: 'message' },
  ];
  return (
    <>
      <Flex gap={32} wrap>
        <Statistic title="工作表" value={p.sheet ?? '—'} />
        <Statistic title="表头行" value={p.headerRow ?? '—'} />
        <Statistic title="数据行" value={p.rows} />
        <Statistic title="企业" value={p.enterprises} />
        <Statistic title="报告期" value={p.periods.map(periodLabel).join('、') || '—'} />
        <Statistic title="新增 / 更新 / 清除" value={`${p.changes.inserted} / ${p.changes.replaced} / ${p.changes.removed}`} />
        <Statistic title="错误" value={p.errorCount} styles={{ content: { color: hasErrors ? '#cf1322' : undefined } }} />
        <Statistic title="提示" value={p.warningCount} />
      </Flex>
      <Tabs
        items={[
          ...(errors.length ? [{ key: 'errors', label: `错误（${p.errorCount}）`, children: <Table rowKey={(x) => `${x.sheet}:${x.row}:${x.column}:${x.message}`} size="small" dataSource={errors} columns={problemColumns} pagination={{ pageSize: 20 }} /> }] : []),
          ...(warnings.length ? [{ key: 'warnings', label: `提示（${p.warningCount}）`, children: <Table rowKey={(x) => `${x.sheet}:${x.row}:${x.column}:${x.message}`} size="small" dataSource={warnings} columns={problemColumns} pagination={{ pageSize: 20 }} /> }] : []),
          {
            key: 'columns',
            label: `列的识别（${p.columns.length}）`,
            children: (
              <>
                <Table
                  rowKey="column"
                  size="small"
                  pagination={false}
                  dataSource={p.columns}
                  columns={[
                    { title: '列', dataIndex: 'column', width: 60 },
                    { title: '表头', dataIndex: 'header' },
                    { title: '指标', key: 'i', render: (_, c) => indicatorOf(c.indicator).name },
                    { title: '栏目', key: 'v', render: (_, c) => (c.valueColumn === 'current' ? '本年累计' : '上年同期') },
                    {
                      title: '单位',
                      key: 'u',
                      render: (_, c) =>
                        c.unitFromHeader ? (
                          <Tag color="blue">{c.unit}（表头）</Tag>
                        ) : (
                          <Tag color="orange">{c.unit}（表头未注明，按默认单位）</Tag>
                        ),
                    },
                  ]}
                />
                {p.unmatchedHeaders.length ? (
                  <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                    未识别、未导入的列：{p.unmatchedHeaders.map((h) => `${h.column}「${h.header}」`).join('、')}
                  </Typography.Paragraph>
                ) : null}
                {p.productSheet ? <Typography.Paragraph type="secondary">产品产量：工作表「{p.productSheet}」，{p.productRows} 行。</Typography.Paragraph> : null}
              </>
            ),
          },
        ]}
      />
    </>
  );
}
