import { useEffect, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Flex, Form, Input, Result, Row, Select, Space, Table, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { INDICATORS, type IndicatorCode } from '#common/indicators.ts';
import type { FormBody, ImportProblem } from '#common/contracts/monitoring.ts';
import { beijingToday, isFuturePeriod, periodsOfYear } from '#common/period.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useMe } from '#web/features/auth/session.tsx';
import { ApiError } from '#web/lib/http.ts';
import { MONITORING_KEY, submitMonthlyForm, useMonthlyForm, usePeriods, type ImportPreview } from '#web/features/monitoring/api.ts';
import { formatValue, periodLabel } from '#web/features/monitoring/format.ts';

type Pair = { current?: string; previous?: string };
type Values = Partial<Record<IndicatorCode, Pair>> & { products?: { productName: string; unit: string; current: string; previous?: string }[] };

function isPreview(details: unknown): details is ImportPreview {
  return typeof details === 'object' && details !== null && 'problems' in details;
}

/**
 * 企业月报在线填报: an enterprise (or its town, for it) fills 1–N月 and 上年同期 for a period, with
 * the import's checks — a negative where impossible, a cumulative below last month, a value ten
 * times last month's — shown before anything is saved.
 */
export function MonitoringFormPage() {
  const me = useMe();
  const [params] = useSearchParams();
  const enterpriseId = params.get('enterpriseId') ?? me.enterpriseId;
  const today = beijingToday();
  const year = Number(today.slice(0, 4));
  // The last five years, newest first; it opens on the district's latest reported period.
  const choices = useMemo(() => [4, 3, 2, 1, 0].flatMap((k) => periodsOfYear(year - k)).filter((p) => !isFuturePeriod(p, today)).reverse(), [year, today]);
  const periods = usePeriods();
  const [picked, setPeriod] = useState<string | null>(null);
  const period = picked ?? periods.data?.latest ?? choices[0] ?? `${year}-02`;
  const form = useMonthlyForm(enterpriseId, period);
  const [values] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [problems, setProblems] = useState<ImportProblem[] | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const report = form.data?.report;
    const initial: Values = {};
    for (const i of INDICATORS) {
      const v = report?.values[i.code];
      initial[i.code] = { current: v?.current ?? '', previous: v?.previous ?? '' };
    }
    initial.products = report?.products.map((p) => ({ productName: p.productName, unit: p.unit, current: p.current, previous: p.previous ?? '' })) ?? [];
    values.setFieldsValue(initial);
    setProblems(null);
    setSaved(false);
  }, [form.data, values]);

  if (!enterpriseId) {
    return (
      <Card>
        <Result status="info" title="请从企业月报列表选择企业后填报" subTitle="企业账号登录后直接填报本企业的月报。" />
      </Card>
    );
  }

  const send = async (dryRun: boolean) => {
    const v = values.getFieldsValue();
    const body: FormBody = { enterpriseId, period, values: {}, dryRun };
    for (const i of INDICATORS) {
      const pair = v[i.code];
      const current = pair?.current?.trim() ?? '';
      const previous = pair?.previous?.trim() ?? '';
      if (current === '' && previous === '') continue;
      body.values[i.code] = { current, previous: previous === '' ? null : previous };
    }
    body.products = (v.products ?? []).filter((p) => p && p.productName).map((p) => ({ productName: p.productName, unit: p.unit, current: p.current, previous: p.previous ? p.previous : null }));
    try {
      const result = await submitMonthlyForm(body);
      setProblems(result.problems);
      if (!dryRun) {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: MONITORING_KEY });
        message.success('已保存');
      } else message.success(result.problems.length ? '检查完成，请看提示' : '检查通过');
    } catch (error) {
      if (error instanceof ApiError && isPreview(error.details)) setProblems(error.details.problems);
      message.error(error instanceof ApiError ? error.message : '提交失败，请稍后重试');
    }
  };

  const last = form.data?.previousReport;
  return (
    <>
      <PageHeader
        title="企业月报填报"
        description={form.data ? `${form.data.enterprise.name}（${form.data.enterprise.town.name}）` : undefined}
        extra={<Select aria-label="报告期" style={{ width: 150 }} value={period} onChange={setPeriod} options={choices.map((p) => ({ value: p, label: periodLabel(p) }))} />}
      />
      <Card loading={form.isLoading}>
        {form.error ? <Alert type="error" showIcon title={form.error.message} style={{ marginBottom: 16 }} /> : null}
        {saved ? <Alert type="success" showIcon title={`${periodLabel(period)}月报已保存`} style={{ marginBottom: 16 }} /> : null}
        <Typography.Paragraph type="secondary">
          填写1–{Number(period.slice(5))}月累计数（1–2月合并填报）。金额单位千元，用电量万千瓦时，用工人数为人。只保存填写了的指标；上年同期无数据的填 0。
        </Typography.Paragraph>
        <Form form={values} layout="vertical">
          <Row gutter={16}>
            {INDICATORS.map((i) => (
              <Col xs={24} md={12} xl={8} key={i.code}>
                <Typography.Text strong>
                  {i.name}（{i.unit}）
                </Typography.Text>
                <Flex gap={8}>
                  <Form.Item name={[i.code, 'current']} label="本年累计" style={{ flex: 1 }} extra={last?.values[i.code] ? `上期累计 ${formatValue(last.values[i.code]!.current, i.unit)}` : undefined}>
                    <Input inputMode="decimal" />
                  </Form.Item>
                  <Form.Item name={[i.code, 'previous']} label={i.previousRequired ? '上年同期' : '上年同期（可不填）'} style={{ flex: 1 }}>
                    <Input inputMode="decimal" />
                  </Form.Item>
                </Flex>
              </Col>
            ))}
          </Row>
          <Typography.Text strong>主要产品产量</Typography.Text>
          <Form.List name="products">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline" wrap>
                    <Form.Item name={[field.name, 'productName']} rules={[{ required: true, message: '产品名称' }]}>
                      <Input placeholder="产品名称，如 改装汽车" />
                    </Form.Item>
                    <Form.Item name={[field.name, 'unit']} rules={[{ required: true, message: '计量单位' }]}>
                      <Input placeholder="单位，如 辆" style={{ width: 90 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'current']} rules={[{ required: true, message: '本年累计' }]}>
                      <Input placeholder="本年累计" inputMode="decimal" />
                    </Form.Item>
                    <Form.Item name={[field.name, 'previous']}>
                      <Input placeholder="上年同期" inputMode="decimal" />
                    </Form.Item>
                    <MinusCircleOutlined aria-label="删除产品" onClick={() => remove(field.name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} style={{ display: 'block', margin: '8px 0 16px' }}>
                  添加产品
                </Button>
              </>
            )}
          </Form.List>
        </Form>
        {problems && problems.length ? (
          <Table
            size="small"
            style={{ marginBottom: 16 }}
            rowKey={(p) => `${p.column}:${p.message}`}
            pagination={false}
            dataSource={problems}
            columns={[
              { title: '', key: 'level', width: 60, render: (_, p) => (p.level === 'error' ? <Typography.Text type="danger">错误</Typography.Text> : <Typography.Text type="warning">提示</Typography.Text>) },
              { title: '项目', key: 'header', width: 200, render: (_, p) => p.header ?? '—' },
              { title: '说明', dataIndex: 'message' },
            ]}
          />
        ) : null}
        <Space>
          <Button onClick={() => void send(true)}>检查</Button>
          <Button type="primary" onClick={() => void send(false)}>
            保存月报
          </Button>
        </Space>
      </Card>
    </>
  );
}
