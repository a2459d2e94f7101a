import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Progress, Result, Space, Statistic, Steps, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { CheckCircleOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { indicatorOf } from '#common/indicators.ts';
import type { ImportProblem } from '#common/contracts/monitoring.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { ApiError } from '#web/lib/http.ts';
import { downloadAnnotated, downloadTemplate, importMonthly, MONITORING_KEY, type ImportPreview } from '#web/features/monitoring/api.ts';
import { periodLabel } from '#web/features/monitoring/format.ts';

const MAX_BYTES = 20 * 1024 * 1024;

type Stage =
  | { kind: 'choose' }
  | { kind: 'checking'; file: File; percent: number }
  | { kind: 'preview'; file: File; preview: ImportPreview }
  | { kind: 'committing'; file: File; preview: ImportPreview; percent: number }
  | { kind: 'done'; preview: ImportPreview };

function where(p: ImportProblem): string {
  const place = [p.sheet ? `「${p.sheet}」` : '', p.row ? `第 ${p.row} 行` : '表头', p.column ? ` ${p.column} 列` : ''].join('');
  return p.header ? `${place}（${p.header}）` : place;
}

function isPreview(details: unknown): details is ImportPreview {
  return typeof details === 'object' && details !== null && 'problems' in details && 'columns' in details;
}

/**
 * 导入月度报表: choose a workbook → it is checked (nothing written) → the preview shows how each
 * column was read (indicator, 本年累计/上年同期, unit) and every error and warning by row and
 * column, with the marked workbook to download → commit, all rows or none; warnings are
 * re-evaluated and the dashboard follows at once.
 */
export function MonitoringImportPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [refusal, setRefusal] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);

  const check = async (file: File) => {
    setRefusal(null);
    if (!/\.xlsx$/i.test(file.name)) {
      setRefusal(/\.xls$/i.test(file.name) ? '这是旧版 .xls 文件，请在 Excel 或 WPS 中另存为 .xlsx 格式后上传' : '请选择 .xlsx 格式的 Excel 文件');
      return;
    }
    if (file.size > MAX_BYTES) {
      setRefusal(`文件过大（${(file.size / 1024 / 1024).toFixed(1)} MB），上限 20 MB`);
      return;
    }
    setStage({ kind: 'checking', file, percent: 0 });
    try {
      const preview = await importMonthly(file, true, (p) => setStage({ kind: 'checking', file, percent: Math.round((p.loaded / Math.max(p.total, 1)) * 100) }));
      setStage({ kind: 'preview', file, preview });
    } catch (error) {
      setStage({ kind: 'choose' });
      setRefusal(error instanceof ApiError ? error.message : '文件检查失败，请稍后重试');
    }
  };

  const commit = async (file: File, preview: ImportPreview) => {
    setStage({ kind: 'committing', file, preview, percent: 0 });
    try {
      const result = await importMonthly(file, false, (p) => setStage({ kind: 'committing', file, preview, percent: Math.round((p.loaded / Math.max(p.total, 1)) * 100) }));
      await queryClient.invalidateQueries({ queryKey: MONITORING_KEY });
      setStage({ kind: 'done', preview: result });
    } catch (error) {
      if (error instanceof ApiError && isPreview(error.details)) setStage({ kind: 'preview', file, preview: error.details });
      else setStage({ kind: 'preview', file, preview });
      message.error(error instanceof ApiError ? error.message : '导入失败，请稍后重试');
    }
  };

  const annotated = async (file: File) => {
    setDownloading(true);
    try {
      await downloadAnnotated(file);
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '下载失败，请稍后重试');
    } finally {
      setDownloading(false);
    }
  };

  const current = stage.kind === 'choose' ? 0 : stage.kind === 'checking' ? 1 : stage.kind === 'done' ? 3 : 2;

  return (
    <>
      <PageHeader
        title="导入月度报表"
        description="规上工业企业月报（1–N月累计与上年同期）。先检查、后导入：有任何错误时一条也不写入；同一报告期重复导入只替换文件中出现的指标。"
        extra={
          <>
            <Button icon={<FileExcelOutlined />} onClick={() => void downloadTemplate().catch((e: unknown) => message.error(e instanceof ApiError ? e.message : '下载失败'))}>
              下载导入模板
            </Button>
            <Button onClick={() => void navigate('/monitoring')}>返回监测首页</Button>
          </>
        }
      />
      <Card>
        <Steps current={current} style={{ marginBottom: 24 }} items={[{ title: '选择文件' }, { title: '检查' }, { title: '预览并确认' }, { title: '完成' }]} />
        {refusal ? <Alert type="error" showIcon title="文件未通过检查" description={refusal} style={{ marginBottom: 16 }} /> : null}

        {stage.kind === 'choose' ? (
          <Upload.Dragger
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            multiple={false}
            showUploadList={false}
            beforeUpload={(file) => {
              void check(file);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或把月报 Excel 文件拖到这里</p>
            <p className="ant-upload-hint">
              .xlsx，不超过 20 MB。表头如「工业总产值本年累计（万元）」「营业收入上年同期」，单位按表头换算；报告期可写 2022-06、2022年1-6月；产品产量放在「产品产量」工作表。
            </p>
          </Upload.Dragger>
        ) : null}

        {stage.kind === 'checking' || stage.kind === 'committing' ? (
          <Flex vertical align="center" gap={12} style={{ padding: '32px 0' }}>
            <Progress type="circle" percent={stage.percent} status="active" format={(p) => (p === 100 ? '处理中' : `${p}%`)} />
            <Typography.Text>{stage.percent < 100 ? `正在上传 ${stage.file.name}…` : stage.kind === 'checking' ? '正在逐行检查…' : '正在写入并重新评估预警…'}</Typography.Text>
          </Flex>
        ) : null}

        {stage.kind === 'preview' ? (
          <PreviewPanel
            preview={stage.preview}
            downloading={downloading}
            onAnnotated={() => void annotated(stage.file)}
            onRestart={() => setStage({ kind: 'choose' })}
            onCommit={() => void commit(stage.file, stage.preview)}
          />
        ) : null}

        {stage.kind === 'done' ? (
          <Result
            status="success"
            icon={<CheckCircleOutlined />}
            title="导入完成"
            subTitle={`${stage.preview.enterprises} 家企业，报告期 ${stage.preview.periods.map(periodLabel).join('、')}：新增 ${stage.preview.changes.inserted} 项，更新 ${stage.preview.changes.replaced} 项，清除 ${stage.preview.changes.removed} 项，${stage.preview.changes.unchanged} 项无变化。`}
            extra={[
              <Button type="primary" key="dash" onClick={() => void navigate('/monitoring')}>
                查看监测首页
              </Button>,
              <Button key="warn" onClick={() => void navigate('/monitoring/warnings')}>
                查看预警
              </Button>,
              <Button key="again" onClick={() => setStage({ kind: 'choose' })}>
                继续导入
              </Button>,
            ]}
          />
        ) : null}
      </Card>
    </>
  );
}

function PreviewPanel(props: { preview: ImportPreview; downloading: boolean; onAnnotated: () => void; onRestart: () => void; onCommit: () => void }) {
  const { preview: p } = props;
  const hasErrors = p.errorCount > 0;
  const changes = p.changes.inserted + p.changes.replaced + p.changes.removed;
  const errors = p.problems.filter((x) => x.level === 'error');
  const warnings = p.problems.filter((x) => x.level === 'warning');
  const problemColumns = [
    { title: '位置', key: 'where', width: 280, render: (_: unknown, x: ImportProblem) => where(x) },
    { title: '说明', dataIndex: 'message' },
  ];
  return (
    <Flex vertical gap={16}>
      {hasErrors ? (
        <Alert type="error" showIcon title={`发现 ${p.errorCount} 处错误，改正后才能导入`} description="下载“标注错误的文件”：出错的单元格已标红并加批注，末列“错误说明”逐行写明原因。改好后重新上传。" />
      ) : (
        <Alert type="success" showIcon title="检查通过，可以导入" description={p.warningCount ? `另有 ${p.warningCount} 条提示，请核对；提示不影响导入。` : undefined} />
      )}
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
      <Flex justify="flex-end" wrap gap={8}>
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={props.onRestart}>
            重新选择文件
          </Button>
          {p.errorCount || p.warningCount ? (
            <Button icon={<DownloadOutlined />} loading={props.downloading} onClick={props.onAnnotated}>
              下载标注错误的文件
            </Button>
          ) : null}
          <Button type="primary" disabled={hasErrors || (changes === 0 && p.productRows === 0)} onClick={props.onCommit}>
            {changes === 0 && p.productRows === 0 ? '没有需要写入的变化' : `确认导入（新增 ${p.changes.inserted}，更新 ${p.changes.replaced}）`}
          </Button>
        </Space>
      </Flex>
    </Flex>
  );
}
