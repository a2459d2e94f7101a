import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Flex, Progress, Result, Space, Statistic, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { ApiError } from '#web/lib/http.ts';
import { CULTIVATION_KEY, downloadTemplate, importFile } from '#web/features/cultivation/api.ts';
import type { CultivationImportResult, ImportKind } from '#web/features/cultivation/api.ts';

const MAX_BYTES = 20 * 1024 * 1024;

type Stage =
  | { kind: 'choose' }
  | { kind: 'busy'; file: File; percent: number; committing: boolean }
  | { kind: 'preview'; file: File; result: CultivationImportResult }
  | { kind: 'done'; result: CultivationImportResult };

type Problem = CultivationImportResult['errors'][number];
const where = (p: Problem) => (p.row === null ? (p.column ? `「${p.column}」列` : '整个文件') : `第 ${p.row} 行${p.column ? ` · ${p.column}` : ''}${p.cell ? `（${p.cell}）` : ''}`);

function Preview({ result }: { result: CultivationImportResult }) {
  return (
    <Flex vertical gap={12}>
      <Flex gap={32} wrap>
        <Statistic title="数据行" value={result.rows} />
        <Statistic title="新增" value={result.creates} />
        <Statistic title="更新" value={result.updates} />
        <Statistic title="无变化" value={result.unchanged} />
        <Statistic title="错误" value={result.errorCount} styles={{ content: { color: result.errorCount ? '#cf1322' : undefined } }} />
        <Statistic title="提示" value={result.warningCount} />
      </Flex>
      <Typography.Text type="secondary">
        工作表「{result.sheet}」；识别的列：{result.columns.join('、') || '—'}
        {result.ignoredColumns.length ? `；未使用的列：${result.ignoredColumns.join('、')}` : ''}
      </Typography.Text>
      {result.errors.length ? (
        <Table<Problem>
          size="small"
          rowKey={(p, i) => `${i}-${p.row}-${p.column}`}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          dataSource={result.errors}
          columns={[
            { title: '位置', width: 260, render: (_, p) => <Tag color="red">{where(p)}</Tag> },
            { title: '错误', dataIndex: 'message' },
          ]}
        />
      ) : null}
      {result.warnings.length ? (
        <Table<Problem>
          size="small"
          rowKey={(p, i) => `w${i}-${p.row}-${p.column}`}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          dataSource={result.warnings}
          columns={[
            { title: '位置', width: 260, render: (_, p) => <Tag color="gold">{where(p)}</Tag> },
            { title: '提示', dataIndex: 'message' },
          ]}
        />
      ) : null}
    </Flex>
  );
}

function ImportPanel({ kind }: { kind: ImportKind }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [refusal, setRefusal] = useState<string | null>(null);

  const send = async (file: File, dryRun: boolean) => {
    setRefusal(null);
    setStage({ kind: 'busy', file, percent: 0, committing: !dryRun });
    try {
      const result = await importFile(kind, file, dryRun, (p) => setStage({ kind: 'busy', file, percent: Math.round((p.loaded / Math.max(p.total, 1)) * 100), committing: !dryRun }));
      if (dryRun) setStage({ kind: 'preview', file, result });
      else {
        await queryClient.invalidateQueries({ queryKey: CULTIVATION_KEY });
        setStage({ kind: 'done', result });
      }
    } catch (error) {
      if (error instanceof ApiError && error.code === 'VALIDATION' && typeof error.details === 'object' && error.details !== null && 'errors' in error.details) {
        setStage({ kind: 'preview', file, result: error.details as CultivationImportResult });
      } else setStage({ kind: 'choose' });
      setRefusal(error instanceof ApiError ? error.message : '导入失败，请稍后重试');
    }
  };

  const choose = (file: File) => {
    if (!/\.xlsx$/i.test(file.name)) return setRefusal('请选择 .xlsx 格式的 Excel 文件（旧版 .xls 请另存为 .xlsx）');
    if (file.size > MAX_BYTES) return setRefusal(`文件过大（${(file.size / 1024 / 1024).toFixed(1)} MB），上限 20 MB`);
    void send(file, true);
  };

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" wrap gap={8}>
        <Typography.Text type="secondary">
          {kind === 'annual-data'
            ? '按统一社会信用代码和年度匹配。金额列表头须注明单位（元、千元、万元、亿元），按表头单位精确换算；空白单元格表示未知，不会覆盖已有数据。'
            : '按企业、资质类型和认定日期匹配；高新技术企业须注明首次认定或重新认定。'}
        </Typography.Text>
        <Button icon={<FileExcelOutlined />} onClick={() => void downloadTemplate(kind).catch((e: unknown) => message.error(e instanceof ApiError ? e.message : '下载失败'))}>
          下载模板
        </Button>
      </Flex>
      {refusal ? <Alert type="error" showIcon title={refusal} /> : null}
      {stage.kind === 'choose' ? (
        <Upload.Dragger
          accept=".xlsx"
          multiple={false}
          showUploadList={false}
          beforeUpload={(file) => {
            choose(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或把 Excel 文件拖到这里，先检查、不写入</p>
        </Upload.Dragger>
      ) : null}
      {stage.kind === 'busy' ? (
        <Flex vertical align="center" gap={12} style={{ padding: 24 }}>
          <Progress type="circle" percent={stage.percent} status="active" format={(p) => (p === 100 ? '处理中' : `${p}%`)} />
          <Typography.Text>{stage.committing ? '正在写入…' : '正在逐行检查…'}</Typography.Text>
        </Flex>
      ) : null}
      {stage.kind === 'preview' ? (
        <>
          <Preview result={stage.result} />
          <Space>
            <Button type="primary" disabled={stage.result.errorCount > 0} onClick={() => void send(stage.file, false)}>
              {stage.result.errorCount > 0 ? '有错误，改正后重新上传' : `确认导入 ${stage.result.creates + stage.result.updates} 行`}
            </Button>
            <Button onClick={() => setStage({ kind: 'choose' })}>重新选择文件</Button>
          </Space>
        </>
      ) : null}
      {stage.kind === 'done' ? (
        <Result
          status="success"
          title="导入完成"
          subTitle={`新增 ${stage.result.creates}，更新 ${stage.result.updates}，无变化 ${stage.result.unchanged}`}
          extra={[
            <Button key="again" onClick={() => setStage({ kind: 'choose' })}>
              继续导入
            </Button>,
            <Link key="ladder" to="/cultivation">
              <Button type="primary">查看培育梯队</Button>
            </Link>,
          ]}
        />
      ) : null}
    </Flex>
  );
}

/** 导入年度数据 / 资质: check first (nothing written), then commit all rows or none. */
export function CultivationImportPage() {
  return (
    <>
      <PageHeader title="导入年度数据与资质" description="先检查、后导入：文件有任何错误时一条也不会写入。也可用命令 npx kejing import annual 文件.xlsx 导入。" />
      <Card>
        <Tabs
          items={[
            { key: 'annual-data', label: '企业年度数据', children: <ImportPanel kind="annual-data" /> },
            { key: 'qualifications', label: '企业资质', children: <ImportPanel kind="qualifications" /> },
          ]}
        />
      </Card>
    </>
  );
}
