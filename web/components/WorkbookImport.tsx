import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Progress, Result, Space, Steps, Typography, Upload } from 'antd';
import { CheckCircleOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { ApiError } from '#web/lib/http.ts';
import type { UploadProgress } from '#web/lib/http.ts';
import { fetchImportProgress, newProgressToken } from '#web/features/imports/api.ts';
import type { ImportProgress } from '#web/features/imports/api.ts';

const MAX_BYTES = 20 * 1024 * 1024;
/** How often the server's phase is asked for while it works on an upload. */
const POLL_MS = 500;

/** What every import preview has, whatever the workbook holds. */
export type PreviewCounts = { errorCount: number; warningCount: number };

/** How a request of the import is sent: the file, dry run or commit, progress callbacks. */
export type SendImport<P> = (file: File, dryRun: boolean, options: { onProgress: (p: UploadProgress) => void; headers: Record<string, string> }) => Promise<P>;

export type WorkbookImportProps<P extends PreviewCounts> = {
  title: string;
  description: string;
  back: { label: string; to: string };
  templateLabel?: string;
  downloadTemplate: () => Promise<unknown>;
  uploadText: string;
  uploadHint: string;
  send: SendImport<P>;
  downloadAnnotated: (file: File) => Promise<unknown>;
  /** The fresh preview a refused commit carries (data changed in between), if it carries one. */
  previewOf: (details: unknown) => P | null;
  /** Query keys to refresh after a commit. */
  invalidate: readonly unknown[];
  /** Statistics, problem tables and what will change: the page's own view of its preview. */
  renderPreview: (preview: P) => ReactNode;
  /** The commit button: disabled with its reason when nothing would be written. */
  commit: (preview: P) => { label: string; disabled: boolean };
  done: (preview: P) => { subTitle: string; actions: { key: string; label: string; to?: string; primary?: boolean }[] };
};

type Stage<P> =
  | { kind: 'choose' }
  | { kind: 'working'; file: File; committing: boolean; preview: P | null; upload: number; server: ImportProgress | null }
  | { kind: 'preview'; file: File; preview: P }
  | { kind: 'done'; preview: P };

/**
 * One workbook import page (enterprise roster, monthly reports): choose a file → it is checked
 * on the server, nothing written → the preview with every problem and the marked workbook to
 * download → commit, all rows or none. While a request runs the page shows the upload's bytes,
 * then the server's phases (reading, checking N/M rows, writing N/M, recomputing) by polling
 * the progress of a random token sent with the upload.
 */
export function WorkbookImport<P extends PreviewCounts>(props: WorkbookImportProps<P>) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [stage, setStage] = useState<Stage<P>>({ kind: 'choose' });
  const [refusal, setRefusal] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);
  const polling = useRef<{ token: string; timer: number } | null>(null);

  const stopPolling = () => {
    if (polling.current) window.clearInterval(polling.current.timer);
    polling.current = null;
  };
  useEffect(() => stopPolling, []);

  /** Runs one request, following its upload and then its server phases. */
  const run = async (file: File, committing: boolean, preview: P | null): Promise<P> => {
    const { token, headers } = newProgressToken();
    const update = (patch: Partial<{ upload: number; server: ImportProgress | null }>) =>
      setStage((s) => (s.kind === 'working' && s.file === file ? { ...s, ...patch } : s));
    setStage({ kind: 'working', file, committing, preview, upload: 0, server: null });
    const poll = () =>
      void fetchImportProgress(token).then(
        (server) => {
          if (polling.current?.token === token && server.phase !== 'waiting') update({ server });
        },
        () => undefined,
      );
    // Polled from the start: until the server reports a phase the answer is "waiting" and the
    // upload's own byte count is shown (some browsers send small files without progress events).
    stopPolling();
    polling.current = { token, timer: window.setInterval(poll, POLL_MS) };
    try {
      return await props.send(file, !committing, { headers, onProgress: (p) => update({ upload: Math.round((p.loaded / Math.max(p.total, 1)) * 100) }) });
    } finally {
      stopPolling();
    }
  };

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
    try {
      const preview = await run(file, false, null);
      setStage({ kind: 'preview', file, preview });
    } catch (error) {
      setStage({ kind: 'choose' });
      setRefusal(error instanceof ApiError ? error.message : '文件检查失败，请稍后重试');
    }
  };

  const commit = async (file: File, preview: P) => {
    try {
      const result = await run(file, true, preview);
      await queryClient.invalidateQueries({ queryKey: props.invalidate });
      setStage({ kind: 'done', preview: result });
    } catch (error) {
      const fresh = error instanceof ApiError ? props.previewOf(error.details) : null;
      setStage({ kind: 'preview', file, preview: fresh ?? preview });
      message.error(error instanceof ApiError ? error.message : '导入失败，请稍后重试');
    }
  };

  const annotated = async (file: File) => {
    setDownloading(true);
    try {
      await props.downloadAnnotated(file);
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '下载失败，请稍后重试');
    } finally {
      setDownloading(false);
    }
  };

  const current = stage.kind === 'choose' ? 0 : stage.kind === 'working' ? (stage.committing ? 2 : 1) : stage.kind === 'done' ? 3 : 2;

  return (
    <>
      <PageHeader
        title={props.title}
        description={props.description}
        extra={
          <>
            <Button icon={<FileExcelOutlined />} onClick={() => void props.downloadTemplate().catch((e: unknown) => message.error(e instanceof ApiError ? e.message : '下载失败'))}>
              {props.templateLabel ?? '下载导入模板'}
            </Button>
            <Button onClick={() => void navigate(props.back.to)}>{props.back.label}</Button>
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
            <p className="ant-upload-text">{props.uploadText}</p>
            <p className="ant-upload-hint">{props.uploadHint}</p>
          </Upload.Dragger>
        ) : null}

        {stage.kind === 'working' ? <WorkingPanel stage={stage} /> : null}

        {stage.kind === 'preview' ? (
          <PreviewFrame
            preview={stage.preview}
            commit={props.commit(stage.preview)}
            downloading={downloading}
            onAnnotated={() => void annotated(stage.file)}
            onRestart={() => setStage({ kind: 'choose' })}
            onCommit={() => void commit(stage.file, stage.preview)}
          >
            {props.renderPreview(stage.preview)}
          </PreviewFrame>
        ) : null}

        {stage.kind === 'done' ? <DonePanel done={props.done(stage.preview)} onAgain={() => setStage({ kind: 'choose' })} /> : null}
      </Card>
    </>
  );
}

