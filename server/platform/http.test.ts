import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { acceptsGzip } from '#server/platform/http.ts';

const HAN = /[\u4e00-\u9fff]/;

describe.each(testDialects())('HTTP errors on %s', (dialect) => {
  let env: TestEnv;
  let admin: Client;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
    admin = await env.login('admin');
  });
  afterEach(async () => {
    await env.close();
  });

  /** A request as the signed-in admin, with a raw body and content type. */
  const raw = (method: 'POST' | 'PUT', url: string, payload: string, contentType = 'application/json') =>
    env.app.inject({ method, url, payload, headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken!, 'content-type': contentType } });

  describe('caching', () => {
    it('tells browsers and proxies to keep no copy of API answers, errors and downloads', async () => {
      for (const url of ['/api/auth/me', '/api/users', '/api/audit/export', '/api/no-such-route']) {
        const response = await admin.get(url);
        expect(response.headers['cache-control'], url).toBe('no-store');
      }
    });
  });

  describe('validation', () => {
    it('answers a body with wrong types with 400 VALIDATION, a Chinese message and per-field details in Chinese', async () => {
      const response = await admin.post('/api/users', { username: 'wang', displayName: '王五', roles: 'town', unitIds: 5 });
      expect(response.statusCode).toBe(400);
      const { error } = response.json<{ error: { code: string; message: string; details: { field: string; message: string }[] } }>();
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toBe('提交的数据有误，请按提示修改后重试');
      expect(error.details.map((d) => d.field).sort()).toEqual(['roles', 'unitIds']);
      for (const detail of error.details) expect(detail.message).toMatch(HAN);
    });

    it('passes on the contract’s own wording for a field', async () => {
      const response = await admin.post('/api/users', { username: 'a', displayName: '王五', roles: ['town'], unitIds: ['x'] });
      expect(response.json().error.details).toEqual([{ field: 'username', message: '用户名至少 2 个字符' }]);
    });

    it('says whether the query or the path was wrong', async () => {
      const query = await admin.get('/api/audit?from=2026/01/01');
      expect(query.statusCode).toBe(400);
      expect(query.json().error).toMatchObject({ message: '查询参数有误，请按提示修改后重试', details: [{ field: 'from', message: '日期格式应为 YYYY-MM-DD' }] });
      const params = await admin.put('/api/roles/superuser', { permissions: [] });
      expect(params.statusCode).toBe(400);
      expect(params.json().error.message).toBe('路径参数有误，请按提示修改后重试');
    });

    it('validates the login form too, without a session', async () => {
      const response = await env.anonymous().post('/api/auth/login', { username: '', password: 'x' });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details).toEqual([{ field: 'username', message: '请输入用户名' }]);
    });
  });

  describe('malformed requests', () => {
    it('answers malformed JSON with 400 and says so', async () => {
      for (const response of [await raw('POST', '/api/users', '{"username":'), await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: '{oops', headers: { 'content-type': 'application/json' } })]) {
        expect(response.statusCode).toBe(400);
        expect(response.json().error).toEqual({ code: 'BAD_REQUEST', message: '提交的内容不是有效的 JSON' });
      }
    });

    it('answers an unsupported content type with 415 and an oversized body with 413', async () => {
      const xml = await raw('POST', '/api/users', '<user><username>wang</username></user>', 'application/xml');
      expect(xml.statusCode).toBe(415);
      expect(xml.json().error).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型' });

      const big = await raw('PUT', '/api/roles/town', JSON.stringify({ permissions: ['x'.repeat(1024 * 1024 + 10)] }));
      expect(big.statusCode).toBe(413);
      expect(big.json().error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: '提交的内容过大' });
    });
  });

  describe('unknown routes and missing sessions', () => {
    it('answers an unknown API route with a JSON 404', async () => {
      for (const [method, url] of [
        ['GET', '/api/nope'],
        ['POST', '/api/nope/deeper?x=1'],
      ] as const) {
        const response = await env.app.inject({ method, url });
        expect(response.statusCode).toBe(404);
        expect(response.headers['content-type']).toContain('application/json');
        expect(response.json().error).toEqual({ code: 'NOT_FOUND', message: `接口不存在：${method} ${url.split('?')[0]}` });
      }
    });

    it('answers a protected route without a session with a JSON 401', async () => {
      const response = await env.anonymous().get('/api/users');
      expect(response.statusCode).toBe(401);
      expect(response.json().error).toEqual({ code: 'UNAUTHENTICATED', message: '登录已过期或未登录，请重新登录' });
    });
  });
});

describe('acceptsGzip', () => {
  it('reads Accept-Encoding as RFC 9110 says: listed or *, not with q=0', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.8, *;q=0.1')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip(['deflate', 'GZIP'])).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('gzip;q=0.000, identity')).toBe(false);
    expect(acceptsGzip('deflate, br')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('')).toBe(false);
  });
});
