import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Drawer, Flex, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import {
  WARNING_LEVEL_LABELS,
  WARNING_LEVELS,
  WARNING_RULE_LABELS,
  WARNING_RULES,
  WARNING_STATUS_LABELS,
  WARNING_STATUSES,
  type MonitoringSettings,
  type WarningLevel,
  type WarningRule,
  type WarningStatus,
} from '#common/contracts/monitoring.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useCan } from '#web/features/auth/session.tsx';
import { ApiError } from '#web/lib/http.ts';
import { MONITORING_KEY, saveSettings, updateWarning, usePeriods, useSettings, useWarnings, type Warning } from '#web/features/monitoring/api.ts';
import { periodLabel } from '#web/features/monitoring/format.ts';

const LEVEL_COLORS = { red: 'red', orange: 'orange', yellow: 'gold' } as const;

/**
 * 预警: what the rules found after each import — enterprises falling back or not reporting, data
 * that contradict each other, towns and chains behind the district target. A warning is
 * acknowledged or closed with a note; the rules' thresholds are settings.
 */
export function MonitoringWarningsPage() {
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const periods = usePeriods();
  const [filter, setFilter] = useState<{ period?: string; level?: WarningLevel; rule?: WarningRule; status?: WarningStatus; activeOnly: 'true' | 'false' }>({ activeOnly: 'true' });
  const [page, setPage] = useState(1);
  const warnings = useWarnings({ ...filter, page, pageSize: 20 });
  const [handling, setHandling] = useState<{ warning: Warning; status: WarningStatus } | null>(null);
  const [note, setNote] = useState('');
  const [settingsOpen, setSettingsOpen] = useState(false);

  const submit = async () => {
    if (!handling) return;
    try {
      await updateWarning(handling.warning.id, { status: handling.status, note: note.trim() || null });
      await queryClient.invalidateQueries({ queryKey: [...MONITORING_KEY, 'warnings'] });
      setHandling(null);
      message.success('已更新');
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '操作失败，请稍后重试');
    }
  };

  return (
    <>
      <PageHeader
        title="预警"
        description="每次导入月报后按规则重新评估：数据更正后不再满足条件的预警由系统自动关闭。"
        extra={can('monitoring.manage') ? <Button icon={<SettingOutlined />} onClick={() => setSettingsOpen(true)}>预警规则与目标增速</Button> : null}
      />
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Select
            allowClear
            placeholder="报告期"
            style={{ width: 150 }}
            value={filter.period}
            onChange={(period) => (setFilter({ ...filter, ...(period ? { period } : { period: undefined }) }), setPage(1))}
            options={(periods.data?.periods ?? []).map((p) => ({ value: p.period, label: periodLabel(p.period) }))}
          />
          <Select allowClear placeholder="级别" style={{ width: 110 }} value={filter.level} onChange={(level) => (setFilter({ ...filter, level }), setPage(1))} options={WARNING_LEVELS.map((l) => ({ value: l, label: WARNING_LEVEL_LABELS[l] }))} />
          <Select allowClear placeholder="规则" style={{ width: 190 }} value={filter.rule} onChange={(rule) => (setFilter({ ...filter, rule }), setPage(1))} options={WARNING_RULES.map((r) => ({ value: r, label: WARNING_RULE_LABELS[r] }))} />
          <Select allowClear placeholder="状态" style={{ width: 120 }} value={filter.status} onChange={(status) => (setFilter({ ...filter, status }), setPage(1))} options={WARNING_STATUSES.map((s) => ({ value: s, label: WARNING_STATUS_LABELS[s] }))} />
          <Space>
            <Switch checked={filter.activeOnly === 'false'} onChange={(on) => (setFilter({ ...filter, activeOnly: on ? 'false' : 'true' }), setPage(1))} />
            <Typography.Text>含已消除的</Typography.Text>
          </Space>
        </Flex>
        <Table<Warning>
          rowKey="id"
          size="small"
          loading={warnings.isLoading}
          dataSource={warnings.data?.items ?? []}
          pagination={{ current: page, pageSize: 20, total: warnings.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          scroll={{ x: true }}
          columns={[
            { title: '级别', key: 'level', width: 70, render: (_, w) => <Tag color={LEVEL_COLORS[w.level]}>{WARNING_LEVEL_LABELS[w.level]}</Tag> },
            { title: '报告期', key: 'period', width: 110, render: (_, w) => periodLabel(w.period) },
            { title: '规则', key: 'rule', width: 150, render: (_, w) => WARNING_RULE_LABELS[w.rule] },
            {
              title: '对象',
              key: 'subject',
              render: (_, w) => (w.subject.kind === 'enterprise' ? <Link to={`/enterprises/${w.subject.id}`}>{w.subject.name}</Link> : w.subject.name),
            },
            { title: '镇街', key: 'town', render: (_, w) => w.town?.name ?? '—' },
            { title: '原因', dataIndex: 'reason' },
            {
              title: '状态',
              key: 'status',
              width: 160,
              render: (_, w) => (
                <Space direction="vertical" size={0}>
                  <span>
                    {WARNING_STATUS_LABELS[w.status]}
                    {w.active ? '' : '（条件已消除）'}
                  </span>
                  {w.note ? <Typography.Text type="secondary">{w.note}</Typography.Text> : null}
                </Space>
              ),
            },
            {
              title: '处理',
              key: 'actions',
              width: 150,
              render: (_, w) =>
                can('monitoring.import') ? (
                  <Space size={4}>
                    {w.status === 'open' ? (
                      <Button size="small" onClick={() => (setHandling({ warning: w, status: 'acknowledged' }), setNote(''))}>
                        知悉
                      </Button>
                    ) : null}
                    {w.status !== 'closed' ? (
                      <Button size="small" onClick={() => (setHandling({ warning: w, status: 'closed' }), setNote(''))}>
                        关闭
                      </Button>
                    ) : (
                      <Button size="small" onClick={() => (setHandling({ warning: w, status: 'open' }), setNote(''))}>
                        重新打开
                      </Button>
                    )}
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
      <Modal
        open={!!handling}
        title={handling ? `${WARNING_STATUS_LABELS[handling.status]}：${handling.warning.subject.name}` : ''}
        onCancel={() => setHandling(null)}
        onOk={() => void submit()}
        okText="确定"
      >
        <Typography.Paragraph>{handling?.warning.reason}</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={handling?.status === 'closed' ? '处理说明（必填），如：已核实，企业订单减少' : '说明（可选）'} />
      </Modal>
      <SettingsDrawer open={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </>
  );
}

function SettingsDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const settings = useSettings();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<MonitoringSettings>();
  const [saving, setSaving] = useState(false);
  const save = async (values: MonitoringSettings) => {
    setSaving(true);
    try {
      await saveSettings(values);
      await queryClient.invalidateQueries({ queryKey: MONITORING_KEY });
      message.success('已保存，本年预警已重新评估');
      onClose();
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '保存失败，请稍后重试');
    } finally {
      setSaving(false);
    }
  };
  return (
    <Drawer open={open} onClose={onClose} title="预警规则与目标增速" size="default" loading={settings.isLoading} destroyOnHidden>
      {settings.data ? (
        <Form form={form} layout="vertical" initialValues={settings.data} onFinish={(v) => void save(v)}>
          <Form.Item name="targetGrowthPct" label="全区工业总产值目标增速（%）" extra="镇街、产业链增速低于此值时预警；将来由目标管理绑定" rules={[{ required: true }]}>
            <InputNumber min={-100} max={1000} step={0.5} style={{ width: '100%' }} />
          </Form.Item>
          <Typography.Text strong>企业产值同比下降超过（%）</Typography.Text>
          <Flex gap={8} style={{ marginTop: 8 }}>
            {(['yellow', 'orange', 'red'] as const).map((level) => (
              <Form.Item key={level} name={['outputDropPct', level]} label={WARNING_LEVEL_LABELS[level]} rules={[{ required: true }]}>
                <InputNumber min={0} max={100} />
              </Form.Item>
            ))}
          </Flex>
          <Form.Item name="electricityDropPct" label="产值增长而用电量下降超过（%）" rules={[{ required: true }]}>
            <InputNumber min={0} max={100} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="unitSlipFactor" label="疑似单位错误：与上月相差倍数" rules={[{ required: true }]}>
            <InputNumber min={2} max={100000} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="belowTargetOrangePts" label="低于目标超过多少个百分点为橙色（负增长为红色）" rules={[{ required: true }]}>
            <InputNumber min={0} max={100} style={{ width: '100%' }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving}>
            保存并重新评估
          </Button>
        </Form>
      ) : null}
    </Drawer>
  );
}
