import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { DEMO_PASSWORD } from '#server/demo/demo.accounts.ts';

const MINUTE = 60_000;

type SessionRow = { id: string; user: { username: string }; ip: string | null; current: boolean };

describe.each(testDialects())('sessions on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  const sessionsOf = async (admin: Client, username: string) =>
    (await admin.get('/api/sessions')).json<{ items: SessionRow[] }>().items.filter((s) => s.user.username === username);

  describe('expiry', () => {
    it('ends a session left idle longer than the idle timeout', async () => {
      const hedian = await env.login('hedian');
      env.advance(29 * MINUTE);
      expect((await hedian.get('/api/auth/me')).statusCode).toBe(200);
      env.advance(31 * MINUTE);
      const expired = await hedian.get('/api/auth/me');
      expect(expired.statusCode).toBe(401);
      expect(expired.json().error).toEqual({ code: 'UNAUTHENTICATED', message: '登录已过期或未登录，请重新登录' });
    });

    it('keeps an active session alive past the idle timeout', async () => {
      const hedian = await env.login('hedian');
      for (let i = 0; i < 4; i++) {
        env.advance(20 * MINUTE);
        expect((await hedian.get('/api/auth/me')).statusCode).toBe(200);
      }
    });

    it('ends even a busy session at the absolute limit', async () => {
      const hedian = await env.login('hedian');
      const limitMinutes = env.config.session.absoluteHours * 60;
      let elapsed = 0;
      while (elapsed + 20 < limitMinutes) {
        env.advance(20 * MINUTE);
        elapsed += 20;
        expect((await hedian.get('/api/auth/me')).statusCode).toBe(200);
      }
      env.advance(25 * MINUTE); // past the absolute limit, well inside the idle timeout
      expect((await hedian.get('/api/auth/me')).statusCode).toBe(401);
      const row = await env.deps.db.selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id').select('s.end_reason').where('u.username', '=', 'hedian').executeTakeFirstOrThrow();
      expect(row.end_reason).toBe('expired_absolute');
    });
  });

  describe('logout', () => {
    it('ends the session: the same cookie no longer works', async () => {
      const hedian = await env.login('hedian');
      const response = await hedian.post('/api/auth/logout');
      expect(response.statusCode).toBe(200);
      expect(response.cookies.find((c) => c.name === 'kejing_session')?.value).toBe('');
      expect((await hedian.get('/api/auth/me')).statusCode).toBe(401);
    });

    it('ends only that session: the same user signed in elsewhere stays in', async () => {
      const first = await env.login('hedian');
      const second = await env.login('hedian');
      await first.post('/api/auth/logout');
      expect((await second.get('/api/auth/me')).statusCode).toBe(200);
    });
  });

  describe('online users and forced sign-out', () => {
    it('lists signed-in sessions with their IP, and forced sign-out ends the victim’s session', async () => {
      const hedianLogin = await env.attemptLogin('hedian', DEMO_PASSWORD, '10.20.30.40');
      const hedian = env.client({ cookie: `kejing_session=${hedianLogin.cookies.find((c) => c.name === 'kejing_session')!.value}` });
      const admin = await env.login('admin');

      const [session] = await sessionsOf(admin, 'hedian');
      expect(session).toMatchObject({ ip: '10.20.30.40', current: false });
      expect((await admin.get('/api/sessions')).json<{ items: SessionRow[] }>().items.find((s) => s.user.username === 'admin')?.current).toBe(true);

      expect((await admin.delete(`/api/sessions/${session!.id}`)).statusCode).toBe(200);
      expect((await hedian.get('/api/auth/me')).statusCode).toBe(401);
      expect(await sessionsOf(admin, 'hedian')).toEqual([]);
      expect((await admin.delete(`/api/sessions/${session!.id}`)).statusCode).toBe(404);

      const audit = (await admin.get('/api/audit?action=session.force_sign_out')).json<{ items: { actorName: string }[] }>();
      expect(audit.items).toEqual([expect.objectContaining({ actorName: 'admin' })]);
    });

    it('is for administrators only', async () => {
      const hedian = await env.login('hedian');
      expect((await hedian.get('/api/sessions')).statusCode).toBe(403);
      const admin = await env.login('admin');
      const [own] = (await admin.get('/api/sessions')).json<{ items: SessionRow[] }>().items;
      expect((await hedian.delete(`/api/sessions/${own!.id}`)).statusCode).toBe(403);
    });
  });

  describe('password change', () => {
    it('signs the user out everywhere else and keeps the session that changed it', async () => {
      const here = await env.login('hedian');
      const elsewhere = await env.login('hedian');
      const response = await here.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Zengdu#2026' });
      expect(response.statusCode).toBe(200);

      expect((await here.get('/api/auth/me')).statusCode).toBe(200);
      expect((await elsewhere.get('/api/auth/me')).statusCode).toBe(401);
      expect((await env.attemptLogin('hedian', DEMO_PASSWORD)).statusCode).toBe(401);
      expect((await env.attemptLogin('hedian', 'Zengdu#2026')).statusCode).toBe(200);
    });

    it('refuses a wrong current password', async () => {
      const hedian = await env.login('hedian');
      const response = await hedian.post('/api/auth/password', { currentPassword: 'not-it', newPassword: 'Zengdu#2026' });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'VALIDATION', message: '当前密码不正确' });
    });
  });
});
