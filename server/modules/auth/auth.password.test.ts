import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, unitIdOf, userIdOf } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { DEMO_PASSWORD } from '#server/demo/demo.accounts.ts';

const CHANGE_REQUIRED = { code: 'PASSWORD_CHANGE_REQUIRED', message: '首次登录或密码被重置，请先修改密码' };

/** An administrator creates a town account with a generated initial password. */
async function createTownUser(env: TestEnv, admin: Client, username: string): Promise<string> {
  const response = await admin.post('/api/users', { username, displayName: '张三', roles: ['town'], unitIds: [await unitIdOf(env, '何店镇')] });
  expect(response.statusCode).toBe(200);
  return response.json<{ initialPassword: string }>().initialPassword;
}

describe.each(testDialects())('passwords on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  describe('an initial password must be changed at first sign-in', () => {
    it('blocks permissioned routes until the user sets a password of their own', async () => {
      const initial = await createTownUser(env, await env.login('admin'), 'zhangsan');
      const user = await env.login('zhangsan', initial);

      const me = await user.get('/api/auth/me');
      expect(me.statusCode).toBe(200);
      expect(me.json().mustChangePassword).toBe(true);
      const blocked = await user.get('/api/units');
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error).toEqual(CHANGE_REQUIRED);

      expect((await user.post('/api/auth/password', { currentPassword: initial, newPassword: 'Zengdu#2026' })).statusCode).toBe(200);
      expect((await user.get('/api/units')).statusCode).toBe(200);
      expect((await user.get('/api/auth/me')).json().mustChangePassword).toBe(false);
    });

    it('cannot be sidestepped by minting an API token first', async () => {
      const initial = await createTownUser(env, await env.login('admin'), 'zhangsan');
      const user = await env.login('zhangsan', initial);
      const response = await user.post('/api/auth/tokens', { name: '绕过改密' });
      expect(response.statusCode).toBe(403);
      expect(response.json().error).toEqual(CHANGE_REQUIRED);
    });

    it('applies to a password reset by the administrator as well', async () => {
      const admin = await env.login('admin');
      const reset = await admin.post(`/api/users/${await userIdOf(env, 'hedian')}/reset-password`, {});
      expect(reset.statusCode).toBe(200);
      const hedian = await env.login('hedian', reset.json<{ initialPassword: string }>().initialPassword);
      expect((await hedian.get('/api/units')).json().error).toEqual(CHANGE_REQUIRED);
    });

    it('is not asked in demo mode', async () => {
      const demo = await createTestEnv(dialect, { DEMO_MODE: '1' });
      try {
        const initial = await createTownUser(demo, await demo.login('admin'), 'zhangsan');
        const user = await demo.login('zhangsan', initial);
        expect((await user.get('/api/units')).statusCode).toBe(200);
      } finally {
        await demo.close();
      }
    });
  });

  describe('password policy (等保 2.0 level 2)', () => {
    const change = async (newPassword: string) => {
      const hedian = await env.login('hedian');
      return hedian.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword });
    };

    it.each([
      ['too short', 'Ab1!x', '密码长度至少 8 位'],
      ['too few character classes', 'abcdefghijk', '密码须包含大写字母、小写字母、数字、符号中的至少 3 类'],
      ['equal to the username', 'HEDIAN', '密码不能与用户名相同'],
      ['the current password again', DEMO_PASSWORD, '新密码不能与当前密码相同'],
    ])('refuses a password %s and says why', async (_, newPassword, message) => {
      const response = await change(newPassword);
      expect(response.statusCode).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toContain(message);
      expect(error.details).toEqual(expect.arrayContaining([{ field: 'newPassword', message }]));
      expect((await env.attemptLogin('hedian', DEMO_PASSWORD)).statusCode).toBe(200);
    });

    it('applies to a password the administrator chooses', async () => {
      const admin = await env.login('admin');
      const response = await admin.post('/api/users', {
        username: 'lisi',
        displayName: '李四',
        roles: ['town'],
        unitIds: [await unitIdOf(env, '何店镇')],
        password: 'short',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details).toEqual(expect.arrayContaining([{ field: 'password', message: '密码长度至少 8 位' }]));
    });

    it('follows the configured minimum length', async () => {
      const strict = await createTestEnv(dialect, { PASSWORD_MIN_LENGTH: '12' });
      try {
        const hedian = await strict.login('hedian');
        const response = await hedian.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Zengdu#2026' });
        expect(response.statusCode).toBe(400);
        expect(response.json().error.message).toContain('密码长度至少 12 位');
      } finally {
        await strict.close();
      }
    });
  });
});
