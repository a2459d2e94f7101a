import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { App, Button, Card, DatePicker, Flex, Form, Input, Modal, Select, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { QUALIFICATION_KIND_LABELS, QUALIFICATION_KINDS, QUALIFICATION_LEVEL_LABELS, QUALIFICATION_STATUS_LABELS, QUALIFICATION_STATUSES, RECOGNITION_LABELS } from '#common/contracts/cultivation.ts';
import type { QualificationKind, QualificationStatus } from '#common/contracts/cultivation.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useCan } from '#web/features/auth/session.tsx';
import { useTownOptions } from '#web/features/enterprises/options.ts';
import { ApiError } from '#web/lib/http.ts';
import { CULTIVATION_KEY, revokeQualification, useQualifications } from '#web/features/cultivation/api.ts';
import type { Qualification } from '#web/features/cultivation/api.ts';
import { StatusTag } from '#web/features/cultivation/labels.tsx';

/** 资质登记: every qualification in scope by kind, status and town; revocation for those who may write. */
export function QualificationsPage() {
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const towns = useTownOptions();
  const [kind, setKind] = useState<QualificationKind | undefined>();
  const [status, setStatus] = useState<QualificationStatus | undefined>();
  const [town, setTown] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [revoking, setRevoking] = useState<Qualification | null>(null);
  const list = useQualifications({ kind, status, town, page, pageSize: 20 });

  const revoke = async (values: { revokedOn: Dayjs; reason: string }) => {
    if (!revoking) return;
    try {
      await revokeQualification(revoking.id, { revokedOn: values.revokedOn.format('YYYY-MM-DD'), reason: values.reason });
      message.success('已撤销');
      setRevoking(null);
      await queryClient.invalidateQueries({ queryKey: CULTIVATION_KEY });
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '撤销失败');
    }
  };

  const columns: TableColumnsType<Qualification> = [
    { title: '企业', render: (_, q) => <Link to={`/cultivation/enterprises/${q.enterprise.id}`}>{q.enterprise.name}</Link> },
    { title: '镇街', width: 120, render: (_, q) => q.enterprise.town.name },
    { title: '资质', render: (_, q) => `${QUALIFICATION_KIND_LABELS[q.kind]}${q.recognition ? `（${RECOGNITION_LABELS[q.recognition]}）` : ''}` },
    { title: '级别', width: 80, render: (_, q) => (q.level ? QUALIFICATION_LEVEL_LABELS[q.level] : '—') },
    { title: '编号', dataIndex: 'number', width: 160 },
    { title: '认定日期', dataIndex: 'grantedOn', width: 110 },
    { title: '有效期至', width: 110, render: (_, q) => q.expiresOn ?? '—' },
    { title: '状态', width: 90, render: (_, q) => <StatusTag status={q.status} /> },
    ...(can('cultivation.write')
      ? [
          {
            title: '',
            width: 70,
            render: (_: unknown, q: Qualification) =>
              q.status === 'revoked' ? null : (
                <Button size="small" danger type="link" onClick={() => setRevoking(q)}>
                  撤销
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader title="资质登记" description="高新技术企业、科技型中小企业、创新型中小企业、专精特新、小巨人、单项冠军、上市后备、龙头企业、困难企业" extra={<Link to="/cultivation">返回培育梯队</Link>} />
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <Select allowClear placeholder="资质类型" style={{ width: 200 }} value={kind} onChange={(v?: QualificationKind) => (setKind(v), setPage(1))} options={QUALIFICATION_KINDS.map((k) => ({ value: k, label: QUALIFICATION_KIND_LABELS[k] }))} />
          <Select allowClear placeholder="状态" style={{ width: 140 }} value={status} onChange={(v?: QualificationStatus) => (setStatus(v), setPage(1))} options={QUALIFICATION_STATUSES.map((s) => ({ value: s, label: QUALIFICATION_STATUS_LABELS[s] }))} />
          <Select allowClear placeholder="镇街" style={{ width: 160 }} value={town} onChange={(v?: string) => (setTown(v), setPage(1))} options={towns.options} />
        </Flex>
        <Table<Qualification> rowKey="id" size="small" loading={list.isPending} columns={columns} dataSource={list.data?.items ?? []} pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }} />
      </Card>
      <Modal title={`撤销资质：${revoking?.enterprise.name ?? ''}`} open={revoking !== null} onCancel={() => setRevoking(null)} footer={null} destroyOnHidden>
        <Form layout="vertical" onFinish={(v) => void revoke(v)}>
          <Form.Item name="revokedOn" label="撤销日期" rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="reason" label="撤销原因" rules={[{ required: true, message: '请填写撤销原因' }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <Button type="primary" danger htmlType="submit">
            撤销
          </Button>
        </Form>
      </Modal>
    </>
  );
}
