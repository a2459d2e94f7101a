import { useEffect, useMemo } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Flex, Form, Grid, Input, Select } from 'antd';
import { TOWN_KINDS, UNIT_KIND_LABELS, UNIT_KINDS, type Unit } from '#common/contracts/org.ts';
import { ROLE_LABELS, ROLES, type Role } from '#common/permissions.ts';
import { useUnits } from '#web/features/org/api.ts';
import { createUser, updateUser, USERS_KEY, type User } from '#web/features/users/api.ts';
import { showInitialPassword } from '#web/features/users/InitialPassword.tsx';
import { ApiError } from '#web/lib/http.ts';

interface Values {
  username: string;
  displayName: string;
  phone?: string;
  roles: Role[];
  unitIds: string[];
}

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/** Unit options grouped by kind (局机关, 股室, 街道, 镇 …), in code order within a group. */
export function unitOptions(units: readonly Unit[]) {
  return UNIT_KINDS.map((kind) => ({
    label: UNIT_KIND_LABELS[kind],
    title: UNIT_KIND_LABELS[kind],
    options: units
      .filter((u) => u.kind === kind && u.active)
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((u) => ({ value: u.id, label: u.name })),
  })).filter((group) => group.options.length > 0);
}

/**
 * Create a user (the server generates the initial password, shown once) or edit one's name,
 * phone, roles and units. The first unit chosen is the primary one.
 */
export function UserFormDrawer({ open, user, onClose }: { open: boolean; user: User | null; onClose: () => void }) {
  const editing = user !== null;
  const [form] = Form.useForm<Values>();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const units = useUnits();
  const options = useMemo(() => unitOptions(units.data ?? []), [units.data]);
  const unitKind = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.kind])), [units.data]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (user) {
      const primaryFirst = [...user.units].sort((a, b) => Number(b.primary) - Number(a.primary));
      form.setFieldsValue({
        username: user.username,
        displayName: user.displayName,
        phone: user.phone ?? '',
        roles: user.roles,
        unitIds: primaryFirst.map((u) => u.id),
      });
    }
  }, [open, user, form]);

  const save = useMutation({
    mutationFn: async (values: Values) => {
      const common = { displayName: values.displayName, phone: values.phone?.trim() || null, roles: values.roles, unitIds: values.unitIds };
      if (user) return { kind: 'updated' as const, user: await updateUser(user.id, common) };
      return { kind: 'created' as const, ...(await createUser({ ...common, username: values.username })) };
    },
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
      onClose();
      if (result.kind === 'created') showInitialPassword(modal, '账号已创建', result.user, result.initialPassword);
      else message.success('用户信息已保存');
    },
    onError: (error) => {
      if (error instanceof ApiError && error.fieldProblems.length) {
        form.setFields(error.fieldProblems.map((p) => ({ name: p.field as keyof Values, errors: [p.message] })));
      }
      message.error(error instanceof ApiError ? error.message : '保存失败，请稍后重试');
    },
  });

  return (
    <Drawer
      title={editing ? `编辑用户 · ${user.displayName}` : '新建用户'}
      open={open}
      onClose={onClose}
      size={screens.md === false ? '100%' : 480}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {editing ? '保存' : '创建'}
          </Button>
        </Flex>
      }
    >
      <Form<Values> form={form} name="user" layout="vertical" onFinish={(values) => save.mutate(values)} initialValues={{ roles: [], unitIds: [] }}>
        <Form.Item
          label="用户名"
          name="username"
          extra={editing ? '用户名创建后不能修改' : '用于登录，字母、数字、下划线、点或短横线'}
          rules={[
            { required: true, whitespace: true, message: '请填写用户名' },
            { min: 2, message: '用户名至少 2 个字符' },
            { max: 32, message: '用户名最多 32 个字符' },
            { pattern: /^[A-Za-z0-9_.-]+$/, message: '用户名只能包含字母、数字、下划线、点和短横线' },
          ]}
        >
          <Input disabled={editing} autoComplete="off" maxLength={32} />
        </Form.Item>
        <Form.Item label="姓名" name="displayName" rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 50, message: '姓名最多 50 个字符' }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item label="手机号" name="phone" rules={[{ pattern: /^[0-9+\- ]{0,30}$/, message: '请填写正确的电话号码' }]}>
          <Input maxLength={30} inputMode="tel" />
        </Form.Item>
        <Form.Item label="角色" name="roles" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个角色' }]}>
          <Select mode="multiple" options={ROLE_OPTIONS} showSearch={{ optionFilterProp: 'label' }} placeholder="选择角色" aria-label="角色" />
        </Form.Item>
        <Form.Item
          label="所属单位"
          name="unitIds"
          dependencies={['roles']}
          extra="第一个为主单位；从镇街借调到局机关等情况可加选工作单位，登录后在页面右上角切换。"
          rules={[
            { required: true, type: 'array', min: 1, message: '请选择所属单位' },
            ({ getFieldValue }) => ({
              validator: async (_rule, value: string[] | undefined) => {
                const roles = (getFieldValue('roles') as Role[] | undefined) ?? [];
                const primary = value?.[0];
                const kind = primary ? unitKind.get(primary) : undefined;
                if (roles.includes('town') && kind && !TOWN_KINDS.includes(kind)) {
                  throw new Error('镇街经发办账号的主单位应为街道、镇或开发区');
                }
              },
            }),
          ]}
        >
          <Select
            mode="multiple"
            options={options}
            loading={units.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="选择单位，可输入名称搜索"
            aria-label="所属单位"
          />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