/** The upload's bytes, then the server's phase and its count. */
function WorkingPanel({ stage }: { stage: { file: File; committing: boolean; upload: number; server: ImportProgress | null } }) {
  const server = stage.server;
  const uploading = stage.upload < 100 && !server;
  const label = uploading ? `正在上传 ${stage.file.name}…` : server ? server.message : stage.committing ? '正在写入…' : '正在逐行检查…';
  const percent = uploading ? stage.upload : server ? Math.floor(server.percent) : 0;
  return (
    <Flex vertical align="center" gap={12} style={{ padding: '32px 0' }}>
      <Progress type="circle" percent={percent} status="active" format={(p) => (!uploading && !server ? '处理中' : `${p}%`)} />
      <Typography.Text>{label}</Typography.Text>
      <Typography.Text type="secondary">{uploading ? '第 1 步：上传文件' : stage.committing ? '第 2 步：服务器写入（全部成功或全部不写）' : '第 2 步：服务器检查（不写入任何数据）'}</Typography.Text>
    </Flex>
  );
}

function PreviewFrame(props: {
  preview: PreviewCounts;
  commit: { label: string; disabled: boolean };
  downloading: boolean;
  onAnnotated: () => void;
  onRestart: () => void;
  onCommit: () => void;
  children: ReactNode;
}) {
  const { preview: p } = props;
  const hasErrors = p.errorCount > 0;
  return (
    <Flex vertical gap={16}>
      {hasErrors ? (
        <Alert type="error" showIcon title={`发现 ${p.errorCount} 处错误，改正后才能导入`} description="下载“标注错误的文件”：出错的单元格已标红并加了批注，末列“错误说明”逐行写明原因。改好后重新上传。" />
      ) : (
        <Alert type="success" showIcon title="检查通过，可以导入" description={p.warningCount ? `另有 ${p.warningCount} 条提示，请核对；提示不影响导入。` : undefined} />
      )}
      {props.children}
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
          <Button type="primary" disabled={hasErrors || props.commit.disabled} onClick={props.onCommit}>
            {props.commit.label}
          </Button>
        </Space>
      </Flex>
    </Flex>
  );
}

function DonePanel({ done, onAgain }: { done: { subTitle: string; actions: { key: string; label: string; to?: string; primary?: boolean }[] }; onAgain: () => void }) {
  const navigate = useNavigate();
  return (
    <Result
      status="success"
      icon={<CheckCircleOutlined />}
      title="导入完成"
      subTitle={done.subTitle}
      extra={[
        ...done.actions.map((a) => (
          <Button key={a.key} type={a.primary ? 'primary' : 'default'} onClick={() => (a.to ? void navigate(a.to) : undefined)}>
            {a.label}
          </Button>
        )),
        <Button key="again" onClick={onAgain}>
          继续导入
        </Button>,
      ]}
    />
  );
}
