import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, userIdOf } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { DEMO_PASSWORD } from '#server/demo/demo.accounts.ts';

type LoginRecord = { username: string; success: boolean; reason: string; ip: string | null };

describe.each(testDialects())('login on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  const sessionCookie = (response: Awaited<ReturnType<TestEnv['attemptLogin']>>) => response.cookies.find((c) => c.name === 'kejing_session');

  describe('signing in', () => {
    it('opens a session for the right password and returns who the user is and a CSRF token', async () => {
      const response = await env.attemptLogin('hedian', DEMO_PASSWORD);
      expect(response.statusCode).toBe(200);
      const me = response.json();
      expect(me).toMatchObject({ username: 'hedian', displayName: '陈静（何店镇经发办）', roles: ['town'], activeUnit: { name: '何店镇' } });
      expect(me.csrfToken).toEqual(expect.any(String));

      const cookie = sessionCookie(response)!;
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe('Lax');
      expect(cookie.secure).toBeFalsy();
      const again = await env.client({ cookie: `kejing_session=${cookie.value}` }).get('/api/auth/me');
      expect(again.statusCode).toBe(200);
      expect(again.json().username).toBe('hedian');
    });

    it('answers a wrong password and an unknown user alike, and sets no cookie', async () => {
      const wrong = await env.attemptLogin('hedian', 'not-the-password');
      const unknown = await env.attemptLogin('nobody-here', 'not-the-password');
      for (const response of [wrong, unknown]) {
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: '用户名或密码错误' } });
        expect(sessionCookie(response)).toBeUndefined();
      }
    });

    it('refuses a disabled account even with the right password', async () => {
      const admin = await env.login('admin');
      const id = await userIdOf(env, 'hedian');
      expect((await admin.patch(`/api/users/${id}`, { disabled: true })).statusCode).toBe(200);

      const response = await env.attemptLogin('hedian', DEMO_PASSWORD);
      expect(response.statusCode).toBe(401);
      expect(response.json().error.message).toBe('账号已停用，请联系管理员');
    });
  });

  describe('lockout after repeated failures', () => {
    it("locks the account at LOGIN_MAX_FAILURES wrong passwords, refuses the right one while locked, accepts it after the lock time", async () => {
      const { maxFailures, lockMinutes } = env.config.login;
      for (let i = 1; i < maxFailures; i++) {
        expect((await env.attemptLogin('hedian', `wrong-${i}`)).statusCode).toBe(401);
      }
      const locking = await env.attemptLogin('hedian', 'wrong-last');
      expect(locking.statusCode).toBe(423);
      expect(locking.json().error).toMatchObject({ code: 'LOCKED', message: `密码连续错误 ${maxFailures} 次，账号已锁定 ${lockMinutes} 分钟` });

      const whileLocked = await env.attemptLogin('hedian', DEMO_PASSWORD);
      expect(whileLocked.statusCode).toBe(423);
      expect(whileLocked.json().error.message).toContain('账号已锁定');
      expect(sessionCookie(whileLocked)).toBeUndefined();

      env.advance(lockMinutes * 60_000 - 60_000);
      expect((await env.attemptLogin('hedian', DEMO_PASSWORD)).statusCode).toBe(423);
      env.advance(61_000);
      expect((await env.attemptLogin('hedian', DEMO_PASSWORD)).statusCode).toBe(200);
    });

    it('locks the account even when the wrong passwords arrive all at once', async () => {
      const { maxFailures } = env.config.login;
      const attempts = await Promise.all(Array.from({ length: maxFailures * 2 }, (_, i) => env.attemptLogin('hedian', `guess-${i}`)));
      expect(attempts.some((r) => r.statusCode === 423)).toBe(true);
      expect((await env.attemptLogin('hedian', DEMO_PASSWORD)).statusCode).toBe(423);
    });

    it('counts failures per account: another user is not locked', async () => {
      for (let i = 0; i < env.config.login.maxFailures; i++) await env.attemptLogin('hedian', `wrong-${i}`);
      expect((await env.attemptLogin('xicheng', DEMO_PASSWORD)).statusCode).toBe(200);
    });

    it('a successful sign-in resets the failure count', async () => {
      const { maxFailures } = env.config.login;
      for (let i = 1; i < maxFailures; i++) await env.attemptLogin('hedian', `wrong-${i}`);
      expect((await env.attemptLogin('hedian', DEMO_PASSWORD)).statusCode).toBe(200);
      expect((await env.attemptLogin('hedian', 'wrong-again')).statusCode).toBe(401);
      expect((await env.attemptLogin('hedian', DEMO_PASSWORD)).statusCode).toBe(200);
    });
  });

  describe('login log', () => {
    it('records successes and failures with the client IP, readable by the administrator', async () => {
      await env.attemptLogin('hedian', DEMO_PASSWORD, '10.0.0.7');
      await env.attemptLogin('hedian', 'wrong-password', '10.0.0.8');
      await env.attemptLogin('ghost', 'whatever', '10.0.0.9');

      const admin = await env.login('admin');
      const hedian = (await admin.get('/api/login-log?username=hedian')).json<{ items: LoginRecord[]; total: number }>();
      expect(hedian.total).toBe(2);
      expect(hedian.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ username: 'hedian', success: true, reason: '登录成功', ip: '10.0.0.7' }),
          expect.objectContaining({ username: 'hedian', success: false, reason: '密码错误', ip: '10.0.0.8' }),
        ]),
      );
      const failures = (await admin.get('/api/login-log?success=false')).json<{ items: LoginRecord[] }>();
      expect(failures.items.every((r) => !r.success)).toBe(true);
      expect(failures.items).toEqual(expect.arrayContaining([expect.objectContaining({ username: 'ghost', reason: '用户名不存在', ip: '10.0.0.9' })]));
    });

    it('exports the login log as an xlsx file', async () => {
      await env.attemptLogin('hedian', 'wrong-password');
      const admin = await env.login('admin');
      const response = await admin.get('/api/login-log/export');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('spreadsheetml');
      expect(response.rawPayload.subarray(0, 2).toString()).toBe('PK');
    });
  });
});

describe('session cookie over https', () => {
  it('is marked Secure when the platform is served over https behind a trusted proxy', async () => {
    const env = await createTestEnv('sqlite', { TRUST_PROXY: '1' });
    try {
      const response = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'hedian', password: DEMO_PASSWORD },
      });
      expect(response.statusCode).toBe(200);
      expect(response.cookies.find((c) => c.name === 'kejing_session')?.secure).toBe(true);
    } finally {
      await env.close();
    }
  });
});
