import { Flex, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { ImportProblem } from '#common/contracts/enterprises.ts';
import { WorkbookImport } from '#web/components/WorkbookImport.tsx';
import { downloadAnnotated, downloadImportTemplate, ENTERPRISES_KEY, importEnterprises, type EnterpriseImportPreview } from '#web/features/enterprises/api.ts';

const ACTION_LABELS = { create: { text: '新增', color: 'green' }, update: { text: '更新', color: 'blue' }, unchanged: { text: '无变化', color: undefined } } as const;

function where(p: ImportProblem): string {
  if (p.row === null) return '整个文件';
  return `第 ${p.row} 行${p.column ? ` · ${p.column}` : ''}${p.cell ? `（${p.cell}）` : ''}`;
}

/** A refused commit (someone changed the registry in between) carries the fresh preview. */
function previewOf(details: unknown): EnterpriseImportPreview | null {
  return typeof details === 'object' && details !== null && 'errors' in details ? (details as EnterpriseImportPreview) : null;
}

/**
 * 导入企业名录: choose a workbook → it is checked (nothing written) → the preview lists every
 * error and warning by row and column, with the marked workbook to download and correct →
 * commit, all rows or none. The steps and progress are WorkbookImport's.
 */
export function EnterpriseImportPage() {
  return (
    <WorkbookImport<EnterpriseImportPreview>
      title="导入企业名录"
      description="按统一社会信用代码新增或更新企业。先检查、后导入：文件有任何错误时一条也不会写入。"
      back={{ label: '返回企业列表', to: '/enterprises' }}
      downloadTemplate={downloadImportTemplate}
      uploadText="点击或把 Excel 文件拖到这里"
      uploadHint=".xlsx，不超过 20 MB。表头可在任一工作表、任意顺序，标题行、合计行会自动跳过。"
      send={(file, dryRun, options) => importEnterprises(file, dryRun, options.onProgress, options.headers)}
      downloadAnnotated={downloadAnnotated}
      previewOf={previewOf}
      invalidate={ENTERPRISES_KEY}
      renderPreview={(p) => <RosterPreview preview={p} />}
      commit={(p) => (p.creates + p.updates === 0 ? { label: '没有需要写入的变化', disabled: true } : { label: `确认导入（新增 ${p.creates}，更新 ${p.updates}）`, disabled: false })}
      done={(p) => ({ subTitle: `新增 ${p.creates} 家，更新 ${p.updates} 家，${p.unchanged} 家无变化。`, actions: [{ key: 'list', label: '查看企业列表', to: '/enterprises', primary: true }] })}
    />
  );
}

function RosterPreview({ preview: p }: { preview: EnterpriseImportPreview }) {
  const problemColumns = [
    { title: '位置', key: 'where', width: 220, render: (_: unknown, x: ImportProblem) => where(x) },
    { title: '说明', dataIndex: 'message' },
  ];
  const hasErrors = p.errorCount > 0;
  return (
    <>
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
    </>
  );
}
