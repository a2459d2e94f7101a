import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router';
import { fetchPlatformInfo, login, ME_KEY, type LoginBody } from '#web/features/auth/api.ts';
import { AuthCard } from '#web/features/auth/AuthCard.tsx';
import { ApiError } from '#web/lib/http.ts';

const PLATFORM_INFO_KEY = ['platform-info'] as const;

/** Only a path on this site may be a `next` target (no `//host` or `https:` open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<LoginBody>();
  const [error, setError] = useState<string | null>(null);
  const info = useQuery({ queryKey: PLATFORM_INFO_KEY, queryFn: ({ signal }) => fetchPlatformInfo(signal), staleTime: Infinity });

  // Nothing a previous user loaded stays in memory once the login page shows; the public
  // platform facts (district, demo mode) are nobody's data and are kept.
  useEffect(() => {
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== PLATFORM_INFO_KEY[0] });
  }, [queryClient]);

  const signIn = useMutation({
    mutationFn: login,
    onMutate: () => setError(null),
    onSuccess: (me) => {
      queryClient.clear();
      queryClient.setQueryData(ME_KEY, me);
      void navigate(me.mustChangePassword ? '/change-password' : safeNext(params.get('next')), { replace: true });
    },
    onError: (e) => {
      setError(e instanceof ApiError ? e.message : '登录失败，请稍后重试');
      form.setFieldValue('password', '');
    },
  });

  return (
    <AuthCard title="请使用分配的账号登录">
      {info.data?.demoMode ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`演示辖区：${info.data.district}（数据均为虚构）`}
          description="演示账号 admin、leader、yunxing、hedian、qiye 等，密码均为 kejing-demo"
        />
      ) : null}
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<LoginBody> form={form} layout="vertical" size="large" requiredMark={false} onFinish={(values) => signIn.mutate(values)}>
        <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" placeholder="用户名" autoFocus maxLength={64} />
        </Form.Item>
        <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder="密码" maxLength={256} />
        </Form.Item>
        <Form.Item style={{ marginBottom: 8 }}>
          <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
            登录
          </Button>
        </Form.Item>
      </Form>
      <p className="kj-auth-note">忘记密码或账号被锁定，请联系系统管理员重置。</p>
    </AuthCard>
  );
}
