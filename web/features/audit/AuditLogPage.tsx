import { DatePicker, Flex, Form, Input, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { ExportButton } from '#web/components/ExportButton.tsx';
import { FilterTable } from '#web/components/FilterTable.tsx';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { AUDIT_KEY, exportAudit, listAudit, type AuditQuery, type AuditRecord } from '#web/features/audit/api.ts';
import { formatDateTime, formatJson, toDateParam } from '#web/lib/format.ts';

interface Filters {
  actor?: string;
  action?: string;
  entityType?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

type Query = Omit<AuditQuery, 'page' | 'pageSize'>;

const toQuery = (values: Partial<Filters>): Query => ({
  actor: values.actor?.trim() || undefined,
  action: values.action?.trim() || undefined,
  entityType: values.entityType?.trim() || undefined,
  from: toDateParam(values.dates?.[0]),
  to: toDateParam(values.dates?.[1]),
});

/** Who did the change: a person, or the command line / the system itself. */
const ACTOR_KIND_LABELS: Record<string, string> = { user: '用户', token: 'API 令牌', cli: '命令行', system: '系统' };

const columns: TableColumnsType<AuditRecord> = [
  { title: '序号', dataIndex: 'seq', width: 80 },
  { title: '时间', dataIndex: 'at', render: (v: string) => formatDateTime(v) },
  {
    title: '操作人',
    key: 'actor',
    render: (_: unknown, r) => (
      <span>
        {r.actorName}
        {r.actorKind !== 'user' ? <Tag style={{ marginInlineStart: 6 }}>{ACTOR_KIND_LABELS[r.actorKind] ?? r.actorKind}</Tag> : null}
      </span>
    ),
  },
  { title: '工作单位', key: 'unit', render: (_: unknown, r) => r.activeUnit?.name ?? '—' },
  { title: '动作', dataIndex: 'action', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
  {
    title: '对象',
    key: 'entity',
    render: (_: unknown, r) => (
      <span>
        {r.entityType}
        {r.entityId ? <Typography.Text type="secondary"> · {r.entityId}</Typography.Text> : null}
      </span>
    ),
  },
  { title: 'IP 地址', dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
];

function Change({ record }: { record: AuditRecord }) {
  return (
    <Flex gap={16} wrap>
      <div style={{ flex: '1 1 280px', minWidth: 0 }}>
        <Typography.Text type="secondary">变更前</Typography.Text>
        <pre className="kj-json">{formatJson(record.before)}</pre>
      </div>
      <div style={{ flex: '1 1 280px', minWidth: 0 }}>
        <Typography.Text type="secondary">变更后</Typography.Text>
        <pre className="kj-json">{formatJson(record.after)}</pre>
      </div>
      {record.requestId ? (
        <Typography.Text type="secondary" style={{ flexBasis: '100%', fontSize: 12 }}>
          请求编号 {record.requestId}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}

/** 审计日志: every change, who made it in which unit, with what it was before and after. */
export function AuditLogPage() {
  return (
    <>
      <PageHeader title="审计日志" description="所有数据变更均留痕，记录以密钥链式签名，任何篡改或删除均可被校验发现。展开一行查看变更前后的内容。" />
      <FilterTable<AuditRecord, Filters, Query>
        queryKey={AUDIT_KEY}
        fetchPage={(query, signal) => listAudit(query, signal)}
        toQuery={toQuery}
        rowKey="seq"
        columns={columns}
        expandable={{ expandedRowRender: (record) => <Change record={record} />, rowExpandable: (r) => r.before != null || r.after != null }}
        toolbar={(query) => <ExportButton onExport={() => exportAudit(query)} label="导出 Excel" />}
        filters={
          <>
            <Form.Item name="actor" label="操作人">
              <Input allowClear placeholder="用户名或姓名" style={{ width: 150 }} />
            </Form.Item>
            <Form.Item name="action" label="动作">
              <Input allowClear placeholder="如 user.create" style={{ width: 150 }} />
            </Form.Item>
            <Form.Item name="entityType" label="对象类型">
              <Input allowClear placeholder="如 user" style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="dates" label="日期">
              <DatePicker.RangePicker allowEmpty={[true, true]} />
            </Form.Item>
          </>
        }
      />
    </>
  );
}
