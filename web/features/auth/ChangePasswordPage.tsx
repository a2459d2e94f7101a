import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Input } from 'antd';
import { Link, Navigate, useNavigate } from 'react-router';
import { PageLoading } from '#web/components/PageLoading.tsx';
import { changePassword, logout, ME_KEY, type ChangePasswordBody } from '#web/features/auth/api.ts';
import { AuthCard } from '#web/features/auth/AuthCard.tsx';
import { checkPasswordPolicy, DEFAULT_PASSWORD_POLICY, describePasswordPolicy } from '#common/password-policy.ts';
import { useMeQuery } from '#web/features/auth/session.tsx';
import { ApiError } from '#web/lib/http.ts';

type Values = ChangePasswordBody & { confirmPassword: string };

/**
 * Change one's own password: forced after an initial or reset password (the server refuses
 * everything else until then), or chosen from the user menu.
 */
export function ChangePasswordPage() {
  return (
    <App component={false}>
      <ChangePasswordForm />
    </App>
  );
}

function ChangePasswordForm() {
  const me = useMeQuery();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const passwordPolicy = me.data?.passwordPolicy ?? DEFAULT_PASSWORD_POLICY;

  const save = useMutation({
    mutationFn: (values: Values) => changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword }),
    onSuccess: async () => {
      message.success('密码已修改，其他设备上的登录已退出');
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      void navigate('/', { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.fieldProblems.length) {
        form.setFields(error.fieldProblems.map((p) => ({ name: p.field as keyof Values, errors: [p.message] })));
      } else {
        message.error(error instanceof ApiError ? error.message : '修改失败，请稍后重试');
      }
    },
  });

  const signOut = useMutation({
    mutationFn: logout,
    onSettled: () => void navigate('/login', { replace: true }),
  });

  if (me.isPending) return <PageLoading fullScreen />;
  if (me.isError) return <Navigate to="/login" replace />;
  const forced = me.data.mustChangePassword;
  const username = me.data.username;

  return (
    <AuthCard
      title={forced ? '首次登录或密码已被重置，请先设置新密码' : `修改密码 · ${me.data.displayName}`}
      subtitle={<Alert type="info" showIcon title="密码要求" description={describePasswordPolicy(passwordPolicy)} />}
    >
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={(values) => save.mutate(values)}>
        <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoComplete="current-password" maxLength={256} />
        </Form.Item>
        <Form.Item
          label="新密码"
          name="newPassword"
          rules={[
            { required: true, message: '请输入新密码' },
            {
              validator: async (_rule, value: string | undefined) => {
                const problems = value ? checkPasswordPolicy(value, username, passwordPolicy) : [];
                if (problems.length) throw new Error(problems.join('；'));
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={256} />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirmPassword"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: async (_rule, value: string | undefined) => {
                if (value && value !== getFieldValue('newPassword')) throw new Error('两次输入的新密码不一致');
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={256} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={save.isPending}>
          确认修改
        </Button>
      </Form>
      <Flex justify="center" style={{ marginTop: 16 }}>
        {forced ? (
          <Button type="link" onClick={() => signOut.mutate()} loading={signOut.isPending}>
            退出登录
          </Button>
        ) : (
          <Link to="/">返回首页</Link>
        )}
      </Flex>
    </AuthCard>
  );
}
