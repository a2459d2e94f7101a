import { Alert, type App, Flex, Typography } from 'antd';
import type { User } from '#web/features/users/api.ts';

/**
 * Shows a generated initial or reset password once. The server keeps only its hash, so this
 * dialog is the one chance to hand it over.
 */
export function showInitialPassword(modal: ReturnType<typeof App.useApp>['modal'], title: string, user: User, password: string | null) {
  modal.success({
    title,
    width: 480,
    okText: '我已记下',
    content: (
      <Flex vertical gap={12} style={{ marginTop: 8 }}>
        <Typography.Text>
          账号 <Typography.Text strong>{user.username}</Typography.Text>（{user.displayName}）
        </Typography.Text>
        {password ? (
          <>
            <Typography.Text>
              初始密码：
              <Typography.Text code copyable={{ text: password, tooltips: ['复制', '已复制'] }} style={{ fontSize: 16 }} data-testid="initial-password">
                {password}
              </Typography.Text>
            </Typography.Text>
            <Alert
              type="warning"
              showIcon
              title="密码只显示这一次，请通过当面或其他安全渠道交给本人。用户首次登录时须修改密码。"
            />
          </>
        ) : (
          <Typography.Text>已使用指定的密码。</Typography.Text>
        )}
      </Flex>
    ),
  });
}
