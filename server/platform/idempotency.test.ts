import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { buildEnterprise } from '#tests/support/factories.ts';
import type { BuiltEnterprise } from '#tests/support/factories.ts';
import { pruneIdempotencyKeys } from '#server/platform/idempotency.ts';

describe.each(testDialects())('idempotency keys on %s', (dialect) => {
  let env: TestEnv;
  let company: BuiltEnterprise;

  beforeEach(async () => {
    env = await createTestEnv(dialect);
    company = await buildEnterprise(env.deps.db, { name: '幂等测试专用汽车有限公司', town: '何店镇', aboveScale: true });
  });
  afterEach(async () => {
    await env.close();
  });

  /** A monthly form submission: every one that commits writes an import batch (not idempotent by itself). */
  const submit = (client: Client, key: string | null, current = '120') =>
    env.app.inject({
      method: 'POST',
      url: '/api/monitoring/form',
      headers: { cookie: client.cookie!, 'x-csrf-token': client.csrfToken!, ...(key === null ? {} : { 'idempotency-key': key }) },
      payload: { enterpriseId: company.id, period: '2022-06', values: { output_value: { current, previous: '100' } } },
    });
  const formBatches = async () =>
    Number((await env.deps.db.selectFrom('monitoring_imports').select((eb) => eb.fn.countAll().as('n')).where('source', '=', 'form').executeTakeFirstOrThrow()).n);
  const keyRows = async () => env.deps.db.selectFrom('idempotency_keys').selectAll().execute();

  it('applies a retried change once and answers the retry 409 已处理, naming what the first attempt did', async () => {
    const admin = await env.login('admin');
    const key = randomUUID();
    const first = await submit(admin, key);
    expect(first.statusCode, first.body).toBe(200);
    const retry = await submit(admin, key);
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error).toMatchObject({ code: 'ALREADY_APPLIED', message: expect.stringContaining('已处理'), details: { key, entityId: first.json().batchId } });
    expect(await formBatches()).toBe(1);
    // Without a key the same submission is a new change each time, as before.
    expect((await submit(admin, null)).statusCode).toBe(200);
    expect(await formBatches()).toBe(2);
    expect(await keyRows()).toHaveLength(1);
  });

  it('lets identical retries race: exactly one commits, the others answer 已处理', async () => {
    const admin = await env.login('admin');
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 6 }, () => submit(admin, key)));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.statusCode === 409)) expect(a.json().error.code).toBe('ALREADY_APPLIED');
    expect(await formBatches()).toBe(1);
    expect(await keyRows()).toHaveLength(1);
    expect((await env.deps.audit.verify(env.deps.db)).ok).toBe(true);
  });

  it('keeps keys per user: another user sending the same key makes their own change', async () => {
    const admin = await env.login('admin');
    const clerk = await env.login('yunxing');
    const key = randomUUID();
    expect((await submit(admin, key)).statusCode).toBe(200);
    expect((await submit(clerk, key)).statusCode).toBe(200);
    expect(await formBatches()).toBe(2);
    expect((await keyRows()).map((r) => r.key)).toEqual([key, key]);
  });

  it('records no key for a change refused, so a corrected retry with the same key goes through', async () => {
    const admin = await env.login('admin');
    const key = randomUUID();
    expect((await submit(admin, key, '-3')).statusCode).toBe(400);
    expect(await keyRows()).toHaveLength(0);
    expect((await submit(admin, key, '130')).statusCode).toBe(200);
    expect(await formBatches()).toBe(1);
  });

  it('refuses a malformed key and a key reused for another request, changing nothing', async () => {
    const admin = await env.login('admin');
    const bad = await submit(admin, 'short');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('幂等键');
    const key = randomUUID();
    expect((await submit(admin, key)).statusCode).toBe(200);
    const other = await env.app.inject({
      method: 'PATCH',
      url: `/api/enterprises/${company.id}`,
      headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken!, 'idempotency-key': key },
      payload: { address: '新地址 1 号' },
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('已用于另一个请求') });
    expect(await formBatches()).toBe(1);
  });

  it('forgets keys after the retention period: a month-old key runs as a new change, a recent one still answers 已处理', async () => {
    const admin = await env.login('admin');
    const old = randomUUID();
    const recent = randomUUID();
    expect((await submit(admin, old)).statusCode).toBe(200);
    expect((await submit(admin, recent)).statusCode).toBe(200);
    const month = 31 * 86_400_000;
    await env.deps.db.updateTable('idempotency_keys').set({ created_at: new Date(Date.now() - month).toISOString() }).where('key', '=', old).execute();

    expect(await pruneIdempotencyKeys(env.deps.db, new Date())).toBe(1);
    expect((await keyRows()).map((r) => r.key)).toEqual([recent]);
    expect((await submit(admin, old)).statusCode).toBe(200);
    expect((await submit(admin, recent)).statusCode).toBe(409);
    expect(await formBatches()).toBe(3);
  });
});
