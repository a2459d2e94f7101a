import { DatePicker, Form, Input, Select, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { ExportButton } from '#web/components/ExportButton.tsx';
import { FilterTable } from '#web/components/FilterTable.tsx';
import { LongText } from '#web/components/LongText.tsx';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { exportLoginLog, listLoginLog, LOGIN_LOG_KEY, type LoginLogQuery, type LoginRecord } from '#web/features/audit/api.ts';
import { formatDateTime, toDateParam } from '#web/lib/format.ts';

interface Filters {
  username?: string;
  success?: 'true' | 'false';
  dates?: [Dayjs | null, Dayjs | null] | null;
}

type Query = Omit<LoginLogQuery, 'page' | 'pageSize'>;

const toQuery = (values: Partial<Filters>): Query => ({
  username: values.username?.trim() || undefined,
  success: values.success,
  from: toDateParam(values.dates?.[0]),
  to: toDateParam(values.dates?.[1]),
});

const columns: TableColumnsType<LoginRecord> = [
  { title: '时间', dataIndex: 'at', render: (v: string) => formatDateTime(v) },
  { title: '用户名', dataIndex: 'username' },
  { title: '结果', dataIndex: 'success', render: (ok: boolean) => (ok ? <Tag color="success">成功</Tag> : <Tag color="error">失败</Tag>) },
  { title: '说明', dataIndex: 'reason', render: (v: string) => v || '—' },
  { title: 'IP 地址', dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
  {
    title: '浏览器',
    dataIndex: 'userAgent',
    render: (v: string | null) => <LongText text={v} maxWidth={240} />,
  },
];

/** 登录日志: every sign-in attempt, successful or not, with its IP. */
export function LoginLogPage() {
  return (
    <>
      <PageHeader title="登录日志" description="记录每一次登录尝试（成功与失败）及来源 IP，用于发现异常登录。" />
      <FilterTable<LoginRecord, Filters, Query>
        queryKey={LOGIN_LOG_KEY}
        fetchPage={(query, signal) => listLoginLog(query, signal)}
        toQuery={toQuery}
        rowKey="id"
        columns={columns}
        toolbar={(query) => <ExportButton onExport={() => exportLoginLog(query)} label="导出 Excel" />}
        filters={
          <>
            <Form.Item name="username" label="用户名">
              <Input allowClear style={{ width: 150 }} />
            </Form.Item>
            <Form.Item name="success" label="结果">
              <Select
                allowClear
                placeholder="全部"
                style={{ width: 110 }}
                options={[
                  { value: 'true', label: '成功' },
                  { value: 'false', label: '失败' },
                ]}
              />
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
