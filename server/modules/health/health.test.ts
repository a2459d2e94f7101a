import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';

describe.each(testDialects())('health on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  it('answers ok with the database it runs on, without a session', async () => {
    const response = await env.anonymous().get('/api/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: dialect, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('sends the security headers a browser needs', async () => {
    const response = await env.anonymous().get('/api/health');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('sends them on refusals and errors too', async () => {
    for (const response of [await env.anonymous().get('/api/no-such-route'), await env.anonymous().get('/api/users')]) {
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.headers['content-security-policy']).toContain("object-src 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
  });
});
