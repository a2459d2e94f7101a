import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, unitIdOf, userIdOf } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';

type CreatedToken = { id: string; name: string; prefix: string; token: string };

describe.each(testDialects())('personal API tokens on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  const createToken = async (owner: Client, name = '统计系统对接') => {
    const response = await owner.post('/api/auth/tokens', { name });
    expect(response.statusCode).toBe(200);
    return response.json<CreatedToken>();
  };
  const bearer = (token: string) => env.client({ authorization: `Bearer ${token}` });

  it('shows the secret once, at creation, and stores only its hash', async () => {
    const admin = await env.login('admin');
    const created = await createToken(admin);
    expect(created.token).toMatch(/^kjt_/);
    expect(created.token.startsWith(created.prefix)).toBe(true);

    const list = (await admin.get('/api/auth/tokens')).json<{ items: Record<string, unknown>[] }>();
    expect(list.items).toEqual([expect.objectContaining({ id: created.id, name: '统计系统对接', prefix: created.prefix, revokedAt: null })]);
    expect(list.items[0]).not.toHaveProperty('token');
    const stored = await env.deps.db.selectFrom('api_tokens').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(created.token);
  });

  it('authenticates a change without a CSRF token, audited as the token’s owner', async () => {
    const created = await createToken(await env.login('admin'));
    const response = await bearer(created.token).post('/api/users', {
      username: 'jiekou',
      displayName: '接口创建',
      roles: ['town'],
      unitIds: [await unitIdOf(env, '何店镇')],
    });
    expect(response.statusCode).toBe(200);

    const admin = await env.login('admin');
    const audit = (await admin.get('/api/audit?action=user.create&actor=admin')).json<{ items: { actorKind: string; entityId: string }[] }>();
    expect(audit.items[0]).toMatchObject({ actorKind: 'token', entityId: response.json().user.id });
  });

  it('stops working once revoked, and only its owner can revoke it', async () => {
    const hedian = await env.login('hedian');
    const created = await createToken(hedian);
    expect((await bearer(created.token).get('/api/auth/me')).statusCode).toBe(200);

    const xicheng = await env.login('xicheng');
    expect((await xicheng.delete(`/api/auth/tokens/${created.id}`)).statusCode).toBe(404);
    expect((await bearer(created.token).get('/api/auth/me')).statusCode).toBe(200);

    expect((await hedian.delete(`/api/auth/tokens/${created.id}`)).statusCode).toBe(200);
    const refused = await bearer(created.token).get('/api/auth/me');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('is scoped and permitted like its owner: a town user’s token sees its town and no admin pages', async () => {
    const created = await createToken(await env.login('hedian'));
    const me = (await bearer(created.token).get('/api/auth/me')).json();
    expect(me).toMatchObject({ username: 'hedian', scope: { kind: 'town', unitIds: [await unitIdOf(env, '何店镇')] }, csrfToken: null });
    expect((await bearer(created.token).get('/api/users')).statusCode).toBe(403);
    expect((await bearer(created.token).get('/api/audit')).statusCode).toBe(403);
  });

  it('stops working when an admin resets its owner’s password, and the audit says how many were revoked', async () => {
    const hedian = await env.login('hedian');
    const created = await createToken(hedian);
    expect((await bearer(created.token).get('/api/auth/me')).statusCode).toBe(200);

    const admin = await env.login('admin');
    const id = await userIdOf(env, 'hedian');
    expect((await admin.post(`/api/users/${id}/reset-password`, {})).statusCode).toBe(200);
    expect((await bearer(created.token).get('/api/auth/me')).statusCode).toBe(401);
    const audit = (await admin.get('/api/audit?action=user.reset_password')).json<{ items: { entityId: string; after: unknown }[] }>();
    expect(audit.items[0]).toMatchObject({ entityId: id, after: { revokedApiTokens: 1 } });
  });

  it('follows a change written straight into the database by another process at its next request', async () => {
    const created = await createToken(await env.login('hedian'));
    expect((await bearer(created.token).get('/api/enterprises')).statusCode).toBe(200);
    // Not through the app: a second server or an administrator's SQL. Triggers bump the access
    // version, so the principal this process keeps is rebuilt (ADR 0011).
    await env.deps.db.deleteFrom('role_permissions').where('role', '=', 'town').where('permission', '=', 'enterprises.read').execute();
    expect((await bearer(created.token).get('/api/enterprises')).statusCode).toBe(403);
    await env.deps.db.updateTable('users').set({ disabled: 1 }).where('username', '=', 'hedian').execute();
    expect((await bearer(created.token).get('/api/auth/me')).statusCode).toBe(401);
  });

  it('stops working when its owner is disabled', async () => {
    const created = await createToken(await env.login('hedian'));
    const admin = await env.login('admin');
    await admin.patch(`/api/users/${await userIdOf(env, 'hedian')}`, { disabled: true });
    expect((await bearer(created.token).get('/api/auth/me')).statusCode).toBe(401);
  });

  it('answers 401 to a bad or malformed Authorization header even when a valid session cookie is present', async () => {
    const admin = await env.login('admin');
    for (const authorization of ['Bearer kjt_not-a-real-token', 'Bearer something-else', 'Basic YWRtaW46a2VqaW5n']) {
      const response = await env.client({ cookie: admin.cookie, csrfToken: admin.csrfToken, authorization }).get('/api/auth/me');
      expect(response.statusCode).toBe(401);
    }
  });

  it('cannot switch the active unit (that belongs to a signed-in session)', async () => {
    const created = await createToken(await env.login('jiediao'));
    const response = await bearer(created.token).post('/api/auth/active-unit', { unitId: await unitIdOf(env, '运行科') });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toBe('API 令牌不能切换工作单位');
  });
});
