import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Popconfirm, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { LongText } from '#web/components/LongText.tsx';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { endSession, listSessions, type Session } from '#web/features/auth/api.ts';
import { formatDateTime } from '#web/lib/format.ts';
import { ApiError } from '#web/lib/http.ts';

const SESSIONS_KEY = ['sessions'] as const;

/** 在线用户: the signed-in sessions, with forced sign-out. */
export function SessionsPage() {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const sessions = useQuery({ queryKey: SESSIONS_KEY, queryFn: listSessions, refetchInterval: 30_000 });

  const end = useMutation({
    mutationFn: (session: Session) => endSession(session.id),
    onSuccess: async (_ok, session) => {
      message.success(`已强制 ${session.user.displayName} 下线`);
      await queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
    },
    onError: (error) => message.error(error instanceof ApiError ? error.message : '操作失败'),
  });

  const columns: TableColumnsType<Session> = [
    {
      title: '用户',
      key: 'user',
      render: (_: unknown, s) => (
        <span>
          {s.user.displayName} <Typography.Text type="secondary">（{s.user.username}）</Typography.Text>
          {s.current ? <Tag color="blue" style={{ marginInlineStart: 8 }}>当前会话</Tag> : null}
        </span>
      ),
    },
    { title: '工作单位', key: 'unit', render: (_: unknown, s) => s.activeUnit.name },
    { title: '登录时间', dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    { title: '最近活动', dataIndex: 'lastSeenAt', render: (v: string) => formatDateTime(v) },
    { title: 'IP 地址', dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
    {
      title: '浏览器',
      dataIndex: 'userAgent',
      render: (v: string | null) => <LongText text={v} maxWidth={220} />,
    },
    {
      title: '操作',
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, s) =>
        s.current ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Popconfirm
            title="强制下线"
            description={`确定让 ${s.user.displayName} 的这个会话立即下线吗？`}
            okText="下线"
            okButtonProps={{ danger: true }}
            cancelText="取消"
            onConfirm={() => end.mutateAsync(s)}
          >
            <Button type="link" danger size="small">
              强制下线
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="在线用户"
        description="当前登录中的会话，每 30 秒刷新。空闲超时或到达最长登录时长的会话会自动结束。"
        extra={
          <Button onClick={() => void sessions.refetch()} loading={sessions.isFetching}>
            刷新
          </Button>
        }
      />
      <Card>
        {sessions.isError ? <Alert type="error" showIcon title={sessions.error.message} style={{ marginBottom: 16 }} /> : null}
        <Table<Session>
          rowKey="id"
          columns={columns}
          dataSource={sessions.data?.items ?? []}
          loading={sessions.isPending}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 个会话` }}
          scroll={{ x: 'max-content' }}
        />
      </Card>
    </>
  );
}
