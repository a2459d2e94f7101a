import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, buildUrl, filenameFromContentDisposition, http, setCsrfToken } from '#web/lib/http.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('http client', () => {
  it('keeps the Chinese file name of an export', () => {
    const header = `attachment; filename="audit.xlsx"; filename*=UTF-8''${encodeURIComponent('审计日志-2026-11-27.xlsx')}`;
    expect(filenameFromContentDisposition(header, 'x')).toBe('审计日志-2026-11-27.xlsx');
    expect(filenameFromContentDisposition('attachment; filename="login-log.xlsx"', 'x')).toBe('login-log.xlsx');
    expect(filenameFromContentDisposition(null, '下载文件')).toBe('下载文件');
  });

  it('leaves empty filters out of the query string', () => {
    expect(buildUrl('/api/users', { search: '', unitId: undefined, role: 'town', page: 2 })).toBe('/api/users?role=town&page=2');
  });

  it('sends the CSRF token on changes only, and turns the error body into an ApiError', async () => {
    const calls: RequestInit[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      calls.push(init);
      if (init.method === 'GET') return Response.json({ ok: true });
      return Response.json({ error: { code: 'VALIDATION', message: '当前密码不正确', details: [{ field: 'currentPassword', message: '当前密码不正确' }] } }, { status: 400 });
    });
    setCsrfToken('secret-1');
    await http.get('/api/auth/me');
    const failure = await http.post('/api/auth/password', { currentPassword: 'a', newPassword: 'b' }).catch((e: unknown) => e);
    expect((calls[0]?.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined();
    expect((calls[1]?.headers as Record<string, string>)['X-CSRF-Token']).toBe('secret-1');
    expect(failure).toBeInstanceOf(ApiError);
    const error = failure as ApiError;
    expect([error.status, error.code, error.message]).toEqual([400, 'VALIDATION', '当前密码不正确']);
    expect(error.fieldProblems).toEqual([{ field: 'currentPassword', message: '当前密码不正确' }]);
  });

  it('gives a Chinese message when the server answers with something other than its error body', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>bad gateway</html>', { status: 502 }));
    const failure = (await http.get('/api/health').catch((e: unknown) => e)) as ApiError;
    expect(failure.code).toBe('HTTP_502');
    expect(failure.message).toMatch(/服务器/);
  });
});
