import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, unitIdOf, userIdOf } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#server/demo/demo.accounts.ts';

type User = { id: string; username: string; displayName: string; roles: string[]; units: { name: string; primary: boolean }[]; disabled: boolean; locked: boolean; mustChangePassword: boolean };
type Page = { items: User[]; total: number };

describe.each(testDialects())('user administration on %s', (dialect) => {
  let env: TestEnv;
  let admin: Client;
  let hedianUnit: string;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
    admin = await env.login('admin');
    hedianUnit = await unitIdOf(env, '何店镇');
  });
  afterEach(async () => {
    await env.close();
  });

  const townUser = (username: string, extra: Record<string, unknown> = {}) => ({ username, displayName: '张三', roles: ['town'], unitIds: [hedianUnit], ...extra });
  const list = async (query: string) => (await admin.get(`/api/users?${query}`)).json<Page>();

  describe('creating an account', () => {
    it('returns a generated initial password once; it works, and is never shown again', async () => {
      const response = await admin.post('/api/users', townUser('zhangsan'));
      expect(response.statusCode).toBe(200);
      const { user, initialPassword } = response.json<{ user: User; initialPassword: string }>();
      expect(user).toMatchObject({ username: 'zhangsan', roles: ['town'], units: [{ name: '何店镇', primary: true }], mustChangePassword: true, disabled: false });
      expect(initialPassword).toMatch(/^\S{12}$/);

      expect((await admin.get(`/api/users/${user.id}`)).body).not.toContain(initialPassword);
      expect((await admin.get('/api/users?search=zhangsan')).body).not.toContain(initialPassword);
      const audit = (await admin.get(`/api/audit?action=user.create&entityId=${user.id}`)).body;
      expect(audit).not.toContain(initialPassword);
      expect(audit).not.toContain('argon2');
      expect((await env.attemptLogin('zhangsan', initialPassword)).statusCode).toBe(200);
    });

    it('returns no password when the administrator chose it', async () => {
      const response = await admin.post('/api/users', townUser('lisi', { password: 'Zengdu#2026' }));
      expect(response.json().initialPassword).toBeNull();
      expect((await env.attemptLogin('lisi', 'Zengdu#2026')).statusCode).toBe(200);
    });

    it('refuses a username already taken with 409 and a Chinese message', async () => {
      const response = await admin.post('/api/users', townUser('hedian'));
      expect(response.statusCode).toBe(409);
      expect(response.json().error).toEqual({ code: 'CONFLICT', message: '用户名 hedian 已被使用', details: [{ field: 'username', message: '用户名已被使用' }] });
    });

    it('refuses the same new username submitted several times at once: one account, the rest 409', async () => {
      const responses = await Promise.all(Array.from({ length: 4 }, () => admin.post('/api/users', townUser('twice'))));
      expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
      for (const refused of responses.filter((r) => r.statusCode === 409)) expect(refused.json().error.message).toBe('用户名 twice 已被使用');
      expect((await list('search=twice')).total).toBe(1);
    });

    it('grants a role named twice once', async () => {
      const response = await admin.post('/api/users', townUser('twice', { roles: ['town', 'town'] }));
      expect(response.statusCode).toBe(200);
      expect(response.json().user.roles).toEqual(['town']);
    });

    it('refuses an unknown unit and an enterprise account with a second role', async () => {
      const unknown = await admin.post('/api/users', townUser('wang', { unitIds: ['no-such-unit'] }));
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.message).toBe('所选单位不存在或已停用');
      const mixed = await admin.post('/api/users', townUser('wang', { roles: ['enterprise', 'town'] }));
      expect(mixed.statusCode).toBe(400);
      expect(mixed.json().error.message).toBe('企业账号不能兼任其他角色');
    });
  });

  describe('the user list', () => {
    it('searches username and name, literally and regardless of ASCII case', async () => {
      expect((await list(`search=${encodeURIComponent('西城')}`)).items.map((u) => u.username)).toEqual(['xicheng']);
      expect((await list('search=HEDIAN')).items.map((u) => u.username)).toEqual(['hedian']);

      await admin.post('/api/users', townUser('zhang_san'));
      await admin.post('/api/users', townUser('zhangxsan'));
      expect((await list('search=zhang_san')).items.map((u) => u.username)).toEqual(['zhang_san']);
      expect((await list('search=%25')).total).toBe(0);
    });

    it('filters by role and by unit', async () => {
      const towns = (await list('role=town')).items.map((u) => u.username).sort();
      expect(towns).toEqual(DEMO_ACCOUNTS.filter((a) => a.roles.includes('town')).map((a) => a.username).sort());
      const yunxing = (await list(`unitId=${await unitIdOf(env, '运行科')}`)).items.map((u) => u.username).sort();
      expect(yunxing).toEqual(['jiediao', 'yunxing']);
    });

    it('pages through every account exactly once', async () => {
      const first = await list('pageSize=3&page=1');
      expect(first.total).toBe(DEMO_ACCOUNTS.length);
      expect(first.items).toHaveLength(3);
      const pages = [first];
      for (let page = 2; page <= Math.ceil(first.total / 3); page++) pages.push(await list(`pageSize=3&page=${page}`));
      const seen = pages.flatMap((p) => p.items.map((u) => u.username));
      expect(seen.sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.username).sort());
      const tooMany = await admin.get('/api/users?pageSize=500');
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json().error.code).toBe('VALIDATION');
    });
  });

  describe('disabling an account', () => {
    it('ends its sessions for good: re-enabling does not revive them', async () => {
      const hedian = await env.login('hedian');
      const id = await userIdOf(env, 'hedian');
      expect((await admin.patch(`/api/users/${id}`, { disabled: true })).json().disabled).toBe(true);
      expect((await hedian.get('/api/auth/me')).statusCode).toBe(401);

      await admin.patch(`/api/users/${id}`, { disabled: false });
      expect((await hedian.get('/api/auth/me')).statusCode).toBe(401);
      expect((await env.attemptLogin('hedian', DEMO_PASSWORD)).statusCode).toBe(200);
    });

    it('is refused for one’s own account', async () => {
      const response = await admin.patch(`/api/users/${await userIdOf(env, 'admin')}`, { disabled: true });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toBe('不能停用自己的账号');
    });

    it('answers 404 for an account that does not exist', async () => {
      const response = await admin.patch('/api/users/no-such-user', { disabled: true });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.message).toBe('用户不存在或无权访问');
    });
  });

  describe('resetting a password', () => {
    it('unlocks a locked account and hands over a new password that must be changed', async () => {
      for (let i = 0; i < env.config.login.maxFailures; i++) await env.attemptLogin('hedian', `wrong-${i}`);
      const id = await userIdOf(env, 'hedian');
      expect((await admin.get(`/api/users/${id}`)).json().locked).toBe(true);

      const reset = await admin.post(`/api/users/${id}/reset-password`, {});
      expect(reset.statusCode).toBe(200);
      const { user, initialPassword } = reset.json<{ user: User; initialPassword: string }>();
      expect(user).toMatchObject({ locked: false, mustChangePassword: true });

      const login = await env.attemptLogin('hedian', initialPassword);
      expect(login.statusCode).toBe(200);
      expect(login.json().mustChangePassword).toBe(true);
      expect((await env.attemptLogin('hedian', DEMO_PASSWORD)).statusCode).toBe(401);
    });
  });
});
