import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Flex, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Role } from '#common/permissions.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { ME_KEY } from '#web/features/auth/api.ts';
import { fetchRolePermissions, ROLES_KEY, saveRolePermissions, type RolePermissions } from '#web/features/users/api.ts';
import { ApiError } from '#web/lib/http.ts';

type PermissionRow = RolePermissions['permissions'][number];
type Draft = Partial<Record<Role, string[]>>;

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** 角色权限: which permission each role has, as a matrix; each role's column is saved on its own. */
export function RolesPage() {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const table = useQuery({ queryKey: ROLES_KEY, queryFn: fetchRolePermissions });
  const [draft, setDraft] = useState<Draft>({});

  useEffect(() => {
    if (table.data) setDraft(Object.fromEntries(table.data.roles.map((r) => [r.role, [...r.permissions]])) as Draft);
  }, [table.data]);

  const save = useMutation({
    mutationFn: ({ role, permissions }: { role: Role; permissions: string[] }) => saveRolePermissions(role, permissions),
    onSuccess: async (next, { role }) => {
      queryClient.setQueryData(ROLES_KEY, next);
      message.success(`已保存「${next.roles.find((r) => r.role === role)?.label ?? role}」的权限`);
      // The signed-in user's own menu may have changed.
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
    onError: (error) => message.error(error instanceof ApiError ? error.message : '保存失败'),
  });

  const data = table.data;
  const columns: TableColumnsType<PermissionRow> = [
    {
      title: '权限',
      dataIndex: 'label',
      fixed: 'left',
      render: (label: string, row) => (
        <Flex vertical>
          <span>{label}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.id}
          </Typography.Text>
        </Flex>
      ),
    },
    ...(data?.roles ?? []).map((role) => {
      const current = draft[role.role] ?? role.permissions;
      const dirty = !sameSet(current, role.permissions);
      return {
        key: role.role,
        align: 'center' as const,
        title: (
          <Flex vertical align="center" gap={4}>
            <span>{role.label}</span>
            <Button
              size="small"
              type={dirty ? 'primary' : 'default'}
              disabled={!dirty}
              loading={save.isPending && save.variables.role === role.role}
              onClick={() => save.mutate({ role: role.role, permissions: current })}
            >
              保存
            </Button>
          </Flex>
        ),
        render: (_: unknown, permission: PermissionRow) => (
          <Checkbox
            aria-label={`${role.label}：${permission.label}`}
            checked={current.includes(permission.id)}
            onChange={(e) =>
              setDraft((d) => {
                const list = d[role.role] ?? role.permissions;
                return { ...d, [role.role]: e.target.checked ? [...list, permission.id] : list.filter((p) => p !== permission.id) };
              })
            }
          />
        ),
      };
    }),
  ];

  return (
    <>
      <PageHeader title="角色权限" description="勾选各角色拥有的权限，按列保存。权限变更对已登录用户在下一次请求时生效。" />
      <Card>
        {table.isError ? <Alert type="error" showIcon title={table.error.message} style={{ marginBottom: 16 }} /> : null}
        <Table<PermissionRow>
          rowKey="id"
          columns={columns}
          dataSource={data?.permissions ?? []}
          loading={table.isPending}
          pagination={false}
          size="middle"
          scroll={{ x: 'max-content' }}
          bordered
        />
      </Card>
    </>
  );
}
