import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { ADVERSE_KIND_LABELS, ADVERSE_KINDS } from '#common/contracts/cultivation.ts';
import type { AdverseRecordBody } from '#common/contracts/cultivation.ts';
import { ApiError } from '#web/lib/http.ts';
import { createAdverseRecord, CULTIVATION_KEY, deleteAdverseRecord, deleteEvidence, downloadEvidence, uploadEvidence, useAdverseRecords, useEvidenceFiles } from '#web/features/cultivation/api.ts';
import type { AdverseRecordView, EvidenceFile } from '#web/features/cultivation/api.ts';

// 证明材料 of a qualification (shown when its row is expanded) and the 不良记录 of an enterprise:
// both scoped on the server like the enterprise; writing needs cultivation.write.

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
const errorText = (error: unknown, fallback: string) => (error instanceof ApiError ? error.message : fallback);

/** The evidence files of one qualification: list, download, and for writers upload and delete. */
export function EvidenceFiles({ qualificationId, writable }: { qualificationId: string; writable: boolean }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const files = useEvidenceFiles(qualificationId);
  const [busy, setBusy] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [...CULTIVATION_KEY, 'files', qualificationId] });
  const send = async (file: File) => {
    setBusy(true);
    try {
      await uploadEvidence(qualificationId, file);
      message.success(`已上传 ${file.name}`);
      await refresh();
    } catch (error) {
      message.error(errorText(error, '上传失败'));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (file: EvidenceFile) => {
    try {
      await deleteEvidence(file.id);
      message.success('已删除');
      await refresh();
    } catch (error) {
      message.error(errorText(error, '删除失败'));
    }
  };
  return (
    <Flex vertical gap={8} data-testid={`evidence-${qualificationId}`}>
      <Flex gap={8} align="center">
        <Typography.Text strong>证明材料</Typography.Text>
        {writable ? (
          <Upload
            showUploadList={false}
            accept=".pdf,.jpg,.jpeg,.png,.ofd"
            beforeUpload={(file) => {
              void send(file);
              return false;
            }}
          >
            <Button size="small" loading={busy}>
              上传（PDF、JPG、PNG、OFD，≤ 20 MB）
            </Button>
          </Upload>
        ) : null}
      </Flex>
      <Table<EvidenceFile>
        size="small"
        rowKey="id"
        loading={files.isPending}
        pagination={false}
        dataSource={files.data?.items ?? []}
        locale={{ emptyText: '尚无证明材料' }}
        columns={[
          { title: '文件', dataIndex: 'fileName' },
          { title: '类型', width: 70, render: (_, f) => f.fileType.toUpperCase() },
          { title: '大小', width: 90, render: (_, f) => sizeText(f.size) },
          { title: '上传时间', width: 170, render: (_, f) => dayjs(f.createdAt).format('YYYY-MM-DD HH:mm') },
          {
            title: '',
            width: 130,
            render: (_, f) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => void downloadEvidence(f).catch((e: unknown) => message.error(errorText(e, '下载失败')))}>
                  下载
                </Button>
                {writable ? (
                  <Popconfirm title={`删除「${f.fileName}」？`} okText="删除" cancelText="取消" onConfirm={() => remove(f)}>
                    <Button size="small" type="link" danger>
                      删除
                    </Button>
                  </Popconfirm>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
    </Flex>
  );
}

/**
 * 不良记录: what the platform knows against the enterprise's compliance conditions. Each record
 * inside a rule's look-back window turns the condition 默认满足 into 不满足 in the evaluation.
 */
export function AdverseRecordsCard({ enterpriseId, writable }: { enterpriseId: string; writable: boolean }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const records = useAdverseRecords(enterpriseId);
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  // The evaluation reads these records: refresh it together with the list.
  const refresh = () => queryClient.invalidateQueries({ queryKey: CULTIVATION_KEY });
  const submit = async (values: { kind: AdverseRecordBody['kind']; occurredOn: dayjs.Dayjs; description: string; source: string }) => {
    setSaving(true);
    try {
      await createAdverseRecord(enterpriseId, { kind: values.kind, occurredOn: values.occurredOn.format('YYYY-MM-DD'), description: values.description, source: values.source });
      message.success('已登记');
      setOpen(false);
      await refresh();
    } catch (error) {
      message.error(errorText(error, '登记失败'));
    } finally {
      setSaving(false);
    }
  };
  const remove = async (record: AdverseRecordView) => {
    try {
      await deleteAdverseRecord(record.id);
      message.success('已删除');
      await refresh();
    } catch (error) {
      message.error(errorText(error, '删除失败'));
    }
  };
  return (
    <Card title="不良记录" style={{ marginTop: 16 }} extra={writable ? <Button onClick={() => setOpen(true)}>登记不良记录</Button> : null}>
      <Typography.Paragraph type="secondary">
        资格评估中“未发生重大安全、质量事故或严重环境违法”“未列入经营异常名录和严重违法失信名单”等合规条件，无记录时按默认满足；在各标准的回溯期内登记的记录会使对应条件判为不满足。
      </Typography.Paragraph>
      <Table<AdverseRecordView>
        size="small"
        rowKey="id"
        loading={records.isPending}
        pagination={false}
        dataSource={records.data?.items ?? []}
        locale={{ emptyText: '无不良记录' }}
        columns={[
          { title: '类别', width: 190, render: (_, r) => ADVERSE_KIND_LABELS[r.kind] },
          { title: '发生 / 公布日期', dataIndex: 'occurredOn', width: 130 },
          { title: '说明', dataIndex: 'description' },
          { title: '来源', dataIndex: 'source', width: 200 },
          ...(writable
            ? [
                {
                  title: '',
                  width: 70,
                  render: (_: unknown, r: AdverseRecordView) => (
                    <Popconfirm title="删除这条不良记录？" okText="删除" cancelText="取消" onConfirm={() => remove(r)}>
                      <Button size="small" type="link" danger>
                        删除
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal title="登记不良记录" open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Form layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item name="kind" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
            <Select options={ADVERSE_KINDS.map((k) => ({ value: k, label: ADVERSE_KIND_LABELS[k] }))} />
          </Form.Item>
          <Form.Item name="occurredOn" label="发生 / 公布日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="description" label="事项说明" rules={[{ required: true, message: '请填写事项说明' }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <Form.Item name="source" label="信息来源" rules={[{ required: true, message: '请填写信息来源（如发布机关、文号或名单名称）' }]}>
            <Input maxLength={200} placeholder="如：随州市应急管理局通报、信用中国" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving}>
            登记
          </Button>
        </Form>
      </Modal>
    </Card>
  );
}
