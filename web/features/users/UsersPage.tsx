import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, Popconfirm, Select, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { ROLE_LABELS, ROLES, type Role } from '#common/permissions.ts';
import { FilterTable } from '#web/components/FilterTable.tsx';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useCan } from '#web/features/auth/session.tsx';
import { useUnits } from '#web/features/org/api.ts';
import { listUsers, resetPassword, updateUser, USERS_KEY, type User, type UserListQuery } from '#web/features/users/api.ts';
import { showInitialPassword } from '#web/features/users/InitialPassword.tsx';
import { unitOptions, UserFormDrawer } from '#web/features/users/UserFormDrawer.tsx';
import { formatDateTime } from '#web/lib/format.ts';
import { ApiError } from '#web/lib/http.ts';

interface Filters {
  search?: string;
  unitId?: string;
  role?: Role;
}

const toQuery = (values: Partial<Filters>): Omit<UserListQuery, 'page' | 'pageSize'> => ({
  search: values.search?.trim() || undefined,
  unitId: values.unitId,
  role: values.role,
});

function StatusTags({ user }: { user: User }) {
  const tags = [];
  if (user.disabled) tags.push(<Tag key="disabled">已停用</Tag>);
  if (user.locked) tags.push(<Tag key="locked" color="error">已锁定</Tag>);
  if (user.mustChangePassword) tags.push(<Tag key="pw" color="warning">待改密</Tag>);
  if (!tags.length) tags.push(<Tag key="ok" color="success">正常</Tag>);
  return <>{tags}</>;
}

/** 用户管理: find users by name, unit and role; create, edit, disable and reset passwords. */
export function UsersPage() {
  const can = useCan();
  const manage = can('users.manage');
  const units = useUnits();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const [drawer, setDrawer] = useState<{ open: boolean; user: User | null }>({ open: false, user: null });

  const setDisabled = useMutation({
    mutationFn: ({ user, disabled }: { user: User; disabled: boolean }) => updateUser(user.id, { disabled }),
    onSuccess: async (user) => {
      message.success(user.disabled ? `已停用 ${user.displayName}` : `已启用 ${user.displayName}`);
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
    },
    onError: (error) => message.error(error instanceof ApiError ? error.message : '操作失败'),
  });

  const reset = useMutation({
    mutationFn: (user: User) => resetPassword(user.id),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
      showInitialPassword(modal, '密码已重置', result.user, result.initialPassword);
    },
    onError: (error) => message.error(error instanceof ApiError ? error.message : '重置失败'),
  });

  const columns = ((): TableColumnsType<User> => {
    const base: TableColumnsType<User> = [
      { title: '用户名', dataIndex: 'username', fixed: 'left', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
      { title: '姓名', dataIndex: 'displayName' },
      { title: '手机号', dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
      {
        title: '角色',
        dataIndex: 'roles',
        render: (roles: Role[]) => roles.map((r) => <Tag key={r}>{ROLE_LABELS[r]}</Tag>),
      },
      {
        title: '所属单位',
        dataIndex: 'units',
        render: (list: User['units']) =>
          [...list]
            .sort((a, b) => Number(b.primary) - Number(a.primary))
            .map((u) => (
              <Tag key={u.id} color={u.primary ? 'blue' : undefined}>
                {u.name}
                {u.primary && list.length > 1 ? '（主）' : ''}
              </Tag>
            )),
      },
      { title: '状态', key: 'status', render: (_: unknown, user) => <StatusTags user={user} /> },
      { title: '创建时间', dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    ];
    if (!manage) return base;
    base.push({
      title: '操作',
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, user) => (
        <Flex gap={4} wrap={false}>
          <Button type="link" size="small" onClick={() => setDrawer({ open: true, user })}>
            编辑
          </Button>
          <Popconfirm
            title="重置密码"
            description={`将为 ${user.displayName} 生成新的初始密码，并使其已登录的会话下线。`}
            okText="重置"
            cancelText="取消"
            onConfirm={() => reset.mutateAsync(user)}
          >
            <Button type="link" size="small">
              重置密码
            </Button>
          </Popconfirm>
          <Popconfirm
            title={user.disabled ? '启用账号' : '停用账号'}
            description={user.disabled ? `启用后 ${user.displayName} 可以重新登录。` : `停用后 ${user.displayName} 将无法登录，已登录的会话会下线。`}
            okText={user.disabled ? '启用' : '停用'}
            okButtonProps={{ danger: !user.disabled }}
            cancelText="取消"
            onConfirm={() => setDisabled.mutateAsync({ user, disabled: !user.disabled })}
          >
            <Button type="link" size="small" danger={!user.disabled}>
              {user.disabled ? '启用' : '停用'}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    });
    return base;
  })();

  return (
    <>
      <PageHeader
        title="用户管理"
        description="账号由管理员创建，初始密码只显示一次，用户首次登录须修改密码。"
        extra={
          manage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ open: true, user: null })}>
              新建用户
            </Button>
          ) : null
        }
      />
      <FilterTable<User, Filters, ReturnType<typeof toQuery>>
        queryKey={USERS_KEY}
        fetchPage={(query, signal) => listUsers(query, signal)}
        toQuery={toQuery}
        rowKey="id"
        columns={columns}
        filters={
          <>
            <Form.Item name="search" label="关键字">
              <Input allowClear placeholder="用户名、姓名或手机号" style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="unitId" label="单位">
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder="全部单位"
                options={unitOptions(units.data ?? [])}
                loading={units.isPending}
                style={{ width: 200 }}
                popupMatchSelectWidth={false}
              />
            </Form.Item>
            <Form.Item name="role" label="角色">
              <Select allowClear placeholder="全部角色" options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} style={{ width: 140 }} />
            </Form.Item>
          </>
        }
      />
      <UserFormDrawer open={drawer.open} user={drawer.user} onClose={() => setDrawer((d) => ({ ...d, open: false }))} />
    </>
  );
}
