import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Typography, Upload } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { REPORTED_INDICATORS, type ReportedIndicatorCode } from '#common/indicators.ts';
import { beijingToday, isFuturePeriod, periodsOfYear } from '#common/period.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { formatDateTime } from '#web/lib/format.ts';
import { useCan } from '#web/features/auth/session.tsx';
import { ApiError } from '#web/lib/http.ts';
import { addReported, importReported, MONITORING_KEY, useReported, type ReportedImport, type ReportedList } from '#web/features/monitoring/api.ts';
import { periodLabel } from '#web/features/monitoring/format.ts';

type Item = ReportedList['items'][number];
type Values = { code: ReportedIndicatorCode; period: string; value: string; source: string; note?: string };

/**
 * 统计局公布指标: figures the enterprise reports cannot give — 规上工业增加值增速 (real, at
 * comparable prices), 高新技术产业增加值增速, investment growth — entered per period with their
 * source; every entry is kept as history. They are shown beside the computed figures, never
 * derived from output value.
 */
export function MonitoringReportedPage() {
  const can = useCan();
  const today = beijingToday();
  const [year, setYear] = useState(Number(today.slice(0, 4)));
  const reported = useReported(year);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const [importing, setImporting] = useState(false);

  // A workbook of figures: recorded all or none; a refusal lists where each error is.
  const importFile = async (file: File) => {
    setImporting(true);
    try {
      const result = await importReported(file);
      await queryClient.invalidateQueries({ queryKey: [...MONITORING_KEY, 'reported'] });
      message.success(`已从「${result.sheet}」录入 ${result.items.length} 项`);
    } catch (error) {
      const details = error instanceof ApiError ? (error.details as Partial<ReportedImport> | undefined) : undefined;
      modal.error({
        title: error instanceof ApiError ? error.message : '导入失败，请稍后重试',
        content: details?.errors?.length ? (
          <ul>
            {details.errors.slice(0, 20).map((e) => (
              <li key={`${e.row}:${e.column}:${e.message}`}>{`第 ${e.row} 行${e.column ? ` ${e.column} 列` : ''}：${e.message}`}</li>
            ))}
          </ul>
        ) : undefined,
      });
    } finally {
      setImporting(false);
    }
  };

  const save = async (values: Values) => {
    try {
      await addReported({ ...values, note: values.note ?? null });
      await queryClient.invalidateQueries({ queryKey: [...MONITORING_KEY, 'reported'] });
      setOpen(false);
      form.resetFields();
      message.success('已录入');
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '录入失败，请稍后重试');
    }
  };

  return (
    <>
      <PageHeader
        title="统计局公布指标"
        description="增加值增速为扣除价格因素的实际增速，由统计局公布后录入，不能由产值推算。每次录入都保留，最新一次为准。"
        extra={
          <>
            <Select style={{ width: 110 }} value={year} onChange={setYear} options={[0, 1, 2, 3, 4, 5].map((k) => ({ value: Number(today.slice(0, 4)) - k, label: `${Number(today.slice(0, 4)) - k}年` }))} />
            {can('monitoring.manage') ? (
              <>
                <Upload
                  accept=".xlsx"
                  showUploadList={false}
                  beforeUpload={(file) => {
                    void importFile(file);
                    return false;
                  }}
                >
                  <Button icon={<UploadOutlined />} loading={importing} title="表头：指标、报告期、数值、来源、备注（可选）">
                    从工作簿导入
                  </Button>
                </Upload>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
                  录入
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <Card>
        <Table<Item>
          rowKey="id"
          size="small"
          loading={reported.isLoading}
          dataSource={reported.data?.items ?? []}
          pagination={false}
          expandable={{
            rowExpandable: (r) => r.history.length > 0,
            expandedRowRender: (r) => (
              <Space direction="vertical">
                {r.history.map((h) => (
                  <Typography.Text key={h.id} type="secondary">
                    {formatDateTime(h.enteredAt)} {h.enteredBy}：{h.value}
                    {r.unit}（{h.source}）{h.note ? ` ${h.note}` : ''}
                  </Typography.Text>
                ))}
              </Space>
            ),
          }}
          columns={[
            { title: '报告期', key: 'period', render: (_, r) => periodLabel(r.period) },
            { title: '指标', dataIndex: 'name' },
            { title: '数值', key: 'value', align: 'right', render: (_, r) => `${r.value}${r.unit === '%' ? '%' : ` ${r.unit}`}` },
            { title: '来源', dataIndex: 'source' },
            { title: '备注', key: 'note', render: (_, r) => r.note ?? '—' },
            { title: '录入', key: 'by', render: (_, r) => `${r.enteredBy} ${formatDateTime(r.enteredAt)}` },
            { title: '修改次数', key: 'h', render: (_, r) => r.history.length },
          ]}
        />
      </Card>
      <Modal open={open} title="录入统计局公布指标" onCancel={() => setOpen(false)} onOk={() => form.submit()} okText="保存">
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Form.Item name="code" label="指标" rules={[{ required: true, message: '请选择指标' }]}>
            <Select options={REPORTED_INDICATORS.map((r) => ({ value: r.code, label: `${r.name}（${r.unit}）` }))} />
          </Form.Item>
          <Form.Item name="period" label="报告期" rules={[{ required: true, message: '请选择报告期' }]}>
            <Select options={[...periodsOfYear(year)].filter((p) => !isFuturePeriod(p, today)).map((p) => ({ value: p, label: periodLabel(p) }))} />
          </Form.Item>
          <Form.Item name="value" label="数值" rules={[{ required: true, message: '请填写数值' }]} extra="增速填百分数，如 7.5">
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item name="source" label="来源" rules={[{ required: true, message: '请填写来源' }]}>
            <Input placeholder="如 区统计局2022年6月统计月报" />
          </Form.Item>
          <Form.Item name="note" label="备注">
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
