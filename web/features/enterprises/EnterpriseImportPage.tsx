import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Progress, Result, Space, Statistic, Steps, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { CheckCircleOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import type { ImportProblem } from '#common/contracts/enterprises.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import {
  downloadAnnotated,
  downloadImportTemplate,
  ENTERPRISES_KEY,
  importEnterprises,
  type EnterpriseImportPreview,
} from '#web/features/enterprises/api.ts';
import { ApiError } from '#web/lib/http.ts';

const MAX_BYTES = 20 * 1024 * 1024;

type Stage =
  | { kind: 'choose' }
  | { kind: 'checking'; file: File; percent: number }
  | { kind: 'preview'; file: File; preview: EnterpriseImportPreview }
  | { kind: 'committing'; file: File; preview: EnterpriseImportPreview; percent: number }
  | { kind: 'done'; preview: EnterpriseImportPreview };

const ACTION_LABELS = { create: { text: '新增', color: 'green' }, update: { text: '更新', color: 'blue' }, unchanged: { text: '无变化', color: undefined } } as const;

function where(p: ImportProblem): string {
  if (p.row === null) return '整个文件';
  return `第 ${p.row} 行${p.column ? ` · ${p.column}` : ''}${p.cell ? `（${p.cell}）` : ''}`;
}

/**
 * 导入企业名录: choose a workbook → it is checked (nothing written) → the preview lists every
 * error and warning by row and column, with the marked workbook to download and correct →
 * commit, all rows or none.
 */
