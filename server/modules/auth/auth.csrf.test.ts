import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';

const CSRF_REFUSED = { code: 'CSRF', message: '请求校验失败（缺少或错误的 CSRF 令牌），请刷新页面后重试' };

describe.each(testDialects())('CSRF protection on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  const tokensOf = async (username: string) =>
    env.deps.db.selectFrom('api_tokens as t').innerJoin('users as u', 'u.id', 't.user_id').select('t.id').where('u.username', '=', username).execute();

  it('refuses a change sent with a valid session cookie but no X-CSRF-Token, and changes nothing', async () => {
    const hedian = await env.login('hedian');
    const response = await env.client({ cookie: hedian.cookie }).post('/api/auth/tokens', { name: '跨站请求' });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toEqual(CSRF_REFUSED);
    expect(await tokensOf('hedian')).toEqual([]);
  });

  it('refuses a wrong token, and the token of another session', async () => {
    const hedian = await env.login('hedian');
    const other = await env.login('hedian');
    for (const csrfToken of ['wrong-token', other.csrfToken]) {
      const response = await env.client({ cookie: hedian.cookie, csrfToken }).post('/api/auth/tokens', { name: '跨站请求' });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('CSRF');
    }
    expect(await tokensOf('hedian')).toEqual([]);
  });

  it('guards every mutating method: PUT, PATCH, DELETE and logout', async () => {
    const admin = await env.login('admin');
    const bare = env.client({ cookie: admin.cookie });
    const me = (await admin.get('/api/auth/me')).json<{ id: string }>();
    for (const response of [
      await bare.put('/api/roles/leader', { permissions: [] }),
      await bare.patch(`/api/users/${me.id}`, { displayName: '改名' }),
      await bare.delete('/api/sessions/anything'),
      await bare.post('/api/auth/logout'),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('CSRF');
    }
    expect((await admin.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('lets reads through without the token, and accepts the change when the token is sent', async () => {
    const hedian = await env.login('hedian');
    expect((await env.client({ cookie: hedian.cookie }).get('/api/auth/me')).statusCode).toBe(200);
    expect((await hedian.post('/api/auth/tokens', { name: '正常请求' })).statusCode).toBe(200);
  });

  it('hands the token out again with /api/auth/me, so a reloaded page can keep working', async () => {
    const hedian = await env.login('hedian');
    const me = (await env.client({ cookie: hedian.cookie }).get('/api/auth/me')).json<{ csrfToken: string }>();
    expect(me.csrfToken).toBe(hedian.csrfToken);
  });
});
