import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { createApiToken, listApiTokens, revokeApiToken, type ApiToken, type CreateApiTokenBody } from '#web/features/auth/api.ts';
import { formatDateTime } from '#web/lib/format.ts';
import { ApiError } from '#web/lib/http.ts';

const TOKENS_KEY = ['api-tokens'] as const;

/** API 令牌: personal tokens for system integrations, acting with the owner's permissions and scope. */
export function ApiTokensPage() {
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<CreateApiTokenBody>();
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: listApiTokens });

  const create = useMutation({
    mutationFn: createApiToken,
    onSuccess: async (created) => {
      form.resetFields();
      setCreating(false);
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
      modal.success({
        title: '令牌已创建',
        width: 560,
        okText: '我已保存',
        content: (
          <Flex vertical gap={12} style={{ marginTop: 8 }}>
            <Typography.Text code copyable={{ text: created.token, tooltips: ['复制', '已复制'] }} style={{ wordBreak: 'break-all' }}>
              {created.token}
            </Typography.Text>
            <Alert type="warning" showIcon title="令牌只显示这一次，请立即保存到对接系统的配置中。调用时使用请求头 Authorization: Bearer <令牌>。" />
          </Flex>
        ),
      });
    },
    onError: (error) => message.error(error instanceof ApiError ? error.message : '创建失败'),
  });

  const revoke = useMutation({
    mutationFn: (token: ApiToken) => revokeApiToken(token.id),
    onSuccess: async () => {
      message.success('令牌已吊销');
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
    onError: (error) => message.error(error instanceof ApiError ? error.message : '吊销失败'),
  });

  const columns: TableColumnsType<ApiToken> = [
    { title: '用途', dataIndex: 'name' },
    { title: '前缀', dataIndex: 'prefix', render: (v: string) => <Typography.Text code>{v}…</Typography.Text> },
    { title: '创建时间', dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    { title: '最近使用', dataIndex: 'lastUsedAt', render: (v: string | null) => (v ? formatDateTime(v) : '从未使用') },
    {
      title: '状态',
      key: 'status',
      render: (_: unknown, t) => (t.revokedAt ? <Tag>已于 {formatDateTime(t.revokedAt)} 吊销</Tag> : <Tag color="success">有效</Tag>),
    },
    {
      title: '操作',
      key: 'actions',
      render: (_: unknown, t) =>
        t.revokedAt ? null : (
          <Popconfirm title="吊销令牌" description="吊销后使用该令牌的系统将立即无法访问。" okText="吊销" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => revoke.mutateAsync(t)}>
            <Button type="link" danger size="small">
              吊销
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="API 令牌"
        description="供其他系统对接时使用，令牌拥有与您相同的权限和数据范围。不再使用的令牌请及时吊销。"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建令牌
          </Button>
        }
      />
      <Card>
        {tokens.isError ? <Alert type="error" showIcon title={tokens.error.message} style={{ marginBottom: 16 }} /> : null}
        <Table<ApiToken> rowKey="id" columns={columns} dataSource={tokens.data?.items ?? []} loading={tokens.isPending} pagination={false} scroll={{ x: 'max-content' }} />
      </Card>
      <Modal title="新建 API 令牌" open={creating} onCancel={() => setCreating(false)} onOk={() => form.submit()} okText="创建" cancelText="取消" confirmLoading={create.isPending}>
        <Form<CreateApiTokenBody> form={form} layout="vertical" onFinish={(values) => create.mutate(values)}>
          <Form.Item label="用途" name="name" rules={[{ required: true, whitespace: true, message: '请填写令牌用途' }, { max: 100, message: '最多 100 个字符' }]}>
            <Input placeholder="例如：统计局数据交换" maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