export function EnterpriseImportPage() {
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
      const preview = await importEnterprises(file, true, (p) => setStage({ kind: 'checking', file, percent: Math.round((p.loaded / Math.max(p.total, 1)) * 100) }));
      setStage({ kind: 'preview', file, preview });
    } catch (error) {
      setStage({ kind: 'choose' });
      setRefusal(error instanceof ApiError ? error.message : '文件检查失败，请稍后重试');
    }
  };

  const commit = async (file: File, preview: EnterpriseImportPreview) => {
    setStage({ kind: 'committing', file, preview, percent: 0 });
    try {
      const result = await importEnterprises(file, false, (p) => setStage({ kind: 'committing', file, preview, percent: Math.round((p.loaded / Math.max(p.total, 1)) * 100) }));
      await queryClient.invalidateQueries({ queryKey: ENTERPRISES_KEY });
      setStage({ kind: 'done', preview: result });
    } catch (error) {
      // Someone changed the registry in between: the refusal carries the fresh preview.
      if (error instanceof ApiError && error.code === 'VALIDATION' && typeof error.details === 'object' && error.details !== null && 'errors' in error.details) {
        setStage({ kind: 'preview', file, preview: error.details as EnterpriseImportPreview });
      } else setStage({ kind: 'preview', file, preview });
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
        title="导入企业名录"
        description="按统一社会信用代码新增或更新企业。先检查、后导入：文件有任何错误时一条也不会写入。"
        extra={
          <>
            <Button icon={<FileExcelOutlined />} onClick={() => void downloadImportTemplate().catch((e: unknown) => message.error(e instanceof ApiError ? e.message : '下载失败'))}>
              下载导入模板
            </Button>
            <Button onClick={() => void navigate('/enterprises')}>返回企业列表</Button>
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
            <p className="ant-upload-text">点击或把 Excel 文件拖到这里</p>
            <p className="ant-upload-hint">.xlsx，不超过 20 MB。表头可在任一工作表、任意顺序，标题行、合计行会自动跳过。</p>
          </Upload.Dragger>
        ) : null}

        {stage.kind === 'checking' || stage.kind === 'committing' ? (
          <Flex vertical align="center" gap={12} style={{ padding: '32px 0' }}>
            <Progress type="circle" percent={stage.percent} status="active" format={(p) => (p === 100 ? '处理中' : `${p}%`)} />
            <Typography.Text>{stage.percent < 100 ? `正在上传 ${stage.file.name}…` : stage.kind === 'checking' ? '正在逐行检查…' : '正在写入…'}</Typography.Text>
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
            subTitle={`新增 ${stage.preview.creates} 家，更新 ${stage.preview.updates} 家，${stage.preview.unchanged} 家无变化。`}
            extra={[
              <Button type="primary" key="list" onClick={() => void navigate('/enterprises')}>
                查看企业列表
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

function PreviewPanel(props: { preview: EnterpriseImportPreview; downloading: boolean; onAnnotated: () => void; onRestart: () => void; onCommit: () => void }) {
  const { preview: p } = props;
  const problemColumns = [
    { title: '位置', key: 'where', width: 220, render: (_: unknown, x: ImportProblem) => where(x) },
    { title: '说明', dataIndex: 'message' },
  ];
  const hasErrors = p.errorCount > 0;
  return (
    <Flex vertical gap={16}>
      {hasErrors ? (
        <Alert
          type="error"
          showIcon
          title={`发现 ${p.errorCount} 处错误，改正后才能导入`}
          description="下载“标注错误的文件”：出错的单元格已标红并加了批注，末列“错误说明”逐行写明原因。改好后重新上传。"
        />
      ) : (
        <Alert type="success" showIcon title="检查通过，可以导入" description={p.warningCount ? `另有 ${p.warningCount} 条提示，请看一眼；提示不影响导入。` : undefined} />
      )}
      <Flex gap={32} wrap>
        <Statistic title="工作表" value={p.sheet} />
        <Statistic title="数据行" value={p.rows} />
        <Statistic title="新增" value={p.creates} />
        <Statistic title="更新" value={p.updates} />
        <Statistic title="无变化" value={p.unchanged} />
        <Statistic title="错误" value={p.errorCount} styles={{ content: { color: hasErrors ? '#cf1322' : undefined } }} />
        <Statistic title="提示" value={p.warningCount} />
      </Flex>
      {p.ignoredColumns.length || p.skippedRows.length ? (
        <Typography.Text type="secondary">
          {p.ignoredColumns.length ? `未使用的列：${p.ignoredColumns.join('、')}。` : ''}
          {p.skippedRows.length ? `已跳过：${p.skippedRows.map((s) => `第 ${s.row} 行（${s.reason.replace('，已跳过', '')}）`).join('、')}。` : ''}
        </Typography.Text>
      ) : null}
      <Tabs
        items={[
          ...(p.errorCount
            ? [
                {
                  key: 'errors',
                  label: `错误（${p.errorCount}）`,
                  children: (
                    <>
                      {p.errorCount > p.errors.length ? <Typography.Paragraph type="secondary">仅列出前 {p.errors.length} 处，全部错误见标注文件。</Typography.Paragraph> : null}
                      <Table rowKey={(x) => `${x.row}:${x.cell}:${x.message}`} size="small" dataSource={p.errors} columns={problemColumns} pagination={{ pageSize: 20 }} />
                    </>
                  ),
                },
              ]
            : []),
          ...(p.warningCount
            ? [
                {
                  key: 'warnings',
                  label: `提示（${p.warningCount}）`,
                  children: <Table rowKey={(x) => `${x.row}:${x.cell}:${x.message}`} size="small" dataSource={p.warnings} columns={problemColumns} pagination={{ pageSize: 20 }} />,
                },
              ]
            : []),
          {
            key: 'changes',
            label: `将写入的变化（${p.creates + p.updates}）`,
            children: (
              <Table
                rowKey="row"
                size="small"
                dataSource={p.changes.filter((c) => c.action !== 'unchanged')}
                pagination={{ pageSize: 20 }}
                columns={[
                  { title: '行', dataIndex: 'row', width: 70 },
                  { title: '企业', dataIndex: 'name' },
                  { title: '统一社会信用代码', dataIndex: 'uscc' },
                  { title: '操作', dataIndex: 'action', render: (a: keyof typeof ACTION_LABELS) => <Tag color={ACTION_LABELS[a].color}>{ACTION_LABELS[a].text}</Tag> },
                  { title: '变更内容', dataIndex: 'fields', render: (f: string[]) => f.join('、') || '—' },
                ]}
              />
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
          <Button type="primary" disabled={hasErrors || p.creates + p.updates === 0} onClick={props.onCommit}>
            {p.creates + p.updates === 0 ? '没有需要写入的变化' : `确认导入（新增 ${p.creates}，更新 ${p.updates}）`}
          </Button>
        </Space>
      </Flex>
    </Flex>
  );
}
